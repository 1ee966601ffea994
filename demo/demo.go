// Package demo loads the demo data set: the sample file of every county
// importer, imported and published the way a county data officer would,
// so that a new hub starts with the figures of the Anqing bulletin.
package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/pipeline"
	"github.com/countyhub/countyhub/plugins/records"
)

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

// Samples reads the samples from fsys, where each importer's sample is in
// IMPORTER/testdata/sample: one input.* file and a case.json naming the
// unit and the options. They come in a fixed order: the city's first, then
// by importer name.
func Samples(fsys fs.FS) ([]Sample, error) {
	dirs, err := fs.Glob(fsys, "*/testdata/sample")
	if err != nil {
		return nil, err
	}
	var out []Sample
	for _, dir := range dirs {
		inputs, err := fs.Glob(fsys, path.Join(dir, "input.*"))
		if err != nil {
			return nil, err
		}
		if len(inputs) != 1 {
			return nil, fmt.Errorf("%s: want one input.* file, found %d", dir, len(inputs))
		}
		data, err := fs.ReadFile(fsys, inputs[0])
		if err != nil {
			return nil, err
		}
		c, err := records.ReadCase(fsys, dir)
		if err != nil {
			return nil, err
		}
		if c.Unit == "" {
			return nil, fmt.Errorf("%s/case.json: name the unit the sample is for", dir)
		}
		importer := path.Dir(path.Dir(dir))
		out = append(out, Sample{Importer: importer, Unit: c.Unit, FileName: importer + "-sample" + path.Ext(inputs[0]), Data: data, Options: c.Options})
	}
	if len(out) == 0 {
		return nil, errors.New("no samples: want IMPORTER/testdata/sample directories")
	}
	// GB/T 2260 codes of cities end in 00.
	isCity := func(s Sample) bool { return strings.HasSuffix(s.Unit, "00") }
	sort.SliceStable(out, func(i, j int) bool {
		if ci, cj := isCity(out[i]), isCity(out[j]); ci != cj {
			return ci
		}
		return out[i].Importer < out[j].Importer
	})
	return out, nil
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
