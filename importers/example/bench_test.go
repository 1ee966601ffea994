package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// buildBinaries builds this importer and a trivial program (for the
// start-time baseline) into a temporary directory.
func buildBinaries(b *testing.B) (plugin, trivial string) {
	b.Helper()
	dir := b.TempDir()
	plugin, trivial = filepath.Join(dir, "example"), filepath.Join(dir, "trivial")
	if out, err := exec.Command("go", "build", "-o", plugin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build importer: %v\n%s", err, out)
	}
	src := filepath.Join(dir, "trivial.go")
	if err := os.WriteFile(src, []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	if out, err := exec.Command("go", "build", "-o", trivial, src).CombinedOutput(); err != nil {
		b.Fatalf("build trivial program: %v\n%s", err, out)
	}
	return plugin, trivial
}

func sheet(rows int) []byte {
	var buf bytes.Buffer
	buf.WriteString("metric,unit,period,value\n")
	for i := range rows {
		fmt.Fprintf(&buf, "org.volunteer_teams,社区%d,2023,%d\n", i%500, i)
	}
	return buf.Bytes()
}

// discard is an emitter that keeps nothing.
type discard struct{ records int }

func (d *discard) Emit(sdk.Record) error         { d.records++; return nil }
func (d *discard) Diagnose(sdk.Diagnostic) error { return nil }

// BenchmarkPluginStream imports the same 200,000-row file in-process and
// through the plugin protocol, alternately, and reports both rates and
// their ratio (plugin/inproc; 1 would mean the protocol costs nothing).
func BenchmarkPluginStream(b *testing.B) {
	const rows = 200_000
	plugin, _ := buildBinaries(b)
	bin, err := host.OpenBinary(plugin, host.Options{})
	if err != nil {
		b.Fatal(err)
	}
	data := sheet(rows)
	ctx := context.Background()
	var inproc, viaPlugin time.Duration
	for b.Loop() {
		start := time.Now()
		out := &discard{}
		if err := sdk.Run(ctx, Importer{}, &sdk.Input{Reader: bytes.NewReader(data), Size: int64(len(data))}, out); err != nil || out.records != rows {
			b.Fatalf("in-process: %d records, %v", out.records, err)
		}
		inproc += time.Since(start)

		start = time.Now()
		n := 0
		_, err := bin.Import(ctx, host.Request{File: bytes.NewReader(data), FileName: "big.csv", Size: int64(len(data))}, func(batch host.Batch) error {
			n += len(batch.Records)
			return nil
		})
		if err != nil || n != rows {
			b.Fatalf("plugin: %d records, %v", n, err)
		}
		viaPlugin += time.Since(start)
	}
	rate := func(d time.Duration) float64 { return float64(rows*b.N) / d.Seconds() }
	b.ReportMetric(rate(inproc), "inproc-rec/s")
	b.ReportMetric(rate(viaPlugin), "plugin-rec/s")
	b.ReportMetric(rate(viaPlugin)/rate(inproc), "plugin/inproc")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkPluginStart starts the plugin (process, handshake with mutual
// TLS, checksum, Describe, kill) and a trivial program, alternately, and
// reports the medians and their ratio.
func BenchmarkPluginStart(b *testing.B) {
	plugin, trivial := buildBinaries(b)
	bin, err := host.OpenBinary(plugin, host.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var starts, baselines []time.Duration
	for b.Loop() {
		for range 10 {
			t0 := time.Now()
			var d records.Description
			if d, err = bin.Describe(ctx); err != nil || d.Name != "example" {
				b.Fatalf("describe: %+v, %v", d, err)
			}
			starts = append(starts, time.Since(t0))

			t0 = time.Now()
			if err := exec.Command(trivial).Run(); err != nil {
				b.Fatal(err)
			}
			baselines = append(baselines, time.Since(t0))
		}
	}
	median := func(ds []time.Duration) time.Duration {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return ds[len(ds)/2]
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(median(starts)), "plugin-start-ms")
	b.ReportMetric(ms(median(baselines)), "trivial-exec-ms")
	b.ReportMetric(float64(median(starts))/float64(median(baselines)), "plugin/trivial")
	b.ReportMetric(0, "ns/op")
}
