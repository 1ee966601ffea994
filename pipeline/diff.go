package pipeline

import (
	"context"
	"reflect"
	"sort"
	"strings"

	"github.com/countyhub/countyhub/model"
)

// Released reads what a run is compared with: the release of its unit and
// the records of the released runs. *store.Store is one.
type Released interface {
	Release(ctx context.Context, unit string) (model.Release, error)
	Records(ctx context.Context, dataset string, runs ...string) ([]model.Record, error)
}

// diff compares a run's records (collected by dataset and key as they
// were written) with the released ones, by natural key.
func diff(ctx context.Context, s Released, run model.Run, written map[string]map[string]model.Record) (model.Diff, error) {
	d := model.Diff{Added: []model.DiffEntry{}, Changed: []model.DiffEntry{}, Removed: []model.DiffEntry{}}
	rel, err := s.Release(ctx, run.Unit)
	if err != nil {
		return d, err
	}
	for _, ds := range run.Datasets {
		next := written[ds]
		prev := map[string]model.Record{}
		if id := rel.Runs[ds]; id != "" {
			recs, err := s.Records(ctx, ds, id)
			if err != nil {
				return d, err
			}
			for _, r := range recs {
				prev[r.NaturalKey()] = r
			}
		}
		for _, k := range sortedKeys(next) {
			n := next[k]
			o, ok := prev[k]
			if !ok {
				d.AddedCount++
				if len(d.Added) < model.DiffListLimit {
					d.Added = append(d.Added, model.DiffEntry{Dataset: ds, Key: k, Reference: n.Origin().Reference})
				}
				continue
			}
			if fields := changedFields(o, n); len(fields) > 0 {
				d.ChangedCount++
				if len(d.Changed) < model.DiffListLimit {
					d.Changed = append(d.Changed, model.DiffEntry{Dataset: ds, Key: k, Reference: n.Origin().Reference, Fields: fields})
				}
			}
		}
		for _, k := range sortedKeys(prev) {
			if _, ok := next[k]; !ok {
				d.RemovedCount++
				if len(d.Removed) < model.DiffListLimit {
					d.Removed = append(d.Removed, model.DiffEntry{Dataset: ds, Key: k})
				}
			}
		}
	}
	return d, nil
}

// changedFields names, in order, the fields whose values differ between
// two records, by their JSON names. It leaves out what differs between
// runs by nature: the id and the provenance. Records of different types
// differ in every field.
func changedFields(old, next model.Record) []string {
	a, b := reflect.ValueOf(old), reflect.ValueOf(next)
	t := b.Type()
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "id" || name == "provenance" || name == "" || name == "-" {
			continue
		}
		if a.Type() != t || !reflect.DeepEqual(a.Field(i).Interface(), b.Field(i).Interface()) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
