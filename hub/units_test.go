package hub

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/store/storetest"
)

// TestCatalogAnswersAsTheStoreDoes checks the in-memory metric catalog
// against the store it caches, through the real embedded database.
func TestCatalogAnswersAsTheStoreDoes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)
	if err := refdata.Load(ctx, s, refdata.DefaultScope); err != nil {
		t.Fatal(err)
	}
	c := indexedStore{Store: s, metrics: &catalog{store: s}}
	want, err := s.Metrics(ctx)
	if err != nil || len(want) < 3 {
		t.Fatalf("store metrics: %d, %v", len(want), err)
	}
	got, err := c.Metrics(ctx)
	if diff := cmp.Diff(want, got); err != nil || diff != "" {
		t.Errorf("metrics (-store +catalog): %v\n%s", err, diff)
	}
	codes := []string{want[2].Code, "no.such_metric", want[0].Code}
	wantSome, err := s.MetricsByCode(ctx, codes)
	if err != nil {
		t.Fatal(err)
	}
	gotSome, err := c.MetricsByCode(ctx, codes)
	if diff := cmp.Diff(wantSome, gotSome); err != nil || diff != "" || len(gotSome) != 2 {
		t.Errorf("metrics by code (-store +catalog): %v\n%s", err, diff)
	}
}
