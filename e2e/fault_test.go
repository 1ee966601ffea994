package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// released reads what readers see of Daguan (340803): one line per
// figure, with the run it comes from.
func released(t *testing.T, addr string) observationsResult {
	t.Helper()
	var got observationsResult
	graphql(t, addr, `{ observations(filter: {county: "340803"}) { metric { code } value { value qualifier } provenance { runId } } }`, &got)
	return got
}

// whole tells whether a read shows one whole release of sheet(v): three
// figures, all of one run.
func whole(o observationsResult) bool {
	runs := map[string]bool{}
	for _, x := range o.Observations {
		runs[x.Provenance.RunID] = true
	}
	return len(o.Observations) == 3 && len(runs) == 1
}

// TestDatabaseStopsDuringAnImport runs the hub against a database server
// of its own (countyhub embedded-db), kills that server while an import
// writes and starts it again. The run ends, without a restart of the hub:
// FAILED with its records removed, or, if no write was lost, READY with
// every record. What was published reads exactly as before, and the hub
// imports and publishes again.
func TestDatabaseStopsDuringAnImport(t *testing.T) {
	t.Parallel()
	dbDir, dbAddr := t.TempDir(), freeAddr(t)
	startDB := func() *process {
		db := start(t, "embedded-db", "--addr", dbAddr, "--data", dbDir)
		db.waitLog(t, regexp.MustCompile(`embedded database ready" (uri)=`))
		return db
	}
	db := startDB()
	uri := "mongodb://" + dbAddr + "/"
	data := t.TempDir()
	hub, addr := importHub(t, data, "--mongo-uri", uri)
	defer hub.stop(t)
	if out, err := importFile(t, addr, "340803", "example", sheet(19), "--publish"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	before := released(t, addr)

	// 8,000 figures of as many new communities: long enough to write that
	// the database can go away in the middle.
	const rows = 8_000
	var big strings.Builder
	big.WriteString("metric,unit,period,value\n")
	for i := range rows {
		fmt.Fprintf(&big, "org.volunteer_teams,测试社区%05d,2023,%d\n", i, i%50)
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(path, []byte(big.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := hubCommand(t, addr, "import", "--county", "340803", "--importer", "example", path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	var id string
	for range 600 {
		var got struct {
			ImportRuns struct {
				Edges []struct {
					Node struct {
						ID   string
						Read int
					}
				}
			}
		}
		graphql(t, addr, `{ importRuns(filter: {status: RUNNING}) { edges { node { id read } } } }`, &got)
		if e := got.ImportRuns.Edges; len(e) > 0 && e[0].Node.Read > rows/10 {
			id = e[0].Node.ID
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if id == "" {
		t.Fatal("the big import did not start writing")
	}
	db.cmd.Process.Signal(syscall.SIGKILL)
	db.wait(t, 10*time.Second)
	// Longer than the driver waits for a server (5 s): the import's writes
	// fail while the database is gone.
	time.Sleep(7 * time.Second)
	db = startDB()
	defer db.stop(t)
	waitReady(t, hub, addr)

	status, reason := "RUNNING", ""
	for range 900 {
		if status, reason = runStatus(t, addr, id); status != "RUNNING" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("the import the database dropped out of ended %s %q", status, reason)
	switch status {
	case "FAILED":
	case "READY":
		var got struct {
			ImportRun struct {
				Counts []struct {
					Dataset string
					Count   int
				}
			}
		}
		graphql(t, addr, fmt.Sprintf(`{ importRun(id: %q) { counts { dataset count } } }`, id), &got)
		if fmt.Sprint(got.ImportRun.Counts) != fmt.Sprintf("[{observations %d} {units %d}]", rows, rows) {
			t.Errorf("a READY run after the outage holds %v; want all %d figures and units", got.ImportRun.Counts, rows)
		}
	default:
		t.Fatalf("the import the database dropped out of: %s %q; want FAILED, or READY with every record", status, reason)
	}
	if after := released(t, addr); fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("published data changed:\nbefore %+v\nafter  %+v", before, after)
	}
	if out, err := importFile(t, addr, "340803", "example", sheet(20), "--publish"); err != nil {
		t.Fatalf("an import after the database came back: %v\n%s", err, out)
	}
	if after := released(t, addr); !whole(after) || after.Observations[0].Value.Value != 20 {
		t.Errorf("after a new publish readers see %+v; want sheet 20", after)
	}
}

// TestHubKilledDuringAPublish kills the hub at moments around a publish,
// again and again, and restarts it: each time readers see one whole
// release, and the run is PUBLISHED exactly when the release points at it
// (a READY run can be published again).
func TestHubKilledDuringAPublish(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	hub, addr := importHub(t, data)
	if out, err := importFile(t, addr, "340803", "example", sheet(1), "--publish"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for round, delay := range []time.Duration{0, time.Millisecond, 3 * time.Millisecond, 8 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond} {
		out, err := importFile(t, addr, "340803", "example", sheet(100+round))
		m := regexp.MustCompile(`run (\S+) is READY`).FindStringSubmatch(out)
		if err != nil || m == nil {
			t.Fatalf("round %d: import: %v\n%s", round, err, out)
		}
		run := m[1]
		// The publish goes out, and the hub dies around it; its answer, if
		// any, does not matter.
		body, _ := json.Marshal(map[string]any{"query": `mutation($id: ID!) { publishImport(id: $id) { status } }`, "variables": map[string]any{"id": run}})
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+adminToken(t, addr))
		go func() {
			if res, err := http.DefaultClient.Do(req); err == nil {
				res.Body.Close()
			}
		}()
		time.Sleep(delay + time.Duration(rand.IntN(1000))*time.Microsecond)
		hub.cmd.Process.Signal(syscall.SIGKILL)
		hub.wait(t, 10*time.Second)

		hub, addr = importHub(t, data)
		got := released(t, addr)
		status, _ := runStatus(t, addr, run)
		fromRun := whole(got) && got.Observations[0].Provenance.RunID == run
		switch {
		case !whole(got):
			t.Fatalf("round %d (kill after %s): readers see a broken release: %+v", round, delay, got)
		case fromRun && status != "PUBLISHED":
			t.Errorf("round %d: the release points at run %s, which is %s", round, run, status)
		case !fromRun && status != "READY":
			t.Errorf("round %d: the release does not point at run %s, which is %s; want READY", round, run, status)
		case !fromRun:
			if _, data, code := as(t, addr, adminToken(t, addr), `mutation($id: ID!) { publishImport(id: $id) { status } }`, map[string]any{"id": run}); code != "" || !strings.Contains(string(data), "PUBLISHED") {
				t.Fatalf("round %d: publishing the run again: %s %s", round, data, code)
			}
		}
		if got := released(t, addr); !whole(got) || got.Observations[0].Value.Value != float64(100+round) {
			t.Errorf("round %d: after the restart readers see %+v; want sheet %d", round, got, 100+round)
		}
		t.Logf("round %d: killed %s after the publish began; the run was %s", round, delay, status)
	}
	hub.stop(t)
}
