package sdk

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/normalize"
	"github.com/countyhub/countyhub/refdata"
)

// CheckUnit checks that a file is for the unit its import is for, where
// the file says which unit it is for: text is what the file holds at ref
// (a title, a cell of a county column, a sheet's name, a heading, a
// countyCode field) and unit is the code of the import's unit, in.Unit.
//
// text names a unit when it is a unit's code, name, name without its
// suffix or pinyin name ("340828", "岳西县", "岳西", "Yuexi"), the code of
// a town or community (nine or twelve digits, starting with its county's
// code), or a text holding units' full names ("岳西县小区党群服务站建设情况表";
// of "安庆市大观区…" the county counts). The units known are the shipped
// reference units (refdata).
//
// CheckUnit returns nil when text names the import's unit or a unit of
// its county, when it names no unit known, and when unit is empty.
// Otherwise it returns an error diagnostic at ref naming the unit found
// and the import's unit; the importer emits it and reads no further when
// text speaks for the whole file, or leaves out the row when it speaks
// for one row:
//
//	if d := sdk.CheckUnit(in.Unit, "指标!A1", "", title); d != nil {
//		return out.Diagnose(*d)
//	}
func CheckUnit(unit, ref, field, text string) *Diagnostic {
	unit = strings.TrimSpace(unit)
	if unit == "" {
		return nil
	}
	found := namedUnits(text, unit)
	if len(found) == 0 {
		return nil
	}
	for _, u := range found {
		if u.Code == unit || (u.CountyCode != "" && u.CountyCode == unit) {
			return nil
		}
	}
	u := found[0]
	run, known := referenceUnits().byCode[unit]
	what := "another county"
	switch {
	case u.Level == model.LevelProvince:
		what = "the province"
	case u.Level == model.LevelCity:
		what = "the city"
	case known && run.Level == model.LevelCity:
		what = "a county"
	}
	this := unit
	if known {
		this = fmt.Sprintf("%s (%s)", run.Name, run.Code)
	}
	d := Errorf(ref, field, "%q names %s (%s), %s: this import is for %s", strings.TrimSpace(text), u.Name, u.Code, what, this)
	return &d
}

// NamedUnit returns the unit text names, as CheckUnit reads it, for an
// importer looking for the place in the file that says which unit the
// file is for (the first paragraph naming one, say): of several units at
// the same level, the first by code.
func NamedUnit(text string) (model.AdminUnit, bool) {
	found := namedUnits(text, "")
	if len(found) == 0 {
		return model.AdminUnit{}, false
	}
	return found[0], true
}

// namedUnits returns the units text names, most specific first: the unit
// it is the code or a name of, or the county of the town or community
// code it is, or else the units whose full names it holds, at the lowest
// level among them. Only provinces and the units of near's province are
// looked for inside a longer text, and only by names of three characters
// or more: short names of far-away units ("城区", "郊区", "和县") are words
// of ordinary titles too.
func namedUnits(text, near string) []model.AdminUnit {
	ref := referenceUnits()
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	if u, err := ref.resolver.Resolve(text); err == nil {
		return []model.AdminUnit{u}
	}
	if next := refdata.Successors(text); len(next) > 0 {
		// A retired code names what took its place (340824 潜山县 is
		// 340882 潜山市 today).
		var found []model.AdminUnit
		for _, c := range next {
			if u, ok := ref.byCode[c.Code]; ok {
				found = append(found, u)
			}
		}
		return found
	}
	if county, ok := lowerUnitCounty(text); ok {
		if u, known := ref.byCode[county]; known {
			return []model.AdminUnit{u}
		}
		return nil
	}
	var found []model.AdminUnit
	province := ""
	if len(near) >= 2 {
		province = near[:2]
	}
	for _, u := range ref.units {
		if u.Name == "" || utf8.RuneCountInString(u.Name) < 3 || !strings.Contains(text, u.Name) {
			continue
		}
		if u.Level != model.LevelProvince && province != "" && !strings.HasPrefix(u.Code, province) {
			continue
		}
		switch {
		case len(found) == 0 || levelRank(u.Level) == levelRank(found[0].Level):
			found = append(found, u)
		case levelRank(u.Level) > levelRank(found[0].Level):
			found = []model.AdminUnit{u}
		}
	}
	return found
}

// lowerUnitCounty returns the county code of a town's (nine digits) or a
// community's (twelve digits) GB/T 2260 code.
func lowerUnitCounty(text string) (string, bool) {
	if len(text) != 9 && len(text) != 12 {
		return "", false
	}
	for _, r := range text {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return text[:6], true
}

// levelRank orders unit levels from the city down.
func levelRank(l model.UnitLevel) int {
	switch l {
	case model.LevelProvince:
		return 0
	case model.LevelCity:
		return 1
	case model.LevelCounty:
		return 2
	case model.LevelTown:
		return 3
	case model.LevelCommunity:
		return 4
	case model.LevelCompound:
		return 5
	}
	return -1
}

// units are the shipped reference units, resolved by code and name.
type units struct {
	units    []model.AdminUnit
	byCode   map[string]model.AdminUnit
	resolver *normalize.Units
}

// referenceUnits loads the shipped reference units once. They are
// embedded in the binary: units that do not read are a defect of the
// build, not of a file.
var referenceUnits = sync.OnceValue(func() *units {
	list, err := refdata.Units()
	if err != nil {
		panic(fmt.Sprintf("sdk: %v", err))
	}
	u := &units{units: list, byCode: make(map[string]model.AdminUnit, len(list)), resolver: normalize.NewUnits(list)}
	for _, a := range list {
		u.byCode[a.Code] = a
	}
	return u
})
