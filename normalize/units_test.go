package normalize

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
)

// Units of the tests: Anqing, its ten counties, and invented lower units,
// among them two 城东社区 (in Yuexi and in Tongcheng) and a 宿松镇 whose
// short name collides with 宿松县's.
var (
	anqing    = model.AdminUnit{Code: "340800", Name: "安庆市", NameEn: "Anqing", Level: model.LevelCity}
	yingjiang = county("340802", "迎江区", "Yingjiang")
	daguan    = county("340803", "大观区", "Daguan")
	yixiu     = county("340811", "宜秀区", "Yixiu")
	huaining  = county("340822", "怀宁县", "Huaining")
	taihu     = county("340825", "太湖县", "Taihu")
	susong    = county("340826", "宿松县", "Susong")
	wangjiang = county("340827", "望江县", "Wangjiang")
	yuexi     = county("340828", "岳西县", "Yuexi")
	tongcheng = county("340881", "桐城市", "Tongcheng")
	qianshan  = county("340882", "潜山市", "Qianshan")

	tiantang       = model.AdminUnit{Code: "340828100", Name: "天堂镇", NameEn: "Tiantang", Level: model.LevelTown, ParentCode: "340828", CountyCode: "340828"}
	yuexiChengdong = model.AdminUnit{Code: "340828100001", Name: "城东社区", NameEn: "Chengdong", Level: model.LevelCommunity, ParentCode: "340828100", CountyCode: "340828"}
	tongChengdong  = model.AdminUnit{Code: "340881001001", Name: "城东社区", NameEn: "Chengdong", Level: model.LevelCommunity, ParentCode: "340881001", CountyCode: "340881"}
	fanshen        = model.AdminUnit{Code: "340881001002", Name: "翻身社区", NameEn: "Fanshen", Level: model.LevelCommunity, ParentCode: "340881001", CountyCode: "340881"}
	qilixiangxi    = model.AdminUnit{Code: "340881001002001", Name: "七里香溪小区", NameEn: "Qilixiangxi", Level: model.LevelCompound, ParentCode: "340881001002", CountyCode: "340881"}
	susongTown     = model.AdminUnit{Code: "340826100", Name: "宿松镇", NameEn: "Susong Town", Level: model.LevelTown, ParentCode: "340826", CountyCode: "340826"}
	kuangqu        = model.AdminUnit{Code: "340811200", Name: "矿区", NameEn: "Kuangqu", Level: model.LevelTown, ParentCode: "340811", CountyCode: "340811"}
)

func county(code, name, nameEn string) model.AdminUnit {
	return model.AdminUnit{Code: code, Name: name, NameEn: nameEn, Level: model.LevelCounty, ParentCode: "340800", CountyCode: code}
}

func testUnits() *Units {
	return NewUnits([]model.AdminUnit{
		anqing, yingjiang, daguan, yixiu, huaining, taihu, susong, wangjiang, yuexi, tongcheng, qianshan,
		tiantang, yuexiChengdong, tongChengdong, fanshen, qilixiangxi, susongTown, kuangqu,
		// A repeated code keeps the first unit and adds no ambiguity.
		{Code: "340803", Name: "大观区", NameEn: "Daguan District"},
		// A unit without a code is left out.
		{Name: "无码社区", NameEn: "Wuma"},
	})
}

func TestResolve(t *testing.T) {
	t.Parallel()
	units := testUnits()
	tests := map[string]struct {
		in      string
		want    model.AdminUnit
		wantErr string
	}{
		"code":                  {in: "340803", want: daguan},
		"full-width code":       {in: "３４０８０３", want: daguan},
		"name":                  {in: "大观区", want: daguan},
		"short name":            {in: "大观", want: daguan},
		"pinyin":                {in: "Daguan", want: daguan},
		"lower pinyin":          {in: "daguan", want: daguan},
		"upper pinyin":          {in: "DAGUAN", want: daguan},
		"spaced pinyin":         {in: "Da guan", want: daguan},
		"hyphenated pinyin":     {in: "da-guan", want: daguan},
		"surrounding space":     {in: "  大观区 ", want: daguan},
		"city code":             {in: "340800", want: anqing},
		"city name":             {in: "安庆市", want: anqing},
		"city short name":       {in: "安庆", want: anqing},
		"city pinyin":           {in: "anqing", want: anqing},
		"县":                     {in: "岳西", want: yuexi},
		"市":                     {in: "桐城", want: tongcheng},
		"county pinyin":         {in: "Qianshan", want: qianshan},
		"county code":           {in: "340882", want: qianshan},
		"镇":                     {in: "天堂", want: tiantang},
		"town name":             {in: "天堂镇", want: tiantang},
		"社区":                    {in: "翻身", want: fanshen},
		"小区":                    {in: "七里香溪", want: qilixiangxi},
		"compound name":         {in: "七里香溪小区", want: qilixiangxi},
		"compound code":         {in: "340881001002001", want: qilixiangxi},
		"community code":        {in: "340828100001", want: yuexiChengdong},
		"two-word pinyin":       {in: "susong town", want: susongTown},
		"full name beats short": {in: "宿松县", want: susong},
		"town full name":        {in: "宿松镇", want: susongTown},
		"pinyin of county":      {in: "Susong", want: susong},
		"矿区 has no short name":  {in: "矿", wantErr: `unit "矿": unknown`},
		"矿区 by name":            {in: "矿区", want: kuangqu},

		"ambiguous short name": {in: "宿松", wantErr: `unit "宿松": ambiguous, candidates 340826, 340826100`},
		"ambiguous name":       {in: "城东社区", wantErr: `unit "城东社区": ambiguous, candidates 340828100001, 340881001001`},
		"ambiguous short":      {in: "城东", wantErr: "ambiguous, candidates 340828100001, 340881001001"},
		"ambiguous pinyin":     {in: "chengdong", wantErr: `unit "chengdong": ambiguous, candidates 340828100001, 340881001001`},
		"unknown name":         {in: "北京市", wantErr: `unit "北京市": unknown`},
		"unknown pinyin":       {in: "Beijing", wantErr: `unit "Beijing": unknown`},
		"partial code":         {in: "34080", wantErr: "unknown"},
		"wrong suffix":         {in: "大观县", wantErr: "unknown"},
		"unit without code":    {in: "无码社区", wantErr: "unknown"},
		"empty":                {in: "", wantErr: `unit "": empty`},
		"blank":                {in: " ", wantErr: "empty"},
		"hyphens only":         {in: "--", wantErr: "unknown"},
		"invalid UTF-8":        {in: "\xff", wantErr: "unknown"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := units.Resolve(tc.in)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("Resolve(%q) = %+v, want error %q", tc.in, got, tc.wantErr)
				}
				if msg := err.Error(); !strings.Contains(msg, tc.wantErr) || !strings.HasPrefix(msg, "unit "+strconv.Quote(tc.in)) {
					t.Errorf("Resolve(%q) error = %q, want it to name the input and say %q", tc.in, msg, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve(%q): %v", tc.in, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Resolve(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestResolveUnder(t *testing.T) {
	t.Parallel()
	units := testUnits()
	tests := map[string]struct {
		in      string
		county  string
		want    model.AdminUnit
		wantErr string
	}{
		"name in Yuexi":        {in: "城东社区", county: "340828", want: yuexiChengdong},
		"name in Tongcheng":    {in: "城东社区", county: "340881", want: tongChengdong},
		"short in Yuexi":       {in: "城东", county: "340828", want: yuexiChengdong},
		"pinyin in Tongcheng":  {in: "Chengdong", county: "340881", want: tongChengdong},
		"code in its county":   {in: "340881001001", county: "340881", want: tongChengdong},
		"the county itself":    {in: "岳西县", county: "340828", want: yuexi},
		"county short name":    {in: "岳西", county: "340828", want: yuexi},
		"short within county":  {in: "宿松", county: "340826", wantErr: "ambiguous, candidates 340826, 340826100"},
		"town full name":       {in: "宿松镇", county: "340826", want: susongTown},
		"code in other county": {in: "340881001001", county: "340828", wantErr: `unit "340881001001" in county "340828": unknown`},
		"name in other county": {in: "翻身社区", county: "340828", wantErr: `unit "翻身社区" in county "340828": unknown`},
		"other county":         {in: "大观", county: "340828", wantErr: "unknown"},
		"city is in no county": {in: "安庆市", county: "340828", wantErr: "unknown"},
		"unknown county":       {in: "城东社区", county: "999999", wantErr: `unit "城东社区" in county "999999": no units in county`},
		"no county":            {in: "安庆市", county: "", wantErr: `unit "安庆市" in county "": no county given`},
		"empty":                {in: "", county: "340828", wantErr: "empty"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := units.ResolveUnder(tc.in, tc.county)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("ResolveUnder(%q, %q) = %+v, want error %q", tc.in, tc.county, got, tc.wantErr)
				}
				if msg := err.Error(); !strings.Contains(msg, tc.wantErr) || !strings.HasPrefix(msg, "unit "+strconv.Quote(tc.in)) {
					t.Errorf("ResolveUnder(%q, %q) error = %q, want it to name the input and say %q", tc.in, tc.county, msg, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ResolveUnder(%q, %q): %v", tc.in, tc.county, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ResolveUnder(%q, %q) (-want +got):\n%s", tc.in, tc.county, diff)
			}
		})
	}
}

func TestNewUnitsEmpty(t *testing.T) {
	t.Parallel()
	units := NewUnits(nil)
	if got, err := units.Resolve("大观区"); err == nil {
		t.Errorf("Resolve on no units = %+v, want an error", got)
	}
	if got, err := units.ResolveUnder("大观区", "340803"); err == nil {
		t.Errorf("ResolveUnder on no units = %+v, want an error", got)
	}
}

// FuzzResolve checks Resolve and ResolveUnder on made-up names: an error
// names the input, a unit found is a unit given to NewUnits, whitespace
// around a name changes nothing, ResolveUnder finds only units of its
// county, and a unit Resolve finds is found under its own county too.
func FuzzResolve(f *testing.F) {
	all := []model.AdminUnit{anqing, yingjiang, daguan, yixiu, huaining, taihu, susong, wangjiang, yuexi, tongcheng, qianshan,
		tiantang, yuexiChengdong, tongChengdong, fanshen, qilixiangxi, susongTown, kuangqu}
	for _, a := range all {
		for _, name := range []string{a.Code, a.Name, shortName(a.Name), a.NameEn, strings.ToUpper(a.NameEn), " " + a.Name + "\u3000"} {
			f.Add(name, a.CountyCode)
		}
	}
	for _, s := range []string{"", " ", "３４０８０３", "da-guan", "城东", "宿松", "矿", "--", "\xff", "无码社区"} {
		f.Add(s, "340828")
	}
	f.Add("安庆市", "")
	f.Add("城东社区", "999999")

	units := testUnits()
	known := map[string]model.AdminUnit{}
	for _, a := range all {
		known[a.Code] = a
	}
	f.Fuzz(func(t *testing.T, s, county string) {
		u, err := units.Resolve(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "unit "+strconv.Quote(s)+": ") {
				t.Errorf("Resolve(%q) error %q does not quote the name", s, err)
			}
		} else if known[u.Code] != u {
			t.Errorf("Resolve(%q) = %+v, not a unit given to NewUnits", s, u)
		}
		spaced, spacedErr := units.Resolve(" " + s + "\u3000")
		if spaced != u || (spacedErr == nil) != (err == nil) {
			t.Errorf("Resolve(%q) = %+v, %v but with spaces around %+v, %v", s, u, err, spaced, spacedErr)
		}
		if err == nil && u.CountyCode != "" {
			if in, err := units.ResolveUnder(s, u.CountyCode); err != nil || in != u {
				t.Errorf("Resolve(%q) = %s, but ResolveUnder(%q, %q) = %+v, %v", s, u.Code, s, u.CountyCode, in, err)
			}
		}

		in, err := units.ResolveUnder(s, county)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "unit "+strconv.Quote(s)+" in county "+strconv.Quote(county)+": ") {
				t.Errorf("ResolveUnder(%q, %q) error %q does not quote the name and the county", s, county, err)
			}
			return
		}
		if in.CountyCode != county || known[in.Code] != in {
			t.Errorf("ResolveUnder(%q, %q) = %+v, not a unit of the county", s, county, in)
		}
	})
}
