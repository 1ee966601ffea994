package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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

func TestReleaseCompareAndSwap(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)
	empty, err := s.Release(ctx, "340803")
	if err != nil || empty.Version != 0 || empty.Runs == nil {
		t.Fatalf("unpublished release: %+v, %v", empty, err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	v1 := model.Release{Unit: "340803", Runs: map[string]string{"stations": "r1"}, Previous: map[string]string{}, Version: 1, Published: now}
	if err := s.SwapRelease(ctx, empty, v1); err != nil {
		t.Fatal(err)
	}
	if err := s.SwapRelease(ctx, empty, v1); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second first publish: %v; want ErrConflict", err)
	}
	v2 := model.Release{Unit: "340803", Runs: map[string]string{"stations": "r2"}, Previous: map[string]string{"stations": "r1"}, Version: 2, Published: now}
	if err := s.SwapRelease(ctx, v1, v2); err != nil {
		t.Fatal(err)
	}
	stale := v2
	stale.Version = 3
	if err := s.SwapRelease(ctx, v1, stale); !errors.Is(err, store.ErrConflict) {
		t.Errorf("swap from a stale version: %v; want ErrConflict", err)
	}
	got, err := s.Release(ctx, "340803")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(v2, got); diff != "" {
		t.Errorf("release (-want +got):\n%s", diff)
	}
	all, err := s.Releases(ctx)
	if err != nil || len(all) != 1 {
		t.Errorf("Releases = %+v, %v", all, err)
	}
}

func TestRunRecordsAndDiagnostics(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)
	for run, n := range map[string]int{"r1": 3, "r2": 2} {
		var docs []any
		for i := range n {
			docs = append(docs, model.Station{ID: fmt.Sprintf("%s/s%d", run, i), Key: fmt.Sprintf("s%d", i), CountyCode: "340803",
				Name: "站", Status: model.StationOperating, Provenance: model.Provenance{RunID: run, Reference: fmt.Sprintf("line %d", i+2)}})
		}
		if err := s.InsertRecords(ctx, "stations", run, docs); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.InsertRecords(ctx, "people", "r1", []any{model.Station{ID: "r1/p"}}); err == nil {
		t.Error("unknown dataset accepted")
	}
	if err := s.InsertRecords(ctx, "stations", "", []any{model.Station{ID: "x"}}); err == nil {
		t.Error("empty run id accepted")
	}
	r1, err := store.RunRecords[model.Station](ctx, s, "stations", "r1")
	if err != nil || len(r1) != 3 || r1[0].Key != "s0" || r1[2].Provenance.Reference != "line 4" {
		t.Fatalf("records of r1: %+v, %v", r1, err)
	}
	if err := s.DeleteRunRecords(ctx, "stations", "r1"); err != nil {
		t.Errorf("delete records of r1: %v", err)
	}
	if err := s.DeleteRunRecords(ctx, "stations", "r1"); err != nil {
		t.Errorf("delete records of r1 again: %v", err)
	}
	if left, _ := store.RunRecords[model.Station](ctx, s, "stations", "r1"); len(left) != 0 {
		t.Errorf("%d records of r1 left", len(left))
	}
	if r2, _ := store.RunRecords[model.Station](ctx, s, "stations", "r2"); len(r2) != 2 {
		t.Errorf("records of r2: %d; want 2 untouched", len(r2))
	}

	var diags []model.RunDiagnostic
	for i := range 25 {
		diags = append(diags, model.RunDiagnostic{ID: fmt.Sprintf("r1/%08d", i), Run: "r1", Seq: i, Severity: "ERROR", Reference: fmt.Sprintf("line %d", i+2), Message: "bad"})
	}
	if err := s.PutDiagnostics(ctx, diags); err != nil {
		t.Fatal(err)
	}
	page, err := s.Diagnostics(ctx, "r1", store.Page{First: 10, After: "r1/00000009"})
	if err != nil || len(page.Items) != 10 || page.Items[0].Seq != 10 || !page.HasNext {
		t.Errorf("diagnostics page: %+v, %v", page, err)
	}
	if n, _ := s.CountDiagnostics(ctx, "r1"); n != 25 {
		t.Errorf("CountDiagnostics = %d", n)
	}
	if n, err := s.DeleteDiagnostics(ctx, "r1"); n != 25 || err != nil {
		t.Errorf("DeleteDiagnostics = %d, %v", n, err)
	}
}

func TestUploadsAndAudit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)
	data := bytes.Repeat([]byte("大观区,党群服务站\n"), 50000) // several GridFS chunks
	if ok, err := s.HasUpload(ctx, "sha1"); ok || err != nil {
		t.Fatalf("HasUpload before: %v, %v", ok, err)
	}
	for range 2 { // the second is a no-op
		if err := s.PutUpload(ctx, "sha1", "daguan.csv", bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.OpenUpload(ctx, "sha1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("read back %d bytes, %v; want %d", len(got), err, len(data))
	}
	if _, err := s.OpenUpload(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("OpenUpload of a missing file: %v", err)
	}

	for i, a := range []string{"import", "publish"} {
		if err := s.PutAudit(ctx, model.AuditEntry{ID: fmt.Sprintf("a%d", i), At: time.Now().UTC(), Actor: "cli", Action: a, Unit: "340803", Run: "r1"}); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := s.Audit(ctx)
	if err != nil || len(entries) != 2 || !strings.EqualFold(entries[1].Action, "publish") {
		t.Errorf("audit: %+v, %v", entries, err)
	}
}
