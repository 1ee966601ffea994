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

// TestZipBombs checks that a file expanding past sdk.MaxArchiveSize, by
// what its headers declare or by what it inflates to, is refused at once
// and in bounded memory. It is not parallel: it measures allocations.
func TestZipBombs(t *testing.T) {
	importertest.CheckZipBombs(t, importertest.InProcess(Importer{}), importertest.Input{FileName: "report.docx", Unit: "340827"}, 64<<20)
}
