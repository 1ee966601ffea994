package host_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/plugins/sdk/importertest"
)

// Real plugin binaries, built once: badplugin (installed under the name of
// each misbehaviour) and the example importer written with the SDK.
var badplugin, example string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "countyhub-plugins-")
	if err != nil {
		panic(err)
	}
	badplugin, example = filepath.Join(dir, "badplugin"), filepath.Join(dir, "example")
	for out, pkg := range map[string]string{badplugin: "./testdata/badplugin", example: "../../importers/example"} {
		if b, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "build %s: %v\n%s", pkg, err, b)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// install copies a binary into dir under name.
func install(t *testing.T, dir, src, name string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// pinRaw pins binaries by checksum without asking them anything, as a
// lock file written for binaries that later break would.
func pinRaw(t *testing.T, dir string, names ...string) {
	t.Helper()
	lock := map[string]any{"version": 1, "plugins": map[string]any{}}
	if b, err := os.ReadFile(filepath.Join(dir, host.LockFileName)); err == nil {
		if err := json.Unmarshal(b, &lock); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		lock["plugins"].(map[string]any)[n] = map[string]string{"sha256": hex.EncodeToString(sum[:])}
	}
	b, _ := json.Marshal(lock)
	if err := os.WriteFile(filepath.Join(dir, host.LockFileName), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// logBuffer collects the host's log.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// hints stand in for the hub's: each says which problem it is for.
func hints() host.Hints {
	return host.Hints{
		CPU: "the CPU hint", Memory: "the memory hint", Files: "the files hint", Idle: "the idle hint",
		Pin: func(dir, name string) string {
			if dir == "" {
				return "`pin " + name + "`"
			}
			return "`pin " + dir + " " + name + "`"
		},
	}
}

func newHost(t *testing.T, names ...string) (*host.Host, string, *logBuffer) {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		install(t, dir, badplugin, n)
	}
	logs := &logBuffer{}
	h := host.New(dir, host.Options{
		Logger:      slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		IdleTimeout: 2 * time.Second, CallTimeout: 5 * time.Second, StartTimeout: 5 * time.Second,
		Hints: hints(),
	})
	return h, dir, logs
}

func request(lines int) host.Request {
	var b strings.Builder
	for i := range lines {
		fmt.Fprintf(&b, "row %d\n", i)
	}
	return host.Request{File: strings.NewReader(b.String()), FileName: "f.txt", Size: int64(b.Len()), Unit: "340803"}
}

func importAll(ctx context.Context, h *host.Host, name string, req host.Request) ([]records.Record, records.Summary, error) {
	var recs []records.Record
	sum, err := h.Import(ctx, name, req, func(b host.Batch) error {
		recs = append(recs, b.Records...)
		return nil
	})
	return recs, sum, err
}

// children lists the processes whose parent is this test process,
// zombies included: a plugin that was not reaped shows here.
func children(t *testing.T) []string {
	t.Helper()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	me := os.Getpid()
	var out []string
	for _, s := range stats {
		b, err := os.ReadFile(s)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(string(b[i+1:]))
		if len(fields) < 2 {
			continue
		}
		if ppid, _ := strconv.Atoi(fields[1]); ppid == me {
			out = append(out, string(b[:i+1])+" "+fields[0])
		}
	}
	return out
}

// noChildren waits briefly for exiting plugins, then fails if any child
// process is left.
func noChildren(t *testing.T) {
	t.Helper()
	var left []string
	for range 50 {
		if left = children(t); len(left) == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("child processes left behind: %v", left)
}

func TestImportThroughARealPlugin(t *testing.T) {
	h, _, logs := newHost(t, "good")
	if _, err := h.Pin(context.Background(), "good"); err != nil {
		t.Fatal(err)
	}
	recs, sum, err := importAll(context.Background(), h, "good", request(3))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || sum.Records != 3 || recs[2].Reference != "line 3" || recs[0].Observation == nil {
		t.Errorf("got %d records %+v, summary %+v; want 3", len(recs), recs, sum)
	}
	noChildren(t)
	if l := logs.String(); !strings.Contains(l, "read file") || !strings.Contains(l, "source=plugin.good") || !strings.Contains(l, "lines=3") {
		t.Errorf("the plugin's log line was not forwarded with its name:\n%s", l)
	}
}

func TestMisbehavingPlugins(t *testing.T) {
	modes := []string{"crash", "hang", "stall", "stdout", "oversize", "proto2", "malformed", "miscount", "crash-describe"}
	h, dir, _ := newHost(t, append(modes, "good")...)
	pinRaw(t, dir, append(modes, "good")...)

	tests := map[string]struct {
		want     error
		contains string
	}{
		"crash":          {host.ErrCrashed, "boom in the middle of the stream"},
		"hang":           {host.ErrHung, "hang sent nothing for 2s and was killed; it had sent no record or diagnostic (if the importer needs longer for a file, raise the limit with the idle hint)"},
		"stall":          {host.ErrHung, `stall sent nothing for 2s and was killed; the last reference it reached was "line 3"`},
		"stdout":         {host.ErrStart, "hello from a plugin that prints"},
		"oversize":       {host.ErrProtocol, "4 MiB limit"},
		"proto2":         {host.ErrStart, "incompatible API version"},
		"malformed":      {host.ErrProtocol, "has no kind"},
		"miscount":       {host.ErrProtocol, "says it sent 7 records"},
		"crash-describe": {nil, ""}, // describing is not importing: it imports fine
	}
	for _, mode := range modes {
		tc := tests[mode]
		t.Run(mode, func(t *testing.T) {
			start := time.Now()
			_, _, err := importAll(context.Background(), h, mode, request(3))
			if tc.want == nil {
				if err != nil {
					t.Fatalf("import: %v", err)
				}
			} else {
				if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.contains) {
					t.Errorf("error = %v; want %v saying %q", err, tc.want, tc.contains)
				}
				if took := time.Since(start); took > 15*time.Second {
					t.Errorf("took %s to fail", took)
				}
			}
			noChildren(t)
			// The host goes on working.
			if recs, _, err := importAll(context.Background(), h, "good", request(2)); err != nil || len(recs) != 2 {
				t.Errorf("a good import after %s: %d records, %v", mode, len(recs), err)
			}
		})
	}

	t.Run("describe crash", func(t *testing.T) {
		if _, err := h.Describe(context.Background(), "crash-describe"); !errors.Is(err, host.ErrCrashed) || !strings.Contains(err.Error(), "crash while describing") {
			t.Errorf("error = %v; want ErrCrashed with the panic", err)
		}
		noChildren(t)
	})
}

func TestPinning(t *testing.T) {
	ctx := context.Background()
	h, dir, _ := newHost(t, "good", "other", "crash-describe")

	_, _, err := importAll(ctx, h, "good", request(1))
	// The message reaches clients: it tells how to pin, and names no
	// path of the server.
	if !errors.Is(err, host.ErrUnpinned) || !strings.HasSuffix(err.Error(), "pin it on the hub's machine: `pin good`") || strings.Contains(err.Error(), dir) {
		t.Errorf("unpinned: %v; want ErrUnpinned telling how to pin, without the plugins directory", err)
	}
	if _, err := host.New(dir, host.Options{}).Binary("good"); err == nil || !strings.HasSuffix(err.Error(), "pin it on the hub's machine") {
		t.Errorf("unpinned, without hints: %v; want ErrUnpinned ending where the hint would begin", err)
	}
	if _, err := h.Binary("missing"); !errors.Is(err, host.ErrNotInstalled) || strings.Contains(err.Error(), dir) {
		t.Errorf("a missing importer: %v; want ErrNotInstalled without the plugins directory", err)
	}
	if _, err := h.Pin(ctx, "crash-describe"); !errors.Is(err, host.ErrCrashed) {
		t.Errorf("pinning a plugin that crashes: %v; want ErrCrashed", err)
	}
	if _, err := h.Pin(ctx, "nope"); !errors.Is(err, host.ErrNotInstalled) {
		t.Errorf("pinning a missing plugin: %v; want ErrNotInstalled", err)
	}
	descs, err := h.Pin(ctx, "good", "other")
	if err != nil || len(descs) != 2 || descs[0].Name != "good" {
		t.Fatalf("Pin = %+v, %v", descs, err)
	}
	if _, _, err := importAll(ctx, h, "good", request(1)); err != nil {
		t.Fatalf("pinned: %v", err)
	}

	// Changing a pinned binary, even by one byte, stops it from running.
	f, err := os.OpenFile(filepath.Join(dir, "other"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{0})
	f.Close()
	if _, _, err := importAll(ctx, h, "other", request(1)); !errors.Is(err, host.ErrChanged) || !strings.Contains(err.Error(), "pinned checksum") {
		t.Errorf("changed binary: %v; want ErrChanged", err)
	}
	if _, _, err := importAll(ctx, h, "../good", request(1)); !errors.Is(err, host.ErrNotInstalled) {
		t.Errorf("path as a name: %v; want ErrNotInstalled", err)
	}

	pinRaw(t, dir, "crash-describe")
	os.Remove(filepath.Join(dir, "good"))
	pinRaw(t, dir) // keeps the pin of the removed binary
	list, err := h.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]host.Status{}
	for _, p := range list {
		got[p.Name] = p.Status
		if p.Status != host.StatusOK && p.Problem == "" {
			t.Errorf("%s is %s without a reason", p.Name, p.Status)
		}
		if strings.Contains(p.Problem, dir) {
			t.Errorf("%s: the problem %q names the server's plugins directory", p.Name, p.Problem)
		}
	}
	want := map[string]host.Status{"good": host.StatusMissing, "other": host.StatusChanged, "crash-describe": host.StatusBroken}
	for n, s := range want {
		if got[n] != s {
			t.Errorf("List: %s is %s; want %s (all: %v)", n, got[n], s, got)
		}
	}
	noChildren(t)
}

func TestCancelStopsThePlugin(t *testing.T) {
	h, dir, _ := newHost(t, "slow")
	pinRaw(t, dir, "slow")
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err := importAll(ctx, h, "slow", request(100))
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v; want the deadline", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("cancelled import took %s", took)
	}
	noChildren(t)
}

func TestSinkErrorStopsTheImport(t *testing.T) {
	h, dir, _ := newHost(t, "good")
	pinRaw(t, dir, "good")
	boom := errors.New("store is down")
	_, err := h.Import(context.Background(), "good", request(2000), func(host.Batch) error { return boom })
	if !errors.Is(err, boom) {
		t.Errorf("error = %v; want the sink's", err)
	}
	noChildren(t)
}

func TestSDKImporterPassesTheKitAsAPlugin(t *testing.T) {
	b, err := host.OpenBinary(example, host.Options{})
	if err != nil {
		t.Fatal(err)
	}
	importertest.Run(t, importertest.Plugin(b), importertest.Options{Testdata: "../../importers/example/testdata"})
	noChildren(t)
}

func TestLargeFileStreamsInChunks(t *testing.T) {
	h, dir, _ := newHost(t, "good")
	pinRaw(t, dir, "good")
	// 3 MiB in lines: several chunks of at most 1 MiB.
	line := strings.Repeat("x", 1023) + "\n"
	data := strings.Repeat(line, 3*1024)
	recs, _, err := importAll(context.Background(), h, "good", host.Request{File: io.MultiReader(strings.NewReader(data)), FileName: "big.txt", Size: -1})
	if err != nil || len(recs) != 3*1024 {
		t.Errorf("got %d records, %v; want %d", len(recs), err, 3*1024)
	}
}
