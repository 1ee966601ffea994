// Package importers holds countyhub's importer plugins, one binary per
// folder, and embeds the sample file each county importer carries in
// testdata/sample: together they are the demo data set of the Anqing
// bulletin (the city and six counties).
package importers

import "embed"

// Samples holds IMPORTER/testdata/sample of every importer that has one:
// its input file, its case.json and the option files case.json names.
//
//go:embed */testdata/sample
var Samples embed.FS
