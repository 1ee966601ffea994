package e2e

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/sync/errgroup"

	"github.com/countyhub/countyhub/demo/synth"
)

// benchStations writes a stations CSV of n rows and 5 columns besides
// the name, in the layout of the demo generator's (synth.StationsMapping).
// round changes every address, so each round is a new file to the hub.
func benchStations(tb testing.TB, path string, n, round int) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	w := csv.NewWriter(f)
	_ = w.Write([]string{"乡镇", "社区", "站点名称", "地址", "状态", "建成时间"})
	for i := range n {
		_ = w.Write([]string{"天堂镇", fmt.Sprintf("第%d社区", i%200), fmt.Sprintf("党群服务站%06d", i),
			fmt.Sprintf("天堂镇城东路%d号之%d", i, round), "运行中", fmt.Sprintf("2022年%d月", 1+i%12)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		tb.Fatal(err)
	}
}

// plainLoad is the baseline loader: encoding/csv and unordered InsertMany
// of flat documents, 1,000 a batch, by 2 writers.
func plainLoad(ctx context.Context, coll *mongo.Collection, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return 0, err
	}
	batches := make(chan []any, 2)
	g, gctx := errgroup.WithContext(ctx)
	for range 2 {
		g.Go(func() error {
			for b := range batches {
				if _, err := coll.InsertMany(gctx, b, options.InsertMany().SetOrdered(false)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	n := 0
	var batch []any
	var readErr error
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = err
			break
		}
		doc := make(bson.D, len(header))
		for i, h := range header {
			doc[i] = bson.E{Key: h, Value: row[i]}
		}
		batch = append(batch, doc)
		n++
		if len(batch) == 1000 {
			batches <- batch
			batch = nil
		}
	}
	if len(batch) > 0 {
		batches <- batch
	}
	close(batches)
	if err := g.Wait(); err != nil {
		return n, err
	}
	return n, readErr
}

// BenchmarkImportPathVsPlainLoader measures, side by side on one
// `countyhub embedded-db` server and the same file, the whole path of an
// import (`countyhub import --publish`: the CLI's upload, the hub, the csv
// importer plugin, validation, the writes, the diff, the publish and the
// rollups) against the plain loader, and reports the ratio of their rates
// (path/baseline; the target is 1.0 or more). COUNTYHUB_BENCH_ROWS sets the
// rows (default 100,000). It logs the run's phases, which say where the
// path's time goes.
func BenchmarkImportPathVsPlainLoader(b *testing.B) {
	rows := 100_000
	if v := os.Getenv("COUNTYHUB_BENCH_ROWS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("COUNTYHUB_BENCH_ROWS=%q: want a number of rows", v)
		}
		rows = n
	}
	dir := b.TempDir()
	plugins := filepath.Join(dir, "plugins")
	if err := os.MkdirAll(plugins, 0o755); err != nil {
		b.Fatal(err)
	}
	if out, err := exec.Command("go", "build", "-o", filepath.Join(plugins, "csv"), "./importers/csv").CombinedOutput(); err != nil {
		b.Fatalf("build the csv importer: %v\n%s", err, out)
	}
	if out, err := exec.Command(binary, "plugins", "pin", "--plugins", plugins).CombinedOutput(); err != nil {
		b.Fatalf("pin: %v\n%s", err, out)
	}
	db := start(b, "embedded-db", "--data", filepath.Join(dir, "db"), "--addr", "127.0.0.1:0")
	uri := "mongodb://" + db.waitLog(b, regexp.MustCompile(`uri=mongodb://([^/\s]+)/`)) + "/"
	_, addr := serveHub(b, "--mongo-uri", uri+"countyhub", "--data", filepath.Join(dir, "hub"), "--plugins", plugins, "--rate", "0")

	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		b.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	mapping := filepath.Join(dir, "mapping.yaml")
	if err := os.WriteFile(mapping, []byte(synth.StationsMapping), 0o644); err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(dir, "stations.csv")
	var viaPath, viaPlain time.Duration
	var output string
	for round := 0; b.Loop(); round++ {
		benchStations(b, file, rows, round)

		start := time.Now()
		n, err := plainLoad(context.Background(), client.Database("plain").Collection(fmt.Sprintf("stations_%d", round)), file)
		if err != nil || n != rows {
			b.Fatalf("plain loader: %d rows, %v", n, err)
		}
		viaPlain += time.Since(start)

		start = time.Now()
		out, err := hubCommand(b, addr, "import", "--county", "340828", "--importer", "csv", "--option", "mapping=@"+mapping, "--publish", file).CombinedOutput()
		viaPath += time.Since(start)
		if err != nil || !strings.Contains(string(out), "published run") {
			b.Fatalf("import --publish: %v\n%s", err, out)
		}
		output = string(out)
	}
	pathRate := float64(rows*b.N) / viaPath.Seconds()
	plainRate := float64(rows*b.N) / viaPlain.Seconds()
	b.ReportMetric(pathRate, "path-rows/s")
	b.ReportMetric(plainRate, "baseline-rows/s")
	b.ReportMetric(pathRate/plainRate, "path/baseline")
	b.Logf("%d rows: the whole import path %.2f s (%.0f rows/s), the plain loader %.2f s (%.0f rows/s): ratio %.2f (target 1.0 or more)",
		rows, viaPath.Seconds()/float64(b.N), pathRate, viaPlain.Seconds()/float64(b.N), plainRate, pathRate/plainRate)
	var phases []string
	for _, line := range strings.Split(output, "\n") {
		if strings.HasPrefix(line, "    ") || strings.HasPrefix(line, "sent ") {
			phases = append(phases, strings.TrimSpace(line))
		}
	}
	b.Logf("the last import's phases: %s", strings.Join(phases, "; "))
}
