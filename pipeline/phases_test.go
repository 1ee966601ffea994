package pipeline_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/pipeline"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/store/storetest"
)

// TestRunsRecordTheirPhases checks that a run keeps its phases in order,
// each with the rows it handled, that the stored run has them, and that
// every one is reported to Options.ObservePhase.
func TestRunsRecordTheirPhases(t *testing.T) {
	t.Parallel()
	ctx := system()
	s := storetest.New(t, nil)
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	if err := refdata.Load(ctx, s, refdata.DefaultScope); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var observed []string
	p := pipeline.New(s, host.New(pluginDir, host.Options{}), pipeline.Options{Writers: 2, BatchSize: 2, ObservePhase: func(ph model.Phase) {
		mu.Lock()
		defer mu.Unlock()
		observed = append(observed, ph.Name)
	}})
	file := yuexi + "plan.key_tasks,,2022,20\n"
	run, err := p.Import(ctx, pipeline.Request{Unit: "340828", Importer: "example", FileName: "sheet.csv", File: strings.NewReader(file),
		Options: map[string]string{"as_of": "2023-08-07"}, By: "test"})
	if err != nil || run.Status != model.RunReady {
		t.Fatalf("import: %+v, %v", run, err)
	}
	pub, err := p.Publish(ctx, run.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.Run(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}

	want := []string{model.PhaseUpload, model.PhaseStore, model.PhaseParse, model.PhaseValidate, model.PhaseWrite, model.PhaseDiff, model.PhasePublish, model.PhaseRollups}
	names := func(phases []model.Phase) []string {
		var out []string
		for _, ph := range phases {
			out = append(out, ph.Name)
		}
		return out
	}
	for what, got := range map[string][]string{"published run": names(pub.Phases), "stored run": names(stored.Phases), "observed": observed} {
		if !slices.Equal(got, want) {
			t.Errorf("%s: phases %v, want %v", what, got, want)
		}
	}
	records := run.Counts["observations"] + run.Counts["units"] // 4 observations and the community the file names
	for _, ph := range stored.Phases {
		switch ph.Name {
		case model.PhaseUpload, model.PhaseStore:
			if ph.Bytes != int64(len(file)) {
				t.Errorf("%s: %d bytes, want the file's %d", ph.Name, ph.Bytes, len(file))
			}
		case model.PhaseParse, model.PhaseValidate:
			if ph.Rows != run.Read {
				t.Errorf("%s: %d rows, want the %d read", ph.Name, ph.Rows, run.Read)
			}
		case model.PhaseWrite, model.PhaseDiff, model.PhasePublish:
			if ph.Rows != records {
				t.Errorf("%s: %d rows, want the %d records written", ph.Name, ph.Rows, records)
			}
		}
		if ph.Duration <= 0 {
			t.Errorf("%s took %v", ph.Name, ph.Duration)
		}
		if ph.Rows > 0 && ph.RowsPerSecond() <= 0 {
			t.Errorf("%s: %d rows at %v rows/s", ph.Name, ph.Rows, ph.RowsPerSecond())
		}
	}
}
