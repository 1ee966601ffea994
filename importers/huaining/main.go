// Command huaining imports the red-property-management report of 怀宁县
// Huaining (340822) as exported by the county office system: an XML file
// with a <report> root holding <indicators> (one <indicator> per figure,
// identified by the system's indicator code) and <budgets> (one <budget> per
// budget line). It produces observations and budget lines.
//
// The file is read as a stream with encoding/xml; diagnostics name the line
// of the element at fault. A file declaring GB2312, GBK or GB18030 (or
// another encoding the WHATWG encoding index knows) in its XML declaration
// is decoded accordingly.
package main

import "github.com/countyhub/countyhub/plugins/sdk"

func main() { sdk.Serve(Importer{}) }
