package sandbox

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLimitsRoundTrip(t *testing.T) {
	tests := map[string]struct {
		limits Limits
		value  string
		want   Limits
	}{
		"all":         {Limits{CPU: 10 * time.Minute, Memory: 2 << 30, Files: 256}, "cpu=600 data=2147483648 nofile=256", Limits{CPU: 10 * time.Minute, Memory: 2 << 30, Files: 256}},
		"cpu rounded": {Limits{CPU: 1500 * time.Millisecond}, "cpu=2", Limits{CPU: 2 * time.Second}},
		"files only":  {Limits{Files: 32}, "nofile=32", Limits{Files: 32}},
		"none":        {Limits{}, "", Limits{}},
		"negative":    {Limits{CPU: -time.Second, Memory: -1, Files: -1}, "", Limits{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := tc.limits.String(); got != tc.value {
				t.Errorf("String() = %q; want %q", got, tc.value)
			}
			if got := tc.limits.Env(); got != Var+"="+tc.value {
				t.Errorf("Env() = %q", got)
			}
			got, err := parse(tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("parse(%q) (-want +got):\n%s", tc.value, diff)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	for name, value := range map[string]string{
		"unknown":  "rss=100",
		"no value": "cpu",
		"zero":     "nofile=0",
		"negative": "data=-1",
		"text":     "cpu=ten",
		"huge cpu": "cpu=9223372036854775807",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if l, err := parse(value); err == nil {
				t.Errorf("parse(%q) = %+v; want an error", value, l)
			}
		})
	}
}

// sandboxed runs argv through the sandbox as the host does: this test
// binary, which links the package's init, started with Var set.
func sandboxed(t *testing.T, l Limits, argv ...string) (stdout, stderr string, err error) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	cmd := &exec.Cmd{Path: self, Args: argv, Env: []string{l.Env(), "KEPT=yes"}, Stdout: &out, Stderr: &errOut}
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

func needs(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("this test runs %s, which CI's system lacks: %v", p, err)
			}
			t.Skipf("this test runs %s, which this system lacks: %v", p, err)
		}
	}
}

func TestEnterSetsTheLimitsBeforeTheProgramRuns(t *testing.T) {
	needs(t, "/bin/cat", "/proc/self/limits")
	// cat reads its own limits: the process the sandbox became.
	out, errOut, err := sandboxed(t, Limits{CPU: 3 * time.Second, Memory: 512 << 20, Files: 64}, "/bin/cat", "/proc/self/limits")
	if err != nil {
		t.Fatalf("%v: %s", err, errOut)
	}
	got := map[string][]string{}
	for line := range strings.Lines(out) {
		for _, name := range []string{"Max cpu time", "Max data size", "Max open files"} {
			if rest, ok := strings.CutPrefix(line, name); ok {
				got[name] = strings.Fields(rest)[:2] // soft, hard
			}
		}
	}
	want := map[string][]string{
		"Max cpu time":   {"3", "4"}, // SIGKILL a second after SIGXCPU
		"Max data size":  {"536870912", "536870912"},
		"Max open files": {"64", "64"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("limits (-want +got):\n%s\nall:\n%s", diff, out)
	}
}

func TestEnterRemovesTheVariable(t *testing.T) {
	needs(t, "/usr/bin/env")
	out, errOut, err := sandboxed(t, Limits{Files: 64}, "/usr/bin/env")
	if err != nil {
		t.Fatalf("%v: %s", err, errOut)
	}
	if diff := cmp.Diff([]string{"KEPT=yes"}, strings.Fields(out)); diff != "" {
		t.Errorf("environment (-want +got):\n%s", diff)
	}
}

func TestEnterFails(t *testing.T) {
	tests := map[string]struct {
		argv []string
		want string
	}{
		"relative path": {[]string{"cat", "/proc/self/limits"}, "must be absolute"},
		"missing":       {[]string{"/nonexistent/plugin"}, "execute /nonexistent/plugin: no such file or directory"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, errOut, err := sandboxed(t, Limits{Files: 64}, tc.argv...)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitCode || !strings.Contains(errOut, tc.want) {
				t.Errorf("error = %v, stderr %q; want exit status %d saying %q", err, errOut, exitCode, tc.want)
			}
		})
	}
}
