// Package demo loads the demo data set: a file of the city and of each
// county of the Anqing bulletin, in that county's own format, imported
// and published the way a county data officer would, so that a new hub
// starts with the figures of the bulletin.
//
// The files live in data/, one folder a place, and data/manifest.json
// lists them in the order they are loaded, each with the importer that
// reads it, the unit it is for and its import options:
//
//	{"files": [
//	  {"importer": "csv", "unit": "340800", "file": "anqing/csv-sample.csv", "optionFiles": {"mapping": "anqing/mapping.yaml"}},
//	  {"importer": "daguan", "unit": "340803", "file": "daguan/daguan-sample.csv", "options": {"as_of": "2023-08-07"}}
//	]}
//
// Only the files the manifest names are loaded; an option file's content
// is the option's value.
package demo

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/pipeline"
)

// data holds the demo data set: manifest.json and the files it names.
//
//go:embed data
var data embed.FS

// Manifest is the name of the file listing the demo data set.
const Manifest = "manifest.json"

// Sample is one file of the demo data set.
type Sample struct {
	// Importer is the importer that reads the file.
	Importer string
	// Unit is the code of the unit the file is for.
	Unit string
	// FileName is the name the file is imported under, "yuexi-sample.xlsx"
	// (provenance shows it), and Data its content.
	FileName string
	Data     []byte
	// Options are the import options, option files read in.
	Options map[string]string
}

// Samples returns the demo data set built into the binary, in the order
// of its manifest.
func Samples() ([]Sample, error) {
	fsys, err := fs.Sub(data, "data")
	if err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	return Read(fsys)
}

// entry is a file of the manifest.
type entry struct {
	Importer    string            `json:"importer"`
	Unit        string            `json:"unit"`
	File        string            `json:"file"`
	Options     map[string]string `json:"options"`
	OptionFiles map[string]string `json:"optionFiles"`
}

// Read reads the data set whose manifest.json is at the root of fsys:
// the files it names, with their option files read into the options.
func Read(fsys fs.FS) ([]Sample, error) {
	b, err := fs.ReadFile(fsys, Manifest)
	if err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	var m struct {
		Files []entry `json:"files"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("demo data: %s: %w", Manifest, err)
	}
	if len(m.Files) == 0 {
		return nil, fmt.Errorf("demo data: %s lists no files", Manifest)
	}
	out := make([]Sample, 0, len(m.Files))
	for i, e := range m.Files {
		s, err := e.read(fsys)
		if err != nil {
			return nil, fmt.Errorf("demo data: %s file %d: %w", Manifest, i+1, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// read reads the file of an entry and its option files.
func (e entry) read(fsys fs.FS) (Sample, error) {
	switch {
	case e.Importer == "":
		return Sample{}, errors.New("name the importer that reads the file")
	case e.Unit == "":
		return Sample{}, errors.New("name the unit the file is for")
	case e.File == "":
		return Sample{}, errors.New("name the file")
	}
	file, err := fs.ReadFile(fsys, e.File)
	if err != nil {
		return Sample{}, err
	}
	s := Sample{Importer: e.Importer, Unit: e.Unit, FileName: path.Base(e.File), Data: file, Options: maps.Clone(e.Options)}
	for name, f := range e.OptionFiles {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return Sample{}, fmt.Errorf("option %s: %w", name, err)
		}
		if s.Options == nil {
			s.Options = map[string]string{}
		}
		s.Options[name] = string(b)
	}
	return s, nil
}

// Importer imports and publishes files; *pipeline.Pipeline is one.
type Importer interface {
	Import(ctx context.Context, req pipeline.Request) (model.Run, error)
	Publish(ctx context.Context, id, by string) (model.Run, error)
}

// By names the demo loader in the audit log.
const By = "demo"

// Load imports every sample and publishes it. A sample whose file is
// released already ends UNCHANGED. Load stops at the first sample that
// does not import cleanly, and reports its diagnostics' count and reason:
// the demo data set is meant to have no errors.
func Load(ctx context.Context, imp Importer, samples []Sample) ([]model.Run, error) {
	var runs []model.Run
	for _, s := range samples {
		run, err := imp.Import(ctx, pipeline.Request{Unit: s.Unit, Importer: s.Importer, FileName: s.FileName,
			File: bytes.NewReader(s.Data), Options: s.Options, By: By})
		if err != nil {
			return runs, fmt.Errorf("demo %s (%s): %w", s.FileName, s.Importer, err)
		}
		switch {
		case run.Status == model.RunReady && run.Errors == 0:
			if run, err = imp.Publish(ctx, run.ID, By); err != nil {
				return runs, fmt.Errorf("demo %s (%s): publish: %w", s.FileName, s.Importer, err)
			}
		case run.Status == model.RunUnchanged:
		default:
			return runs, fmt.Errorf("demo %s (%s): run %s ended %s with %d errors: %s", s.FileName, s.Importer, run.ID, run.Status, run.Errors, run.Reason)
		}
		runs = append(runs, run)
	}
	return runs, nil
}
