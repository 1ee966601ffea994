package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/pipeline"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/store"
)

// lines is a file of n lines, for badplugin, which sends a record a line.
func lines(n int) string { return strings.Repeat("row\n", n) }

// startBad starts an import through badplugin under the name mode in the
// background, as the hub does, tolerating its duplicate records.
func (e env) startBad(t *testing.T, mode, file string) model.Run {
	t.Helper()
	run, err := e.p.Start(system(), pipeline.Request{Unit: "340882", Importer: mode, FileName: "f.txt", File: strings.NewReader(file), MaxErrors: 1000, By: "test"})
	if err != nil || run.Status != model.RunRunning {
		t.Fatalf("start %s: %+v, %v", mode, run, err)
	}
	return run
}

// waitRun waits for a run to leave RUNNING, or to read at least read
// records when read > 0, and returns it.
func (e env) waitRun(t *testing.T, id string, read int, limit time.Duration) model.Run {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		run, err := e.store.Run(system(), id)
		if err != nil {
			t.Fatal(err)
		}
		if run.Status != model.RunRunning || (read > 0 && run.Read >= read) {
			return run
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %s still RUNNING after %s: %+v", id, limit, run)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pluginProcess returns the pid of this process's child that runs the
// plugin binary of that name, or 0; a zombie counts, as a plugin that was
// not reaped.
func pluginProcess(name string) int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, s := range stats {
		b, err := os.ReadFile(s)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
		if open < 0 || end < open {
			continue
		}
		fields := strings.Fields(string(b[end+1:]))
		if len(fields) >= 2 && fields[1] == strconv.Itoa(os.Getpid()) && string(b[open+1:end]) == name {
			pid, _ := strconv.Atoi(strings.TrimSpace(string(b[:open])))
			return pid
		}
	}
	return 0
}

// TestSilentPluginFailsTheRun runs imports whose plugin goes silent, hung
// or stopped (SIGSTOP), through the pipeline as the hub does: the run ends
// FAILED, not RUNNING, within the idle timeout, naming the importer and
// the last reference it reached, and the plugin process is gone.
func TestSilentPluginFailsTheRun(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, host.Options{IdleTimeout: time.Second})
	tests := map[string]struct {
		plugin string
		// stop, when set, stops the plugin process once the run has read
		// that many records.
		stop int
		want *regexp.Regexp
	}{
		"hung after three records": {plugin: "stall", want: regexp.MustCompile(`^importer stopped responding: stall sent nothing for 1s and was killed; the last reference it reached was "line 3"`)},
		"stopped mid-file":         {plugin: "slowstop", stop: 2, want: regexp.MustCompile(`^importer stopped responding: slowstop sent nothing for 1s and was killed; the last reference it reached was "line \d+"`)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			run := e.startBad(t, tc.plugin, lines(100))
			if tc.stop > 0 {
				if got := e.waitRun(t, run.ID, tc.stop, 20*time.Second); got.Status != model.RunRunning {
					t.Fatalf("the run ended before the stop: %+v", got)
				}
				pid := pluginProcess(tc.plugin)
				if pid == 0 {
					t.Fatal("no plugin process")
				}
				if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
					t.Fatal(err)
				}
			}
			start := time.Now()
			got := e.waitRun(t, run.ID, 0, 20*time.Second)
			took := time.Since(start)
			if got.Status != model.RunFailed || !tc.want.MatchString(got.Reason) {
				t.Errorf("run %s %q; want FAILED matching %s", got.Status, got.Reason, tc.want)
			}
			if took > 6*time.Second {
				t.Errorf("the run took %s to fail; the idle timeout is 1s", took)
			}
			if !got.Collected {
				t.Errorf("the failed run's records are not removed: %+v", got)
			}
			for i := 0; pluginProcess(tc.plugin) != 0; i++ {
				if i == 100 {
					t.Fatalf("the plugin process %s is left behind", tc.plugin)
				}
				time.Sleep(20 * time.Millisecond)
			}
			t.Logf("%s failed %s after the stop: %s", tc.plugin, took.Round(time.Millisecond), got.Reason)
		})
	}
}

// TestShutdownWaitsThenFailsImports shuts the pipeline down while an import
// runs in the background: an import that ends within the grace period
// ends as it would have; one that does not is cancelled and recorded
// FAILED with ShutDownReason before Shutdown returns, its records removed
// and the release untouched. After Shutdown, Start takes no imports.
func TestShutdownWaitsThenFailsImports(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		lines  int
		grace  time.Duration
		status model.RunStatus
		reason string
	}{
		// 5 records at 200 ms each.
		"ends within the grace": {lines: 5, grace: 30 * time.Second, status: model.RunReady},
		// 200 records would take 40 s.
		"the grace runs out": {lines: 200, grace: time.Second, status: model.RunFailed, reason: pipeline.ShutDownReason},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			ctx := system()
			first := e.importCSV(t, "340882", "metric,unit,period,value\norg.pioneer_zones,,2023,163\n", nil)
			if _, err := e.p.Publish(ctx, first.ID, "test"); err != nil {
				t.Fatal(err)
			}
			before := e.released(t, "340882")
			run := e.startBad(t, "slow", lines(tc.lines))
			e.waitRun(t, run.ID, 1, 20*time.Second)

			grace, cancel := context.WithTimeout(context.Background(), tc.grace)
			defer cancel()
			start := time.Now()
			shutErr := e.p.Shutdown(grace)
			took := time.Since(start)
			got, gerr := e.store.Run(ctx, run.ID)
			if gerr != nil {
				t.Fatal(gerr)
			}
			if got.Status != tc.status || got.Reason != tc.reason {
				t.Errorf("when Shutdown returned the run was %s %q; want %s %q", got.Status, got.Reason, tc.status, tc.reason)
			}
			switch tc.status {
			case model.RunFailed:
				if !errors.Is(shutErr, context.DeadlineExceeded) || !strings.Contains(shutErr.Error(), run.ID) {
					t.Errorf("Shutdown = %v; want the deadline, naming run %s", shutErr, run.ID)
				}
				if took > tc.grace+5*time.Second {
					t.Errorf("Shutdown took %s with a grace of %s", took, tc.grace)
				}
				if left, _ := store.RunRecords[model.Observation](ctx, e.store, "observations", run.ID); len(left) != 0 || !got.Collected {
					t.Errorf("the cancelled run left %d records (collected %v)", len(left), got.Collected)
				}
			default:
				if shutErr != nil {
					t.Errorf("Shutdown = %v; want nil", shutErr)
				}
			}
			if diff := cmp.Diff(before, e.released(t, "340882")); diff != "" {
				t.Errorf("published data changed (-before +after):\n%s", diff)
			}

			runs, _ := e.store.RunsWith(ctx, store.RunFilter{})
			after, err := e.p.Start(ctx, pipeline.Request{Unit: "340882", Importer: "slow", FileName: "f.txt", File: strings.NewReader(lines(1)), By: "test"})
			if !errors.Is(err, pipeline.ErrShuttingDown) || !errors.Is(err, pipeline.ErrState) {
				t.Errorf("Start after Shutdown: %+v, %v; want ErrShuttingDown", after, err)
			}
			if now, _ := e.store.RunsWith(ctx, store.RunFilter{}); len(now) != len(runs) {
				t.Errorf("Start after Shutdown made a run: %d runs, %d before", len(now), len(runs))
			}
			t.Logf("Shutdown returned after %s: %v", took.Round(time.Millisecond), shutErr)
		})
	}
}
