package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/normalize"
	"github.com/countyhub/countyhub/plugins/records"
)

// unitRecord adds a lower unit named by the importer.
func (v *validator) unitRecord(u *records.Unit, prov model.Provenance) (model.Record, *problem) {
	if err := v.needCounty("units"); err != nil {
		return nil, err
	}
	if err := required("name", u.Name); err != nil {
		return nil, err
	}
	if !oneOf(u.Level, model.LevelTown, model.LevelCommunity, model.LevelCompound) {
		return nil, fail("level", "level %q is not TOWN, COMMUNITY or COMPOUND", u.Level)
	}
	parent := v.county
	if strings.TrimSpace(u.Parent) != "" {
		p, err := v.units.ResolveUnder(u.Parent, v.county)
		if err != nil {
			return nil, fail("parent", "parent %q is not a unit of %s (%s): emit its unit record first", u.Parent, v.unit.Name, v.county)
		}
		parent = p.Code
	}
	code := strings.TrimSpace(u.Code)
	nameEn := u.NameEn
	if code == "" {
		if same, ok := v.sameUnit(u.Name, u.Level, parent); ok {
			// A town the reference data ship keeps its official code.
			code = same.Code
			if nameEn == "" {
				nameEn = same.NameEn
			}
		} else {
			code = derivedCode(v.county, parent, u.Name)
		}
	}
	if existing, err := v.units.Resolve(code); err == nil && existing.CountyCode != v.county {
		return nil, fail("code", "unit %s belongs to %s, not to %s", code, existing.CountyCode, v.county)
	}
	if err := v.unique(records.Units, code, prov.Reference); err != nil {
		return nil, err
	}
	a := model.AdminUnit{Code: code, Name: u.Name, NameEn: nameEn, Level: u.Level, ParentCode: parent, CountyCode: v.county}
	v.learn(a)
	return model.UnitRecord{ID: v.id(code), Key: code, Code: code, Name: a.Name, NameEn: a.NameEn, Level: a.Level,
		ParentCode: parent, CountyCode: v.county, Provenance: prov}, nil
}

// lowerUnit resolves the unit a record names (a code or name of a unit of
// the run's county) to its code; empty means the run's own unit, and a name
// never seen makes a new community of the county.
func (v *validator) lowerUnit(name string) (string, *problem) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil
	}
	if v.county == "" {
		if u, err := v.units.Resolve(name); err == nil && u.Code == v.unit.Code {
			return "", nil
		}
		return "", fail("unit", "unit %q: a run for %s may only have records about %s itself", name, v.unit.Name, v.unit.Name)
	}
	if u, err := v.units.ResolveUnder(name, v.county); err == nil {
		if u.Code == v.county {
			return "", nil
		}
		return u.Code, nil
	}
	if other, err := v.units.Resolve(name); err == nil {
		return "", fail("unit", "unit %q is %s of another county (%s); this run is for %s (%s)", name, other.Code, other.CountyCode, v.unit.Name, v.county)
	}
	if !isName(name) {
		return "", fail("unit", "unit %q is not a unit of %s: give a name or a known code", name, v.unit.Name)
	}
	a := model.AdminUnit{Code: derivedCode(v.county, v.county, name), Name: name, Level: model.LevelCommunity, ParentCode: v.county, CountyCode: v.county}
	v.learn(a)
	return a.Code, nil
}

// sameUnit finds the unit of the run's county that a unit record without a
// code names: one of the same name, level and parent, such as a town of
// the reference data.
func (v *validator) sameUnit(name string, level model.UnitLevel, parent string) (model.AdminUnit, bool) {
	a, err := v.units.ResolveUnder(name, v.county)
	if err != nil || a.Name != strings.TrimSpace(name) || a.Level != level || a.ParentCode != parent {
		return model.AdminUnit{}, false
	}
	return a, true
}

func (v *validator) learn(a model.AdminUnit) {
	v.created[a.Code] = a
	v.known = append(v.known, a)
	v.units = normalize.NewUnits(v.known)
}

func (v *validator) unitByCode(code string) model.AdminUnit {
	u, _ := v.units.Resolve(code)
	return u
}

// newUnits are the units the run created without unit records.
func (v *validator) newUnits() []model.AdminUnit {
	out := make([]model.AdminUnit, 0, len(v.created))
	for _, u := range v.created {
		out = append(out, u)
	}
	return out
}

// derivedCode gives a unit without an official code a stable one: the
// county's code and a hash of the unit's place and name.
func derivedCode(county, parent, name string) string {
	sum := sha256.Sum256([]byte(parent + "/" + strings.TrimSpace(name)))
	return county + "-" + hex.EncodeToString(sum[:5])
}

func isName(s string) bool {
	for _, r := range s {
		if r > 0x2E80 { // CJK
			return true
		}
	}
	return false
}

// recorded tells whether the run has a unit record for the code.
func (v *validator) recorded(code string) bool {
	_, ok := v.seen[records.Units+"/"+code]
	return ok
}
