// Command csv is the generic CSV importer: it reads a plain table of any
// county through a mapping file instead of code. The mapping (the option
// mapping, its YAML text) names the dataset, the file's encoding (UTF-8,
// GBK or GB18030), the rows above the header, the header rows, and which
// column holds which record field; see docs/importers.md, "Importing a
// plain table with a mapping (no code)".
package main

import "github.com/countyhub/countyhub/plugins/sdk"

func main() { sdk.Serve(Importer{}) }
