// Command wangjiang imports the red-property-management report of 望江县
// Wangjiang (340827): a Word .docx document with a title and three tables,
// the indicators (指标, 数值, 说明), the budget lines (年度, 资金用途, 金额,
// 状态) and the deliberation points (议事平台, 类型). It produces
// observations, budget lines and spaces.
//
// The document is read with archive/zip and encoding/xml straight from its
// main part (word/document.xml): text split over several runs is joined,
// merged cells (w:gridSpan, w:vMerge) are resolved, and empty paragraphs
// are dropped. Diagnostics name the table, the row and, when one cell is at
// fault, the cell: "table 1 row 5 cell 2".
package main

import "github.com/countyhub/countyhub/plugins/sdk"

func main() { sdk.Serve(Importer{}) }
