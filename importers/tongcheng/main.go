// Command tongcheng imports the red-property export of 桐城市 (Tongcheng,
// 340881): a JSON document from the city's community-governance system
// with the city's indicators and its communities, each with its
// residential compounds and its shared spaces and activity venues. See
// README.md for the fields and options.
package main

import "github.com/countyhub/countyhub/plugins/sdk"

func main() { sdk.Serve(Importer{}) }
