package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

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
	// Two swaps went through, two were refused: the generation moved twice.
	if gen, err := s.ReleaseGeneration(ctx); err != nil || gen != 2 {
		t.Errorf("release generation %d, %v; want 2", gen, err)
	}
}
