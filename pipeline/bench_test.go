package pipeline_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/pipeline"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

const benchRows = 200_000

// benchSheet is an indicator sheet of benchRows observations: catalog
// metrics that add up, for 1,000 communities and several years.
func benchSheet(b *testing.B, metrics []model.Metric) string {
	var codes []string
	for _, m := range metrics {
		if m.Aggregation == model.AggregateSum && m.Unit == model.UnitCount {
			codes = append(codes, m.Code)
		}
	}
	var sb strings.Builder
	sb.WriteString("metric,unit,period,value\n")
	n := 0
	for year := 2023; n < benchRows; year-- {
		for c := 0; c < 1000 && n < benchRows; c++ {
			for _, m := range codes {
				if n == benchRows {
					break
				}
				fmt.Fprintf(&sb, "%s,第%d社区,%d,%d余件\n", m, c, year, n%997)
				n++
			}
		}
	}
	return sb.String()
}

// BenchmarkImportVsInsertMany imports a 200,000-row file through the
// example importer plugin (validation, normalization, parallel unordered
// writes), then writes the very documents that import wrote with a plain
// driver InsertMany loop (1,000 a batch, one writer) to the same embedded
// store, and reports both rates and their ratio (pipeline/insertmany;
// the target is 1 or more).
func BenchmarkImportVsInsertMany(b *testing.B) {
	ctx := system()
	s := storetest.New(b, nil)
	if err := s.EnsureIndexes(ctx); err != nil {
		b.Fatal(err)
	}
	if err := refdata.Load(ctx, s, refdata.DefaultScope); err != nil {
		b.Fatal(err)
	}
	metrics, err := s.Metrics(ctx)
	if err != nil {
		b.Fatal(err)
	}
	csv := benchSheet(b, metrics)
	p := pipeline.New(s, host.New(pluginDir, host.Options{}), pipeline.Options{})

	var viaPipeline, viaInsert time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		run, err := p.Import(ctx, pipeline.Request{Unit: "340828", Importer: "example", FileName: "big.csv",
			File: strings.NewReader(csv), Options: map[string]string{"as_of": fmt.Sprintf("2023-08-%02d", i%28+1)}})
		if err != nil || run.Status != model.RunReady || run.Counts["observations"] != benchRows {
			b.Fatalf("import: %s %q %v, %v", run.Status, run.Reason, run.Counts, err)
		}
		viaPipeline += time.Since(start)
		if run.Diff.AddedCount != benchRows || len(run.Diff.Added) != model.DiffListLimit || !run.Diff.Truncated() {
			b.Fatalf("diff lists %d of %d added records; want %d of %d", len(run.Diff.Added), run.Diff.AddedCount, model.DiffListLimit, benchRows)
		}

		// The plain loop writes the very documents the import wrote, to a
		// run collection of its own on the same backend.
		docs, err := store.RunRecords[model.Observation](ctx, s, "observations", run.ID)
		if err != nil || len(docs) != benchRows {
			b.Fatalf("records of the import: %d, %v", len(docs), err)
		}
		plain := "plain" + run.ID[len("plain"):]
		start = time.Now()
		for len(docs) > 0 {
			n := min(len(docs), 1000)
			batch := make([]any, n)
			for j := range n {
				batch[j] = docs[j]
			}
			docs = docs[n:]
			if err := s.InsertRecords(ctx, "observations", plain, batch); err != nil {
				b.Fatal(err)
			}
		}
		viaInsert += time.Since(start)
		if _, err := p.Discard(ctx, run.ID, "bench"); err != nil {
			b.Fatal(err)
		}
		if err := s.DeleteRunRecords(ctx, "observations", plain); err != nil {
			b.Fatal(err)
		}
	}
	rate := func(d time.Duration) float64 { return float64(benchRows*b.N) / d.Seconds() }
	b.ReportMetric(rate(viaPipeline), "pipeline-rows/s")
	b.ReportMetric(rate(viaInsert), "insertmany-rows/s")
	b.ReportMetric(rate(viaPipeline)/rate(viaInsert), "pipeline/insertmany")
	b.ReportMetric(0, "ns/op")
}
