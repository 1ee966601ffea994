package divisions_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata/divisions"
)

func TestVillageName(t *testing.T) {
	for in, want := range map[string]string{
		"城东社区居委会":   "城东社区",
		"文昌社区居民委员会": "文昌社区",
		"张村村民委员会":   "张村",
		"张村村委会":     "张村",
		"大王庄村民委员会":  "大王庄村",
		"东门居委会":     "东门社区",
		"城东社区":      "城东社区",
	} {
		if got := divisions.VillageName(in); got != want {
			t.Errorf("VillageName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUpperAndTowns(t *testing.T) {
	provinces := "code,name\n34,\"安徽省\"\n44,\"广东省\"\n"
	cities := "code,name,provinceCode\n3408,\"安庆市\",34\n4419,\"东莞市\",44\n"
	areas := "code,name,cityCode,provinceCode\n340828,\"岳西县\",3408,34\n340871,\"安徽安庆经济开发区\",3408,34\n441900,\"东莞市\",4419,44\n"
	upper, err := divisions.Upper(strings.NewReader(provinces), strings.NewReader(cities), strings.NewReader(areas))
	if err != nil {
		t.Fatal(err)
	}
	want := []model.AdminUnit{
		{Code: "340000", Name: "安徽省", NameEn: "Anhui", Level: model.LevelProvince},
		{Code: "340800", Name: "安庆市", NameEn: "Anqing", Level: model.LevelCity, ParentCode: "340000"},
		{Code: "340828", Name: "岳西县", NameEn: "Yuexi", Level: model.LevelCounty, ParentCode: "340800", CountyCode: "340828"},
		{Code: "440000", Name: "广东省", NameEn: "Guangdong", Level: model.LevelProvince},
		{Code: "441900", Name: "东莞市", NameEn: "Dongguan", Level: model.LevelCity, ParentCode: "440000", CountyCode: "441900"},
	}
	if diff := cmp.Diff(want, upper); diff != "" {
		t.Errorf("Upper (-want +got):\n%s", diff)
	}
	streets := "code,name,areaCode,provinceCode,cityCode\n340828100,\"天堂镇\",340828,34,3408\n340871400,\"某街道\",340871,34,3408\n"
	towns, err := divisions.Towns(strings.NewReader(streets), map[string]bool{"340828": true})
	if err != nil || len(towns) != 1 || towns[0].Name != "天堂镇" || towns[0].CountyCode != "340828" {
		t.Errorf("Towns = %+v, %v; want 天堂镇 alone", towns, err)
	}
	var buf bytes.Buffer
	if err := divisions.WriteTSV(&buf, upper); err != nil {
		t.Fatal(err)
	}
	back, err := divisions.ReadTSV(&buf)
	if diff := cmp.Diff(upper, back); diff != "" || err != nil {
		t.Errorf("TSV round trip (-wrote +read), %v:\n%s", err, diff)
	}
	if _, err := divisions.Upper(strings.NewReader(provinces), strings.NewReader("code,name,provinceCode\n3408,\"安庆市\",35\n"), strings.NewReader(areas)); err == nil || !strings.Contains(err.Error(), "cities.csv line 2") {
		t.Errorf("a city of an unknown province: %v; want an error naming cities.csv line 2", err)
	}
}
