// Package model holds countyhub's normalized data model: administrative
// units, the metric catalog, the entity datasets (stations, spaces, pilots,
// budgets), observations and the quantities and provenance they carry.
//
// The same types are stored in MongoDB (their bson tags are the document
// shape) and served through GraphQL (gqlgen binds to them), so a figure
// keeps its value, qualifier, unit and original wording all the way through.
package model

import "strings"

// UnitLevel is the level of an administrative unit.
type UnitLevel string

// Administrative levels, from the province down to a residential compound.
const (
	LevelProvince  UnitLevel = "PROVINCE"
	LevelCity      UnitLevel = "CITY"
	LevelCounty    UnitLevel = "COUNTY"
	LevelTown      UnitLevel = "TOWN"
	LevelCommunity UnitLevel = "COMMUNITY"
	LevelCompound  UnitLevel = "COMPOUND"
)

// AdminUnit is an administrative unit identified by its GB/T 2260 code (or,
// below the county, by a code derived from its county's).
type AdminUnit struct {
	Code   string    `bson:"_id" json:"code"`
	Name   string    `bson:"name" json:"name"`
	NameEn string    `bson:"nameEn" json:"nameEn"`
	Level  UnitLevel `bson:"level" json:"level"`
	// ParentCode is the code of the enclosing unit; empty for the top.
	ParentCode string `bson:"parent,omitempty" json:"parent,omitempty"`
	// CountyCode is the county-level unit this unit belongs to; a county
	// belongs to itself, and so does a city without counties (东莞), while
	// other cities and provinces belong to none.
	CountyCode string `bson:"county,omitempty" json:"county,omitempty"`
}

// Aggregation says how values of a metric for several units combine.
type Aggregation string

// Aggregations of the metric catalog.
const (
	// AggregateSum means values of sub-units add up to the larger unit's.
	AggregateSum Aggregation = "SUM"
	// AggregateNone means values describe one unit and do not add up
	// (rates, a unit's own plan).
	AggregateNone Aggregation = "NONE"
)

// Metric is an entry of the metric catalog.
type Metric struct {
	Code        string      `bson:"_id" json:"code"`
	Name        string      `bson:"name" json:"name"`
	NameEn      string      `bson:"nameEn" json:"nameEn"`
	Unit        string      `bson:"unit" json:"unit"`
	Aggregation Aggregation `bson:"aggregation" json:"aggregation"`
	Description string      `bson:"description" json:"description"`
}

// Qualifier says how a reported number relates to the true figure.
type Qualifier string

// Qualifiers of reported numbers.
const (
	Exact       Qualifier = "EXACT"
	AtLeast     Qualifier = "AT_LEAST"
	AtMost      Qualifier = "AT_MOST"
	Approximate Qualifier = "APPROXIMATE"
)

// Measurement units of quantities.
const (
	UnitCount   = "COUNT"
	UnitCNY     = "CNY"
	UnitPercent = "PERCENT"
)

// Quantity is a reported number with its qualifier, its unit, and the
// original wording it was read from ("6万余元" is 60000 CNY, AT_LEAST).
type Quantity struct {
	Value     float64   `bson:"value" json:"value"`
	Qualifier Qualifier `bson:"qualifier" json:"qualifier"`
	Unit      string    `bson:"unit" json:"unit"`
	Text      string    `bson:"text,omitempty" json:"text,omitempty"`
}

// Provenance says where a record came from.
type Provenance struct {
	RunID           string `bson:"run" json:"run"`
	Importer        string `bson:"importer" json:"importer"`
	ImporterVersion string `bson:"importerVersion" json:"importerVersion"`
	FileName        string `bson:"fileName" json:"fileName"`
	FileSHA256      string `bson:"fileSha256" json:"fileSha256"`
	// Reference locates the record in the source file: "line 12",
	// "Sheet1!C7", "table 2 row 4".
	Reference string `bson:"reference" json:"reference"`
}

// StationStatus is the state of a party-mass service station.
type StationStatus string

// Station states.
const (
	StationPlanned   StationStatus = "PLANNED"
	StationOperating StationStatus = "OPERATING"
	StationUpgrading StationStatus = "UPGRADING"
	StationClosed    StationStatus = "CLOSED"
)

// Facility is a room or service a station offers.
type Facility struct {
	Code string `bson:"code" json:"code"`
	Name string `bson:"name" json:"name"`
}

// Station is a party-mass service station (党群服务站) of a community or
// compound.
type Station struct {
	ID string `bson:"_id" json:"id"`
	// Key is the record's natural key within its unit and dataset, the
	// same across imports; ID is unique to the import run.
	Key string `bson:"key" json:"key"`
	// CountyCode is the county the station belongs to.
	CountyCode string `bson:"county" json:"county"`
	// UnitCode is the lowest known unit the station serves (a community or
	// compound); empty when only the county is known.
	UnitCode   string        `bson:"unit,omitempty" json:"unit,omitempty"`
	Name       string        `bson:"name" json:"name"`
	Address    string        `bson:"address,omitempty" json:"address,omitempty"`
	Status     StationStatus `bson:"status" json:"status"`
	Facilities []Facility    `bson:"facilities" json:"facilities"`
	// MeetsStandard tells whether the station meets its county's
	// construction standard (Yuexi's "six haves", for example); nil when
	// not reported.
	MeetsStandard *bool `bson:"meetsStandard,omitempty" json:"meetsStandard,omitempty"`
	// Opened is the opening date as reported (ISO 8601, possibly only a
	// year or a month).
	Opened     string     `bson:"opened,omitempty" json:"opened,omitempty"`
	Provenance Provenance `bson:"provenance" json:"provenance"`
}

// SpaceKind is the kind of a shared community space.
type SpaceKind string

// Kinds of shared spaces.
const (
	SpaceShared       SpaceKind = "SHARED_SPACE"
	SpaceDeliberation SpaceKind = "DELIBERATION_POINT"
	SpaceActivity     SpaceKind = "ACTIVITY_VENUE"
)

// Space is a shared community space or a deliberation point.
type Space struct {
	ID string `bson:"_id" json:"id"`
	// Key is the record's natural key within its unit and dataset, the
	// same across imports; ID is unique to the import run.
	Key        string     `bson:"key" json:"key"`
	CountyCode string     `bson:"county" json:"county"`
	UnitCode   string     `bson:"unit,omitempty" json:"unit,omitempty"`
	Name       string     `bson:"name" json:"name"`
	Kind       SpaceKind  `bson:"kind" json:"kind"`
	Brand      string     `bson:"brand,omitempty" json:"brand,omitempty"`
	Provenance Provenance `bson:"provenance" json:"provenance"`
}

// PilotPhase is the phase of a state-owned fallback-service pilot.
type PilotPhase string

// Pilot phases: residents try the service, then buy it, or it ends.
const (
	PilotTrial    PilotPhase = "TRIAL"
	PilotPurchase PilotPhase = "PURCHASE"
	PilotEnded    PilotPhase = "ENDED"
)

// Pilot is a state-owned fallback property-service pilot ("国企兜底、先尝后买").
type Pilot struct {
	ID string `bson:"_id" json:"id"`
	// Key is the record's natural key within its unit and dataset, the
	// same across imports; ID is unique to the import run.
	Key        string     `bson:"key" json:"key"`
	CountyCode string     `bson:"county" json:"county"`
	UnitCode   string     `bson:"unit,omitempty" json:"unit,omitempty"`
	Name       string     `bson:"name" json:"name"`
	Operator   string     `bson:"operator" json:"operator"`
	Phase      PilotPhase `bson:"phase" json:"phase"`
	Compounds  *int       `bson:"compounds,omitempty" json:"compounds,omitempty"`
	Households *int       `bson:"households,omitempty" json:"households,omitempty"`
	// PayingHouseholds counts households that went on to pay for the
	// service.
	PayingHouseholds *int       `bson:"payingHouseholds,omitempty" json:"payingHouseholds,omitempty"`
	Started          string     `bson:"started,omitempty" json:"started,omitempty"`
	Provenance       Provenance `bson:"provenance" json:"provenance"`
}

// BudgetStatus is the state of a budget line.
type BudgetStatus string

// Budget line states.
const (
	BudgetPlanned   BudgetStatus = "PLANNED"
	BudgetAllocated BudgetStatus = "ALLOCATED"
	BudgetDisbursed BudgetStatus = "DISBURSED"
)

// Budget is a budget line of a county.
type Budget struct {
	ID string `bson:"_id" json:"id"`
	// Key is the record's natural key within its unit and dataset, the
	// same across imports; ID is unique to the import run.
	Key        string `bson:"key" json:"key"`
	CountyCode string `bson:"county" json:"county"`
	// Year is the budget year, or the first year of a multi-year total.
	Year    int          `bson:"year" json:"year"`
	Purpose string       `bson:"purpose" json:"purpose"`
	Source  string       `bson:"source,omitempty" json:"source,omitempty"`
	Amount  Quantity     `bson:"amount" json:"amount"`
	Status  BudgetStatus `bson:"status" json:"status"`
	// Recurring marks an amount granted every year.
	Recurring  bool       `bson:"recurring" json:"recurring"`
	Provenance Provenance `bson:"provenance" json:"provenance"`
}

// Observation is the value of a catalog metric for a unit and a period.
type Observation struct {
	ID string `bson:"_id" json:"id"`
	// Key is the record's natural key within its unit and dataset, the
	// same across imports; ID is unique to the import run.
	Key        string `bson:"key" json:"key"`
	MetricCode string `bson:"metric" json:"metric"`
	// UnitCode is the unit the figure is about: the city, a county, or a
	// lower unit such as a community.
	UnitCode string `bson:"unit" json:"unit"`
	// CountyCode is the county the unit belongs to; empty for a city-wide
	// figure.
	CountyCode string `bson:"county,omitempty" json:"county,omitempty"`
	// Period is the reporting period: "2023", "2023-H1", "2023-08".
	Period string `bson:"period" json:"period"`
	// AsOf is the date the figure was reported as of (YYYY-MM-DD).
	AsOf       string     `bson:"asOf,omitempty" json:"asOf,omitempty"`
	Value      Quantity   `bson:"value" json:"value"`
	Provenance Provenance `bson:"provenance" json:"provenance"`
}

// CodePrefix is what the codes of the units within a unit start with, by
// the structure of GB/T 2260 codes: a province's first two digits
// (340000: "34"), a city's first four (340800: "3408"), and any other
// unit's whole code (a county's six digits, a town's nine; the codes the
// hub derives for lower units start with their county's).
func CodePrefix(code string) string {
	if len(code) != 6 {
		return code
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return code
		}
	}
	switch {
	case code[2:] == "0000":
		return code[:2]
	case code[4:] == "00":
		return code[:4]
	}
	return code
}

// Within tells whether the unit with code is the unit scope or lies
// within it, by their codes (see CodePrefix).
func Within(code, scope string) bool {
	return strings.HasPrefix(code, CodePrefix(scope))
}

// IsCountyLevel tells whether imports run for the unit as for a county:
// a county-level unit, or a city without counties (东莞), which is its
// own county.
func (u AdminUnit) IsCountyLevel() bool {
	return u.Level == LevelCounty || (u.CountyCode != "" && u.CountyCode == u.Code)
}
