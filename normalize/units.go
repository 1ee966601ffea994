package normalize

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/countyhub/countyhub/model"
)

// adminSuffixes are the administrative suffixes a short name leaves off,
// longest first so that 社区 and 小区 win over 区.
var adminSuffixes = []string{"街道", "社区", "小区", "区", "县", "市", "镇", "乡", "村"}

// Units resolves the ways reports name administrative units to the units
// themselves. It does not change after NewUnits, so it is safe for
// concurrent use.
type Units struct {
	units   []model.AdminUnit
	byCode  map[string]int
	byName  map[string][]int // full Chinese name
	byShort map[string][]int // Chinese name without its suffix
	byLatin map[string][]int // English or pinyin name, see latinKey
}

// NewUnits returns a resolver for units. A unit without a code is left
// out, and so is a unit whose code an earlier unit has.
func NewUnits(units []model.AdminUnit) *Units {
	u := &Units{
		byCode:  make(map[string]int),
		byName:  make(map[string][]int),
		byShort: make(map[string][]int),
		byLatin: make(map[string][]int),
	}
	for _, a := range units {
		if _, dup := u.byCode[a.Code]; dup || a.Code == "" {
			continue
		}
		i := len(u.units)
		u.units = append(u.units, a)
		u.byCode[a.Code] = i
		if a.Name != "" {
			u.byName[a.Name] = append(u.byName[a.Name], i)
		}
		if short := shortName(a.Name); short != "" {
			u.byShort[short] = append(u.byShort[short], i)
		}
		if key := latinKey(a.NameEn); key != "" {
			u.byLatin[key] = append(u.byLatin[key], i)
		}
	}
	return u
}

// Resolve returns the unit s names: its code ("340803"), its Chinese name
// ("大观区"), its Chinese name without the administrative suffix ("大观")
// when no other unit has that short name, or its English or pinyin name
// in any case and with any spaces and hyphens ("Daguan", "DAGUAN",
// "da-guan"). Surrounding whitespace is ignored, and full-width digits and
// letters read as ASCII.
//
// They are tried in that order and the first that matches wins, so a full
// name beats another unit's short name. A name that two units share is an
// error listing their codes; so is a name no unit has.
func (u *Units) Resolve(s string) (model.AdminUnit, error) {
	a, err := u.resolve(s, func(model.AdminUnit) bool { return true })
	if err != nil {
		return model.AdminUnit{}, fmt.Errorf("unit %q: %w", s, err)
	}
	return a, nil
}

// ResolveUnder resolves s as Resolve does, but only among the units whose
// CountyCode is county, for the names of communities and compounds that
// repeat across counties. The county itself is among them; the city is
// not. An empty county, or one no unit belongs to, is an error.
func (u *Units) ResolveUnder(s, county string) (model.AdminUnit, error) {
	if county == "" {
		return model.AdminUnit{}, fmt.Errorf("unit %q in county %q: no county given", s, county)
	}
	in := func(a model.AdminUnit) bool { return a.CountyCode == county }
	if !slices.ContainsFunc(u.units, in) {
		return model.AdminUnit{}, fmt.Errorf("unit %q in county %q: no units in county", s, county)
	}
	a, err := u.resolve(s, in)
	if err != nil {
		return model.AdminUnit{}, fmt.Errorf("unit %q in county %q: %w", s, county, err)
	}
	return a, nil
}

func (u *Units) resolve(s string, in func(model.AdminUnit) bool) (model.AdminUnit, error) {
	name := strings.TrimSpace(s)
	if name == "" {
		return model.AdminUnit{}, errors.New("empty")
	}
	if i, ok := u.byCode[foldString(name)]; ok && in(u.units[i]) {
		return u.units[i], nil
	}
	for _, found := range [][]int{u.byName[name], u.byShort[name], u.byLatin[latinKey(name)]} {
		var codes []string
		var match model.AdminUnit
		for _, i := range found {
			if in(u.units[i]) {
				match = u.units[i]
				codes = append(codes, match.Code)
			}
		}
		switch len(codes) {
		case 0:
			continue
		case 1:
			return match, nil
		default:
			slices.Sort(codes)
			return model.AdminUnit{}, fmt.Errorf("ambiguous, candidates %s", strings.Join(codes, ", "))
		}
	}
	return model.AdminUnit{}, errors.New("unknown")
}

// shortName returns name without its administrative suffix, or "" when
// name has none or the rest would be a single character (矿区 is not 矿).
func shortName(name string) string {
	for _, suffix := range adminSuffixes {
		if rest, ok := strings.CutSuffix(name, suffix); ok {
			if utf8.RuneCountInString(rest) < 2 {
				return ""
			}
			return rest
		}
	}
	return ""
}

// latinKey folds an English or pinyin name for comparison: full-width
// letters read as ASCII, lower case, without spaces and hyphens.
func latinKey(name string) string {
	var b strings.Builder
	for _, r := range name {
		r = fold(r)
		if r == '-' || unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
