package store_test

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

func TestRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	created := time.Date(2023, 8, 7, 10, 0, 0, 0, time.UTC)
	var runs []model.Run
	for i := range 5 {
		r := model.Run{ID: fmt.Sprintf("r%03d", i), Unit: "340803", Importer: "daguan", ImporterVersion: "1.0.0", FileName: "a.csv",
			FileSHA256: "ab", Fingerprint: "fp", Status: model.RunReady, Datasets: []string{"stations"}, Counts: map[string]int{"stations": i}, Created: created}
		if i == 4 {
			r.Unit, r.Status = "340828", model.RunRunning
		}
		if err := s.CreateRun(ctx, r); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	if err := s.CreateRun(ctx, runs[0]); err == nil {
		t.Error("a run id was reused")
	}
	page, err := s.Runs(ctx, store.RunFilter{Unit: "340803"}, store.Page{First: 3})
	if err != nil || len(page.Items) != 3 || page.Items[0].ID != "r003" || !page.HasNext {
		t.Fatalf("newest runs first: %+v, %v", page, err)
	}
	page, err = s.Runs(ctx, store.RunFilter{Unit: "340803"}, store.Page{First: 3, After: "r001"})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != "r000" || page.HasNext {
		t.Errorf("after r001: %+v, %v", page, err)
	}
	running, err := s.RunsWith(ctx, store.RunFilter{Status: model.RunRunning})
	if err != nil || len(running) != 1 || running[0].ID != "r004" {
		t.Errorf("running runs: %+v, %v", running, err)
	}
	if n, err := s.CountRuns(ctx, store.RunFilter{}); n != 5 || err != nil {
		t.Errorf("CountRuns = %d, %v", n, err)
	}
	if err := s.SetRunProgress(ctx, "r004", 120, 3, 1); err != nil {
		t.Fatal(err)
	}
	got, err := s.Run(ctx, "r004")
	if err != nil || got.Read != 120 || got.Errors != 3 || got.Warnings != 1 || !got.Created.Equal(created) {
		t.Errorf("progress: %+v, %v", got, err)
	}
	got.Status, got.Reason = model.RunFailed, "plugin crashed"
	if err := s.PutRun(ctx, got); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Run(ctx, "r004"); again.Status != model.RunFailed || again.Reason != "plugin crashed" {
		t.Errorf("after PutRun: %+v", again)
	}
	if err := s.PutRun(ctx, model.Run{ID: "nope"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("PutRun of a missing run: %v", err)
	}
}

// TestRunCountsFollowEveryWrite checks the maintained tallies against
// counting the runs, for each filter the API passes, through creation
// and every change of status; and that RecountRuns mends a tally that a
// run written past the store (as by a hub stopped before its tally) left
// one off.
func TestRunCountsFollowEveryWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	uri := storetest.DatabaseURI(t)
	s, err := store.Open(ctx, uri, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })

	var runs []model.Run
	units := []string{"340803", "340828", "340881"}
	for i := range 9 {
		r := model.Run{ID: fmt.Sprintf("r%03d", i), Unit: units[i%3], Importer: "csv", Status: model.RunRunning, Created: time.Now()}
		if err := s.CreateRun(ctx, r); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	for i, st := range []model.RunStatus{model.RunReady, model.RunFailed, model.RunPublished, model.RunReady, model.RunReady} {
		runs[i].Status = st
		if err := s.PutRun(ctx, runs[i]); err != nil {
			t.Fatal(err)
		}
	}
	runs[0].Status = model.RunPublished // READY to PUBLISHED
	if err := s.PutRun(ctx, runs[0]); err != nil {
		t.Fatal(err)
	}
	if err := s.PutRun(ctx, runs[1]); err != nil { // the same status again
		t.Fatal(err)
	}

	want := func(f store.RunFilter) int {
		n := 0
		for _, r := range runs {
			if (f.Unit == "" || r.Unit == f.Unit) && (f.Status == "" || r.Status == f.Status) && (f.Units == nil || slices.Contains(f.Units, r.Unit)) {
				n++
			}
		}
		return n
	}
	filters := []store.RunFilter{
		{}, {Unit: "340803"}, {Status: model.RunReady}, {Unit: "340828", Status: model.RunRunning}, {Status: model.RunDiscarded},
		{Units: []string{"340803", "340881"}}, {Units: []string{"340881"}, Status: model.RunReady}, {Units: []string{}},
		{Unit: "340803", Units: []string{"340828"}}, {Unit: "340999"},
	}
	check := func(when string) {
		t.Helper()
		for _, f := range filters {
			got, err := s.CountRuns(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if w := want(f); got != w {
				t.Errorf("%s: CountRuns(%+v) = %d, want %d", when, f, got, w)
			}
		}
	}
	check("after the writes")

	// A run written past the store: its unit's tally misses it.
	cl, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Disconnect(ctx)
	extra := model.Run{ID: "r100", Unit: "340828", Importer: "csv", Status: model.RunFailed, Created: time.Now()}
	if _, err := cl.Database(path.Base(uri)).Collection("runs").InsertOne(ctx, extra); err != nil {
		t.Fatal(err)
	}
	runs = append(runs, extra)
	if got, _ := s.CountRuns(ctx, store.RunFilter{Unit: "340828"}); got != want(store.RunFilter{Unit: "340828"})-1 {
		t.Fatalf("a run written past the store counted %d for 340828: the test no longer shows the drift", got)
	}
	if err := s.RecountRuns(ctx); err != nil {
		t.Fatal(err)
	}
	check("after RecountRuns")
}
