package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/graph"
	"github.com/countyhub/countyhub/limit"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/release"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

// guarded is the API as the hub serves it: tokens checked by the auth
// middleware against the store, a rate per caller, then the handler.
type guarded struct {
	url   string
	admin string
	store *store.Store
}

func newGuarded(t testing.TB, anonymousRead bool, rate limit.Rate, opts func(*graph.Options)) guarded {
	t.Helper()
	st := storetest.New(t, nil)
	ctx := context.Background()
	if err := st.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	if err := refdata.Load(ctx, st, refdata.DefaultScope); err != nil {
		t.Fatal(err)
	}
	secret, tok, err := auth.NewToken(auth.Admin, nil, "operator", "test", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	authn := auth.NewAuthenticator(st, time.Minute)
	o := graph.DefaultOptions(logger)
	o.Authenticate = authn.Authenticate
	if opts != nil {
		opts(&o)
	}
	h := graph.NewHandler(&graph.Resolver{Store: st, Records: release.New(st, 64<<20), ScopeCode: refdata.DefaultScope, Tokens: auth.NewManager(st, authn, logger)}, o)
	srv := httptest.NewServer(auth.Middleware(authn, anonymousRead, limit.New(rate).Middleware(h)))
	t.Cleanup(srv.Close)
	return guarded{url: srv.URL, admin: secret, store: st}
}

// call posts a query with the token (none when empty) and returns the HTTP
// status, the data and the first error's code.
func (g guarded) call(t *testing.T, token, q string, vars map[string]any) (int, json.RawMessage, string) {
	t.Helper()
	status, r := post(t, g.url, token, q, vars)
	code := ""
	if len(r.Errors) > 0 {
		code, _ = r.Errors[0].Extensions["code"].(string)
	}
	return status, r.Data, code
}

func (g guarded) token(t *testing.T, role string, counties []string, name string) string {
	t.Helper()
	var got struct{ CreateToken struct{ Secret string } }
	_, data, code := g.call(t, g.admin, `mutation($r: Role!, $c: [ID!], $n: String!) { createToken(role: $r, counties: $c, name: $n) { secret } }`,
		map[string]any{"r": role, "c": counties, "n": name})
	if code != "" {
		t.Fatalf("create %s token: %s", role, code)
	}
	if err := json.Unmarshal(data, &got); err != nil || !strings.HasPrefix(got.CreateToken.Secret, "chub_") {
		t.Fatalf("create %s token: %s, %v", role, data, err)
	}
	return got.CreateToken.Secret
}

// TestRolesReadWhatTheyShould checks, through the middleware and the
// handler, what each role may read and manage: published data for
// everyone the operator lets in, import runs for signed-in callers, tokens
// and the audit log for admins only.
func TestRolesReadWhatTheyShould(t *testing.T) {
	t.Parallel()
	g := newGuarded(t, false, limit.Rate{}, nil)
	editor := g.token(t, "COUNTY_EDITOR", []string{"340828"}, "Yuexi officer")
	analyst := g.token(t, "ANALYST", nil, "city analyst")

	type call struct {
		token, query string
		status       int
		code         string
	}
	published := `{ counties { code } }`
	runs := `{ importRuns(first: 5) { edges { node { id } } } }`
	tokens := `{ tokens { id name } }`
	audit := `{ auditLog(first: 5) { edges { node { action actor } } } }`
	rebuild := `mutation { rebuildRollups }`
	makeToken := `mutation { createToken(role: ANALYST, name: "x") { secret } }`
	for name, c := range map[string]call{
		"anonymous, published data": {"", published, 401, "UNAUTHENTICATED"},
		"a made-up token":           {"chub_aaaaaaaaaaaaaaaa_" + strings.Repeat("0", 64), published, 401, "UNAUTHENTICATED"},
		"not a token":               {"hunter2", published, 401, "UNAUTHENTICATED"},
		"analyst, published data":   {analyst, published, 200, ""},
		"analyst, import runs":      {analyst, runs, 200, ""},
		"editor, import runs":       {editor, runs, 200, ""},
		"analyst, tokens":           {analyst, tokens, 403, "FORBIDDEN"},
		"editor, tokens":            {editor, tokens, 403, "FORBIDDEN"},
		"editor, audit log":         {editor, audit, 403, "FORBIDDEN"},
		"admin, tokens":             {g.admin, tokens, 200, ""},
		"admin, audit log":          {g.admin, audit, 200, ""},
		"analyst, rebuild rollups":  {analyst, rebuild, 403, "FORBIDDEN"},
		"editor, makes a token":     {editor, makeToken, 403, "FORBIDDEN"},
		"analyst, makes a token":    {analyst, makeToken, 403, "FORBIDDEN"},
	} {
		status, _, code := g.call(t, c.token, c.query, nil)
		if status != c.status || code != c.code {
			t.Errorf("%s: status %d, code %q; want %d, %q", name, status, code, c.status, c.code)
		}
	}

	var viewer struct {
		Viewer struct {
			Role     string
			Name     string
			Counties []struct{ Code string }
		}
	}
	_, data, _ := g.call(t, editor, `{ viewer { role name counties { code } } }`, nil)
	if err := json.Unmarshal(data, &viewer); err != nil || viewer.Viewer.Role != "COUNTY_EDITOR" || len(viewer.Viewer.Counties) != 1 || viewer.Viewer.Counties[0].Code != "340828" {
		t.Errorf("viewer of the editor: %s", data)
	}

	// Revocation holds at once on the hub that revokes.
	var list struct{ Tokens []struct{ ID, Name string } }
	_, data, _ = g.call(t, g.admin, tokens, nil)
	_ = json.Unmarshal(data, &list)
	var analystID string
	for _, tk := range list.Tokens {
		if tk.Name == "city analyst" {
			analystID = tk.ID
		}
	}
	if _, _, code := g.call(t, g.admin, `mutation($id: ID!) { revokeToken(id: $id) { revokedAt } }`, map[string]any{"id": analystID}); code != "" {
		t.Fatalf("revoke: %s", code)
	}
	if status, _, code := g.call(t, analyst, published, nil); status != 401 || code != "UNAUTHENTICATED" {
		t.Errorf("revoked token: status %d, code %q; want 401 UNAUTHENTICATED", status, code)
	}

	var log struct {
		AuditLog struct {
			Edges []struct {
				Node struct{ Action, Actor, Detail string }
			}
		}
	}
	_, data, _ = g.call(t, g.admin, `{ auditLog(first: 10) { edges { node { action actor detail } } } }`, nil)
	_ = json.Unmarshal(data, &log)
	var actions []string
	for _, e := range log.AuditLog.Edges {
		actions = append(actions, e.Node.Action)
		if !strings.Contains(e.Node.Actor, "operator") {
			t.Errorf("audit entry %+v: actor does not name the admin token", e.Node)
		}
	}
	if strings.Join(actions, " ") != "token.revoke token.create token.create" {
		t.Errorf("audit log, newest first: %v; want the revoke and the two creations", actions)
	}
}

// TestAnalystsReadTheRunsOfTheirSubtree checks that an analyst given
// units (a city or province analyst) lists, reads and follows only the
// import runs of its subtree, and that one given none reads them all.
func TestAnalystsReadTheRunsOfTheirSubtree(t *testing.T) {
	t.Parallel()
	g := newGuarded(t, false, limit.Rate{}, nil)
	ctx := context.Background()
	ids := map[string]string{}
	for i, unit := range []string{"340800", "340828", "340881"} {
		id := fmt.Sprintf("run%d", i)
		ids[unit] = id
		if err := g.store.CreateRun(ctx, model.Run{ID: id, Unit: unit, Importer: "csv", Status: model.RunReady}); err != nil {
			t.Fatal(err)
		}
	}
	city := g.token(t, "ANALYST", []string{"340800"}, "Anqing analyst")
	county := g.token(t, "ANALYST", []string{"340828"}, "Yuexi analyst")
	all := g.token(t, "ANALYST", nil, "analyst")
	list := func(token, filter string) []string {
		var got struct {
			ImportRuns struct {
				TotalCount int
				Edges      []struct {
					Node struct{ County struct{ Code string } }
				}
			}
		}
		_, data, code := g.call(t, token, `{ importRuns(first: 10`+filter+`) { totalCount edges { node { county { code } } } } }`, nil)
		if err := json.Unmarshal(data, &got); err != nil || code != "" {
			t.Fatalf("importRuns: %s, %s, %v", code, data, err)
		}
		var out []string
		for _, e := range got.ImportRuns.Edges {
			out = append(out, e.Node.County.Code)
		}
		if got.ImportRuns.TotalCount != len(out) {
			t.Errorf("totalCount %d for %d runs", got.ImportRuns.TotalCount, len(out))
		}
		slices.Sort(out)
		return out
	}
	for name, c := range map[string]struct {
		token, filter string
		want          []string
	}{
		"city analyst":                    {city, "", []string{"340800", "340828", "340881"}},
		"county analyst":                  {county, "", []string{"340828"}},
		"county analyst, its county":      {county, `, filter: {county: "340828"}`, []string{"340828"}},
		"county analyst, another county":  {county, `, filter: {county: "340881"}`, nil},
		"analyst without units":           {all, "", []string{"340800", "340828", "340881"}},
		"analyst without units, a county": {all, `, filter: {county: "340881"}`, []string{"340881"}},
	} {
		if diff := cmp.Diff(c.want, list(c.token, c.filter)); diff != "" {
			t.Errorf("%s: runs (-want +got):\n%s", name, diff)
		}
	}
	for unit, visible := range map[string]bool{"340828": true, "340881": false, "340800": false} {
		_, data, code := g.call(t, county, `query($id: ID!) { importRun(id: $id) { id } }`, map[string]any{"id": ids[unit]})
		if got := !strings.Contains(string(data), `"importRun":null`); code != "" || got != visible {
			t.Errorf("county analyst, importRun of %s: %s %s; want visible %v", unit, data, code, visible)
		}
	}
}

// TestAnonymousReadIsPublishedDataOnly: with anonymous reading on, a caller
// without a token reads published data, and nothing else.
func TestAnonymousReadIsPublishedDataOnly(t *testing.T) {
	t.Parallel()
	g := newGuarded(t, true, limit.Rate{}, nil)
	for q, want := range map[string]string{
		`{ counties { code } }`: "",
		`{ compare(metric: "org.volunteer_teams", period: "2023") { rows { rank } } }`: "",
		`{ viewer { role } }`:                                          "",
		`{ importRuns(first: 1) { edges { cursor } } }`:                "UNAUTHENTICATED",
		`{ importRun(id: "x") { id } }`:                                "UNAUTHENTICATED",
		`{ tokens { id } }`:                                            "UNAUTHENTICATED",
		`mutation { rebuildRollups }`:                                  "UNAUTHENTICATED",
		`mutation { createToken(role: ADMIN, name: "me") { secret } }`: "UNAUTHENTICATED",
	} {
		if _, _, code := g.call(t, "", q, nil); code != want {
			t.Errorf("anonymous %s: code %q; want %q", q, code, want)
		}
	}
}

// TestLimitsAnswerWithTheirCodes: a query too deep, a body too large and a
// caller too fast each get their own code.
func TestLimitsAnswerWithTheirCodes(t *testing.T) {
	t.Parallel()
	g := newGuarded(t, true, limit.Rate{PerSecond: 1, Burst: 3}, func(o *graph.Options) { o.Bounds.Depth = 4; o.BodyBytes = 2048 })
	deep := `{ counties { children { children { children { children { code } } } } } }`
	if _, _, code := g.call(t, g.admin, deep, nil); code != "DEPTH_LIMIT_EXCEEDED" {
		t.Errorf("a query 6 deep with a limit of 4: code %q", code)
	}
	frag := `query { counties { ...a } } fragment a on AdminUnit { children { ...b } } fragment b on AdminUnit { children { children { code } } }`
	if _, _, code := g.call(t, g.admin, frag, nil); code != "DEPTH_LIMIT_EXCEEDED" {
		t.Errorf("depth through fragments: code %q", code)
	}
	big := `{ counties { code } } # ` + strings.Repeat("x", 4096)
	if status, _, code := g.call(t, g.admin, big, nil); status != http.StatusRequestEntityTooLarge || code != "PAYLOAD_TOO_LARGE" {
		t.Errorf("a 4 KiB body with a limit of 2 KiB: status %d, code %q", status, code)
	}
	// The burst of 3 was spent above; the next calls of the same token are
	// over its rate, while another caller is not.
	var limited int
	for range 3 {
		if status, _, code := g.call(t, g.admin, `{ counties { code } }`, nil); status == http.StatusTooManyRequests && code == "RATE_LIMITED" {
			limited++
		}
	}
	if limited == 0 {
		t.Error("no call over the rate was refused with RATE_LIMITED")
	}
	if status, _, code := g.call(t, "", `{ counties { code } }`, nil); status != 200 || code != "" {
		t.Errorf("another caller: status %d, code %q; want served", status, code)
	}
}
