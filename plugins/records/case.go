package records

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
)

// Case is how a sample or golden-case file is to be imported: the case.json
// beside it, as the conformance kit and the demo read it:
//
//	{"unit": "340800", "options": {"as_of": "2023-08-07"}, "optionFiles": {"mapping": "mapping.yaml"}}
type Case struct {
	// Unit is the code of the unit the import is for.
	Unit string `json:"unit,omitempty"`
	// Options are import options by name.
	Options map[string]string `json:"options,omitempty"`
	// OptionFiles are options whose value is the content of a file beside
	// case.json, such as the mapping of a generic table importer.
	OptionFiles map[string]string `json:"optionFiles,omitempty"`
}

// ReadCase reads dir/case.json from fsys and returns the case with every
// option file read into Options. A directory without case.json is a case
// with no unit and no options.
func ReadCase(fsys fs.FS, dir string) (Case, error) {
	var c Case
	b, err := fs.ReadFile(fsys, path.Join(dir, "case.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%s: %w", path.Join(dir, "case.json"), err)
	}
	for name, file := range c.OptionFiles {
		if filepath.IsAbs(file) || !fs.ValidPath(file) {
			return c, fmt.Errorf("%s: option file %q: want a path inside the case directory", path.Join(dir, "case.json"), file)
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, file))
		if err != nil {
			return c, fmt.Errorf("%s: option %s: %w", path.Join(dir, "case.json"), name, err)
		}
		if c.Options == nil {
			c.Options = map[string]string{}
		}
		c.Options[name] = string(b)
	}
	return c, nil
}
