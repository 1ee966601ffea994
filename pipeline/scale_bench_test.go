package pipeline_test

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/countyhub/countyhub/analytics"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/pipeline"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/release"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

// scaleHub is a province hub on its own embedded database, publishing
// through the pipeline with rollups updated as the hub does.
type scaleHub struct {
	store *store.Store
	p     *pipeline.Pipeline
}

func newScaleHub(b *testing.B) scaleHub {
	b.Helper()
	ctx := system()
	s := storetest.New(b, nil)
	if err := s.EnsureIndexes(ctx); err != nil {
		b.Fatal(err)
	}
	if err := refdata.Load(ctx, s, "340000"); err != nil {
		b.Fatal(err)
	}
	rebuilder := analytics.NewRebuilder(s, release.New(s, 512<<20))
	p := pipeline.New(s, host.New(pluginDir, host.Options{IdleTimeout: time.Minute}), pipeline.Options{Released: rebuilder.Update})
	return scaleHub{store: s, p: p}
}

// publish imports a county's sheet and publishes it, and returns how long
// the publish took (the release, the rollups, the facets) before it
// waits for the background collection of old runs.
func (h scaleHub) publish(b *testing.B, county, sheet string) time.Duration {
	b.Helper()
	ctx := system()
	run, err := h.p.Import(ctx, pipeline.Request{Unit: county, Importer: "example", FileName: county + ".csv", File: strings.NewReader(sheet), By: "bench"})
	if err != nil || run.Status != model.RunReady {
		b.Fatalf("import %s: %s %s, %v", county, run.Status, run.Reason, err)
	}
	start := time.Now()
	if _, err := h.p.Publish(ctx, run.ID, "bench"); err != nil {
		b.Fatalf("publish %s: %v", county, err)
	}
	took := time.Since(start)
	h.p.Wait() // the old runs' records, collected in the background
	return took
}

// BenchmarkPublishAtProvinceScale publishes one county of Anhui in a hub
// that holds that county alone and in one that holds all 104 of the
// province's county-level units, side by side, and reports the medians
// and ratios (province/county; the targets are at most 1.5) of the
// publish and of the first comparison after it, which reads the changed
// rollups from the store: of the counties of the county's city and of the
// county's towns. Each county reports 10 metrics that add up, for each of
// its towns, every month of a year. It also logs the size of the
// documents a publish reads and writes for one metric and period in each
// hub. COUNTYHUB_BENCH_COUNTIES=N fills the
// larger hub with the first N counties only, for a quicker run.
func BenchmarkPublishAtProvinceScale(b *testing.B) {
	ctx := system()
	one, all := newScaleHub(b), newScaleHub(b)
	counties, err := all.store.CountiesWithin(ctx, "340000")
	if err != nil {
		b.Fatal(err)
	}
	metrics, err := all.store.Metrics(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var codes []string
	for _, m := range metrics {
		if m.Aggregation == model.AggregateSum && m.Unit == model.UnitCount && len(codes) < 10 {
			codes = append(codes, m.Code)
		}
	}
	sheet := func(county model.AdminUnit, version int) string {
		towns, err := all.store.Children(ctx, county.Code, model.LevelTown)
		if err != nil {
			b.Fatal(err)
		}
		var sb strings.Builder
		sb.WriteString("metric,unit,period,value\n")
		for _, t := range towns {
			for _, m := range codes {
				for month := 1; month <= 12; month++ {
					fmt.Fprintf(&sb, "%s,%s,2023-%02d,%d余件\n", m, t.Code, month, (len(t.Code)*month+version)%500+1)
				}
			}
		}
		return sb.String()
	}
	if n, err := strconv.Atoi(os.Getenv("COUNTYHUB_BENCH_COUNTIES")); err == nil {
		counties = counties[:n]
	}
	target := counties[slices.IndexFunc(counties, func(u model.AdminUnit) bool { return u.Code == "340828" })]

	start := time.Now()
	one.publish(b, target.Code, sheet(target, 0))
	rows := 0
	for _, c := range counties {
		s := sheet(c, 0)
		rows += strings.Count(s, "\n") - 1
		all.publish(b, c.Code, s)
	}
	b.Logf("set up: %d counties, %d observations, in %v", len(counties), rows, time.Since(start).Round(time.Second))

	compare := func(s *store.Store, scope string) time.Duration {
		cache := analytics.NewCache(s, s) // as a hub's, right after the rollups changed
		start := time.Now()
		c, err := analytics.Compare(ctx, cache, codes[0], "2023-06", scope, "", "")
		if err != nil || len(c.Rows) == 0 {
			b.Fatalf("compare in %s: %+v, %v", scope, c.Rows, err)
		}
		return time.Since(start)
	}
	var pubOne, pubAll, cityOne, cityAll, townsOne, townsAll []time.Duration
	for b.Loop() {
		for v := 1; v <= 5; v++ { // alternate, so both see the same machine
			s := sheet(target, v)
			pubOne = append(pubOne, one.publish(b, target.Code, s))
			cityOne = append(cityOne, compare(one.store, target.ParentCode))
			townsOne = append(townsOne, compare(one.store, target.Code))
			pubAll = append(pubAll, all.publish(b, target.Code, s))
			cityAll = append(cityAll, compare(all.store, target.ParentCode))
			townsAll = append(townsAll, compare(all.store, target.Code))
		}
	}
	median := func(d []time.Duration) time.Duration { d = slices.Clone(d); slices.Sort(d); return d[len(d)/2] }
	report := func(name string, a, z []time.Duration) {
		ma, mz := median(a), median(z)
		b.Logf("%s: %v with one county, %v with %d; ratio %.2f", name, ma, mz, len(counties), float64(mz)/float64(ma))
		b.ReportMetric(float64(mz)/float64(ma), name+"-104/1")
	}
	// What a publish reads and writes per metric and period, in each hub:
	// the root, the province's and the city's nodes, the county's part.
	for _, h := range []struct {
		name  string
		store *store.Store
	}{{"one county", one.store}, {fmt.Sprint(len(counties)), all.store}} {
		m, p := codes[0], "2023-06"
		docs, err := h.store.RollupsByID(ctx, []string{model.RollupID(m, p), model.RollupPartID(m, p, "340000"),
			model.RollupPartID(m, p, target.ParentCode), model.RollupPartID(m, p, target.Code)})
		if err != nil {
			b.Fatal(err)
		}
		var sizes []string
		for _, d := range docs {
			raw, err := bson.Marshal(d)
			if err != nil {
				b.Fatal(err)
			}
			sizes = append(sizes, fmt.Sprintf("%s %d B", d.ID, len(raw)))
		}
		b.Logf("documents of a metric and period with %s: %s", h.name, strings.Join(sizes, ", "))
	}
	report("publish", pubOne, pubAll)
	report("compare-city", cityOne, cityAll)
	report("compare-towns", townsOne, townsAll)
	b.ReportMetric(0, "ns/op")
}
