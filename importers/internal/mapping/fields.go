package mapping

import (
	"strings"

	"github.com/countyhub/countyhub/plugins/records"
)

// kind is how a field's cell text is read.
type kind int

const (
	textKind   kind = iota // text as it stands
	dateKind               // a date, normalized to ISO 8601
	yearKind               // a year
	countKind              // a whole number such as 120 or 120户
	figureKind             // a reported figure, kept with its qualifier and text
	flagKind               // yes or no
	listKind               // a list of facilities
	enumKind               // one of a few words
	placeKind              // the name of a town, community or compound
	unitKind               // a unit by name or code, which must be of the import's county
)

// field is a record field a column or a constant can fill.
type field struct {
	// name is the record's JSON field name, as diagnostics give it.
	name string
	// alias is the snake_case spelling a mapping may use instead.
	alias string
	kind  kind
	// words are the accepted cell texts of an enum field, folded.
	words map[string]string
	// required fields must come from a column or a constant.
	required bool
}

// Place fields name the unit of a record by its town, community and
// compound; the importer emits unit records for them.
var placeFields = []field{
	{name: "town", kind: placeKind},
	{name: "community", kind: placeKind},
	{name: "compound", kind: placeKind},
}

// countyField is the county (or the city) a row is for, by name or code,
// in every dataset: a row for another unit than the import's is refused.
// It is checked, and makes no part of the record.
var countyField = field{name: "county", kind: unitKind}

// datasetFields are the fields of each dataset's records, in the order of
// the record types in plugins/records.
var datasetFields = map[string][]field{
	records.Units: {
		{name: "code", kind: unitKind},
		{name: "name", kind: textKind, required: true},
		{name: "nameEn", alias: "name_en", kind: textKind},
		{name: "level", kind: enumKind, words: unitLevels, required: true},
		{name: "parent", kind: unitKind},
		countyField,
	},
	records.Stations: withPlaces(
		field{name: "key", kind: textKind, required: true},
		field{name: "name", kind: textKind, required: true},
		field{name: "unit", kind: unitKind},
		field{name: "address", kind: textKind},
		field{name: "status", kind: enumKind, words: stationStatuses},
		field{name: "facilities", kind: listKind},
		field{name: "meetsStandard", alias: "meets_standard", kind: flagKind},
		field{name: "opened", kind: dateKind},
	),
	records.Spaces: withPlaces(
		field{name: "key", kind: textKind, required: true},
		field{name: "name", kind: textKind, required: true},
		field{name: "unit", kind: unitKind},
		field{name: "kind", kind: enumKind, words: spaceKinds, required: true},
		field{name: "brand", kind: textKind},
	),
	records.Pilots: withPlaces(
		field{name: "key", kind: textKind, required: true},
		field{name: "name", kind: textKind, required: true},
		field{name: "unit", kind: unitKind},
		field{name: "operator", kind: textKind, required: true},
		field{name: "phase", kind: enumKind, words: pilotPhases, required: true},
		field{name: "compounds", kind: countKind},
		field{name: "households", kind: countKind},
		field{name: "payingHouseholds", alias: "paying_households", kind: countKind},
		field{name: "started", kind: dateKind},
	),
	records.Budgets: {
		{name: "key", kind: textKind, required: true},
		{name: "year", kind: yearKind, required: true},
		{name: "purpose", kind: textKind, required: true},
		{name: "source", kind: textKind},
		{name: "amount", kind: figureKind, required: true},
		{name: "status", kind: enumKind, words: budgetStatuses},
		{name: "recurring", kind: flagKind},
		countyField,
	},
	records.Observations: withPlaces(
		field{name: "metric", kind: textKind, required: true},
		field{name: "unit", kind: unitKind},
		field{name: "period", kind: dateKind, required: true},
		field{name: "asOf", alias: "as_of", kind: dateKind},
		field{name: "value", kind: figureKind, required: true},
	),
}

func withPlaces(fields ...field) []field { return append(append(fields, placeFields...), countyField) }

// lookupField finds a field of a dataset by its JSON name or its alias.
func lookupField(dataset, name string) (*field, bool) {
	fields := datasetFields[dataset]
	for i := range fields {
		if fields[i].name == name || (fields[i].alias != "" && fields[i].alias == name) {
			return &fields[i], true
		}
	}
	return nil, false
}

// fieldNames lists the fields of a dataset for messages.
func fieldNames(dataset string) string {
	var names []string
	for _, f := range datasetFields[dataset] {
		names = append(names, f.name)
	}
	return strings.Join(names, ", ")
}

// mainField is the field whose cell a record's reference names: the figure
// of an observation or a budget, otherwise the key or the name.
func mainField(dataset string) []string {
	switch dataset {
	case records.Observations:
		return []string{"value"}
	case records.Budgets:
		return []string{"amount", "key"}
	case records.Units:
		return []string{"name"}
	}
	return []string{"key", "name"}
}
