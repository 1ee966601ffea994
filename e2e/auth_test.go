package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// reply is a GraphQL response as the tests read it.
type reply struct {
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Extensions struct{ Code string }
	}
}

// post sends a GraphQL query to the hub at addr with a token ("" for none)
// and returns the HTTP status and the response.
func post(t *testing.T, addr, token, query string, vars map[string]any) (int, reply) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r reply
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatalf("decode response (status %d): %v", res.StatusCode, err)
	}
	return res.StatusCode, r
}

// as runs a GraphQL query against the hub at addr with a token ("" for
// none) and returns the HTTP status, the data and the first error's code.
func as(t *testing.T, addr, token, query string, vars map[string]any) (int, json.RawMessage, string) {
	t.Helper()
	status, r := post(t, addr, token, query, vars)
	code := ""
	if len(r.Errors) > 0 {
		code = r.Errors[0].Extensions.Code
	}
	return status, r.Data, code
}

// asToken is a countyhub command against the hub at addr with a token.
func asToken(t *testing.T, addr, token string, args ...string) (string, error) {
	t.Helper()
	cmd := hubCommand(t, addr, args...)
	cmd.Env = append(cmd.Env, "COUNTYHUB_TOKEN="+token) // the last one wins
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestEachRoleDoesExactlyWhatItMay starts a hub with anonymous reading off
// and checks, through the command line and GraphQL as a county office
// would use them, that a county editor imports and publishes for its own
// county and for no other, that an analyst and an anonymous caller change
// nothing, that a file (read by a plugin) slipping in another county's
// figures is refused, that a revoked token stops working at once, and that
// every change is in the audit log under the token that made it.
func TestEachRoleDoesExactlyWhatItMay(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	hub, addr := importHub(t, data)
	defer hub.stop(t)
	if fi, err := os.Stat(filepath.Join(data, "admin.token")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("first admin token file: %v, %v; want it readable by its owner only", fi, err)
	}

	newToken := func(args ...string) string {
		t.Helper()
		out, err := asToken(t, addr, adminToken(t, addr), append([]string{"token", "create"}, args...)...)
		if err != nil || !strings.HasPrefix(out, "chub_") {
			t.Fatalf("token create %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(out)
	}
	yuexi := newToken("--role", "county_editor", "--county", "340828", "--name", "Yuexi officer")
	daguan := newToken("--role", "county_editor", "--county", "340803", "--name", "Daguan officer")
	analyst := newToken("--role", "analyst", "--name", "city analyst")
	if out, err := asToken(t, addr, yuexi, "token", "create", "--role", "admin", "--name", "me"); err == nil || !strings.Contains(out, "FORBIDDEN") {
		t.Errorf("a county editor made a token: %v\n%s", err, out)
	}

	sheet := filepath.Join(t.TempDir(), "sheet.csv")
	if err := os.WriteFile(sheet, []byte(yuexiSheet), 0o644); err != nil {
		t.Fatal(err)
	}
	importAs := func(token, county string, extra ...string) (string, error) {
		return asToken(t, addr, token, append([]string{"import", "--county", county, "--importer", "example", sheet}, extra...)...)
	}

	// The command line.
	for name, token := range map[string]string{"Daguan's editor": daguan, "an analyst": analyst} {
		if out, err := importAs(token, "340828", "--publish"); err == nil || !strings.Contains(out, "FORBIDDEN") {
			t.Errorf("%s imported for Yuexi: %v\n%s", name, err, out)
		}
	}
	if out, err := importAs("", "340828"); err == nil || !strings.Contains(out, "UNAUTHENTICATED") {
		t.Errorf("an import without a token: %v\n%s", err, out)
	}
	out, err := importAs(yuexi, "340828")
	m := regexp.MustCompile(`run (\S+) is READY`).FindStringSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("Yuexi's editor imports for Yuexi: %v\n%s", err, out)
	}
	run := m[1]

	// GraphQL.
	publish := `mutation($id: ID!) { publishImport(id: $id) { status } }`
	for name, c := range map[string]struct {
		token  string
		status int
		code   string
	}{
		"Daguan's editor": {daguan, 403, "FORBIDDEN"},
		"an analyst":      {analyst, 403, "FORBIDDEN"},
		"no token":        {"", 401, "UNAUTHENTICATED"},
	} {
		// A run that does not exist gets the same answer as Yuexi's: the
		// refusal tells nothing of which runs there are.
		for _, id := range []string{run, "no-such-run"} {
			if status, _, code := as(t, addr, c.token, publish, map[string]any{"id": id}); status != c.status || code != c.code {
				t.Errorf("%s publishes run %s: status %d, code %q; want %d, %q", name, id, status, code, c.status, c.code)
			}
		}
	}
	if _, _, code := as(t, addr, daguan, `mutation { rollbackRelease(unit: "340828") { version } }`, nil); code != "FORBIDDEN" {
		t.Errorf("Daguan's editor rolls Yuexi back: code %q; want FORBIDDEN", code)
	}
	if _, data, code := as(t, addr, analyst, `{ importRun(id: "`+run+`") { status } }`, nil); code != "" || !strings.Contains(string(data), "READY") {
		t.Errorf("the analyst reads the run: %s %q; want it READY after the refused publishes", data, code)
	}
	if _, data, code := as(t, addr, yuexi, publish, map[string]any{"id": run}); code != "" || !strings.Contains(string(data), "PUBLISHED") {
		t.Fatalf("Yuexi's editor publishes: %s %q", data, code)
	}

	// A crafted plugin emits, in Yuexi's run, a figure of Daguan: refused,
	// even for a token that may edit both counties (a run is one unit's).
	// The example importer, which passes a unit column through, must not
	// get it in either.
	both := newToken("--role", "county_editor", "--county", "340828", "--county", "340803", "--name", "both counties")
	crafted := filepath.Join(t.TempDir(), "crafted.csv")
	if err := os.WriteFile(crafted, []byte("metric,unit,period,value\norg.compound_party_branches,340803,2023,999\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, importer := range []string{"othercounty", "example"} {
		if out, err := asToken(t, addr, both, "import", "--county", "340828", "--importer", importer, crafted, "--publish"); err == nil || !strings.Contains(out, "FAILED") || !strings.Contains(out, "another county") {
			t.Errorf("a Yuexi run carrying a Daguan figure through %s: %v\n%s", importer, err, out)
		}
	}
	if _, data, _ := as(t, addr, analyst, `{ observations(filter: {county: "340803"}) { value { value } } }`, nil); string(data) != `{"observations":[]}` {
		t.Errorf("Daguan's figures after the crafted runs: %s; want none", data)
	}

	// Revocation.
	out, err = asToken(t, addr, adminToken(t, addr), "token", "list")
	id := regexp.MustCompile(`(?m)^(\S+)\s+Yuexi officer\s+county_editor\s+340828`).FindStringSubmatch(out)
	if err != nil || id == nil {
		t.Fatalf("token list: %v\n%s", err, out)
	}
	if out, err := asToken(t, addr, adminToken(t, addr), "token", "revoke", id[1]); err != nil {
		t.Fatalf("token revoke: %v\n%s", err, out)
	}
	if out, err := importAs(yuexi, "340828"); err == nil || !strings.Contains(out, "UNAUTHENTICATED") {
		t.Errorf("an import with a revoked token: %v\n%s", err, out)
	}

	// The audit log, for admins only.
	if _, _, code := as(t, addr, analyst, `{ auditLog { edges { cursor } } }`, nil); code != "FORBIDDEN" {
		t.Errorf("the analyst reads the audit log: code %q", code)
	}
	var log struct {
		AuditLog struct {
			Edges []struct {
				Node struct{ Action, Actor, TokenID string }
			}
		}
	}
	_, entries, code := as(t, addr, adminToken(t, addr), `{ auditLog(first: 50) { edges { node { action actor tokenId } } } }`, nil)
	if err := json.Unmarshal(entries, &log); err != nil || code != "" {
		t.Fatalf("audit log: %s %q", entries, code)
	}
	// Actors read "token ID (NAME, ROLE) via graphql": keep the name.
	name := regexp.MustCompile(`\(([^,]+),`)
	seen := map[string]bool{}
	for _, e := range log.AuditLog.Edges {
		if m := name.FindStringSubmatch(e.Node.Actor); m != nil && e.Node.TokenID != "" {
			seen[e.Node.Action+" by "+m[1]] = true
		}
	}
	for _, want := range []string{"token.create by first admin", "import by Yuexi officer", "publish by Yuexi officer", "import by both counties", "token.revoke by first admin"} {
		if !seen[want] {
			t.Errorf("the audit log lacks %q: %v", want, seen)
		}
	}
}

const yuexiSheet = `metric,unit,period,value
org.community_workers_recruited,,2023,60
plan.key_tasks,,2023,24
`
