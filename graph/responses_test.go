package graph_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/countyhub/countyhub/graph"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/release"
	"github.com/countyhub/countyhub/store/storetest"
)

// TestPublishedAnswersAreKeptUntilTheyChange checks the cache of answers
// to queries of published data: a repeated query is answered after reading
// the three generations alone, a publish changes the answer, other
// variables get their own, and queries of runs are always run.
func TestPublishedAnswersAreKeptUntilTheyChange(t *testing.T) {
	t.Parallel()
	h := &hub{}
	var mu sync.Mutex
	h.store = storetest.New(t, func(cmd string, _ time.Duration, _ bool) {
		mu.Lock()
		h.cmds = append(h.cmds, cmd)
		mu.Unlock()
	})
	ctx := t.Context()
	if err := h.store.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	if err := refdata.Load(ctx, h.store, refdata.DefaultScope); err != nil {
		t.Fatal(err)
	}
	opts := graph.DefaultOptions(slog.New(slog.NewTextHandler(io.Discard, nil)))
	opts.Generations = h.store
	h.srv = httptest.NewServer(asSystem(graph.NewHandler(&graph.Resolver{Store: h.store, Records: release.New(h.store, 64<<20), ScopeCode: refdata.DefaultScope}, opts)))
	t.Cleanup(h.srv.Close)
	seed(t, h.store, []string{"340828", "340803"}, 5)

	const q = `query($c: ID) { stations(filter: {county: $c}) { totalCount } counties { code } }`
	type answer struct {
		Stations struct{ TotalCount int }
		Counties []struct{ Code string }
	}
	ask := func(step, county string, want int) []string {
		t.Helper()
		mu.Lock()
		h.cmds = nil
		mu.Unlock()
		var got answer
		h.mustQuery(t, q, map[string]any{"c": county}, &got)
		if got.Stations.TotalCount != want || len(got.Counties) != 10 {
			t.Errorf("%s: %d stations, %d counties; want %d and 10", step, got.Stations.TotalCount, len(got.Counties), want)
		}
		mu.Lock()
		defer mu.Unlock()
		return h.cmds
	}
	ask("first", "340828", 5)
	if cmds := ask("again", "340828", 5); len(cmds) > 3 {
		t.Errorf("a repeated query took commands %v; want at most the three generations", cmds)
	}
	ask("another county, its own answer", "340803", 5)
	var stations []any // a new release of Yuexi
	for i := range 7 {
		stations = append(stations, model.Station{ID: fmt.Sprintf("r2/%03d", i), Key: fmt.Sprintf("%03d", i), CountyCode: "340828",
			Name: fmt.Sprintf("站%d", i), Status: model.StationOperating, Provenance: prov("r2", "line 2")})
	}
	publish(t, h.store, "340828", "r2", map[string][]any{"stations": stations})
	ask("after a publish", "340828", 7)
	if cmds := ask("again after it", "340828", 7); len(cmds) > 3 {
		t.Errorf("a repeated query took commands %v; want at most the three generations", cmds)
	}

	// Import runs move no generation, and are read each time.
	runs := func() int {
		var got struct{ ImportRuns struct{ TotalCount int } }
		h.mustQuery(t, `{ importRuns { totalCount } }`, nil, &got)
		return got.ImportRuns.TotalCount
	}
	before := runs()
	if err := h.store.CreateRun(ctx, model.Run{ID: "20230807T000000.000000-aaaaaa", Unit: "340828", Status: model.RunFailed, Counts: map[string]int{}}); err != nil {
		t.Fatal(err)
	}
	if after := runs(); after != before+1 {
		t.Errorf("import runs: %d, then %d after one more; want them read afresh", before, after)
	}
}
