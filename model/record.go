package model

import "strconv"

// Record is a record an import run writes: a UnitRecord, Station, Space,
// Pilot, Budget or Observation. Validation makes them from what an importer
// sends; the store keeps each dataset's records of a run together.
type Record interface {
	// Dataset names the dataset the record belongs to, as the importer
	// protocol does: units, stations, spaces, pilots, budgets or
	// observations.
	Dataset() string
	// NaturalKey is the record's key within its unit and dataset, the
	// same across imports.
	NaturalKey() string
	// Origin is where the record came from.
	Origin() Provenance
	// Facet is the value the record's connection filters on (a station's
	// status, a space's kind, a pilot's phase, a budget line's year), or
	// empty for a dataset without one. Runs and releases count their
	// records by it.
	Facet() string
}

// Dataset is "units".
func (u UnitRecord) Dataset() string { return "units" }

// NaturalKey is the unit's code.
func (u UnitRecord) NaturalKey() string { return u.Key }

// Origin is the record's provenance.
func (u UnitRecord) Origin() Provenance { return u.Provenance }

// Facet is empty: units have none.
func (u UnitRecord) Facet() string { return "" }

// Dataset is "stations".
func (s Station) Dataset() string { return "stations" }

// NaturalKey is the station's key.
func (s Station) NaturalKey() string { return s.Key }

// Origin is the station's provenance.
func (s Station) Origin() Provenance { return s.Provenance }

// Facet is the station's status.
func (s Station) Facet() string { return string(s.Status) }

// Dataset is "spaces".
func (s Space) Dataset() string { return "spaces" }

// NaturalKey is the space's key.
func (s Space) NaturalKey() string { return s.Key }

// Origin is the space's provenance.
func (s Space) Origin() Provenance { return s.Provenance }

// Facet is the space's kind.
func (s Space) Facet() string { return string(s.Kind) }

// Dataset is "pilots".
func (p Pilot) Dataset() string { return "pilots" }

// NaturalKey is the pilot's key.
func (p Pilot) NaturalKey() string { return p.Key }

// Origin is the pilot's provenance.
func (p Pilot) Origin() Provenance { return p.Provenance }

// Facet is the pilot's phase.
func (p Pilot) Facet() string { return string(p.Phase) }

// Dataset is "budgets".
func (b Budget) Dataset() string { return "budgets" }

// NaturalKey is the budget line's key.
func (b Budget) NaturalKey() string { return b.Key }

// Origin is the budget line's provenance.
func (b Budget) Origin() Provenance { return b.Provenance }

// Facet is the budget line's year.
func (b Budget) Facet() string { return strconv.Itoa(b.Year) }

// Dataset is "observations".
func (o Observation) Dataset() string { return "observations" }

// NaturalKey is the observation's key: metric|unit|period.
func (o Observation) NaturalKey() string { return o.Key }

// Origin is the observation's provenance.
func (o Observation) Origin() Provenance { return o.Provenance }

// Facet is empty: observations have none.
func (o Observation) Facet() string { return "" }
