package model

import "time"

// Facets summarizes the released entity records (stations, budgets,
// pilots) by county and facet, computed with the rollups so that entity
// analytics read one document instead of the records.
type Facets struct {
	ID       string         `bson:"_id" json:"id"`
	Stations []StationFacet `bson:"stations" json:"stations"`
	Budgets  []BudgetFacet  `bson:"budgets" json:"budgets"`
	Pilots   []PilotFacet   `bson:"pilots" json:"pilots"`
	// Coverage tells, for each metric, the periods with released figures
	// and how many units report each.
	Coverage []MetricCoverage `bson:"coverage" json:"coverage"`
	Computed time.Time        `bson:"computed" json:"computed"`
}

// FacetsID is the id of the facets document.
const FacetsID = "entities"

// StationFacet counts a county's stations by status and by facility.
type StationFacet struct {
	County     string          `bson:"county" json:"county"`
	Stations   int             `bson:"stations" json:"stations"`
	ByStatus   map[string]int  `bson:"byStatus" json:"byStatus"`
	Facilities []FacilityCount `bson:"facilities" json:"facilities"`
	// MeetStandard counts the stations reported to meet their county's
	// standard.
	MeetStandard int `bson:"meetStandard" json:"meetStandard"`
}

// FacilityCount is how many stations offer a facility.
type FacilityCount struct {
	Code     string `bson:"code" json:"code"`
	Name     string `bson:"name" json:"name"`
	Stations int    `bson:"stations" json:"stations"`
}

// BudgetFacet totals a county's budget lines of one year, purpose and
// source, qualifiers carried.
type BudgetFacet struct {
	County    string   `bson:"county" json:"county"`
	Year      int      `bson:"year" json:"year"`
	Purpose   string   `bson:"purpose" json:"purpose"`
	Source    string   `bson:"source,omitempty" json:"source,omitempty"`
	Amount    Quantity `bson:"amount" json:"amount"`
	Lines     int      `bson:"lines" json:"lines"`
	Recurring bool     `bson:"recurring" json:"recurring"`
}

// PilotFacet counts a county's pilots in one phase, with the households
// they reach and those that went on to pay, over the pilots that report
// them.
type PilotFacet struct {
	County           string     `bson:"county" json:"county"`
	Phase            PilotPhase `bson:"phase" json:"phase"`
	Pilots           int        `bson:"pilots" json:"pilots"`
	Compounds        *int       `bson:"compounds,omitempty" json:"compounds,omitempty"`
	Households       *int       `bson:"households,omitempty" json:"households,omitempty"`
	PayingHouseholds *int       `bson:"payingHouseholds,omitempty" json:"payingHouseholds,omitempty"`
	// Conversion is the share of households that went on to pay, over the
	// pilots that report both numbers; nil when none does.
	Conversion *float64 `bson:"conversion,omitempty" json:"conversion,omitempty"`
}

// MetricCoverage is how widely a metric is reported in one period.
type MetricCoverage struct {
	Metric string `bson:"metric" json:"metric"`
	Period string `bson:"period" json:"period"`
	// Counties counts the counties with a figure of their own or, for a
	// metric that adds up, figures of their lower units.
	Counties int `bson:"counties" json:"counties"`
	// Units counts the units with a figure of their own, at any level.
	Units int `bson:"units" json:"units"`
}
