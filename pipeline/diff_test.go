package pipeline

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
)

// fakeReleased keeps a release and the records of its runs in memory. A
// fake is right here: the test checks the diff's rule (what counts as
// added, changed and removed, which fields are named), not the database;
// the dry-run tests of pipeline_test.go take the diff through the real
// embedded store.
type fakeReleased struct {
	release model.Release
	records map[string][]model.Record // "dataset/run" -> records
}

func (f fakeReleased) Release(_ context.Context, unit string) (model.Release, error) {
	if f.release.Unit != unit {
		return model.Release{Unit: unit, Runs: map[string]string{}, Previous: map[string]string{}}, nil
	}
	return f.release, nil
}

func (f fakeReleased) Records(_ context.Context, dataset string, runs ...string) ([]model.Record, error) {
	var out []model.Record
	for _, run := range runs {
		out = append(out, f.records[dataset+"/"+run]...)
	}
	return out, nil
}

func TestDiff(t *testing.T) {
	t.Parallel()
	budget := func(run, key, text, ref string) model.Budget {
		return model.Budget{ID: run + "/" + key, Key: key, CountyCode: "340827", Year: 2023, Purpose: "奖补",
			Amount: model.Quantity{Value: 60000, Qualifier: model.AtLeast, Unit: model.UnitCNY, Text: text},
			Status: model.BudgetAllocated, Provenance: model.Provenance{RunID: run, FileName: run + ".csv", Reference: ref}}
	}
	station := func(run, key, name string, opened string) model.Station {
		return model.Station{ID: run + "/" + key, Key: key, CountyCode: "340827", Name: name, Status: model.StationOperating,
			Facilities: []model.Facility{}, Opened: opened, Provenance: model.Provenance{RunID: run, Reference: "line 2"}}
	}
	released := fakeReleased{
		release: model.Release{Unit: "340827", Runs: map[string]string{"budgets": "old", "stations": "old"}},
		records: map[string][]model.Record{
			"budgets/old":  {budget("old", "b1", "6万余元", "line 2"), budget("old", "b2", "6万余元", "line 3"), budget("old", "b3", "6万余元", "line 4")},
			"stations/old": {station("old", "s1", "站", "")},
		},
	}
	many := map[string]model.Record{}
	for i := range model.DiffListLimit + 1 {
		k := fmt.Sprintf("b%04d", i)
		many[k] = budget("new", k, "6万余元", "line 2")
	}
	tests := map[string]struct {
		unit     string
		datasets []string
		written  map[string]map[string]model.Record
		want     model.Diff
	}{
		"added, changed and removed": {
			unit: "340827", datasets: []string{"budgets"},
			written: map[string]map[string]model.Record{"budgets": {
				// b1 is the same but for its id and provenance: unchanged.
				"b1": budget("new", "b1", "6万余元", "line 9"),
				"b2": budget("new", "b2", "6万元", "line 3"),
				"b4": budget("new", "b4", "6万余元", "line 5"),
			}},
			want: model.Diff{
				Added:      []model.DiffEntry{{Dataset: "budgets", Key: "b4", Reference: "line 5"}},
				Changed:    []model.DiffEntry{{Dataset: "budgets", Key: "b2", Reference: "line 3", Fields: []string{"amount"}}},
				Removed:    []model.DiffEntry{{Dataset: "budgets", Key: "b3"}},
				AddedCount: 1, ChangedCount: 1, RemovedCount: 1,
			},
		},
		"fields named as the API names them, a field set and a field emptied": {
			unit: "340827", datasets: []string{"stations"},
			written: map[string]map[string]model.Record{"stations": {"s1": station("new", "s1", "新站", "2023-05")}},
			want: model.Diff{Added: []model.DiffEntry{}, Removed: []model.DiffEntry{},
				Changed:      []model.DiffEntry{{Dataset: "stations", Key: "s1", Reference: "line 2", Fields: []string{"name", "opened"}}},
				ChangedCount: 1},
		},
		"only the run's datasets are compared": {
			unit: "340827", datasets: []string{"stations"},
			written: map[string]map[string]model.Record{"stations": {"s1": station("new", "s1", "站", "")}},
			want:    model.Diff{Added: []model.DiffEntry{}, Changed: []model.DiffEntry{}, Removed: []model.DiffEntry{}},
		},
		"a unit never published": {
			unit: "340828", datasets: []string{"budgets"},
			written: map[string]map[string]model.Record{"budgets": {"b1": budget("new", "b1", "6万余元", "line 2")}},
			want: model.Diff{Added: []model.DiffEntry{{Dataset: "budgets", Key: "b1", Reference: "line 2"}}, Changed: []model.DiffEntry{}, Removed: []model.DiffEntry{},
				AddedCount: 1},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run := model.Run{ID: "new", Unit: tc.unit, Datasets: tc.datasets}
			got, err := diff(context.Background(), released, run, tc.written)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("diff (-want +got):\n%s", d)
			}
		})
	}
	t.Run("long lists are cut, the counts are not", func(t *testing.T) {
		t.Parallel()
		run := model.Run{ID: "new", Unit: "340828", Datasets: []string{"budgets"}}
		got, err := diff(context.Background(), released, run, map[string]map[string]model.Record{"budgets": many})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Added) != model.DiffListLimit || got.AddedCount != model.DiffListLimit+1 || !got.Truncated() || got.Added[0].Key != "b0000" {
			t.Errorf("added %d listed, %d in all, truncated %v, first %q", len(got.Added), got.AddedCount, got.Truncated(), got.Added[0].Key)
		}
	})
}
