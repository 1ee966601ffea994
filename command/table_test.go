package command

import (
	"strings"
	"testing"
)

func TestPrintTableAlignsChineseText(t *testing.T) {
	var b strings.Builder
	if err := printTable(&b, [][]string{{"ID", "NAME", "ROLE"}, {"a1", "岳西县数据办", "county_editor"}, {"b2", "demo admin", "admin"}}); err != nil {
		t.Fatal(err)
	}
	want := "ID  NAME          ROLE\n" +
		"a1  岳西县数据办  county_editor\n" +
		"b2  demo admin    admin\n"
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
}
