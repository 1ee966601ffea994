package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestLoadCommandReplaysTheDashboard runs `countyhub load` for two seconds
// against a hub with one published county and checks that it sent every
// kind of dashboard query, none failed, and it printed its figures.
func TestLoadCommandReplaysTheDashboard(t *testing.T) {
	t.Parallel()
	hub, addr := importHub(t, t.TempDir(), "--rate", "0")
	defer hub.stop(t)
	if out, err := importFile(t, addr, "340803", "example", sheet(3), "--publish"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	out, err := hubCommand(t, addr, "load", "--clients", "4", "--duration", "2s").CombinedOutput()
	if err != nil {
		t.Fatalf("load: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`4 clients for \S+: (\d+) requests, [\d.]+ requests/s, (\d+) errors`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("load printed no summary:\n%s", out)
	}
	if n, _ := strconv.Atoi(m[1]); n < 20 || m[2] != "0" {
		t.Errorf("load: %s requests, %s errors; want some, and none failed:\n%s", m[1], m[2], out)
	}
	for _, q := range []string{"Overview", "Compare", "County", "CountyFigures", "all"} {
		if !regexp.MustCompile(`(?m)^\s*` + q + `\s+\d+\s+[\d.]+ ms\s+[\d.]+ ms`).MatchString(string(out)) {
			t.Errorf("load output lacks the %s line:\n%s", q, out)
		}
	}

	// With the hub's rate limit on, the same load reports the refusals as
	// errors and exits non-zero.
	limited, addr2 := importHub(t, t.TempDir(), "--rate", "5")
	defer limited.stop(t)
	out, err = hubCommand(t, addr2, "load", "--clients", "4", "--duration", "1s").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "RATE_LIMITED") {
		t.Errorf("load against a hub limited to 5 requests a second: %v\n%s", err, out)
	}
}
