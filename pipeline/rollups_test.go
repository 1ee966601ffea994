package pipeline_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/countyhub/countyhub/analytics"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/pipeline"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/release"
	"github.com/countyhub/countyhub/store"
)

// recomputed computes the rollups afresh from the records of the released
// runs, read straight from the store (no cache).
func recomputed(t *testing.T, s *store.Store) []model.Rollup {
	t.Helper()
	ctx := system()
	rels, err := s.Releases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var obs []model.Observation
	for _, rel := range rels {
		if id := rel.Runs["observations"]; id != "" {
			recs, err := store.RunRecords[model.Observation](ctx, s, "observations", id)
			if err != nil {
				t.Fatal(err)
			}
			obs = append(obs, recs...)
		}
	}
	units, _ := s.Units(ctx)
	metrics, _ := s.Metrics(ctx)
	rs, err := analytics.Rollups(obs, units, metrics, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// recomputedFacets computes the entity facets afresh from the records of
// the released runs, read straight from the store.
func recomputedFacets(t *testing.T, s *store.Store) model.Facets {
	t.Helper()
	ctx := system()
	rels, err := s.Releases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	units, _ := s.Units(ctx)
	e := analytics.Entities{Rollups: recomputed(t, s), Units: units}
	for _, rel := range rels {
		if id := rel.Runs["stations"]; id != "" {
			recs, _ := store.RunRecords[model.Station](ctx, s, "stations", id)
			e.Stations = append(e.Stations, recs...)
		}
		if id := rel.Runs["budgets"]; id != "" {
			recs, _ := store.RunRecords[model.Budget](ctx, s, "budgets", id)
			e.Budgets = append(e.Budgets, recs...)
		}
		if id := rel.Runs["pilots"]; id != "" {
			recs, _ := store.RunRecords[model.Pilot](ctx, s, "pilots", id)
			e.Pilots = append(e.Pilots, recs...)
		}
	}
	f, err := analytics.FacetsOf(e, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestRollupsFollowEveryRelease publishes, rolls back, re-imports and
// publishes again, and after each step compares the stored rollups with a
// recomputation from the released records.
func TestRollupsFollowEveryRelease(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rebuilder := analytics.NewRebuilder(e.store, release.New(e.store, 64<<20))
	e.p = pipeline.New(e.store, host.New(pluginDir, host.Options{IdleTimeout: 5 * time.Second}), pipeline.Options{
		Released: rebuilder.Update,
	})
	ctx := system()
	check := func(step string, wantRollups int) {
		t.Helper()
		docs, err := e.store.Rollups(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := analytics.Merge(docs)
		want := recomputed(t, e.store)
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(model.Rollup{}, "Computed"), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: rollups differ from a recomputation (-want +got):\n%s", step, diff)
		}
		// Document by document, as a fresh layout stores them.
		units, _ := e.store.Units(ctx)
		byCode := map[string]model.AdminUnit{}
		for _, u := range units {
			byCode[u.Code] = u
		}
		if diff := cmp.Diff(analytics.Layout(want, byCode), docs, cmpopts.IgnoreFields(model.Rollup{}, "Computed"), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: stored documents differ from a fresh layout (-want +got):\n%s", step, diff)
		}
		if len(got) != wantRollups {
			t.Errorf("%s: %d rollups; want %d", step, len(got), wantRollups)
		}
		f, err := e.store.Facets(ctx)
		if err != nil || f.ID != model.FacetsID || f.Computed.IsZero() {
			t.Errorf("%s: facets %+v, %v; want them computed with the rollups", step, f, err)
		}
		if diff := cmp.Diff(recomputedFacets(t, e.store), f, cmpopts.IgnoreFields(model.Facets{}, "Computed"), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: facets differ from a recomputation (-want +got):\n%s", step, diff)
		}
	}
	publish := func(unit, csv string) {
		t.Helper()
		run := e.importCSV(t, unit, csv, nil)
		if _, err := e.p.Publish(ctx, run.ID, "test"); err != nil {
			t.Fatal(err)
		}
	}
	sheet := func(rows ...string) string {
		return "metric,unit,period,value\n" + strings.Join(rows, "\n") + "\n"
	}

	publish("340803", sheet("outcome.problems_resolved,,2023,110余件", "org.compound_party_branches,,2023,113"))
	check("first publish", 2)
	publish("340828", sheet("outcome.problems_resolved,城东社区,2023,300余件", "plan.key_tasks,,2023,24"))
	check("a community's figure", 3)
	var c analytics.Comparison
	c, err := analytics.Compare(ctx, e.store, "outcome.problems_resolved", "2023", "340800", "", "")
	if err != nil || len(c.Rows) != 2 || !c.Rows[0].Partial || c.Rows[0].Unit.Code != "340828" || c.Total == nil || *c.Total != (model.Quantity{Value: 410, Qualifier: model.AtLeast, Unit: model.UnitCount}) {
		t.Errorf("compare after publish: %+v, %v; want Yuexi 300+ partial first, then Daguan 110+, total 410+", c.Rows, err)
	}

	// A community's figure is kept in its county's part; another county's
	// publish leaves that part as it was.
	partID := model.RollupPartID("outcome.problems_resolved", "2023", "340828")
	computed := func(id string) time.Time {
		t.Helper()
		rs, err := e.store.RollupsByID(ctx, []string{id})
		if err != nil || len(rs) != 1 {
			t.Fatalf("rollup %s: %v, %v", id, rs, err)
		}
		return rs[0].Computed
	}
	before := computed(partID)
	if c, err := analytics.Compare(ctx, e.store, "outcome.problems_resolved", "2023", "340828", "", model.LevelCommunity); err != nil || len(c.Rows) != 1 || c.Rows[0].Value.Value != 300 {
		t.Errorf("compare the communities of Yuexi: %+v, %v; want the community's 300+ from its county's part", c.Rows, err)
	}

	publish("340803", sheet("outcome.problems_resolved,,2023,120余件", "org.volunteer_teams,,2022,10"))
	check("republish with other metrics", 3) // problems 2023, key tasks 2023, teams 2022; branches gone
	if after := computed(partID); !after.Equal(before) {
		t.Errorf("Daguan's publish recomputed Yuexi's part (computed %v, then %v)", before, after)
	}
	if _, err := e.p.Rollback(ctx, "340803", "test"); err != nil {
		t.Fatal(err)
	}
	check("rollback", 3)
	if _, err := e.p.Rollback(ctx, "340803", "test"); err != nil {
		t.Fatal(err)
	}
	check("roll forward", 3)
	publish("340828", sheet(fmt.Sprintf("plan.key_tasks,,2023,%d", 25)))
	check("re-import without the community's figure", 3)

	c, err = analytics.Compare(ctx, e.store, "outcome.problems_resolved", "2023", "340800", "", "")
	if err != nil || len(c.Rows) != 1 || c.Rows[0].Value.Value != 120 {
		t.Errorf("compare after re-import: %+v, %v; want Daguan's 120+ alone", c.Rows, err)
	}

	// Entity records: stations through the csv importer and a mapping.
	stations := func(rows ...string) {
		t.Helper()
		run, err := e.p.Import(ctx, pipeline.Request{Unit: "340803", Importer: "csv", FileName: "stations.csv", By: "test",
			File:    strings.NewReader("社区,站点名称,状态,功能室\n" + strings.Join(rows, "\n") + "\n"),
			Options: map[string]string{"mapping": "dataset: stations\ncolumns:\n  社区: community\n  站点名称: name\n  状态: status\n  功能室: facilities\nkey_from: [community, name]\n"}})
		if err != nil || run.Status != model.RunReady {
			t.Fatalf("import stations: %s %s, %v", run.Status, run.Reason, err)
		}
		if _, err := e.p.Publish(ctx, run.ID, "test"); err != nil {
			t.Fatal(err)
		}
	}
	stations("石化社区,石化站,运行中,阅览室、活动室", "龙山社区,龙山站,提档升级,阅览室")
	check("stations published", 3)
	stations("石化社区,石化站,运行中,阅览室")
	check("stations republished", 3)
	if _, err := e.p.Rollback(ctx, "340803", "test"); err != nil {
		t.Fatal(err)
	}
	check("stations rolled back", 3)
	if f, _ := e.store.Facets(ctx); len(f.Stations) != 1 || f.Stations[0].Stations != 2 || f.Stations[0].ByStatus["UPGRADING"] != 1 {
		t.Errorf("facets after the rollback: %+v; want the first two stations, one upgrading", f.Stations)
	}
	// A released run stored before runs kept their summary has its
	// stations read instead.
	rel, err := e.store.Release(ctx, "340803")
	if err != nil {
		t.Fatal(err)
	}
	unsummed, err := e.store.Run(ctx, rel.Runs["stations"])
	if err != nil || unsummed.Summary == nil || len(unsummed.Summary.Stations) != 1 {
		t.Fatalf("the released stations run: summary %+v, %v; want its one county's facet", unsummed.Summary, err)
	}
	unsummed.Summary = nil
	if err := e.store.PutRun(ctx, unsummed); err != nil {
		t.Fatal(err)
	}
	if _, err := rebuilder.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	check("a released run without a summary", 3)

	// A city's own figure: the city's sum gives way to it, the province's
	// sum is made of it.
	publish("340800", sheet("outcome.problems_resolved,,2023,500余件"))
	check("a city's figure", 3)

	// Up to date, a sync does nothing; a release whose state is lost is
	// recomputed alone; rollups with no states at all (as an older hub
	// stored them) are computed afresh.
	if n, err := rebuilder.Sync(ctx); err != nil || n != 0 {
		t.Errorf("sync when up to date = %d, %v; want 0", n, err)
	}
	if err := e.store.WriteRollupStates(ctx, nil, []string{"release:340828"}); err != nil {
		t.Fatal(err)
	}
	if n, err := rebuilder.Sync(ctx); err != nil || n != 1 {
		t.Errorf("sync after losing one state = %d, %v; want 1", n, err)
	}
	check("one release synced", 3)
	states, err := e.store.RollupStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, st := range states {
		ids = append(ids, st.ID)
	}
	stale := model.Rollup{ID: model.RollupID("org.volunteer_teams", "2019"), Metric: "org.volunteer_teams", Period: "2019",
		Figures: map[string]model.RollupFigure{"340803": {Value: model.Quantity{Value: 1, Unit: model.UnitCount}}}}
	if err := e.store.WriteRollups(ctx, []model.Rollup{stale}, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.store.WriteRollupStates(ctx, nil, ids); err != nil {
		t.Fatal(err)
	}
	if n, err := rebuilder.Sync(ctx); err != nil || n != 3 {
		t.Errorf("sync with no states = %d, %v; want the 3 released units", n, err)
	}
	check("synced afresh", 3)

	// Rollups of an older layout (a county's group in the root, with no
	// layout mark) are computed afresh in the current one.
	old := model.Rollup{ID: model.RollupID("org.volunteer_teams", "2019"), Metric: "org.volunteer_teams", Period: "2019",
		Figures: map[string]model.RollupFigure{"340803": {Value: model.Quantity{Value: 1, Unit: model.UnitCount}}},
		Groups:  map[string]model.RollupGroup{"340803": {Units: []string{"340803"}, Reported: 1}}}
	if err := e.store.WriteRollups(ctx, []model.Rollup{old}, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.store.WriteRollupStates(ctx, nil, []string{"layout:2"}); err != nil {
		t.Fatal(err)
	}
	if n, err := rebuilder.Sync(ctx); err != nil || n != 3 {
		t.Errorf("sync of an older layout = %d, %v; want the 3 released units", n, err)
	}
	check("an older layout synced afresh", 3)
	if n, err := rebuilder.Sync(ctx); err != nil || n != 0 {
		t.Errorf("sync after that = %d, %v; want 0", n, err)
	}
	if n, err := rebuilder.Rebuild(ctx); err != nil || n != 3 {
		t.Errorf("rebuild = %d, %v; want 3 rollups", n, err)
	}
	check("rebuilt", 3)
}
