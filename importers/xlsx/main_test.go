package main

import (
	"os"
	"testing"

	"github.com/countyhub/countyhub/importers/internal/mapping"
	"github.com/countyhub/countyhub/plugins/sdk/importertest"
)

// TestConformance runs the conformance kit: golden cases in testdata,
// determinism, references, and bad input.
func TestConformance(t *testing.T) {
	importertest.Run(t, importertest.InProcess(Importer{}), importertest.Options{})
}

// FuzzImport feeds the importer arbitrary workbooks read through arbitrary
// mappings, starting from its golden cases: it must never panic or fail,
// and everything it emits must be well-formed and say where it is in the
// file.
func FuzzImport(f *testing.F) {
	importertest.Fuzz(f, importertest.InProcess(Importer{}), importertest.FuzzOptions{
		Unit: "340828", FuzzedOption: mapping.OptionMapping,
	})
}

// TestZipBombs checks that a workbook expanding past sdk.MaxArchiveSize,
// by what its headers declare or by what it inflates to, is refused at
// once and in bounded memory. It is not parallel: it measures
// allocations.
func TestZipBombs(t *testing.T) {
	m, err := os.ReadFile("testdata/budgets-merged-header/mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	importertest.CheckZipBombs(t, importertest.InProcess(Importer{}), importertest.Input{FileName: "budgets.xlsx", Unit: "340828",
		Options: map[string]string{mapping.OptionMapping: string(m)}}, 64<<20)
}
