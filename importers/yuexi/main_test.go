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

// FuzzImport feeds the importer arbitrary workbooks, starting from its golden
// cases: it must never panic or fail, and everything it emits must be
// well-formed and say where it is in the file.
func FuzzImport(f *testing.F) {
	importertest.Fuzz(f, importertest.InProcess(Importer{}), importertest.FuzzOptions{
		Unit: "340828", Options: map[string]string{"as_of": "2023-08-07"},
	})
}

// TestZipBombs checks that a file expanding past sdk.MaxArchiveSize, by
// what its headers declare or by what it inflates to, is refused at once
// and in bounded memory. It is not parallel: it measures allocations.
func TestZipBombs(t *testing.T) {
	importertest.CheckZipBombs(t, importertest.InProcess(Importer{}), importertest.Input{FileName: "workbook.xlsx", Unit: "340828"}, 64<<20)
}
