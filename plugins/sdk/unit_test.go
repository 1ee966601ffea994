package sdk_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/plugins/sdk"
)

func TestCheckUnit(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		unit, text string
		want       string // the diagnostic's message; "" for none
	}{
		"own county by name":       {unit: "340828", text: "岳西县"},
		"own county by code":       {unit: "340828", text: " 340828 "},
		"own county, short name":   {unit: "340828", text: "岳西"},
		"own county, pinyin":       {unit: "340828", text: "Yuexi"},
		"own county in a title":    {unit: "340828", text: "岳西县小区党群服务站建设情况表（截至2023年8月7日）"},
		"city and county in title": {unit: "340803", text: "安庆市大观区红色物业工作情况统计表"},
		"own community's code":     {unit: "340828", text: "340828100001"},
		"own town's code":          {unit: "340828", text: "340828100"},
		"the city's own title":     {unit: "340800", text: "安庆市“皖美红色物业”全市指标（2023年）"},
		"no unit named":            {unit: "340828", text: "城东社区"},
		"no text":                  {unit: "340828", text: "  "},
		"no unit to check":         {unit: "", text: "潜山市"},
		"a number, not a code":     {unit: "340828", text: "2023"},
		"two counties, one own":    {unit: "340803", text: "大观区、迎江区联合统计表"},
		"another county by name": {unit: "340828", text: "潜山市",
			want: `"潜山市" names 潜山市 (340882), another county: this import is for 岳西县 (340828)`},
		"another county by code": {unit: "340881", text: "340828",
			want: `"340828" names 岳西县 (340828), another county: this import is for 桐城市 (340881)`},
		"another county, short name": {unit: "340828", text: "大观",
			want: `"大观" names 大观区 (340803), another county: this import is for 岳西县 (340828)`},
		"another county in a title": {unit: "340803", text: "岳西县“皖美红色物业”建设主要指标",
			want: `"岳西县“皖美红色物业”建设主要指标" names 岳西县 (340828), another county: this import is for 大观区 (340803)`},
		"the county wins over the city": {unit: "340882", text: "安庆市大观区红色物业工作情况统计表",
			want: `"安庆市大观区红色物业工作情况统计表" names 大观区 (340803), another county: this import is for 潜山市 (340882)`},
		"another county's community code": {unit: "340828", text: "340881001001",
			want: `"340881001001" names 桐城市 (340881), another county: this import is for 岳西县 (340828)`},
		"the city's title for a county": {unit: "340803", text: "安庆市“皖美红色物业”全市指标",
			want: `"安庆市“皖美红色物业”全市指标" names 安庆市 (340800), the city: this import is for 大观区 (340803)`},
		"a county's title for the city": {unit: "340800", text: "岳西县小区党群服务站台账",
			want: `"岳西县小区党群服务站台账" names 岳西县 (340828), a county: this import is for 安庆市 (340800)`},
		"a unit the reference lacks": {unit: "990101", text: "岳西县",
			want: `"岳西县" names 岳西县 (340828), another county: this import is for 990101`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := sdk.CheckUnit(tc.unit, "Sheet1!A1", "county", tc.text)
			if tc.want == "" {
				if d != nil {
					t.Errorf("CheckUnit(%q, %q) = %+v; want nil", tc.unit, tc.text, *d)
				}
				return
			}
			want := sdk.Errorf("Sheet1!A1", "county", "%s", tc.want)
			if d == nil {
				t.Fatalf("CheckUnit(%q, %q) = nil; want %q", tc.unit, tc.text, tc.want)
			}
			if diff := cmp.Diff(want, *d); diff != "" {
				t.Errorf("CheckUnit(%q, %q) (-want +got):\n%s", tc.unit, tc.text, diff)
			}
		})
	}
}

func TestNamedUnit(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		text string
		want string // the unit's code; "" for none
	}{
		"a title":           {text: "望江县“皖美红色物业”建设工作情况报告", want: "340827"},
		"city and county":   {text: "中共安庆市大观区委组织部", want: "340803"},
		"the city only":     {text: "安庆市“皖美红色物业”全市指标", want: "340800"},
		"a code":            {text: "340882", want: "340882"},
		"a community code":  {text: "340882100001", want: "340882"},
		"no unit":           {text: "一、主要指标完成情况"},
		"a short name only": {text: "岳西红色物业"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			u, ok := sdk.NamedUnit(tc.text)
			if u.Code != tc.want || ok != (tc.want != "") {
				t.Errorf("NamedUnit(%q) = %s, %v; want %q", tc.text, u.Code, ok, tc.want)
			}
		})
	}
}
