package host_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/plugins/internal/protocol"
	"github.com/countyhub/countyhub/plugins/records"
)

// privateTemp points the hub's temporary directory, where plugins get their
// working directories, at an empty directory of the test's, and returns it.
func privateTemp(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	if resolved, err := filepath.EvalSymlinks(tmp); err == nil {
		tmp = resolved // as the plugin's getcwd reports it
	}
	t.Setenv("TMPDIR", tmp)
	return tmp
}

// noWorkDirs fails if a plugin's working directory is left in tmp.
func noWorkDirs(t *testing.T, tmp string) {
	t.Helper()
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left behind in the temporary directory: %s", e.Name())
	}
}

// importDiags imports with the named plugin and returns the diagnostics
// it sent, also when the import failed.
func importDiags(h *host.Host, name string) ([]records.Diagnostic, error) {
	var diags []records.Diagnostic
	_, err := h.Import(context.Background(), name, request(1), func(b host.Batch) error {
		diags = append(diags, b.Diagnostics...)
		return nil
	})
	return diags, err
}

func TestResourceLimits(t *testing.T) {
	tmp := privateTemp(t)
	tests := map[string]struct {
		says []string
	}{
		"cpuhog":  {[]string{"cpuhog used its 1s of CPU time and was killed", "; raise the limit with the CPU hint"}},
		"memhog":  {[]string{"memhog ran out of memory at its limit of 256 MiB (", "out of memory", "; raise the limit with the memory hint"}},
		"filehog": {[]string{"filehog ran out of open files at its limit of 32 (", "too many open files", "; raise the limit with the files hint"}},
	}
	dir := t.TempDir()
	for _, n := range []string{"cpuhog", "memhog", "filehog", "good"} {
		install(t, dir, badplugin, n)
		pinRaw(t, dir, n)
	}
	logs := &logBuffer{}
	h := host.New(dir, host.Options{
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
		// The CPU limit, not the idle timeout, must stop cpuhog, even on a
		// busy machine where its CPU second takes longer.
		IdleTimeout: time.Minute, CallTimeout: 5 * time.Second, StartTimeout: 5 * time.Second,
		CPULimit: time.Second, MemoryLimit: 256 << 20, FileLimit: 32,
		Hints: hints(),
	})
	for mode, tc := range tests {
		t.Run(mode, func(t *testing.T) {
			start := time.Now()
			_, _, err := importAll(context.Background(), h, mode, request(3))
			if !errors.Is(err, host.ErrLimit) {
				t.Errorf("error = %v; want ErrLimit", err)
			}
			for _, s := range tc.says {
				if err != nil && !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
			if took := time.Since(start); took > 45*time.Second {
				t.Errorf("took %s to fail", took)
			}
			if t.Failed() {
				t.Logf("the host's log:\n%s", logs)
			}
			noChildren(t)
			noWorkDirs(t, tmp)
			// The host goes on working, under the same limits.
			if recs, _, err := importAll(context.Background(), h, "good", request(2)); err != nil || len(recs) != 2 {
				t.Errorf("a good import after %s: %d records, %v", mode, len(recs), err)
			}
			noWorkDirs(t, tmp)
		})
	}

	// Too little memory for a Go program to start: the runtime says so,
	// or, with less still, the kernel cannot even load it.
	for limit, want := range map[int64]struct {
		err  error
		says string
	}{
		64 << 20: {host.ErrLimit, "ran out of memory at its limit of 64 MiB"},
		16 << 20: {host.ErrStart, "memory limit of 16 MiB; raise the limit with the memory hint)"},
	} {
		t.Run(fmt.Sprintf("start with %d MiB", limit>>20), func(t *testing.T) {
			h := host.New(dir, host.Options{MemoryLimit: limit, StartTimeout: 5 * time.Second, Hints: hints()})
			_, _, err := importAll(context.Background(), h, "good", request(1))
			if !errors.Is(err, want.err) || !strings.Contains(err.Error(), want.says) {
				t.Errorf("error = %v; want %v saying %q", err, want.err, want.says)
			}
			noChildren(t)
			noWorkDirs(t, tmp)
		})
	}
}

func TestPluginSeesOnlyTheHostsVariables(t *testing.T) {
	tmp := privateTemp(t)
	t.Setenv("COUNTYHUB_MONGO_URI", "mongodb://hub:secret@db.example") // a hub secret
	h, dir, _ := newHost(t, "env")
	pinRaw(t, dir, "env")

	diags, err := importDiags(h, "env")
	if err != nil {
		t.Fatal(err)
	}
	env, cwd := map[string]string{}, ""
	for _, d := range diags {
		switch d.Reference {
		case "env":
			env[d.Field] = d.Message
		case "cwd":
			cwd = d.Message
		}
	}
	var names []string
	for k := range env {
		names = append(names, k)
	}
	sort.Strings(names)
	want := []string{
		protocol.Handshake.MagicCookieKey, "LANG",
		// go-plugin's: the host's certificate for mutual TLS, the
		// listening ports allowed, the protocol versions it speaks.
		"PLUGIN_CLIENT_CERT", "PLUGIN_MAX_PORT", "PLUGIN_MIN_PORT", "PLUGIN_PROTOCOL_VERSIONS",
		"TMPDIR",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("variables the plugin sees (-want +got):\n%s", diff)
	}
	if env["LANG"] != "C.UTF-8" || env["TMPDIR"] != cwd || env[protocol.Handshake.MagicCookieKey] != protocol.Handshake.MagicCookieValue {
		t.Errorf("LANG=%q TMPDIR=%q cookie=%q; want C.UTF-8, the working directory %q and the cookie",
			env["LANG"], env["TMPDIR"], env[protocol.Handshake.MagicCookieKey], cwd)
	}
	for k, v := range env {
		if strings.Contains(v, "secret") {
			t.Errorf("the plugin sees a hub secret in %s", k)
		}
	}
	noWorkDirs(t, tmp)
}

func TestPluginWorkingDirectory(t *testing.T) {
	hubWD, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tmp := privateTemp(t)
	h, dir, _ := newHost(t, "write", "write-crash")
	pinRaw(t, dir, "write", "write-crash")

	tests := map[string]error{
		"write":       nil,
		"write-crash": host.ErrCrashed,
	}
	seen := map[string]bool{}
	for _, mode := range []string{"write", "write-crash", "write"} {
		t.Run(mode, func(t *testing.T) {
			diags, err := importDiags(h, mode)
			if !errors.Is(err, tests[mode]) {
				t.Fatalf("error = %v; want %v", err, tests[mode])
			}
			if len(diags) != 1 || diags[0].Reference != "cwd" {
				t.Fatalf("diagnostics = %+v; want the working directory", diags)
			}
			cwd := diags[0].Message
			if cwd == hubWD || filepath.Dir(cwd) != tmp || seen[cwd] {
				t.Errorf("the plugin ran in %s; want a new directory of its own in %s, not the hub's %s", cwd, tmp, hubWD)
			}
			seen[cwd] = true
			if _, err := os.Stat(cwd); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the working directory %s is still there (%v)", cwd, err)
			}
			noChildren(t)
			noWorkDirs(t, tmp)
		})
	}
}

func TestCloseRemovesWorkingDirectories(t *testing.T) {
	tmp := privateTemp(t)
	h, dir, _ := newHost(t, "hang")
	pinRaw(t, dir, "hang")

	// Directories of hubs killed outright: one whose hub is gone, one of a
	// hub still running (pid 1 stands in for it).
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(tmp, fmt.Sprintf("countyhub-plugin-%d-1", gone.Process.Pid))
	alive := filepath.Join(tmp, "countyhub-plugin-1-1")
	for _, d := range []string{stale, alive} {
		if err := os.MkdirAll(filepath.Join(d, "sub"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := importAll(context.Background(), h, "hang", request(1))
		done <- err
	}()
	// Wait for the plugin to run in its directory: its go-plugin socket
	// is there.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if dirs, _ := filepath.Glob(filepath.Join(tmp, "*", "plugin*")); len(dirs) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no plugin started in a working directory")
		}
	}
	h.Close()
	if _, err := os.Stat(alive); err != nil {
		t.Errorf("the directory of a running hub's plugin was removed: %v", err)
	}
	os.RemoveAll(alive)
	noWorkDirs(t, tmp)
	if err := <-done; err == nil {
		t.Error("the import of a killed plugin succeeded")
	}
	noChildren(t)
}

// waitWorkDirs waits until n plugins run in working directories of tmp:
// each has its go-plugin socket there.
func waitWorkDirs(t *testing.T, tmp string, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if socks, _ := filepath.Glob(filepath.Join(tmp, "*", "plugin*")); len(socks) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d plugins did not start in working directories of their own", n)
		}
	}
}

// TestHostsOwnTheirProcesses runs an import on each of two hosts in one
// process: closing one kills its plugin and removes its working directory,
// and leaves the other's running.
func TestHostsOwnTheirProcesses(t *testing.T) {
	tmp := privateTemp(t)
	first, dir1, _ := newHost(t, "hang")
	pinRaw(t, dir1, "hang")
	second, dir2, _ := newHost(t, "hang")
	pinRaw(t, dir2, "hang")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done1, done2 := make(chan error, 1), make(chan error, 1)
	go func() { _, _, err := importAll(ctx, first, "hang", request(1)); done1 <- err }()
	go func() { _, _, err := importAll(ctx, second, "hang", request(1)); done2 <- err }()
	waitWorkDirs(t, tmp, 2)

	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done1; err == nil {
		t.Error("the import of a closed host succeeded")
	}
	if left := children(t); len(left) != 1 {
		t.Errorf("after the first host closed, plugin processes %v; want the second host's alone", left)
	}
	if dirs, _ := filepath.Glob(filepath.Join(tmp, "countyhub-plugin-*")); len(dirs) != 1 {
		t.Errorf("after the first host closed, working directories %v; want the second host's alone", dirs)
	}
	select {
	case err := <-done2:
		t.Fatalf("closing the first host ended the second host's import: %v", err)
	default:
	}
	if _, err := first.Describe(context.Background(), "hang"); !errors.Is(err, host.ErrStart) {
		t.Errorf("a closed host started a plugin: %v", err)
	}

	if err := second.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done2; err == nil {
		t.Error("the import of a closed host succeeded")
	}
	noChildren(t)
	noWorkDirs(t, tmp)
}

// TestCancelRemovesTheWorkingDirectory cancels the context of an import
// whose plugin hangs, as the hub's pipeline does at shutdown: the import
// ends with the cancellation, its plugin is killed and reaped and its
// working directory removed, with no Close.
func TestCancelRemovesTheWorkingDirectory(t *testing.T) {
	tmp := privateTemp(t)
	h, dir, logs := newHost(t, "hang")
	pinRaw(t, dir, "hang")
	ctx, cancel := context.WithCancelCause(context.Background())
	shutdown := errors.New("hub shutting down")
	done := make(chan error, 1)
	go func() { _, _, err := importAll(ctx, h, "hang", request(1)); done <- err }()
	waitLog(t, logs, "read file")

	start := time.Now()
	cancel(shutdown)
	select {
	case err := <-done:
		if !errors.Is(err, shutdown) {
			t.Errorf("error = %v; want the cancellation's cause", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the import did not end when its context was cancelled")
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the cancelled import took %s to end", took)
	}
	noChildren(t)
	noWorkDirs(t, tmp)
}
