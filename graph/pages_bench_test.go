package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/countyhub/countyhub/graph"
	"github.com/countyhub/countyhub/refdata"
)

// BenchmarkStationPages reads page 1 and page 400 of the stations
// connection (50 a page, 21,000 stations in the ten counties of the demo
// city) through GraphQL, alternately, and reports the medians and their
// ratio (page 400 / page 1; the target is at most 1.5): a page costs the
// runs it reaches, not the pages before it, and its totalCount is summed
// from the releases, not counted.
func BenchmarkStationPages(b *testing.B) {
	// The hub's own batching window, not the tests' generous one.
	h := newHub(b, func(o *graph.Options) { o.BatchWait = graph.DefaultOptions(nil).BatchWait })
	counties, err := h.store.CountiesWithin(b.Context(), refdata.DefaultScope)
	if err != nil {
		b.Fatal(err)
	}
	var codes []string
	for _, c := range counties {
		codes = append(codes, c.Code)
	}
	seed(b, h.store, codes, 2100)

	type page struct {
		Data struct {
			Stations struct {
				TotalCount int
				Edges      []struct{ Node struct{ ID string } }
				PageInfo   struct{ EndCursor *string }
			}
		}
		Errors []json.RawMessage
	}
	get := func(after *string) (page, time.Duration) {
		body, _ := json.Marshal(map[string]any{"query": `query($after: String) { stations(first: 50, after: $after) {
			totalCount edges { node { id name status county { code } } } pageInfo { endCursor } } }`, "variables": map[string]any{"after": after}})
		start := time.Now()
		res, err := http.Post(h.srv.URL, "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		var p page
		if err := json.NewDecoder(res.Body).Decode(&p); err != nil || len(p.Errors) > 0 || len(p.Data.Stations.Edges) != 50 {
			b.Fatalf("page: %v, %s, %d edges", err, p.Errors, len(p.Data.Stations.Edges))
		}
		return p, time.Since(start)
	}
	var cursor *string // the end of page 399
	for range 399 {
		p, _ := get(cursor)
		cursor = p.Data.Stations.PageInfo.EndCursor
	}
	var first, far []time.Duration
	for b.Loop() {
		for range 100 {
			p1, d1 := get(nil)
			p400, d400 := get(cursor)
			if p1.Data.Stations.TotalCount != 21000 || p400.Data.Stations.TotalCount != 21000 {
				b.Fatalf("totalCount %d and %d; want 21000", p1.Data.Stations.TotalCount, p400.Data.Stations.TotalCount)
			}
			first, far = append(first, d1), append(far, d400)
		}
	}
	median := func(d []time.Duration) time.Duration { d = slices.Clone(d); slices.Sort(d); return d[len(d)/2] }
	m1, m400 := median(first), median(far)
	b.Logf("stations: page 1 %v, page 400 %v; ratio %.2f", m1, m400, float64(m400)/float64(m1))
	b.ReportMetric(float64(m400)/float64(m1), "page400/page1")
	b.ReportMetric(0, "ns/op")
}
