// Command xlsx is the generic Excel importer: it reads a plain table on
// one sheet of an .xlsx workbook through a mapping file instead of code.
// The mapping (the option mapping, its YAML text) names the dataset, the
// sheet, the rows above the header, the header rows (merged header cells
// apply to every column they span), and which column holds which record
// field; see docs/importers.md, "Importing a plain table with a mapping
// (no code)".
package main

import "github.com/countyhub/countyhub/plugins/sdk"

func main() { sdk.Serve(Importer{}) }
