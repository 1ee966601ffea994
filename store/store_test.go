package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func ptr[T any](v T) *T { return &v }

func prov(ref string) model.Provenance {
	return model.Provenance{RunID: "run1", Importer: "test", ImporterVersion: "1.0.0", FileName: "f.csv", FileSHA256: "ab", Reference: ref}
}

func TestCommandObserverCountsRoundTrips(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var names []string
	s := storetest.New(t, func(cmd string, _ time.Duration, _ bool) { names = append(names, cmd) })
	names = nil
	if _, err := s.Metrics(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CountRuns(ctx, store.RunFilter{}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"find", "find"}, names); diff != "" { // runs are counted from their tallies
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

func TestOpenUnreachableFailsFast(t *testing.T) {
	t.Parallel()
	start := time.Now()
	_, err := store.Open(context.Background(), "mongodb://user:secret@127.0.0.1:1/?directConnection=true", store.Options{ConnectTimeout: time.Second})
	if err == nil {
		t.Fatal("Open of a closed port succeeded")
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Open took %s; want about the connect timeout", took)
	}
	msg := err.Error()
	if !strings.Contains(msg, "cannot reach MongoDB at mongodb://user:xxxxx@127.0.0.1:1/") || strings.Contains(msg, "secret") {
		t.Errorf("error %q should name the server and hide the password", msg)
	}
}
