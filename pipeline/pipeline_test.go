package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/pipeline"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

// system is a context of the hub's own work, allowed everything; tests of
// who may do what use other principals.
func system() context.Context {
	return auth.WithPrincipal(context.Background(), auth.System)
}

// pluginDir holds real plugin binaries: the example and csv importers,
// and badplugin under the names of its misbehaviours (badModes).
var pluginDir string

// badModes are the names badplugin is installed under: crash (crashes
// mid-import), stall (three records, then silence), slow (a record every
// 200 ms) and slowstop (slow, for the test that stops its process).
var badModes = []string{"crash", "stall", "slow", "slowstop"}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "countyhub-pipeline-plugins-")
	if err != nil {
		panic(err)
	}
	pluginDir = dir
	for name, pkg := range map[string]string{"example": "../importers/example", "csv": "../importers/csv", "crash": "../plugins/host/testdata/badplugin"} {
		if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, name), pkg).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "build %s: %v\n%s", pkg, err, out)
			os.Exit(1)
		}
	}
	bad, err := os.ReadFile(filepath.Join(dir, "crash"))
	if err != nil {
		panic(err)
	}
	for _, name := range badModes[1:] {
		if err := os.WriteFile(filepath.Join(dir, name), bad, 0o755); err != nil {
			panic(err)
		}
	}
	if _, err := host.New(dir, host.Options{}).Pin(system(), "example", "csv"); err != nil {
		panic(err)
	}
	// badplugin describes itself fine and misbehaves while importing; pin
	// it as is.
	b, _ := os.ReadFile(filepath.Join(dir, host.LockFileName))
	sum, _ := host.OpenBinary(filepath.Join(dir, "crash"), host.Options{})
	for _, name := range badModes {
		b = []byte(strings.Replace(string(b), `"plugins": {`, `"plugins": {"`+name+`": {"sha256": "`+sum.SHA256+`"},`, 1))
	}
	os.WriteFile(filepath.Join(dir, host.LockFileName), b, 0o644)

	storetest.Main(m)
}

type env struct {
	store *store.Store
	p     *pipeline.Pipeline
}

func newEnv(t *testing.T) env {
	t.Helper()
	return newEnvWith(t, host.Options{IdleTimeout: 5 * time.Second})
}

// newEnvWith is newEnv with plugins run under opts.
func newEnvWith(t *testing.T, opts host.Options) env {
	t.Helper()
	s := storetest.New(t, nil)
	ctx := system()
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	if err := refdata.Load(ctx, s, refdata.DefaultScope); err != nil {
		t.Fatal(err)
	}
	h := host.New(pluginDir, opts)
	return env{store: s, p: pipeline.New(s, h, pipeline.Options{Writers: 2, BatchSize: 3})}
}

func (e env) importCSV(t *testing.T, unit, csv string, mod func(*pipeline.Request)) model.Run {
	t.Helper()
	req := pipeline.Request{Unit: unit, Importer: "example", FileName: "sheet.csv", File: strings.NewReader(csv), Options: map[string]string{"as_of": "2023-08-07"}, By: "test"}
	if mod != nil {
		mod(&req)
	}
	run, err := e.p.Import(system(), req)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return run
}

// released returns the observations readers see for a unit: those of the
// run its release points at.
func (e env) released(t *testing.T, unit string) map[string]model.Observation {
	t.Helper()
	ctx := system()
	rel, err := e.store.Release(ctx, unit)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]model.Observation{}
	if rel.Runs["observations"] == "" {
		return out
	}
	obs, err := store.RunRecords[model.Observation](ctx, e.store, "observations", rel.Runs["observations"])
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range obs {
		out[o.Key] = o
	}
	return out
}

const yuexi = `metric,unit,period,value
org.community_workers_recruited,,2023,60
plan.key_tasks,,2023,24
outcome.problems_resolved,城东社区,2023,300余件
`

func TestImportPublishAndReimport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := system()

	run := e.importCSV(t, "340828", yuexi, nil)
	if run.Status != model.RunReady || run.Counts["observations"] != 3 || run.Counts["units"] != 1 || run.Errors != 0 {
		t.Fatalf("run = %+v; want READY with 3 observations and the new community", run)
	}
	if len(run.Diff.Added) != 3 || len(run.Diff.Changed)+len(run.Diff.Removed) != 0 {
		t.Errorf("diff of a first import = %+v; want 3 added", run.Diff)
	}
	if got := e.released(t, "340828"); len(got) != 0 {
		t.Errorf("readers see %d records before publishing", len(got))
	}

	pub, err := e.p.Publish(ctx, run.ID, "officer")
	if err != nil || pub.Status != model.RunPublished {
		t.Fatalf("publish: %+v, %v", pub, err)
	}
	got := e.released(t, "340828")
	if len(got) != 3 {
		t.Fatalf("released: %d records; want 3", len(got))
	}
	var community model.Observation
	for _, o := range got {
		if o.MetricCode == "outcome.problems_resolved" {
			community = o
		}
	}
	want := model.Quantity{Value: 300, Qualifier: model.AtLeast, Unit: model.UnitCount, Text: "300余件"}
	if diff := cmp.Diff(want, community.Value); diff != "" {
		t.Errorf("normalized 300余件 (-want +got):\n%s", diff)
	}
	if community.UnitCode == "340828" || community.CountyCode != "340828" || community.AsOf != "2023-08-07" || community.Provenance.Reference != "line 4" ||
		community.Provenance.FileSHA256 != run.FileSHA256 || community.Provenance.ImporterVersion != "1.0.0" {
		t.Errorf("observation = %+v; want it on the community, with provenance", community)
	}
	unit, err := e.store.Unit(ctx, community.UnitCode)
	if err != nil || unit.Name != "城东社区" || unit.Level != model.LevelCommunity || unit.CountyCode != "340828" {
		t.Errorf("the community was not created under Yuexi: %+v, %v", unit, err)
	}

	again := e.importCSV(t, "340828", yuexi, nil)
	if again.Status != model.RunUnchanged || !strings.Contains(again.Reason, run.ID) {
		t.Errorf("same file again: %s (%s); want UNCHANGED naming %s", again.Status, again.Reason, run.ID)
	}
	other := e.importCSV(t, "340828", yuexi, func(r *pipeline.Request) { r.Options = map[string]string{"as_of": "2023-09-01"} })
	if other.Status != model.RunReady {
		t.Errorf("same file with other options: %s; want READY", other.Status)
	}
}

func TestDryRunDiff(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := system()
	first := e.importCSV(t, "340828", yuexi, nil)
	if _, err := e.p.Publish(ctx, first.ID, "officer"); err != nil {
		t.Fatal(err)
	}
	edited := `metric,unit,period,value
org.community_workers_recruited,,2023,61
outcome.problems_resolved,城东社区,2023,300余件
org.volunteer_teams,,2023,9
`
	dry := e.importCSV(t, "340828", edited, func(r *pipeline.Request) { r.DryRun = true })
	if dry.Status != model.RunDiscarded || dry.Diff == nil {
		t.Fatalf("dry run: %+v", dry)
	}
	keys := func(es []model.DiffEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Key+" "+e.Reference+" "+strings.Join(e.Fields, ","))
		}
		sort.Strings(out)
		return out
	}
	if diff := cmp.Diff([]string{"org.volunteer_teams|340828|2023 line 4 "}, keys(dry.Diff.Added)); diff != "" {
		t.Errorf("added (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"org.community_workers_recruited|340828|2023 line 2 value"}, keys(dry.Diff.Changed)); diff != "" {
		t.Errorf("changed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"plan.key_tasks|340828|2023  "}, keys(dry.Diff.Removed)); diff != "" {
		t.Errorf("removed (-want +got):\n%s", diff)
	}
	if d := dry.Diff; d.AddedCount != 1 || d.ChangedCount != 1 || d.RemovedCount != 1 || d.Truncated() {
		t.Errorf("diff counts %d added, %d changed, %d removed, truncated %v; want 1, 1, 1, false", d.AddedCount, d.ChangedCount, d.RemovedCount, d.Truncated())
	}
	if left, _ := store.RunRecords[model.Observation](ctx, e.store, "observations", dry.ID); len(left) != 0 {
		t.Errorf("a dry run left %d records", len(left))
	}
	if got := e.released(t, "340828"); len(got) != 3 || got["org.community_workers_recruited|340828|2023"].Value.Value != 60 {
		t.Errorf("the release changed after a dry run: %+v", got)
	}
	if _, err := e.p.Publish(ctx, dry.ID, "officer"); !errors.Is(err, pipeline.ErrState) {
		t.Errorf("publishing a dry run: %v; want ErrState", err)
	}
}

func TestBadRowsAreReportedAndFailTheRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	bad := `metric,unit,period,value
org.volunteer_teams,,2023,12
org.no_such_metric,,2023,5
outcome.problems_resolved,,2023,很多
org.volunteer_teams,大观区,2023,3
org.volunteer_teams,,2023,13
`
	run := e.importCSV(t, "340828", bad, nil)
	if run.Status != model.RunFailed || run.Errors != 4 || !strings.Contains(run.Reason, "rows with errors: 4") {
		page, _ := e.store.Diagnostics(system(), run.ID, store.Page{First: 10})
		t.Logf("diagnostics: %+v", page.Items)
		t.Fatalf("run = %s %q with %d errors; want FAILED with 4", run.Status, run.Reason, run.Errors)
	}
	page, err := e.store.Diagnostics(system(), run.ID, store.Page{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	// The importer reports the other county's row itself, as it reads it,
	// and the hub the rest as it validates them: the two do not interleave
	// in file order, so the test sorts.
	var got []string
	var daguan string
	for _, d := range page.Items {
		got = append(got, fmt.Sprintf("%s %s %s", d.Severity, d.Reference, d.Field))
		if d.Reference == "line 5" {
			daguan = d.Message
		}
	}
	sort.Strings(got)
	want := []string{"ERROR line 3 metric", "ERROR line 4 value", "ERROR line 5 unit", "ERROR line 6 key"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	for _, d := range page.Items {
		if d.Message == "" {
			t.Errorf("diagnostic without a reason: %+v", d)
		}
	}
	if !strings.Contains(daguan, "another county") {
		t.Errorf("a record for Daguan in a Yuexi run: %q; want it refused as another county's", daguan)
	}
	// The run knows how many diagnostics it stored, and they are the ones
	// read by id.
	stored, err := e.store.Run(system(), run.ID)
	if err != nil || stored.Diagnostics == nil || *stored.Diagnostics != 4 {
		t.Errorf("stored run's diagnostics %v, %v; want 4", stored.Diagnostics, err)
	} else if byID, err := e.store.DiagnosticsPage(system(), run.ID, *stored.Diagnostics, store.Page{First: 10}); err != nil || len(byID.Items) != 4 {
		t.Errorf("diagnostics by id: %d, %v; want the 4", len(byID.Items), err)
	}

	tolerant := e.importCSV(t, "340828", bad, func(r *pipeline.Request) { r.MaxErrors = 4 })
	if tolerant.Status != model.RunReady || tolerant.Counts["observations"] != 1 {
		t.Errorf("with maxErrors 4: %s, %v; want READY with the one good row", tolerant.Status, tolerant.Counts)
	}
}

func TestRollbackAndCollection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := system()
	var runs []model.Run
	for i := range 3 {
		csv := fmt.Sprintf("metric,unit,period,value\norg.volunteer_teams,,2023,%d\n", 10+i)
		r := e.importCSV(t, "340803", csv, nil)
		if _, err := e.p.Publish(ctx, r.ID, "officer"); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	value := func() float64 {
		for _, o := range e.released(t, "340803") {
			return o.Value.Value
		}
		return -1
	}
	if v := value(); v != 12 {
		t.Fatalf("released value %v; want 12", v)
	}
	// The first run is neither current nor previous: its records are
	// collected after the publish answered, in the background.
	e.p.Wait()
	if left, _ := store.RunRecords[model.Observation](ctx, e.store, "observations", runs[0].ID); len(left) != 0 {
		t.Errorf("records of a superseded run were kept: %d", len(left))
	}
	for i, want := range []bool{true, false, false} {
		if r, err := e.store.Run(ctx, runs[i].ID); err != nil || r.Collected != want {
			t.Errorf("run %d collected %v, %v; want %v", i, r.Collected, err, want)
		}
	}
	if _, err := e.p.Rollback(ctx, "340803", "admin"); err != nil {
		t.Fatal(err)
	}
	if v := value(); v != 11 {
		t.Errorf("after rollback: %v; want 11", v)
	}
	if _, err := e.p.Rollback(ctx, "340803", "admin"); err != nil {
		t.Fatal(err)
	}
	if v := value(); v != 12 {
		t.Errorf("after rolling back twice: %v; want 12 again", v)
	}
	if _, err := e.p.Rollback(ctx, "340811", "admin"); !errors.Is(err, pipeline.ErrState) {
		t.Errorf("rollback of a unit never published: %v; want ErrState", err)
	}
	audit, err := e.store.Audit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, a := range audit {
		actions[a.Action]++
	}
	if actions["import"] != 3 || actions["publish"] != 3 || actions["rollback"] != 2 {
		t.Errorf("audit actions = %v", actions)
	}
}

func TestCrashedPluginAndRestartLeavePublishedDataIntact(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := system()
	first := e.importCSV(t, "340882", "metric,unit,period,value\norg.pioneer_zones,,2023,163\n", nil)
	if _, err := e.p.Publish(ctx, first.ID, "officer"); err != nil {
		t.Fatal(err)
	}
	before := e.released(t, "340882")

	crashed := e.importCSV(t, "340882", "a\nb\nc\n", func(r *pipeline.Request) { r.Importer = "crash"; r.Options = nil })
	if crashed.Status != model.RunFailed || !strings.Contains(crashed.Reason, "crashed") {
		t.Errorf("crashed plugin: %s %q; want FAILED saying it crashed", crashed.Status, crashed.Reason)
	}
	if left, _ := store.RunRecords[model.Observation](ctx, e.store, "observations", crashed.ID); len(left) != 0 {
		t.Errorf("a failed run left %d records", len(left))
	}

	// A hub killed mid-import leaves a RUNNING run with records; the next
	// start fails it and removes them.
	stale := model.Run{ID: "20230807T000000.000000-dead00", Unit: "340882", Importer: "example", Status: model.RunRunning,
		Datasets: []string{"observations"}, Counts: map[string]int{}, Created: time.Now().UTC()}
	if err := e.store.CreateRun(ctx, stale); err != nil {
		t.Fatal(err)
	}
	if err := e.store.InsertRecords(ctx, "observations", stale.ID, []any{model.Observation{ID: stale.ID + "/x", Key: "x", MetricCode: "org.pioneer_zones",
		UnitCode: "340882", Period: "2023", Provenance: model.Provenance{RunID: stale.ID}}}); err != nil {
		t.Fatal(err)
	}
	if err := e.p.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := e.store.Run(ctx, stale.ID)
	if err != nil || got.Status != model.RunFailed || !strings.Contains(got.Reason, "hub stopped") {
		t.Errorf("after recovery: %+v, %v", got, err)
	}
	if left, _ := store.RunRecords[model.Observation](ctx, e.store, "observations", stale.ID); len(left) != 0 {
		t.Errorf("recovery left %d records", len(left))
	}
	if diff := cmp.Diff(before, e.released(t, "340882")); diff != "" {
		t.Errorf("published data changed (-before +after):\n%s", diff)
	}
}

func TestRequestsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := system()
	tests := map[string]pipeline.Request{
		"unknown unit":     {Unit: "999999", Importer: "example"},
		"unknown importer": {Unit: "340828", Importer: "nope"},
		"unknown option":   {Unit: "340828", Importer: "example", Options: map[string]string{"sheet": "1"}},
		"negative limit":   {Unit: "340828", Importer: "example", MaxErrors: -1},
	}
	for name, req := range tests {
		req.File = strings.NewReader(yuexi)
		if _, err := e.p.Import(ctx, req); !errors.Is(err, pipeline.ErrInvalid) {
			t.Errorf("%s: %v; want ErrInvalid", name, err)
		}
	}
}
