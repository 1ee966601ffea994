package main

import (
	"testing"

	"github.com/countyhub/countyhub/plugins/sdk/importertest"
)

// TestConformance runs the conformance kit: golden cases in testdata,
// determinism, references, and bad input.
func TestConformance(t *testing.T) {
	importertest.Run(t, importertest.InProcess(Importer{}), importertest.Options{})
}

// FuzzImport feeds the importer arbitrary files, starting from its golden
// cases: it must never panic or fail, and everything it emits must be
// well-formed and say where it is in the file.
func FuzzImport(f *testing.F) {
	importertest.Fuzz(f, importertest.InProcess(Importer{}), importertest.FuzzOptions{
		Unit: "340803", Options: map[string]string{"as_of": "2023-08-07"}, RecordReference: "line ",
	})
}
