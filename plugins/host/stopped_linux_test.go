package host_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/countyhub/countyhub/plugins/host"
)

// pluginPID waits for the one plugin process under the test and returns
// its pid.
func pluginPID(t *testing.T) int {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if kids := children(t); len(kids) == 1 {
			var pid int
			if _, err := fmt.Sscanf(kids[0], "%d", &pid); err != nil {
				t.Fatal(err)
			}
			return pid
		}
	}
	t.Fatalf("no single plugin process: %v", children(t))
	return 0
}

// waitLog waits for the host's log to say what.
func waitLog(t *testing.T, logs *logBuffer, what string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logs.String(), what); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the log does not say %q:\n%s", what, logs)
		}
	}
}

// stopProcess sends SIGSTOP to a plugin process. Should the host leave it
// behind, the test's end kills it.
func stopProcess(t *testing.T, pid int) {
	t.Helper()
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, c := range children(t) {
			if strings.HasPrefix(c, fmt.Sprintf("%d ", pid)) {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
}

// TestStoppedPluginFailsTheImport stops (SIGSTOP) a real plugin process
// during an import: the import fails within the idle timeout naming the
// importer and the last reference it reached, and the process is killed
// and reaped although it cannot answer the request to exit.
func TestStoppedPluginFailsTheImport(t *testing.T) {
	tests := map[string]struct {
		plugin string
		// stopAt says when to stop the process: once the sink has this many
		// records, or, when 0, once the plugin has read the file.
		stopAt int
	}{
		"before it sends anything": {plugin: "hang"},
		"in the middle of a file":  {plugin: "slow", stopAt: 2},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h, dir, logs := newHost(t, tc.plugin)
			pinRaw(t, dir, tc.plugin)
			var (
				mu   sync.Mutex
				refs []string
			)
			got := make(chan int, 100)
			done := make(chan error, 1)
			go func() {
				_, err := h.Import(context.Background(), tc.plugin, request(100), func(b host.Batch) error {
					mu.Lock()
					defer mu.Unlock()
					for _, r := range b.Records {
						refs = append(refs, r.Reference)
					}
					got <- len(refs)
					return nil
				})
				done <- err
			}()
			pid := pluginPID(t)
			if tc.stopAt == 0 {
				waitLog(t, logs, "read file")
			} else {
				for n := 0; n < tc.stopAt; {
					select {
					case n = <-got:
					case err := <-done:
						t.Fatalf("the import ended before the stop: %v", err)
					}
				}
			}
			stopProcess(t, pid)
			start := time.Now()

			var err error
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("the import of a stopped plugin did not end")
			}
			took := time.Since(start)
			mu.Lock()
			want := "it had sent no record or diagnostic"
			if len(refs) > 0 {
				want = fmt.Sprintf("the last reference it reached was %q", refs[len(refs)-1])
			}
			mu.Unlock()
			if !errors.Is(err, host.ErrHung) || !strings.Contains(err.Error(), tc.plugin+" sent nothing for 2s and was killed; "+want) {
				t.Errorf("error = %v; want ErrHung naming %s and saying %q", err, tc.plugin, want)
			}
			// The idle timeout, and no wait for an answer the stopped
			// process cannot give.
			if took > 5*time.Second {
				t.Errorf("the import took %s after the stop to fail; the idle timeout is 2s", took)
			}
			t.Logf("failed %s after the stop: %v", took.Round(time.Millisecond), err)
			noChildren(t)
		})
	}
}

// TestCloseEndsAStoppedPlugin stops a plugin process during an import
// with a long idle timeout, as a hub shutting down may find one: Close
// kills and reaps it at once, and the import ends.
func TestCloseEndsAStoppedPlugin(t *testing.T) {
	_, dir, _ := newHost(t, "hang")
	pinRaw(t, dir, "hang")
	logs := &logBuffer{}
	h := host.New(dir, host.Options{Logger: slog.New(slog.NewTextHandler(logs, nil)), IdleTimeout: time.Hour})
	done := make(chan error, 1)
	go func() {
		_, _, err := importAll(context.Background(), h, "hang", request(1))
		done <- err
	}()
	pid := pluginPID(t)
	waitLog(t, logs, "read file")
	stopProcess(t, pid)

	start := time.Now()
	h.Close()
	if took := time.Since(start); took > 8*time.Second {
		t.Errorf("Close took %s with a stopped plugin", took)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Error("the import of a killed plugin succeeded")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the import did not end after Close")
	}
	if left := children(t); slices.ContainsFunc(left, func(c string) bool { return strings.HasPrefix(c, fmt.Sprintf("%d ", pid)) }) {
		t.Errorf("the stopped plugin is left: %v", left)
	}
	noChildren(t)
}
