package analytics_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/countyhub/countyhub/analytics"
	"github.com/countyhub/countyhub/graph"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/release"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

// benchCounties is how many counties the synthetic city has.
const benchCounties = 100

// benchStore fills a database with the rollups of a synthetic city of
// benchCounties counties reporting 10 metrics over the given number of
// years: 10,000 observations with 10 years, 1,000,000 with 1,000.
func benchStore(b *testing.B, years int) (*store.Store, int) {
	ctx := context.Background()
	s := storetest.New(b, nil)
	if err := refdata.Load(ctx, s, refdata.DefaultScope); err != nil {
		b.Fatal(err)
	}
	var counties []model.AdminUnit
	for i := range benchCounties - 10 {
		code := fmt.Sprintf("3408%04d", 9000+i)
		counties = append(counties, model.AdminUnit{Code: code, Name: "县" + code, NameEn: "County " + code, Level: model.LevelCounty, ParentCode: refdata.DefaultScope, CountyCode: code})
	}
	if err := s.PutUnits(ctx, counties); err != nil {
		b.Fatal(err)
	}
	all, _ := s.Children(ctx, refdata.DefaultScope, model.LevelCounty)
	metrics, _ := s.Metrics(ctx)
	var codes []string
	for _, m := range metrics {
		if m.Aggregation == model.AggregateSum && len(codes) < 10 {
			codes = append(codes, m.Code)
		}
	}
	var obs []model.Observation
	for y := 2023 - years + 1; y <= 2023; y++ {
		for _, m := range codes {
			for i, u := range all {
				q := model.AtLeast
				if i%3 == 0 {
					q = model.Exact
				}
				obs = append(obs, model.Observation{MetricCode: m, UnitCode: u.Code, CountyCode: u.Code, Period: strconv.Itoa(y),
					Value:      model.Quantity{Value: float64((i*7+y)%500 + 1), Qualifier: q, Unit: model.UnitCount},
					Provenance: model.Provenance{RunID: "bench-" + u.Code, Reference: fmt.Sprintf("line %d", y)}})
			}
		}
	}
	rs, err := analytics.Rollups(obs, all, metrics, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	for len(rs) > 0 { // in slices, to keep each write a modest request
		n := min(len(rs), 1000)
		if err := s.AddRollups(ctx, rs[:n]); err != nil {
			b.Fatal(err)
		}
		rs = rs[n:]
	}
	return s, len(obs)
}

// BenchmarkCompare measures compare with 10,000 and with 1,000,000
// observations behind it, side by side on the embedded store, and the same
// comparison through the GraphQL handler against the direct call. It
// reports the median latencies and the ratios large/small (target at most
// 1.5) and graphql/direct, and logs the first comparison after the rollups
// change, which reads them from the store.
func BenchmarkCompare(b *testing.B) {
	ctx := context.Background()
	small, nSmall := benchStore(b, 10)
	large, nLarge := benchStore(b, 1000)
	b.Logf("observations: %d and %d", nSmall, nLarge)
	smallSrc, largeSrc := analytics.NewCache(small, small), analytics.NewCache(large, large)
	gql := graph.NewHandler(&graph.Resolver{Store: large, Records: release.New(large, 64<<20), ScopeCode: refdata.DefaultScope, Comparisons: largeSrc},
		graph.DefaultOptions(slog.New(slog.DiscardHandler)))
	query := []byte(`{"query":"{ compare(metric: \"org.compound_party_branches\", period: \"2023\") { rows { unit { code name } rank value { value qualifier unit text } share partial } total { value qualifier } gaps { code } } }"}`)

	compare := func(s analytics.Source) time.Duration {
		start := time.Now()
		c, err := analytics.Compare(ctx, s, "org.compound_party_branches", "2023", refdata.DefaultScope, "", "")
		if err != nil || len(c.Rows) != benchCounties {
			b.Fatalf("compare: %d rows, %v", len(c.Rows), err)
		}
		return time.Since(start)
	}
	viaGraphQL := func() time.Duration {
		start := time.Now()
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(query))
		req.Header.Set("Content-Type", "application/json")
		gql.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
			b.Fatalf("graphql: %d %s", rec.Code, rec.Body)
		}
		return time.Since(start)
	}
	// The first comparison after the rollups change reads them from the
	// store; later ones find them cached until the next change.
	coldSmall, coldLarge := compare(smallSrc), compare(largeSrc)
	b.Logf("first comparison after the rollups change (reads them from the store): %v with 10k, %v with 1M", coldSmall, coldLarge)
	var ts, tl, tg []time.Duration
	for b.Loop() {
		for range 20 { // alternate, so both see the same machine
			ts = append(ts, compare(smallSrc))
			tl = append(tl, compare(largeSrc))
			tg = append(tg, viaGraphQL())
		}
	}
	median := func(d []time.Duration) time.Duration { slices.Sort(d); return d[len(d)/2] }
	ms, ml, mg := median(ts), median(tl), median(tg)
	b.ReportMetric(float64(ms.Microseconds()), "µs-10k")
	b.ReportMetric(float64(ml.Microseconds()), "µs-1M")
	b.ReportMetric(float64(ml)/float64(ms), "1M/10k")
	b.ReportMetric(float64(mg)/float64(ml), "graphql/direct")
	b.ReportMetric(0, "ns/op")
}
