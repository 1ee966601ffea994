package model

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
}

// Dataset is "units".
func (u UnitRecord) Dataset() string { return "units" }

// NaturalKey is the unit's code.
func (u UnitRecord) NaturalKey() string { return u.Key }

// Origin is the record's provenance.
func (u UnitRecord) Origin() Provenance { return u.Provenance }

// Dataset is "stations".
func (s Station) Dataset() string { return "stations" }

// NaturalKey is the station's key.
func (s Station) NaturalKey() string { return s.Key }

// Origin is the station's provenance.
func (s Station) Origin() Provenance { return s.Provenance }

// Dataset is "spaces".
func (s Space) Dataset() string { return "spaces" }

// NaturalKey is the space's key.
func (s Space) NaturalKey() string { return s.Key }

// Origin is the space's provenance.
func (s Space) Origin() Provenance { return s.Provenance }

// Dataset is "pilots".
func (p Pilot) Dataset() string { return "pilots" }

// NaturalKey is the pilot's key.
func (p Pilot) NaturalKey() string { return p.Key }

// Origin is the pilot's provenance.
func (p Pilot) Origin() Provenance { return p.Provenance }

// Dataset is "budgets".
func (b Budget) Dataset() string { return "budgets" }

// NaturalKey is the budget line's key.
func (b Budget) NaturalKey() string { return b.Key }

// Origin is the budget line's provenance.
func (b Budget) Origin() Provenance { return b.Provenance }

// Dataset is "observations".
func (o Observation) Dataset() string { return "observations" }

// NaturalKey is the observation's key: metric|unit|period.
func (o Observation) NaturalKey() string { return o.Key }

// Origin is the observation's provenance.
func (o Observation) Origin() Provenance { return o.Provenance }
