// Command daguan imports the red-property work sheet of 大观区 (Daguan
// district, 340803): one CSV table, saved by Excel on a Chinese Windows
// (GBK) or as "CSV UTF-8" (with a byte-order mark), with a title row, the
// column header and one row per indicator, party-mass service station or
// deliberation point. The 类别 column says which a row is. See README.md
// for the columns and options.
package main

import "github.com/countyhub/countyhub/plugins/sdk"

func main() { sdk.Serve(Importer{}) }
