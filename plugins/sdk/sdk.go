// Package sdk is what a countyhub importer is written against. An author
// implements Importer — Describe, and Import from an io.Reader into an
// Emitter — and calls Serve from main:
//
//	func main() { sdk.Serve(myImporter{}) }
//
// Serve speaks the importer protocol (go-plugin over gRPC) with the hub;
// nothing about gRPC shows here. The hub streams the file in, the importer
// emits records and diagnostics as it reads, and the hub validates,
// normalizes and stores them. Per-row problems are diagnostics with a
// reference to the row, not errors: return an error from Import only when
// the import as a whole cannot go on.
//
// Test an importer with the conformance kit in sdk/importertest.
package sdk

import (
	"context"
	"fmt"
	"io"

	"github.com/countyhub/countyhub/plugins/records"
)

// Importer reads one kind of county file.
type Importer interface {
	// Describe tells who the importer is and what it reads and produces.
	Describe() Description
	// Import reads in and emits its records and diagnostics to out. It
	// stops when ctx is cancelled (Emit and Diagnose then return the
	// context's error).
	Import(ctx context.Context, in *Input, out Emitter) error
}

// Input is the file to import.
type Input struct {
	// Reader streams the file's bytes.
	io.Reader
	// FileName is the file's name as uploaded.
	FileName string
	// Size is the file's size in bytes, or -1 when unknown.
	Size int64
	// Unit is the code of the unit the import is for (a county, or the
	// city); records whose unit is left empty are about it.
	Unit string
	// Options are the import options by name, as declared in the
	// description; options not given are absent.
	Options map[string]string
}

// Option returns the value of an option, or def when it was not given.
func (in *Input) Option(name, def string) string {
	if v, ok := in.Options[name]; ok {
		return v
	}
	return def
}

// Emitter receives what an importer reads.
type Emitter interface {
	// Emit sends a record; exactly one of its pointers must be set.
	Emit(Record) error
	// Diagnose reports a problem with a place in the file.
	Diagnose(Diagnostic) error
}

// The record and description types, from the records package.
type (
	Record      = records.Record
	Unit        = records.Unit
	Station     = records.Station
	Space       = records.Space
	Pilot       = records.Pilot
	Budget      = records.Budget
	Observation = records.Observation
	Diagnostic  = records.Diagnostic
	Severity    = records.Severity
	Description = records.Description
	Format      = records.Format
	Option      = records.Option
)

// Severities of diagnostics.
const (
	SeverityError   = records.Error
	SeverityWarning = records.Warning
	SeverityInfo    = records.Info
)

// Datasets an importer declares in its description.
const (
	Units        = records.Units
	Stations     = records.Stations
	Spaces       = records.Spaces
	Pilots       = records.Pilots
	Budgets      = records.Budgets
	Observations = records.Observations
)

// Errorf makes an error diagnostic: the row at ref could not be read.
func Errorf(ref, field, format string, args ...any) Diagnostic {
	return Diagnostic{Severity: records.Error, Reference: ref, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Warnf makes a warning diagnostic: a record was made of the row at ref,
// but something in it is doubtful.
func Warnf(ref, field, format string, args ...any) Diagnostic {
	return Diagnostic{Severity: records.Warning, Reference: ref, Field: field, Message: fmt.Sprintf(format, args...)}
}
