package e2e

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/countyhub/countyhub/normalize"
)

// facts is e2e/testdata/facts.json: every figure and entity of the Anqing
// bulletin (FACTS.md) that the demo data set must carry.
type facts struct {
	Period, AsOf string
	Observations []struct {
		Unit, Community, Town, Metric, Qualifier, Measure, Text string
		Value                                                   float64
	}
	Stations []struct {
		County           string
		Count, Upgrading int
		Facilities       []string
		MeetsStandard    bool
	}
	Budgets []struct {
		County, Qualifier, Text, Status string
		Value                           float64
		Year                            int
		Recurring                       bool
	}
	Pilots []struct{ County, Operator string }
	Spaces []struct {
		County, Kind               string
		Names, Brands, Communities []string
	}
	Units []struct{ County, Name, Level, Parent string }
}

var (
	importersOnce sync.Once
	importersDir  string
	importersErr  error
)

// allImporters builds every importer under importers/ once, pinned in a
// plugins directory the tests copy.
func allImporters(t *testing.T) string {
	t.Helper()
	importersOnce.Do(func() {
		importersDir, importersErr = os.MkdirTemp("", "countyhub-importers-")
		if importersErr != nil {
			return
		}
		if out, err := exec.Command("go", "build", "-o", importersDir+string(filepath.Separator), "./importers/...").CombinedOutput(); err != nil {
			importersErr = fmt.Errorf("build importers: %v\n%s", err, out)
			return
		}
		if out, err := exec.Command(binary, "plugins", "pin", "--plugins", importersDir).CombinedOutput(); err != nil {
			importersErr = fmt.Errorf("pin importers: %v\n%s", err, out)
		}
	})
	if importersErr != nil {
		t.Fatal(importersErr)
	}
	return importersDir
}

// demoHub starts `countyhub serve --demo` on a new data directory.
func demoHub(t *testing.T, data string) (*process, string) {
	t.Helper()
	return serveHub(t, "--demo", "--data", data, "--plugins", allImporters(t))
}

type quantity struct {
	Value     float64
	Qualifier string
	Unit      string
	Text      string // "" when null
}

// TestDemoCarriesEveryFigureOfTheBulletin starts the hub with the demo on an
// empty database and checks, through GraphQL, every figure and entity of
// the bulletin with its qualifier, unit and original text, and that the
// demo holds no figure the bulletin does not give.
func TestDemoCarriesEveryFigureOfTheBulletin(t *testing.T) {
	t.Parallel()
	var want facts
	b, err := os.ReadFile("e2e/testdata/facts.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	hub, addr := demoHub(t, data)

	var got struct {
		Observations []struct {
			Metric struct{ Code string }
			Unit   struct {
				Code, Name, Level string
				Parent            *struct{ Name string }
				County            *struct{ Code string }
			}
			Period, AsOf string
			Value        quantity
			Provenance   struct{ FileName, Reference, Importer string }
		}
	}
	graphql(t, addr, `{ observations { metric { code } unit { code name level parent { name } county { code } }
		period asOf value { value qualifier unit text } provenance { fileName reference importer } } }`, &got)

	seen := map[int]bool{}
	for _, o := range got.Observations {
		county := o.Unit.Code
		if o.Unit.County != nil {
			county = o.Unit.County.Code
		}
		i := slices.IndexFunc(want.Observations, func(f struct {
			Unit, Community, Town, Metric, Qualifier, Measure, Text string
			Value                                                   float64
		}) bool {
			if f.Metric != o.Metric.Code || f.Unit != county {
				return false
			}
			if f.Community != "" {
				return o.Unit.Name == f.Community
			}
			return o.Unit.Code == f.Unit
		})
		where := fmt.Sprintf("%s of %s %s (%s, %s)", o.Metric.Code, o.Unit.Code, o.Unit.Name, o.Provenance.FileName, o.Provenance.Reference)
		if i < 0 {
			t.Errorf("%s = %v: the bulletin gives no such figure", where, o.Value)
			continue
		}
		if seen[i] {
			t.Errorf("%s: given twice", where)
		}
		seen[i] = true
		f := want.Observations[i]
		measure := f.Measure
		if measure == "" {
			measure = "COUNT"
		}
		if o.Value.Value != f.Value || o.Value.Qualifier != f.Qualifier || o.Value.Unit != measure {
			t.Errorf("%s = %v %s %s; want %v %s %s", where, o.Value.Value, o.Value.Qualifier, o.Value.Unit, f.Value, f.Qualifier, measure)
		}
		if o.Period != want.Period || o.AsOf != want.AsOf {
			t.Errorf("%s: period %s as of %s; want %s as of %s", where, o.Period, o.AsOf, want.Period, want.AsOf)
		}
		switch {
		case o.Value.Text == "":
			t.Errorf("%s: the original text is lost", where)
		case f.Text != "":
			if o.Value.Text != f.Text {
				t.Errorf("%s: text %q; want %q", where, o.Value.Text, f.Text)
			}
		default:
			// The text must say what the figure says.
			q, err := normalize.Quantity(o.Value.Text, measure)
			if err != nil || q.Value != f.Value || string(q.Qualifier) != f.Qualifier {
				t.Errorf("%s: text %q reads as %v %s (%v); want %v %s", where, o.Value.Text, q.Value, q.Qualifier, err, f.Value, f.Qualifier)
			}
		}
		if f.Community != "" && (o.Unit.Level != "COMMUNITY" || o.Unit.Parent == nil || o.Unit.Parent.Name != f.Town) {
			t.Errorf("%s: unit is %s %s under %v; want the community %s of %s", where, o.Unit.Level, o.Unit.Name, o.Unit.Parent, f.Community, f.Town)
		}
		if o.Provenance.Reference == "" || o.Provenance.Importer == "" {
			t.Errorf("%s: provenance %+v lacks the importer or the reference", where, o.Provenance)
		}
	}
	for i, f := range want.Observations {
		if !seen[i] {
			t.Errorf("missing: %s of %s %s = %v %s", f.Metric, f.Unit, f.Community, f.Value, f.Qualifier)
		}
	}

	for _, f := range want.Stations {
		var st struct {
			All, Upgrading struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Name, Status  string
						MeetsStandard *bool
						Facilities    []struct{ Code string }
					}
				}
			}
		}
		graphql(t, addr, fmt.Sprintf(`{ all: stations(filter: {county: %q}, first: 100) { totalCount edges { node { name status meetsStandard facilities { code } } } }
			upgrading: stations(filter: {county: %q, status: UPGRADING}) { totalCount } }`, f.County, f.County), &st)
		if st.All.TotalCount != f.Count || st.Upgrading.TotalCount != f.Upgrading {
			t.Errorf("stations of %s: %d, %d upgrading; want %d, %d upgrading", f.County, st.All.TotalCount, st.Upgrading.TotalCount, f.Count, f.Upgrading)
		}
		for _, e := range st.All.Edges {
			var codes []string
			for _, fa := range e.Node.Facilities {
				codes = append(codes, fa.Code)
			}
			for _, c := range f.Facilities {
				if !slices.Contains(codes, c) {
					t.Errorf("station %s of %s: facilities %v lack %s", e.Node.Name, f.County, codes, c)
				}
			}
			if f.MeetsStandard && (e.Node.MeetsStandard == nil || !*e.Node.MeetsStandard) {
				t.Errorf("station %s of %s: meetsStandard %v; want true", e.Node.Name, f.County, e.Node.MeetsStandard)
			}
		}
	}

	for _, f := range want.Budgets {
		var bu struct {
			Budgets struct {
				Edges []struct {
					Node struct {
						Year      int
						Amount    quantity
						Status    string
						Recurring bool
					}
				}
			}
		}
		graphql(t, addr, fmt.Sprintf(`{ budgets(filter: {county: %q}) { edges { node { year amount { value qualifier unit text } status recurring } } } }`, f.County), &bu)
		found := false
		for _, e := range bu.Budgets.Edges {
			n := e.Node
			if n.Amount.Value != f.Value {
				continue
			}
			found = true
			if n.Amount.Qualifier != f.Qualifier || n.Amount.Unit != "CNY" || n.Recurring != f.Recurring ||
				(f.Text != "" && n.Amount.Text != f.Text) ||
				(f.Status != "" && n.Status != f.Status) || (f.Year != 0 && n.Year != f.Year) {
				t.Errorf("budget of %s: %+v; want %+v", f.County, n, f)
			}
		}
		if !found {
			t.Errorf("budget of %s: no line of %v CNY among %+v", f.County, f.Value, bu.Budgets.Edges)
		}
	}

	for _, f := range want.Pilots {
		var pi struct {
			Pilots struct {
				Edges []struct{ Node struct{ Operator string } }
			}
		}
		graphql(t, addr, fmt.Sprintf(`{ pilots(filter: {county: %q}) { edges { node { operator } } } }`, f.County), &pi)
		if len(pi.Pilots.Edges) != 1 || pi.Pilots.Edges[0].Node.Operator != f.Operator {
			t.Errorf("pilots of %s: %+v; want one run by %s", f.County, pi.Pilots.Edges, f.Operator)
		}
	}

	for _, f := range want.Spaces {
		var sp struct {
			Spaces struct {
				Edges []struct {
					Node struct {
						Name, Kind string
						Brand      *string
						Unit       *struct{ Name string }
					}
				}
			}
		}
		graphql(t, addr, fmt.Sprintf(`{ spaces(filter: {county: %q}, first: 100) { edges { node { name kind brand unit { name } } } } }`, f.County), &sp)
		var names, brands, communities []string
		for _, e := range sp.Spaces.Edges {
			if f.Kind != "" && e.Node.Kind != f.Kind {
				continue
			}
			names = append(names, e.Node.Name)
			if e.Node.Brand != nil && *e.Node.Brand != "" {
				brands = append(brands, *e.Node.Brand)
				if e.Node.Unit != nil {
					communities = append(communities, e.Node.Unit.Name)
				}
			}
		}
		for _, n := range f.Names {
			if !slices.ContainsFunc(names, func(s string) bool { return strings.Contains(s, n) }) {
				t.Errorf("spaces of %s: %v lack %s", f.County, names, n)
			}
		}
		for i, br := range f.Brands {
			j := slices.Index(brands, br)
			if j < 0 || communities[j] != f.Communities[i] {
				t.Errorf("spaces of %s: brands %v in %v; want %s in %s", f.County, brands, communities, br, f.Communities[i])
			}
		}
	}

	for _, f := range want.Units {
		var un struct {
			Unit struct {
				Children []struct {
					Name, Level string
					Children    []struct{ Name, Level string }
				}
			}
		}
		graphql(t, addr, fmt.Sprintf(`{ unit(code: %q) { children { name level children { name level } } } }`, f.County), &un)
		found := false
		for _, c := range un.Unit.Children {
			if f.Parent == "" && c.Name == f.Name && c.Level == f.Level {
				found = true
			}
			if c.Name == f.Parent && slices.ContainsFunc(c.Children, func(g struct{ Name, Level string }) bool { return g.Name == f.Name && g.Level == f.Level }) {
				found = true
			}
		}
		if !found {
			t.Errorf("unit %s %s under %q of %s not found in %+v", f.Level, f.Name, f.Parent, f.County, un.Unit.Children)
		}
	}

	// Comparisons across the counties, from the rollups of the demo, and
	// the same through `countyhub rollups rebuild`.
	checkComparisons(t, addr)
	if out, err := hubCommand(t, addr, "rollups", "rebuild").CombinedOutput(); err != nil || !strings.Contains(string(out), "rebuilt ") {
		t.Errorf("countyhub rollups rebuild: %v\n%s", err, out)
	}
	checkComparisons(t, addr)

	// Damaged sample files get diagnostics naming the place, their runs
	// fail, and the published data stays as it was even when publishing
	// was asked for.
	for _, c := range []struct{ county, importer, file, place string }{
		{"340828", "yuexi", "importers/yuexi/testdata/bad-cells/input.xlsx", "党群服务站!G4"},
		{"340803", "daguan", "importers/daguan/testdata/utf8-no-bom/input.csv", "file"},
		{"340803", "daguan", "importers/daguan/testdata/bad-rows/input.csv", "line 5 (数值)"},
		{"340827", "wangjiang", "importers/wangjiang/testdata/text-in-number/input.docx", "table 1 row"},
	} {
		out, err := hubCommand(t, addr, "import", "--county", c.county, "--importer", c.importer,
			"--option", "as_of=2023-08-07", "--publish", c.file).CombinedOutput()
		if err == nil || !strings.Contains(string(out), ": FAILED") || !strings.Contains(string(out), "ERROR   "+c.place) {
			t.Errorf("import of damaged %s: %v; want a FAILED run with an error at %s\n%s", c.file, err, c.place, out)
		}
	}
	var kept struct{ Yuexi, Daguan struct{ TotalCount int } }
	graphql(t, addr, `{ yuexi: stations(filter: {county: "340828"}) { totalCount } daguan: stations(filter: {county: "340803"}) { totalCount } }`, &kept)
	if kept.Yuexi.TotalCount != 46 || kept.Daguan.TotalCount != 10 {
		t.Errorf("after damaged imports: %d stations in Yuexi, %d in Daguan; want 46 and 10 as published", kept.Yuexi.TotalCount, kept.Daguan.TotalCount)
	}

	// A restart with --demo finds the data and loads nothing, and loading
	// the demo on demand through the running hub changes nothing.
	var before struct{ ImportRuns struct{ TotalCount int } }
	graphql(t, addr, `{ importRuns { totalCount } }`, &before)
	hub.stop(t)
	hub, addr = demoHub(t, data)
	var after struct{ ImportRuns struct{ TotalCount int } }
	graphql(t, addr, `{ importRuns { totalCount } }`, &after)
	if after != before {
		t.Errorf("restart with --demo: %d runs, before %d; want the demo loaded once", after.ImportRuns.TotalCount, before.ImportRuns.TotalCount)
	}
	out, err := hubCommand(t, addr, "demo").CombinedOutput()
	statuses := regexp.MustCompile(`(?m)^run \S+: ([A-Z]+)$`).FindAllStringSubmatch(string(out), -1)
	if err != nil || len(statuses) < 7 {
		t.Errorf("countyhub demo on a loaded hub: %v, %d runs; want one per sample, at least 7\n%s", err, len(statuses), out)
	}
	for _, m := range statuses {
		if m[1] != "UNCHANGED" {
			t.Errorf("countyhub demo on a loaded hub: a run ended %s; want UNCHANGED\n%s", m[1], out)
		}
	}
	hub.stop(t)
}

// checkComparisons checks compare on the demo: problems resolved ranks
// Qianshan (580+) above Wangjiang (500+) above Daguan (110+), shows
// Yuexi's community-level 300+ as a partial lower bound naming Chengdong
// community, and lists the counties without data as gaps; compound party
// branches total 288 EXACT.
func checkComparisons(t *testing.T, addr string) {
	t.Helper()
	checkCoverage(t, addr)
	type row struct {
		Unit         struct{ NameEn string }
		Rank         int
		Value        quantity
		Partial      bool
		Qualified    bool
		Contributors []struct{ Name string }
	}
	var got struct {
		Problems, Branches struct {
			Rows    []row
			Total   *quantity
			Gaps    []struct{ NameEn string }
			Exports struct{ CSV, Xlsx string }
		}
	}
	graphql(t, addr, `{
		problems: compare(metric: "outcome.problems_resolved", period: "2023") { rows { unit { nameEn } rank value { value qualifier unit } partial qualified contributors { name } } total { value qualifier unit } gaps { nameEn } }
		branches: compare(metric: "org.compound_party_branches", period: "2023") { rows { unit { nameEn } rank value { value qualifier unit } partial qualified contributors { name } } total { value qualifier unit } gaps { nameEn } exports { csv xlsx } }
	}`, &got)
	summary := func(rows []row) []string {
		var out []string
		for _, r := range rows {
			s := fmt.Sprintf("%d %s %v %s", r.Rank, r.Unit.NameEn, r.Value.Value, r.Value.Qualifier)
			if r.Partial {
				s += " partial"
				for _, c := range r.Contributors {
					s += " " + c.Name
				}
			}
			out = append(out, s)
		}
		return out
	}
	gaps := func(gs []struct{ NameEn string }) []string {
		var out []string
		for _, g := range gs {
			out = append(out, g.NameEn)
		}
		return out
	}
	want := []string{"1 Qianshan 580 AT_LEAST", "2 Wangjiang 500 AT_LEAST", "3 Yuexi 300 AT_LEAST partial 城东社区", "4 Daguan 110 AT_LEAST"}
	if got := summary(got.Problems.Rows); !slices.Equal(got, want) {
		t.Errorf("compare problems resolved: %q; want %q", got, want)
	}
	if g := gaps(got.Problems.Gaps); !slices.Equal(g, []string{"Yingjiang", "Yixiu", "Huaining", "Taihu", "Susong", "Tongcheng"}) {
		t.Errorf("problems resolved gaps: %v", g)
	}
	if tot := got.Problems.Total; tot == nil || tot.Value != 1490 || tot.Qualifier != "AT_LEAST" {
		t.Errorf("problems resolved total %+v; want 1490 AT_LEAST", tot)
	}
	want = []string{"1 Daguan 113 EXACT", "2 Tongcheng 85 EXACT", "3 Wangjiang 55 EXACT", "4 Huaining 35 EXACT"}
	if got := summary(got.Branches.Rows); !slices.Equal(got, want) {
		t.Errorf("compare compound party branches: %q; want %q", got, want)
	}
	if tot := got.Branches.Total; tot == nil || tot.Value != 288 || tot.Qualifier != "EXACT" {
		t.Errorf("compound party branches total %+v; want 288 EXACT", tot)
	}

	// A series for a chart: one point per period, null where none.
	var se struct {
		Series struct {
			Periods []string
			Lines   []struct {
				Unit   struct{ NameEn string }
				Points []struct {
					Period string
					Value  *quantity
				}
			}
		}
	}
	graphql(t, addr, `{ series(metric: "org.volunteer_teams", units: ["340803", "340882"], from: "2022", to: "2023") { periods lines { unit { nameEn } points { period value { value qualifier } } } } }`, &se)
	var points []string
	for _, l := range se.Series.Lines {
		for _, p := range l.Points {
			v := "-"
			if p.Value != nil {
				v = fmt.Sprint(p.Value.Value)
			}
			points = append(points, l.Unit.NameEn+" "+p.Period+" "+v)
		}
	}
	if want := []string{"Daguan 2022 -", "Daguan 2023 12", "Qianshan 2022 -", "Qianshan 2023 26"}; !slices.Equal(points, want) {
		t.Errorf("series of volunteer teams: %q; want %q", points, want)
	}

	// Entity analytics from the facets kept with the rollups.
	var en struct {
		StationMatrix []struct {
			County       struct{ NameEn string }
			Stations     int
			MeetStandard int
			ByStatus     []struct {
				Status string
				Count  int
			}
			Facilities []struct {
				Code     string
				Stations int
			}
		}
		BudgetTotals []struct {
			County struct{ NameEn string }
			Year   int
			Amount quantity
			Lines  int
		}
		PilotPhases []struct {
			County struct{ NameEn string }
			Phase  string
			Pilots int
		}
	}
	graphql(t, addr, `{ stationMatrix { county { nameEn } stations meetStandard byStatus { status count } facilities { code stations } }
		budgetTotals { county { nameEn } year amount { value qualifier unit text } lines }
		pilotPhases { county { nameEn } phase pilots } }`, &en)
	var matrix []string
	for _, m := range en.StationMatrix {
		line := fmt.Sprintf("%s %d standard %d", m.County.NameEn, m.Stations, m.MeetStandard)
		for _, st := range m.ByStatus {
			line += fmt.Sprintf(" %s %d", st.Status, st.Count)
		}
		for _, f := range m.Facilities {
			if f.Code == "children_playroom" || f.Code == "senior_canteen" {
				line += fmt.Sprintf(" %s %d", f.Code, f.Stations)
			}
		}
		matrix = append(matrix, line)
	}
	if want := []string{"Daguan 10 standard 0 OPERATING 10 children_playroom 10 senior_canteen 10", "Yuexi 46 standard 46 OPERATING 32 UPGRADING 14"}; !slices.Equal(matrix, want) {
		t.Errorf("station matrix %q; want %q", matrix, want)
	}
	var budgets []string
	for _, b := range en.BudgetTotals {
		budgets = append(budgets, fmt.Sprintf("%s %d %v %s %s", b.County.NameEn, b.Year, b.Amount.Value, b.Amount.Qualifier, b.Amount.Text))
	}
	if want := []string{"Huaining 2023 1e+06 EXACT 100万元", "Wangjiang 2023 60000 AT_LEAST 6万余元", "Yuexi 2022 1.35e+06 EXACT 135万元"}; !slices.Equal(budgets, want) {
		t.Errorf("budget totals %q; want %q", budgets, want)
	}
	if p := en.PilotPhases; len(p) != 1 || p[0].County.NameEn != "Yuexi" || p[0].Phase != "TRIAL" || p[0].Pilots != 1 {
		t.Errorf("pilot phases %+v; want Yuexi's one pilot in TRIAL", p)
	}

	// The entity tables as files, linked from GraphQL.
	var te struct {
		TableExports struct {
			StationMatrix, BudgetTotals, PilotPhases struct{ CSV, Xlsx string }
		}
	}
	graphql(t, addr, `{ tableExports { stationMatrix { csv xlsx } budgetTotals { csv xlsx } pilotPhases { csv xlsx } } }`, &te)
	for path, want := range map[string]string{
		te.TableExports.StationMatrix.CSV: "大观区,340803,10,0,10,0,0,0",
		te.TableExports.BudgetTotals.CSV:  "60000,AT_LEAST,CNY,6万余元,1,",
		te.TableExports.PilotPhases.CSV:   "岳西县,340828,TRIAL,1,,,,",
	} {
		res, err := hubGet(t, addr, path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("\ufeff")) || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %s; want a CSV with a row starting %q:\n%s", path, res.Status, want, body)
		}
	}
	if res, err := hubGet(t, addr, te.TableExports.BudgetTotals.Xlsx); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %v %v", te.TableExports.BudgetTotals.Xlsx, res, err)
	} else {
		res.Body.Close()
	}

	// The CSV export linked from the comparison carries the same numbers.
	res, err := hubGet(t, addr, got.Branches.Exports.CSV)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("\ufeff")) || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("GET %s: %s %q, %d bytes; want a CSV with a byte-order mark", got.Branches.Exports.CSV, res.Status, res.Header.Get("Content-Type"), len(body))
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	lines, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var exported []string
	for _, l := range lines[2:] {
		if len(l) > 4 && l[3] != "" {
			exported = append(exported, l[1]+" "+l[3]+" "+l[4])
		}
	}
	if want := []string{"大观区 113 EXACT", "桐城市 85 EXACT", "望江县 55 EXACT", "怀宁县 35 EXACT", "合计 total 288 EXACT"}; !slices.Equal(exported, want) {
		t.Errorf("CSV export rows %q; want %q", exported, want)
	}
	if res, err := hubGet(t, addr, got.Branches.Exports.Xlsx); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %v %v", got.Branches.Exports.Xlsx, res, err)
	} else {
		res.Body.Close()
	}
}

// checkCoverage checks how widely the demo's metrics are reported: the
// dashboard offers the metrics with figures, the most widely reported first.
func checkCoverage(t *testing.T, addr string) {
	t.Helper()
	var got struct {
		Metrics []struct {
			Code     string
			Coverage []struct {
				Period          string
				Counties, Units int
			}
		}
	}
	graphql(t, addr, `{ metrics { code coverage { period counties units } } }`, &got)
	cov := map[string]string{}
	for _, m := range got.Metrics {
		var parts []string
		for _, c := range m.Coverage {
			parts = append(parts, fmt.Sprintf("%s %d/%d", c.Period, c.Counties, c.Units))
		}
		cov[m.Code] = strings.Join(parts, ", ")
	}
	for metric, want := range map[string]string{
		"outcome.problems_resolved":   "2023 4/4", // Yuexi's through 城东社区
		"org.compound_party_branches": "2023 4/4",
		"coverage.property_service":   "2023 0/1", // the city's own
		"org.task_forces":             "2023 1/1",
	} {
		if cov[metric] != want {
			t.Errorf("coverage of %s: %q; want %q", metric, cov[metric], want)
		}
	}
}
