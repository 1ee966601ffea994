package pipeline_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/pipeline"
)

// TestReleasesCountTheirRecords checks the counts a release keeps of the
// runs it points at, from which connections answer totalCount: they follow
// publishes and rollbacks, and a release stored without them (by an older
// hub) gets them at the next start.
func TestReleasesCountTheirRecords(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := system()
	publish := func(rows ...string) {
		t.Helper()
		run, err := e.p.Import(ctx, pipeline.Request{Unit: "340803", Importer: "csv", FileName: "stations.csv", By: "test",
			File:    strings.NewReader("社区,站点名称,状态\n" + strings.Join(rows, "\n") + "\n"),
			Options: map[string]string{"mapping": "dataset: stations\ncolumns:\n  社区: community\n  站点名称: name\n  状态: status\nkey_from: [community, name]\n"}})
		if err != nil || run.Status != model.RunReady {
			t.Fatalf("import stations: %s %s, %v", run.Status, run.Reason, err)
		}
		if _, err := e.p.Publish(ctx, run.ID, "test"); err != nil {
			t.Fatal(err)
		}
	}
	check := func(step string, want, wantPlanned int) {
		t.Helper()
		rel, err := e.store.Release(ctx, "340803")
		if err != nil {
			t.Fatal(err)
		}
		n, ok := rel.Count("stations", "")
		planned, okPlanned := rel.Count("stations", string(model.StationPlanned))
		if !ok || !okPlanned || n != want || planned != wantPlanned {
			t.Errorf("%s: release counts %d (%v), planned %d (%v); want %d, %d", step, n, ok, planned, okPlanned, want, wantPlanned)
		}
	}
	publish("石化社区,石化站,运行中", "龙山社区,龙山站,筹建中", "菱湖社区,菱湖站,筹建中")
	check("first publish", 3, 2)
	publish("石化社区,石化站,运行中")
	check("second publish", 1, 0)
	if _, err := e.p.Rollback(ctx, "340803", "test"); err != nil {
		t.Fatal(err)
	}
	check("rollback", 3, 2)

	// A release as a hub stored it before releases kept counts.
	old, err := e.store.Release(ctx, "340803")
	if err != nil {
		t.Fatal(err)
	}
	bare := model.Release{Unit: old.Unit, Runs: old.Runs, Previous: old.Previous, Version: old.Version + 1, Published: old.Published}
	if err := e.store.SwapRelease(ctx, old, bare); err != nil {
		t.Fatal(err)
	}
	if rel, _ := e.store.Release(ctx, "340803"); rel.Tallied() {
		t.Fatalf("a release stored without counts reads as tallied: %+v", rel)
	}
	if err := e.p.Recover(ctx); err != nil {
		t.Fatal(err)
	}
	check("after a start", 3, 2)
	rel, err := e.store.Release(ctx, "340803")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(old.Runs, rel.Runs); diff != "" || !rel.Published.Equal(old.Published) {
		t.Errorf("counting changed the release: runs (-before +after):\n%s, published %v, was %v", diff, rel.Published, old.Published)
	}
}
