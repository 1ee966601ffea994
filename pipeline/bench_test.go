package pipeline_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/pipeline"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/refdata"
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
// writes) and writes the same number of observation documents with a plain
// driver InsertMany loop, alternately, on the same embedded store, and
// reports both rates and their ratio (pipeline/insertmany, target >= 1).
func BenchmarkImportVsInsertMany(b *testing.B) {
	ctx := context.Background()
	s := storetest.New(b, nil)
	if err := s.EnsureIndexes(ctx); err != nil {
		b.Fatal(err)
	}
	if err := refdata.Load(ctx, s); err != nil {
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
		if _, err := p.Discard(ctx, run.ID, "bench"); err != nil {
			b.Fatal(err)
		}

		start = time.Now()
		batch := make([]any, 0, 1000)
		for n := range benchRows {
			batch = append(batch, model.Observation{
				ID: fmt.Sprintf("plain%d/%d", i, n), Key: fmt.Sprintf("org.volunteer_teams|340828-%d|2023", n), MetricCode: "org.volunteer_teams",
				UnitCode: fmt.Sprintf("340828-%010x", n%1000), CountyCode: "340828", Period: "2023", AsOf: "2023-08-07",
				Value:      model.Quantity{Value: float64(n % 997), Qualifier: model.AtLeast, Unit: model.UnitCount, Text: fmt.Sprintf("%d余件", n%997)},
				Provenance: model.Provenance{RunID: fmt.Sprintf("plain%d", i), Importer: "example", ImporterVersion: "1.0.0", FileName: "big.csv", FileSHA256: strings.Repeat("0", 64), Reference: fmt.Sprintf("line %d", n+2)},
			})
			if len(batch) == cap(batch) {
				if err := s.InsertRecords(ctx, "observations", fmt.Sprintf("plain%d", i), batch); err != nil {
					b.Fatal(err)
				}
				batch = batch[:0]
			}
		}
		viaInsert += time.Since(start)
		if err := s.DeleteRunRecords(ctx, "observations", fmt.Sprintf("plain%d", i)); err != nil {
			b.Fatal(err)
		}
	}
	rate := func(d time.Duration) float64 { return float64(benchRows*b.N) / d.Seconds() }
	b.ReportMetric(rate(viaPipeline), "pipeline-rows/s")
	b.ReportMetric(rate(viaInsert), "insertmany-rows/s")
	b.ReportMetric(rate(viaPipeline)/rate(viaInsert), "pipeline/insertmany")
	b.ReportMetric(0, "ns/op")
}
