package e2e

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestShutdownLetsImportsFinishOrFailsThem sends the hub SIGTERM while a
// slow import runs (a record every 200 ms). The hub stops taking requests
// at once. An import that ends within --shutdown-grace ends as it would
// have and the hub exits cleanly; one that does not is recorded FAILED
// ("hub shut down") before the hub exits; a second SIGTERM exits at once,
// and the next start fails the run ("hub stopped"). Either way the
// plugin process is gone and, after a restart, the published data read
// exactly as before.
func TestShutdownLetsImportsFinishOrFailsThem(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		rows  int
		grace time.Duration
		// second sends another SIGTERM once the hub refuses connections.
		second bool
		// exit bounds the time from the (last) signal to the exit.
		exit           time.Duration
		status, reason string
	}{
		"the import ends within the grace": {rows: 10, grace: time.Minute, exit: 20 * time.Second, status: "READY"},
		"the grace runs out":               {rows: 200, grace: time.Second, exit: 10 * time.Second, status: "FAILED", reason: "hub shut down"},
		"a second signal exits at once":    {rows: 200, grace: time.Minute, second: true, exit: 3 * time.Second, status: "FAILED", reason: "hub stopped"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			data := t.TempDir()
			hub, addr := importHub(t, data, "--shutdown-grace", tc.grace.String())
			if out, err := importFile(t, addr, "340803", "example", sheet(19), "--publish"); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			before := released(t, addr)
			id := startSlowImportOf(t, addr, tc.rows)
			plugins := childrenOf(hub.cmd.Process.Pid)
			if len(plugins) != 1 {
				t.Fatalf("plugin processes under the hub: %v", plugins)
			}

			hub.cmd.Process.Signal(syscall.SIGTERM)
			signalled := time.Now()
			hub.waitLog(t, regexp.MustCompile(`(shutting down)`))
			// No new requests: the listener closes at once.
			for {
				res, err := http.Get("http://" + addr + "/healthz")
				if err != nil {
					break
				}
				res.Body.Close()
				if time.Since(signalled) > 3*time.Second {
					t.Fatal("the hub still takes requests 3s after SIGTERM")
				}
				time.Sleep(20 * time.Millisecond)
			}
			if tc.second {
				select {
				case err := <-hub.done:
					hub.done <- err
					t.Fatalf("the hub exited before the second signal, with the import running: %v\n%s", err, hub.stderr)
				default:
				}
				hub.cmd.Process.Signal(syscall.SIGTERM)
				signalled = time.Now()
			}
			stderr, err := hub.wait(t, tc.exit+10*time.Second)
			took := time.Since(signalled)
			t.Logf("exited %s after the last signal: %v", took.Round(time.Millisecond), err)
			switch {
			case tc.second && err == nil:
				t.Errorf("the hub exited cleanly after a second signal; want exit status 1")
			case !tc.second && err != nil:
				t.Errorf("exit after SIGTERM: %v\n%s", err, stderr)
			}
			if took > tc.exit {
				t.Errorf("the hub took %s to exit; want at most %s", took, tc.exit)
			}
			for _, p := range plugins {
				var pid int
				fmt.Sscanf(p, "%d", &pid)
				for i := 0; i < 100 && syscall.Kill(pid, 0) == nil; i++ {
					time.Sleep(20 * time.Millisecond)
				}
				if syscall.Kill(pid, 0) == nil {
					t.Errorf("plugin %s outlived the hub", p)
				}
			}

			hub, addr = importHub(t, data)
			defer hub.stop(t)
			status, reason := runStatus(t, addr, id)
			if status != tc.status || !strings.Contains(reason, tc.reason) {
				t.Errorf("after the restart the run is %s %q; want %s saying %q", status, reason, tc.status, tc.reason)
			}
			if after := released(t, addr); fmt.Sprint(before) != fmt.Sprint(after) {
				t.Errorf("published data changed:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
}
