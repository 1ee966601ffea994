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
