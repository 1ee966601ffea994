package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// importHub starts a hub with the example importer and badplugin's slow
// mode as importers, both pinned.
func importHub(t *testing.T, data string, args ...string) (*process, string) {
	t.Helper()
	dir := filepath.Join(data, "plugins")
	if _, err := os.Stat(filepath.Join(dir, "plugins.lock")); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		copyFile(t, example, filepath.Join(dir, "example"))
		copyFile(t, badplugin, filepath.Join(dir, "slow"))
		copyFile(t, badplugin, filepath.Join(dir, "othercounty"))
		if out, err := exec.Command(binary, "plugins", "pin", "--plugins", dir).CombinedOutput(); err != nil {
			t.Fatalf("pin: %v\n%s", err, out)
		}
	}
	return serveHub(t, append([]string{"--data", data}, args...)...)
}

// importFile runs `countyhub import` against the hub.
func importFile(t *testing.T, addr, county, importer, content string, args ...string) (string, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sheet.csv")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := hubCommand(t, addr, append([]string{"import", "--county", county, "--importer", importer, path}, args...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

type observationsResult struct {
	Observations []struct {
		Metric struct{ Code string }
		Value  struct {
			Value     float64
			Qualifier string
		}
		Provenance struct{ RunID string }
	}
}

func sheet(value int) string {
	return fmt.Sprintf("metric,unit,period,value\norg.volunteer_teams,,2023,%d\norg.pioneer_zones,,2023,%d\norg.paired_party_orgs,,2023,%d\n", value, value, value)
}

func TestImportCommandAndPublish(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	hub, addr := importHub(t, data)
	defer hub.stop(t)

	out, err := importFile(t, addr, "340882", "example", sheet(26), "--publish")
	if err != nil || !strings.Contains(out, "READY") || !strings.Contains(out, "3 added") || !strings.Contains(out, "published run") {
		t.Fatalf("import --publish: %v\n%s", err, out)
	}
	// The run's phases, in the command's output, the API and /metrics.
	for _, want := range []string{"sent ", "phases (parse, validate and write overlap)", "    upload ", "    parse ", "3 rows", "    write ", "    diff ", "    publish ", "    rollups "} {
		if !strings.Contains(out, want) {
			t.Errorf("import --publish output lacks %q:\n%s", want, out)
		}
	}
	var runs struct {
		ImportRuns struct {
			Edges []struct {
				Node struct {
					Phases []struct {
						Name          string
						Seconds       float64
						Rows          int
						RowsPerSecond float64
					}
				}
			}
		}
	}
	graphql(t, addr, `{ importRuns(first: 1) { edges { node { phases { name seconds rows rowsPerSecond } } } } }`, &runs)
	var phases []string
	for _, e := range runs.ImportRuns.Edges {
		for _, ph := range e.Node.Phases {
			phases = append(phases, ph.Name)
			if ph.Seconds <= 0 || (ph.Rows > 0) != (ph.RowsPerSecond > 0) {
				t.Errorf("phase %+v", ph)
			}
		}
	}
	if got := strings.Join(phases, " "); got != "upload store parse validate write diff publish rollups" {
		t.Errorf("importRuns phases: %q", got)
	}
	res, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(metrics), `countyhub_import_phase_rows_total{phase="parse"} 3`) {
		t.Errorf("/metrics lacks the parse phase's 3 rows")
	}
	out, err = importFile(t, addr, "340882", "example", sheet(26))
	if err != nil || !strings.Contains(out, "UNCHANGED") {
		t.Errorf("the same file again: %v\n%s", err, out)
	}
	out, err = importFile(t, addr, "340882", "example", "metric,unit,period,value\norg.volunteer_teams,,2023,27\norg.pioneer_zones,,2023,26\norg.nope,,2023,1\n", "--dry-run", "--max-errors", "1")
	for _, want := range []string{"DISCARDED", "ERROR   line 4 (metric)", "0 added, 1 changed, 1 removed", "~ observations org.volunteer_teams|340882|2023 (line 2): value", "- observations org.paired_party_orgs|340882|2023"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q (err %v):\n%s", want, err, out)
		}
	}
	out, err = importFile(t, addr, "340882", "example", "metric,unit,period,value\norg.volunteer_teams,大观区,2023,3\n")
	if err == nil || !strings.Contains(out, "FAILED") || !strings.Contains(out, "another county") {
		t.Errorf("a record for another county: %v\n%s", err, out)
	}
	var got observationsResult
	graphql(t, addr, `{ observations(filter: {county: "340882"}) { metric { code } value { value qualifier } provenance { runId } } }`, &got)
	if len(got.Observations) != 3 || got.Observations[0].Value.Value != 26 {
		t.Errorf("released observations = %+v; want the three published ones", got.Observations)
	}
}

// TestReadersNeverSeeAMixDuringPublish has 100 readers query a county's
// figures while five releases of it are published: each read sees one
// whole release.
func TestReadersNeverSeeAMixDuringPublish(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	hub, addr := importHub(t, data, "--rate", "0") // the readers share one token
	defer hub.stop(t)
	if out, err := importFile(t, addr, "340803", "example", sheet(1), "--publish"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var mu sync.Mutex
	var seen, mixed, failed []string
	token := adminToken(t, addr)
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				var got observationsResult
				_, data, code := as(t, addr, token, `{ observations(filter: {county: "340803"}) { value { value } provenance { runId } } }`, nil)
				if err := json.Unmarshal(data, &got); err != nil || code != "" {
					mu.Lock()
					failed = append(failed, fmt.Sprintf("%s %v", code, err))
					mu.Unlock()
					continue
				}
				values, runs := map[float64]bool{}, map[string]bool{}
				for _, o := range got.Observations {
					values[o.Value.Value], runs[o.Provenance.RunID] = true, true
				}
				mu.Lock()
				state := fmt.Sprintf("%d records, values %v, runs %d", len(got.Observations), values, len(runs))
				seen = append(seen, state)
				if len(got.Observations) != 3 || len(values) != 1 || len(runs) != 1 {
					mixed = append(mixed, state)
				}
				mu.Unlock()
			}
		}()
	}
	for v := 2; v <= 6; v++ {
		if out, err := importFile(t, addr, "340803", "example", sheet(v), "--publish"); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
	}
	time.Sleep(100 * time.Millisecond)
	cancel()
	wg.Wait()
	if len(mixed) > 0 {
		t.Errorf("%d of %d reads saw a mix of releases, e.g. %s", len(mixed), len(seen), mixed[0])
	}
	if len(failed) > 0 {
		t.Errorf("%d reads failed, e.g. %s", len(failed), failed[0])
	}
	if len(seen) < 20 {
		t.Errorf("only %d reads ran during the publishes", len(seen))
	}
}

// startSlowImport starts a slow import of 200 rows (40 s) through
// `countyhub import` and waits until the plugin has sent some records.
func startSlowImport(t *testing.T, addr string) string {
	t.Helper()
	return startSlowImportOf(t, addr, 200)
}

// startSlowImportOf is startSlowImport with a file of rows rows, a record
// every 200 ms. The plugin sends the same figure for each row: the run
// tolerates the duplicates, so that it ends READY when it ends by itself.
func startSlowImportOf(t *testing.T, addr string, rows int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "slow.txt")
	if err := os.WriteFile(path, []byte(strings.Repeat("row\n", rows)), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := hubCommand(t, addr, "import", "--county", "340803", "--importer", "slow", "--max-errors", fmt.Sprint(rows), path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for range 200 {
		var got struct {
			ImportRuns struct {
				Edges []struct {
					Node struct {
						ID, Status string
						Read       int
					}
				}
			}
		}
		graphql(t, addr, `{ importRuns(filter: {status: RUNNING}) { edges { node { id status read } } } }`, &got)
		if e := got.ImportRuns.Edges; len(e) > 0 && e[0].Node.Read > 0 {
			return e[0].Node.ID
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the slow import did not start")
	return ""
}

func runStatus(t *testing.T, addr, id string) (string, string) {
	t.Helper()
	var got struct {
		ImportRun struct{ Status, Reason string }
	}
	graphql(t, addr, fmt.Sprintf(`{ importRun(id: %q) { status reason } }`, id), &got)
	return got.ImportRun.Status, got.ImportRun.Reason
}

func TestKillsDuringAnImportLeavePublishedDataIntact(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	hub, addr := importHub(t, data)
	if out, err := importFile(t, addr, "340803", "example", sheet(19), "--publish"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var before observationsResult
	graphql(t, addr, `{ observations(filter: {county: "340803"}) { metric { code } value { value qualifier } provenance { runId } } }`, &before)

	// The plugin is killed: the run fails with the reason, the hub goes on.
	id := startSlowImport(t, addr)
	plugins := childrenOf(hub.cmd.Process.Pid)
	if len(plugins) != 1 {
		t.Fatalf("plugin processes under the hub: %v", plugins)
	}
	var pid int
	fmt.Sscanf(plugins[0], "%d", &pid)
	syscall.Kill(pid, syscall.SIGKILL)
	var status, reason string
	for range 100 {
		if status, reason = runStatus(t, addr, id); status != "RUNNING" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if status != "FAILED" || !strings.Contains(reason, "slow") {
		t.Errorf("after killing the plugin: %s %q; want FAILED naming the plugin", status, reason)
	}

	// The hub is killed mid-import: after a restart the run is FAILED
	// with a reason and the published data is exactly as before.
	id = startSlowImport(t, addr)
	orphans := childrenOf(hub.cmd.Process.Pid)
	hub.cmd.Process.Signal(syscall.SIGKILL)
	hub.wait(t, 10*time.Second)
	for _, o := range orphans {
		var pid int
		fmt.Sscanf(o, "%d", &pid)
		for i := 0; i < 100 && syscall.Kill(pid, 0) == nil; i++ {
			time.Sleep(20 * time.Millisecond)
		}
		if syscall.Kill(pid, 0) == nil {
			t.Errorf("plugin %s outlived the killed hub", o)
		}
	}
	hub, addr = importHub(t, data)
	defer hub.stop(t)
	status, reason = runStatus(t, addr, id)
	if status != "FAILED" || !strings.Contains(reason, "hub stopped") {
		t.Errorf("after killing the hub: %s %q; want FAILED saying the hub stopped", status, reason)
	}
	var after observationsResult
	graphql(t, addr, `{ observations(filter: {county: "340803"}) { metric { code } value { value qualifier } provenance { runId } } }`, &after)
	if fmt.Sprint(before) != fmt.Sprint(after) || len(after.Observations) != 3 {
		t.Errorf("published data changed:\nbefore %+v\nafter  %+v", before, after)
	}
}
