package e2e

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestSyntheticCountyImportsThroughThePlugins generates the synthetic data
// of a county without a real demo file (太湖县), as `countyhub demo --scope
// --seed --out` writes it, imports it into a county hub with `countyhub
// demo --scope --seed` through the real csv plugin, and checks every town's
// figure of a month against the sums of its communities' figures in the
// generated file, qualifiers included: a town with a 余 figure among its
// communities is at least its sum, never exact.
func TestSyntheticCountyImportsThroughThePlugins(t *testing.T) {
	t.Parallel()
	const county, metric, period = "340825", "outcome.problems_resolved", "2023-07"
	_, addr := serveHub(t, "--data", t.TempDir(), "--plugins", allImporters(t), "--scope", county)
	out := t.TempDir()
	if b, err := hubCommand(t, addr, "demo", "--scope", county, "--seed", "3", "--out", out).CombinedOutput(); err != nil {
		t.Fatalf("demo --out: %v\n%s", err, b)
	}
	f, err := os.Open(filepath.Join(out, county, "synthetic-"+county+"-figures.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	type sum struct {
		value       float64
		communities int
	}
	want := map[string]*sum{}
	number := regexp.MustCompile(`\d+`)
	for _, r := range rows[1:] {
		if r[2] != metric || r[3] != period {
			continue
		}
		s := want[r[0]]
		if s == nil {
			s = &sum{}
			want[r[0]] = s
		}
		v, _ := strconv.Atoi(number.FindString(r[4]))
		s.value += float64(v)
		s.communities++
	}
	if len(want) < 5 {
		t.Fatalf("the generated file has figures of %d towns for %s; want them all", len(want), period)
	}

	if b, err := hubCommand(t, addr, "demo", "--scope", county, "--seed", "3").CombinedOutput(); err != nil {
		t.Fatalf("demo --scope %s: %v\n%s", county, err, b)
	}
	type row struct {
		Unit  struct{ Name string }
		Value struct {
			Value           float64
			Qualifier, Text string
		}
		Partial bool
	}
	compare := func(level string) []row {
		var got struct{ Compare struct{ Rows []row } }
		graphql(t, addr, `{ compare(metric: "`+metric+`", period: "`+period+`", scope: "`+county+`", level: `+level+`) { rows { unit { name } value { value qualifier text } partial } } }`, &got)
		return got.Compare.Rows
	}
	towns := compare("TOWN")
	if len(towns) != len(want) {
		t.Errorf("compare has %d towns, the file %d", len(towns), len(want))
	}
	for _, r := range towns {
		w := want[r.Unit.Name]
		if w == nil {
			t.Errorf("compare has %s, which the file has no figure of", r.Unit.Name)
			continue
		}
		// A town reports no figure of its own: its value sums its
		// communities', a lower bound.
		if r.Value.Value != w.value || !r.Partial || r.Value.Qualifier == "EXACT" {
			t.Errorf("%s: %+v, want the partial sum %v of its %d communities, not exact", r.Unit.Name, r, w.value, w.communities)
		}
	}
	// Each community's figure comes back as the file gives it.
	file := map[string]string{}
	for _, r := range rows[1:] {
		if r[2] == metric && r[3] == period {
			file[r[1]] = r[4]
		}
	}
	communities := compare("COMMUNITY")
	if len(communities) != len(file) {
		t.Errorf("compare has %d communities, the file %d", len(communities), len(file))
	}
	qualified := 0
	for _, r := range communities {
		text := file[r.Unit.Name]
		wantQ := "EXACT"
		switch {
		case strings.Contains(text, "余"):
			wantQ = "AT_LEAST"
		case strings.Contains(text, "约"):
			wantQ = "APPROXIMATE"
		}
		v, _ := strconv.Atoi(number.FindString(text))
		if r.Value.Value != float64(v) || r.Value.Qualifier != wantQ || r.Value.Text != text {
			t.Errorf("%s: %+v; the file gives %q", r.Unit.Name, r.Value, text)
		}
		if wantQ != "EXACT" {
			qualified++
		}
	}
	if qualified == 0 {
		t.Error("no community's figure is qualified: the generator gives no 余 or 约 figures")
	}
}
