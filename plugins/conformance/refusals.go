package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/refdata"
)

// neighbourCounty imports a golden case's input for a neighbour of its
// unit and checks that the file is refused: the import fails, or it gives
// no records and an error diagnostic, either naming both units' codes.
func neighbourCounty(run func(Input) (Output, error), in Input) error {
	other, err := Neighbour(in.Unit)
	if err != nil {
		return err
	}
	own := in.Unit
	in.Unit = other
	out, err := run(in)
	names := func(msg string) bool { return strings.Contains(msg, own) && strings.Contains(msg, other) }
	if err != nil {
		if names(err.Error()) {
			return nil
		}
		return fmt.Errorf("imported for %s, the file for %s failed with %q, which does not name both units", other, own, err)
	}
	var errs []error
	if len(out.Records) > 0 {
		errs = append(errs, fmt.Errorf("imported for %s, the file for %s gave %d records (the first at %s); want none: check the unit the file names against the import's (sdk.CheckUnit), or say in case.json why the file does not name its unit (\"unitNotInFile\")",
			other, own, len(out.Records), out.Records[0].Reference))
	}
	if !slices.ContainsFunc(out.Diagnostics, func(d records.Diagnostic) bool { return d.Severity == records.Error && names(d.Message) }) {
		errs = append(errs, fmt.Errorf("imported for %s, the file for %s gave no error diagnostic naming both %s and %s; got %s",
			other, own, own, other, messages(out.Diagnostics)))
	}
	return errors.Join(errs...)
}

// Neighbour returns the unit the neighbour county check imports a file
// for instead of unit: the next county of the same city in the shipped
// reference units (after the last, the first), the city's first county
// for the city, and the first county of the default city for a unit the
// reference units lack.
func Neighbour(unit string) (string, error) {
	units, err := refdata.Units()
	if err != nil {
		return "", err
	}
	byCode := map[string]model.AdminUnit{}
	for _, u := range units {
		byCode[u.Code] = u
	}
	children := func(parent string) []string {
		var codes []string
		for _, u := range units {
			if u.ParentCode == parent && u.Level == model.LevelCounty {
				codes = append(codes, u.Code)
			}
		}
		slices.Sort(codes)
		return codes
	}
	u, ok := byCode[unit]
	switch {
	case !ok:
		if c := children(refdata.DefaultScope); len(c) > 0 {
			return c[0], nil
		}
	case u.Level == model.LevelCity:
		if c := children(u.Code); len(c) > 0 {
			return c[0], nil
		}
	default:
		siblings := children(u.ParentCode)
		if i := slices.Index(siblings, unit); i >= 0 && len(siblings) > 1 {
			return siblings[(i+1)%len(siblings)], nil
		}
	}
	return "", fmt.Errorf("no neighbour county of %s in the reference units", unit)
}

// unitNotInFile reads why a golden case's file does not name its unit,
// from its case.json.
func unitNotInFile(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "case.json"))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var c struct {
		UnitNotInFile string `json:"unitNotInFile"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return "", fmt.Errorf("case.json: %w", err)
	}
	return strings.TrimSpace(c.UnitNotInFile), nil
}

// zipExtensions are the extensions of zip-based formats.
var zipExtensions = []string{".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".odt", ".ods", ".zip"}

// zipFormat returns the first extension of a zip-based format the
// importer reads.
func zipFormat(desc records.Description) (string, bool) {
	for _, f := range desc.Formats {
		for _, ext := range f.Extensions {
			if slices.Contains(zipExtensions, strings.ToLower(ext)) {
				return ext, true
			}
		}
	}
	return "", false
}

// bomb checks that an import of a zip bomb ends in time, without a fatal
// error or records, with an error diagnostic saying the archive expands
// beyond its bound.
func bomb(run func(Input) (Output, error), in Input) error {
	out, err := run(in)
	if err != nil {
		return fmt.Errorf("import failed instead of refusing the archive with a diagnostic: %w", err)
	}
	if err := references(out); err != nil {
		return err
	}
	var errs []error
	if len(out.Records) > 0 {
		errs = append(errs, fmt.Errorf("a zip bomb gave %d records", len(out.Records)))
	}
	if !slices.ContainsFunc(out.Diagnostics, func(d records.Diagnostic) bool {
		return d.Severity == records.Error && strings.Contains(d.Message, "archive expands beyond")
	}) {
		errs = append(errs, fmt.Errorf("no error diagnostic saying \"archive expands beyond …\" (open the file with sdk.OpenArchive); got %s", messages(out.Diagnostics)))
	}
	return errors.Join(errs...)
}
