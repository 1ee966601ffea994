// Command yuexi imports the red-property workbook of 岳西县 (Yuexi county,
// 340828): an .xlsx workbook with one sheet per dataset (指标 indicators,
// 党群服务站 stations, 试点 pilots, 经费 budget lines), each laid out as
// the county's template: a title in row 1, a two-row header with merged
// group cells in rows 2 and 3, data from row 4. Money is in 万元. See
// README.md for the columns and options.
package main

import "github.com/countyhub/countyhub/plugins/sdk"

func main() { sdk.Serve(Importer{}) }
