package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

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
