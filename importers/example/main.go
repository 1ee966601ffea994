// Command example is a template importer: copy this directory, rename it
// after your importer, and change Describe and Import for your format.
//
// It reads an "indicator sheet": a UTF-8 CSV file with the header
// metric,unit,period,value and one observation per line. The unit column
// holds a unit code or name, or is empty for the import's own unit; the
// value is a number, or a reported figure such as 300余件 that the hub
// normalizes. Lines starting with # are comments.
package main

import "github.com/countyhub/countyhub/plugins/sdk"

func main() { sdk.Serve(Importer{}) }
