package e2e

import (
	"os"
	"path/filepath"
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
	for _, q := range []string{"Overview", "Compare", "County", "CountyFigures", "UnitView CITY", "UnitView COUNTY", "UnitView TOWN",
		"UnitCompare CITY", "UnitCompare COUNTY", "UnitCompare TOWN", "all"} {
		if !regexp.MustCompile(`(?m)^\s*` + q + `\s+\d+\s+[\d.]+ ms\s+[\d.]+ ms`).MatchString(string(out)) {
			t.Errorf("load output lacks the %s line:\n%s", q, out)
		}
	}

	// Beside hostile clients, the dashboard clients are served without an
	// error, both runs are printed side by side, and every hostile request
	// is refused with its code (the 100 aliases are within the bounds).
	out, err = hubCommand(t, addr, "load", "--clients", "2", "--duration", "2s", "--hostile", "2").CombinedOutput()
	if err != nil {
		t.Fatalf("load --hostile: %v\n%s", err, out)
	}
	for _, re := range []string{`(?m)^\s*alone\s+\d+\s+[\d.]+\s+[\d.]+ ms\s+[\d.]+ ms\s+0$`, `(?m)^\s*with hostile\s+\d+\s+[\d.]+\s+[\d.]+ ms\s+[\d.]+ ms\s+0$`,
		`p99 with hostile / alone: [\d.]+x`, `repeat10k: 422 QUERY_TOO_LARGE`, `repeat1MB: 413 PAYLOAD_TOO_LARGE`, `alias5k: 422 QUERY_TOO_LARGE`,
		`batch: 400 BAD_REQUEST`, `getMutation: 405 METHOD_NOT_ALLOWED`, `textPlain: 415 UNSUPPORTED_MEDIA_TYPE`} {
		if !regexp.MustCompile(re).Match(out) {
			t.Errorf("load --hostile output lacks %s:\n%s", re, out)
		}
	}
	answers := regexp.MustCompile(`(?m)^\s+(\w+): (.+?)\s+×\d+$`).FindAllSubmatch(out, -1)
	if len(answers) < 10 {
		t.Errorf("load --hostile lists %d kinds of hostile answers; want one a request:\n%s", len(answers), out)
	}
	for _, a := range answers {
		name, got := string(a[1]), string(a[2])
		if want := "served"; name == "alias100" && !strings.HasSuffix(got, want) || name != "alias100" && !regexp.MustCompile(`^4\d\d [A-Z_]+$`).MatchString(got) {
			t.Errorf("hostile request %s got %q; want a 4xx refusal with its code (alias100: served)", name, got)
		}
	}

	// Side by side with a baseline hub (here the same one) and with the
	// plain handler serving the hub's recorded answers, in one run: each
	// is printed with no error, and so are the ratios with their targets.
	tokenFile := filepath.Join(t.TempDir(), "baseline.token")
	if err := os.WriteFile(tokenFile, []byte(adminToken(t, addr)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = hubCommand(t, addr, "load", "--clients", "2", "--duration", "3s", "--baseline", "http://"+addr, "--baseline-token-file", tokenFile, "--plain").CombinedOutput()
	if err != nil {
		t.Fatalf("load --baseline --plain: %v\n%s", err, out)
	}
	for _, re := range []string{`(?m)^\s*hub\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+ ms\s+[\d.]+ ms\s+0$`, `(?m)^\s*baseline\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+ ms\s+[\d.]+ ms\s+0$`,
		`(?m)^\s*plain handler\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+ ms\s+[\d.]+ ms\s+0$`, `p99, hub / baseline: [\d.]+x \(target <= 3.00x\)`,
		`throughput, hub / baseline: [\d.]+x \(target >= 0.80x\)`, `throughput, hub / plain handler: [\d.]+x \(target >= 0.30x\)`} {
		if !regexp.MustCompile(re).Match(out) {
			t.Errorf("load --baseline --plain output lacks %s:\n%s", re, out)
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
