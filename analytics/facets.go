package analytics

import (
	"fmt"
	"sort"
	"time"

	"github.com/countyhub/countyhub/model"
)

// Entities are the released entity records facets are computed from,
// with the rollups and units that metric coverage is counted from.
type Entities struct {
	Stations []model.Station
	Budgets  []model.Budget
	Pilots   []model.Pilot
	Rollups  []model.Rollup
	Units    []model.AdminUnit
}

// FacetsOf computes the facets of the released entity records.
func FacetsOf(e Entities, now time.Time) (model.Facets, error) {
	f := model.Facets{ID: model.FacetsID, Computed: now, Stations: []model.StationFacet{}, Budgets: []model.BudgetFacet{}, Pilots: []model.PilotFacet{},
		Coverage: CoverageOf(e.Rollups, e.Units)}

	stations := map[string]*model.StationFacet{}
	facilities := map[string]map[string]*model.FacilityCount{}
	for _, s := range e.Stations {
		sf := stations[s.CountyCode]
		if sf == nil {
			sf = &model.StationFacet{County: s.CountyCode, ByStatus: map[string]int{}}
			stations[s.CountyCode] = sf
			facilities[s.CountyCode] = map[string]*model.FacilityCount{}
		}
		sf.Stations++
		sf.ByStatus[string(s.Status)]++
		if s.MeetsStandard != nil && *s.MeetsStandard {
			sf.MeetStandard++
		}
		for _, fa := range s.Facilities {
			key := fa.Code
			if key == "" {
				key = "name:" + fa.Name
			}
			fc := facilities[s.CountyCode][key]
			if fc == nil {
				fc = &model.FacilityCount{Code: fa.Code, Name: fa.Name}
				facilities[s.CountyCode][key] = fc
			}
			fc.Stations++
		}
	}
	for county, sf := range stations {
		for _, fc := range facilities[county] {
			sf.Facilities = append(sf.Facilities, *fc)
		}
		sort.Slice(sf.Facilities, func(i, j int) bool {
			return sf.Facilities[i].Code+sf.Facilities[i].Name < sf.Facilities[j].Code+sf.Facilities[j].Name
		})
		f.Stations = append(f.Stations, *sf)
	}

	type budgetKey struct {
		county          string
		year            int
		purpose, source string
	}
	budgets := map[budgetKey][]model.Budget{}
	for _, b := range e.Budgets {
		k := budgetKey{b.CountyCode, b.Year, b.Purpose, b.Source}
		budgets[k] = append(budgets[k], b)
	}
	for k, lines := range budgets {
		var qs []model.Quantity
		recurring := true
		for _, l := range lines {
			qs = append(qs, l.Amount)
			recurring = recurring && l.Recurring
		}
		sum, err := Sum(qs...)
		if err != nil {
			return f, fmt.Errorf("budgets of %s, %d, %s: %w", k.county, k.year, k.purpose, err)
		}
		if len(lines) == 1 {
			sum.Text = lines[0].Amount.Text
		}
		f.Budgets = append(f.Budgets, model.BudgetFacet{County: k.county, Year: k.year, Purpose: k.purpose, Source: k.source, Amount: sum, Lines: len(lines), Recurring: recurring})
	}
	type pilotKey struct {
		county string
		phase  model.PilotPhase
	}
	pilots := map[pilotKey]*model.PilotFacet{}
	converted := map[pilotKey][2]int{} // paying, households of pilots reporting both
	add := func(to **int, v *int) {
		if v == nil {
			return
		}
		if *to == nil {
			*to = new(int)
		}
		**to += *v
	}
	for _, p := range e.Pilots {
		k := pilotKey{p.CountyCode, p.Phase}
		pf := pilots[k]
		if pf == nil {
			pf = &model.PilotFacet{County: p.CountyCode, Phase: p.Phase}
			pilots[k] = pf
		}
		pf.Pilots++
		add(&pf.Compounds, p.Compounds)
		add(&pf.Households, p.Households)
		add(&pf.PayingHouseholds, p.PayingHouseholds)
		if p.Households != nil && p.PayingHouseholds != nil && *p.Households > 0 {
			c := converted[k]
			converted[k] = [2]int{c[0] + *p.PayingHouseholds, c[1] + *p.Households}
		}
	}
	for k, pf := range pilots {
		if c, ok := converted[k]; ok {
			v := float64(c[0]) / float64(c[1])
			pf.Conversion = &v
		}
		f.Pilots = append(f.Pilots, *pf)
	}
	sortFacets(&f)
	return f, nil
}

// sortFacets orders facets by county, then by year, purpose and source
// or by phase.
func sortFacets(f *model.Facets) {
	sort.Slice(f.Stations, func(i, j int) bool { return f.Stations[i].County < f.Stations[j].County })
	sort.Slice(f.Budgets, func(i, j int) bool {
		a, b := f.Budgets[i], f.Budgets[j]
		if a.County != b.County {
			return a.County < b.County
		}
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		return a.Purpose+a.Source < b.Purpose+b.Source
	})
	sort.Slice(f.Pilots, func(i, j int) bool {
		return f.Pilots[i].County+string(f.Pilots[i].Phase) < f.Pilots[j].County+string(f.Pilots[j].Phase)
	})
}
