// Package importertest runs the conformance kit for countyhub importers
// (package plugins/conformance) from `go test`. An author runs it from the
// importer's own tests:
//
//	func TestConformance(t *testing.T) {
//		importertest.Run(t, importertest.InProcess(myImporter{}), importertest.Options{})
//	}
//
// and `countyhub plugins check PATH` runs the same checks on a built
// plugin binary. Package conformance says what the checks are and what a
// golden case holds. Fuzz runs these checks, but for the golden comparison
// and the neighbour county, on the inputs `go test -fuzz` makes up, and
// checks that every record is well-formed.
//
// Run the tests with -importertest.update to write expected.json from the
// importer's current output.
package importertest

import (
	"context"
	"flag"
	"testing"

	"github.com/countyhub/countyhub/plugins/conformance"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/plugins/sdk"
)

var update = flag.Bool("importertest.update", false, "rewrite the expected.json of each golden case from the importer's output")

// The kit's types; see package conformance.
type (
	// Target is an importer under test.
	Target = conformance.Target
	// Input is one file to import.
	Input = conformance.Input
	// Output is everything an import emitted, in order.
	Output = conformance.Output
	// Options tune the checks; the -importertest.update flag sets Update.
	Options = conformance.Options
	// Result is the outcome of one check; Err is nil when it passed.
	Result = conformance.Result
	// FuzzOptions tune Fuzz.
	FuzzOptions = conformance.FuzzOptions
)

// InProcess tests an importer by calling it directly.
func InProcess(imp sdk.Importer) Target { return conformance.InProcess(imp) }

// Plugin tests a plugin binary through the real protocol.
func Plugin(b *host.Binary) Target { return conformance.Plugin(b) }

// Check runs every check and returns their results in a fixed order; the
// -importertest.update flag rewrites the golden files.
func Check(ctx context.Context, target Target, opts Options) []Result {
	opts.Update = opts.Update || *update
	return conformance.Check(ctx, target, opts)
}

// Neighbour returns the unit the neighbour county check imports a file
// for instead of unit; see conformance.Neighbour.
func Neighbour(unit string) (string, error) { return conformance.Neighbour(unit) }

// Run runs every check as a subtest of t.
func Run(t *testing.T, target Target, opts Options) {
	t.Helper()
	for _, r := range Check(context.Background(), target, opts) {
		t.Run(r.Check, func(t *testing.T) {
			if r.Err != nil {
				t.Error(r.Err)
			}
		})
	}
}

// Fuzz feeds an importer arbitrary files, starting from the inputs of its
// golden cases, each whole and cut in half, and the empty file. Each
// import must pass conformance.CheckInput: end without a panic, a hang or
// a fatal error, give the same output when run again, and emit only
// well-formed records and diagnostics. An importer's tests call it from
// their fuzz test:
//
//	func FuzzImport(f *testing.F) {
//		importertest.Fuzz(f, importertest.InProcess(myImporter{}), importertest.FuzzOptions{RecordReference: "line "})
//	}
//
// With FuzzedOption set, the fuzz test takes the file and the option's
// value, and its corpus entries hold both.
func Fuzz(f *testing.F, target Target, opts FuzzOptions) {
	f.Helper()
	seeds, err := conformance.Seeds(opts)
	if err != nil {
		f.Fatal(err)
	}
	for _, in := range seeds {
		if opts.FuzzedOption == "" {
			f.Add(in.Data)
		} else {
			f.Add(in.Data, in.Options[opts.FuzzedOption])
		}
	}
	unit := opts.Unit
	if unit == "" {
		unit = seeds[0].Unit // the default unit
	}
	if opts.FuzzedOption == "" {
		f.Fuzz(func(t *testing.T, data []byte) {
			FuzzInput(t, target, Input{Data: data, Unit: unit, Options: opts.Options}, opts)
		})
		return
	}
	f.Fuzz(func(t *testing.T, data []byte, option string) {
		options := map[string]string{opts.FuzzedOption: option}
		for name, v := range opts.Options {
			if name != opts.FuzzedOption {
				options[name] = v
			}
		}
		FuzzInput(t, target, Input{Data: data, Unit: unit, Options: options}, opts)
	})
}

// FuzzInput imports one input twice and checks it as Fuzz does, for fuzz
// tests that make up their inputs in a way of their own (a workbook
// written from fuzzed cells, say). Of opts it uses RecordReference and
// Timeout.
func FuzzInput(t *testing.T, target Target, in Input, opts FuzzOptions) {
	t.Helper()
	if err := conformance.CheckInput(target, in, opts); err != nil {
		t.Error(err)
	}
}
