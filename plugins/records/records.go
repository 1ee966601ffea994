// Package records defines what an importer produces: records of the
// normalized model with their place in the source file, diagnostics about
// rows it could not read, and the description of the importer itself. The
// SDK, the conformance kit and the hub's plugin host share these types; the
// wire format stays in the protocol package.
package records

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/countyhub/countyhub/model"
)

// Dataset names, as importers declare them and import runs count them.
const (
	Units        = "units"
	Stations     = "stations"
	Spaces       = "spaces"
	Pilots       = "pilots"
	Budgets      = "budgets"
	Observations = "observations"
)

// Datasets lists every dataset in a fixed order.
var Datasets = []string{Units, Stations, Spaces, Pilots, Budgets, Observations}

// Record is one record read from a file: exactly one of its pointers is set.
type Record struct {
	// Reference locates the record in the source file: "line 12",
	// "Sheet1!C7", "table 2 row 4", "$.communities[3]".
	Reference   string       `json:"ref"`
	Unit        *Unit        `json:"unit,omitempty"`
	Station     *Station     `json:"station,omitempty"`
	Space       *Space       `json:"space,omitempty"`
	Pilot       *Pilot       `json:"pilot,omitempty"`
	Budget      *Budget      `json:"budget,omitempty"`
	Observation *Observation `json:"observation,omitempty"`
}

// Dataset names the dataset of the record, or "" when none or several of
// its pointers are set.
func (r Record) Dataset() string {
	var names []string
	for name, set := range map[string]bool{
		Units: r.Unit != nil, Stations: r.Station != nil, Spaces: r.Space != nil,
		Pilots: r.Pilot != nil, Budgets: r.Budget != nil, Observations: r.Observation != nil,
	} {
		if set {
			names = append(names, name)
		}
	}
	if len(names) != 1 {
		return ""
	}
	return names[0]
}

// Unit is an administrative unit below the import's unit: a town, a
// community or a compound.
type Unit struct {
	// Code, when the source gives one; the hub derives one otherwise.
	Code   string          `json:"code,omitempty"`
	Name   string          `json:"name"`
	NameEn string          `json:"nameEn,omitempty"`
	Level  model.UnitLevel `json:"level"`
	// Parent is the code or name of the enclosing unit; empty means the
	// import's unit.
	Parent string `json:"parent,omitempty"`
}

// Station is a party-mass service station.
type Station struct {
	// Key identifies the station within its county across imports.
	Key  string `json:"key"`
	Name string `json:"name"`
	// Unit is the code or name of the station's community or compound;
	// empty means the import's unit.
	Unit          string              `json:"unit,omitempty"`
	Address       string              `json:"address,omitempty"`
	Status        model.StationStatus `json:"status"`
	Facilities    []model.Facility    `json:"facilities,omitempty"`
	MeetsStandard *bool               `json:"meetsStandard,omitempty"`
	Opened        string              `json:"opened,omitempty"`
}

// Space is a shared community space or deliberation point.
type Space struct {
	Key   string          `json:"key"`
	Name  string          `json:"name"`
	Unit  string          `json:"unit,omitempty"`
	Kind  model.SpaceKind `json:"kind"`
	Brand string          `json:"brand,omitempty"`
}

// Pilot is a state-owned fallback property-service pilot.
type Pilot struct {
	Key              string           `json:"key"`
	Name             string           `json:"name"`
	Unit             string           `json:"unit,omitempty"`
	Operator         string           `json:"operator"`
	Phase            model.PilotPhase `json:"phase"`
	Compounds        *int             `json:"compounds,omitempty"`
	Households       *int             `json:"households,omitempty"`
	PayingHouseholds *int             `json:"payingHouseholds,omitempty"`
	Started          string           `json:"started,omitempty"`
}

// Budget is a budget line.
type Budget struct {
	Key       string             `json:"key"`
	Year      int                `json:"year"`
	Purpose   string             `json:"purpose"`
	Source    string             `json:"source,omitempty"`
	Amount    model.Quantity     `json:"amount"`
	Status    model.BudgetStatus `json:"status"`
	Recurring bool               `json:"recurring,omitempty"`
}

// Observation is the value of a catalog metric for a unit and a period.
type Observation struct {
	Metric string `json:"metric"`
	// Unit is the code or name of the unit the figure is about; empty
	// means the import's unit.
	Unit   string         `json:"unit,omitempty"`
	Period string         `json:"period"`
	AsOf   string         `json:"asOf,omitempty"`
	Value  model.Quantity `json:"value"`
}

// Severity grades a diagnostic.
type Severity string

// Severities of diagnostics.
const (
	// Error: the row could not be read, and no record was made of it.
	Error Severity = "ERROR"
	// Warning: a record was made, but something in it is doubtful.
	Warning Severity = "WARNING"
	// Info: worth knowing, nothing wrong.
	Info Severity = "INFO"
)

// Diagnostic is a problem found in a file, with where it is.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	// Reference locates the problem: "line 12", "Sheet1!C7", or "file"
	// for the file as a whole.
	Reference string `json:"ref"`
	// Field is the record field concerned, when one is.
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// String formats the diagnostic for people: "ERROR line 12 (amount): not a number".
func (d Diagnostic) String() string {
	if d.Field != "" {
		return fmt.Sprintf("%s %s (%s): %s", d.Severity, d.Reference, d.Field, d.Message)
	}
	return fmt.Sprintf("%s %s: %s", d.Severity, d.Reference, d.Message)
}

// Summary closes an import: what the plugin says it sent.
type Summary struct {
	Records     int64 `json:"records"`
	Diagnostics int64 `json:"diagnostics"`
}

// Description says who an importer is and what it reads and produces.
type Description struct {
	// Name is unique among installed importers and equals the plugin
	// binary's file name: lowercase letters, digits, '-' and '_'.
	Name        string   `json:"name"`
	Version     string   `json:"version"`
	Description string   `json:"description,omitempty"`
	Formats     []Format `json:"formats"`
	Datasets    []string `json:"datasets"`
	Options     []Option `json:"options,omitempty"`
}

// Format is a file format an importer reads.
type Format struct {
	Extensions  []string `json:"extensions"`
	MediaTypes  []string `json:"mediaTypes,omitempty"`
	Description string   `json:"description,omitempty"`
}

// Option describes an import option.
type Option struct {
	Name        string `json:"name"`
	Type        string `json:"type"` // string, int, bool or float
	Description string `json:"description,omitempty"`
	Default     string `json:"default,omitempty"`
	Required    bool   `json:"required,omitempty"`
}

var (
	nameRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	semverRE = regexp.MustCompile(`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
)

// Validate reports every way the description breaks the protocol's rules.
func (d Description) Validate() error {
	var errs []error
	if !nameRE.MatchString(d.Name) {
		errs = append(errs, fmt.Errorf("name %q: want lowercase letters, digits, '-' and '_', at most 64", d.Name))
	}
	if !semverRE.MatchString(d.Version) {
		errs = append(errs, fmt.Errorf("version %q: want a semantic version such as 1.2.0", d.Version))
	}
	if len(d.Formats) == 0 {
		errs = append(errs, errors.New("formats: name at least one"))
	}
	for i, f := range d.Formats {
		if len(f.Extensions) == 0 && len(f.MediaTypes) == 0 {
			errs = append(errs, fmt.Errorf("formats[%d]: give extensions or media types", i))
		}
		for _, e := range f.Extensions {
			if !strings.HasPrefix(e, ".") || strings.ToLower(e) != e {
				errs = append(errs, fmt.Errorf("formats[%d]: extension %q: want lowercase with a leading dot", i, e))
			}
		}
	}
	if len(d.Datasets) == 0 {
		errs = append(errs, errors.New("datasets: name at least one"))
	}
	for _, ds := range d.Datasets {
		if !isDataset(ds) {
			errs = append(errs, fmt.Errorf("datasets: %q is not one of %s", ds, strings.Join(Datasets, ", ")))
		}
	}
	seen := map[string]bool{}
	for i, o := range d.Options {
		switch {
		case !nameRE.MatchString(o.Name):
			errs = append(errs, fmt.Errorf("options[%d]: name %q: want lowercase letters, digits, '-' and '_'", i, o.Name))
		case seen[o.Name]:
			errs = append(errs, fmt.Errorf("options[%d]: %q declared twice", i, o.Name))
		}
		seen[o.Name] = true
		switch o.Type {
		case "string", "int", "bool", "float":
		default:
			errs = append(errs, fmt.Errorf("options[%d]: type %q: want string, int, bool or float", i, o.Type))
		}
	}
	return errors.Join(errs...)
}

func isDataset(s string) bool {
	for _, d := range Datasets {
		if d == s {
			return true
		}
	}
	return false
}
