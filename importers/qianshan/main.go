// Command qianshan imports the red-property-management statistics of 潜山市
// Qianshan (340882): a web page saved from the city's management system,
// whose data table has the columns 指标 and 数值 (and optionally 序号, 类别,
// 备注), with footnotes below it. It produces observations.
//
// The page is parsed with golang.org/x/net/html, after decoding it per its
// meta charset (UTF-8, GBK, GB2312, GB18030). Footnote markers on figures
// ("580余件¹", "3次*", "<sup>1</sup>") are stripped before the figure is
// read; the footnote's text is reported as an INFO diagnostic on the cell.
package main

import "github.com/countyhub/countyhub/plugins/sdk"

func main() { sdk.Serve(Importer{}) }
