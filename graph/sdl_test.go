package graph

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/schema.graphql from the schema")

// TestSDLGolden keeps the printed schema (what /schema.graphql serves) in
// testdata/schema.graphql, so that a change to the schema shows in review;
// go test ./graph -run TestSDLGolden -update rewrites it.
func TestSDLGolden(t *testing.T) {
	golden := filepath.Join("testdata", "schema.graphql")
	sdl := SDL()
	if *update {
		if err := os.WriteFile(golden, []byte(sdl), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./graph -run TestSDLGolden -update writes it)", err)
	}
	if sdl != string(want) {
		t.Errorf("SDL() differs from %s; if the change is meant, rerun with -update and review the diff", golden)
	}
}
