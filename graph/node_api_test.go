package graph_test

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/countyhub/countyhub/graph"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/release"
)

func globalID(raw string) string { return base64.RawURLEncoding.EncodeToString([]byte(raw)) }

// yuexiRun is what one import of Yuexi's file releases: station s1 named
// name, station s2 when withS2, and a space whose key is a station's too.
func yuexiRun(run, name string, withS2 bool) map[string][]any {
	stations := []any{model.Station{ID: run + "/s1", Key: "s1", CountyCode: "340828", Name: name, Status: model.StationOperating,
		Facilities: []model.Facility{}, Provenance: prov(run, "Stations!A3")}}
	if withS2 {
		stations = append(stations, model.Station{ID: run + "/s2", Key: "s2", CountyCode: "340828", Name: "城西党群服务站", Status: model.StationPlanned,
			Facilities: []model.Facility{}, Provenance: prov(run, "Stations!A4")})
	}
	return map[string][]any{
		"stations": stations,
		"spaces":   {model.Space{ID: run + "/s1", Key: "s1", CountyCode: "340828", Name: "共享书吧", Kind: model.SpaceShared, Provenance: prov(run, "Spaces!A3")}},
		"pilots": {model.Pilot{ID: run + "/p1", Key: "p1", CountyCode: "340828", Name: "先尝后买", Operator: "盛岳集团", Phase: model.PilotTrial,
			Provenance: prov(run, "Pilots!A3")}},
		"budgets": {model.Budget{ID: run + "/b1", Key: "b1", CountyCode: "340828", Year: 2023, Purpose: "奖补", Status: model.BudgetAllocated,
			Amount: model.Quantity{Value: 60000, Qualifier: model.AtLeast, Unit: model.UnitCNY, Text: "6万余元"}, Provenance: prov(run, "Budgets!A3")}},
	}
}

func TestNodeIDsAreStableAcrossImports(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	const cityObs = "outcome.problems_resolved|340800|2023"
	publish(t, h.store, "340800", "rc", map[string][]any{"observations": {model.Observation{
		ID: "rc/" + cityObs, Key: cityObs, MetricCode: "outcome.problems_resolved", UnitCode: "340800", Period: "2023",
		Value: model.Quantity{Value: 580, Qualifier: model.AtLeast, Unit: model.UnitCount, Text: "580余件"}, Provenance: prov("rc", "line 2"),
	}}})
	publish(t, h.store, "340828", "r1", yuexiRun("r1", "城东党群服务站", true))

	type ids struct {
		Stations struct {
			Edges []struct{ Node struct{ ID, Name string } }
		}
		Spaces struct {
			Edges []struct{ Node struct{ ID string } }
		}
		Pilots struct {
			Edges []struct{ Node struct{ ID string } }
		}
		Budgets struct {
			Edges []struct{ Node struct{ ID string } }
		}
		Observations []struct{ ID string }
		Unit         struct{ ID, Code string }
	}
	const idsQuery = `{ stations(filter: {county: "340828"}) { edges { node { id name } } }
		spaces { edges { node { id } } } pilots { edges { node { id } } } budgets { edges { node { id } } }
		observations { id } unit(code: "340828") { id code } }`
	var before ids
	h.mustQuery(t, idsQuery, nil, &before)
	if len(before.Stations.Edges) != 2 || len(before.Observations) != 1 {
		t.Fatalf("released before the re-import: %+v", before)
	}
	s1, s2 := before.Stations.Edges[0].Node.ID, before.Stations.Edges[1].Node.ID

	t.Run("the id format", func(t *testing.T) {
		want := map[string]string{
			"station": globalID("ServiceStation:340828/s1"), "space": globalID("SharedSpace:340828/s1"),
			"pilot": globalID("Pilot:340828/p1"), "budget": globalID("BudgetLine:340828/b1"),
			"city-wide observation": globalID("Observation:340800/" + cityObs), "unit": globalID("AdminUnit:340828"),
		}
		got := map[string]string{
			"station": s1, "space": before.Spaces.Edges[0].Node.ID, "pilot": before.Pilots.Edges[0].Node.ID,
			"budget": before.Budgets.Edges[0].Node.ID, "city-wide observation": before.Observations[0].ID, "unit": before.Unit.ID,
		}
		for k := range want {
			if got[k] != want[k] {
				t.Errorf("%s id = %q; want %q", k, got[k], want[k])
			}
		}
		// The same key in two datasets names two records.
		if s1 == before.Spaces.Edges[0].Node.ID {
			t.Errorf("station s1 and space s1 share the id %q", s1)
		}
	})

	// A re-import renames s1 and drops s2.
	publish(t, h.store, "340828", "r2", yuexiRun("r2", "城东党群服务站（新址）", false))
	var after ids
	h.mustQuery(t, idsQuery, nil, &after)
	if len(after.Stations.Edges) != 1 || after.Stations.Edges[0].Node.ID != s1 || after.Stations.Edges[0].Node.Name != "城东党群服务站（新址）" {
		t.Errorf("after the re-import: stations %+v; want s1, renamed, with the id %q", after.Stations.Edges, s1)
	}
	if after.Spaces.Edges[0].Node.ID != before.Spaces.Edges[0].Node.ID || after.Budgets.Edges[0].Node.ID != before.Budgets.Edges[0].Node.ID ||
		after.Pilots.Edges[0].Node.ID != before.Pilots.Edges[0].Node.ID {
		t.Errorf("ids changed with the re-import: before %+v, after %+v", before, after)
	}

	var got struct {
		Station *struct {
			Typename   string `json:"__typename"`
			ID, Name   string
			Provenance struct{ RunID string }
		}
		Removed *struct{ ID string }
		Nodes   []*struct {
			Typename string `json:"__typename"`
			ID       string
		}
	}
	h.mustQuery(t, `query($s1: ID!, $s2: ID!, $ids: [ID!]!) {
		station: node(id: $s1) { __typename id ... on ServiceStation { name provenance { runId } } }
		removed: node(id: $s2) { id }
		nodes(ids: $ids) { __typename id } }`,
		map[string]any{"s1": s1, "s2": s2, "ids": []string{before.Unit.ID, s2, before.Observations[0].ID, s1, before.Budgets.Edges[0].Node.ID}}, &got)
	if got.Station == nil || got.Station.Typename != "ServiceStation" || got.Station.ID != s1 || got.Station.Name != "城东党群服务站（新址）" || got.Station.Provenance.RunID != "r2" {
		t.Errorf("node(s1) = %+v; want the station as run r2 released it", got.Station)
	}
	if got.Removed != nil {
		t.Errorf("node(s2) = %+v; want null, the release no longer has it", got.Removed)
	}
	wantNodes := []string{"AdminUnit", "", "Observation", "ServiceStation", "BudgetLine"}
	if len(got.Nodes) != len(wantNodes) {
		t.Fatalf("nodes = %+v; want %d entries", got.Nodes, len(wantNodes))
	}
	for i, typ := range wantNodes {
		switch n := got.Nodes[i]; {
		case typ == "" && n != nil:
			t.Errorf("nodes[%d] = %+v; want null", i, n)
		case typ != "" && (n == nil || n.Typename != typ):
			t.Errorf("nodes[%d] = %+v; want a %s", i, n, typ)
		}
	}
}

func TestNodeLookupsBatch(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	counties := []string{"340803", "340828", "340881"}
	seed(t, h.store, counties, 3)
	var ids []string
	for _, c := range counties {
		ids = append(ids, globalID("ServiceStation:"+c+"/000"), globalID("ServiceStation:"+c+"/002"), globalID("BudgetLine:"+c+"/b"))
	}
	ids = append(ids, globalID("AdminUnit:340828"), globalID("AdminUnit:340800"))
	const q = `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`
	var got struct{ Nodes []*struct{ ID string } }
	h.mustQuery(t, q, map[string]any{"ids": ids}, &got) // fills the cache
	for i, n := range got.Nodes {
		if n == nil || n.ID != ids[i] {
			t.Errorf("nodes[%d] = %+v; want the node of %s", i, n, ids[i])
		}
	}
	h.roundTrips()
	h.mustQuery(t, q, map[string]any{"ids": ids}, &got)
	// The releases, and the units in one batch.
	if trips := h.roundTrips(); len(trips) > 2 {
		t.Errorf("%d round trips %v for %d ids; want at most 2", len(trips), trips, len(ids))
	}
}

func TestNodeRefusesGarbageIDs(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	tests := map[string]struct {
		query string
		vars  map[string]any
		want  string // in the message
	}{
		"not base64":   {`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": "ServiceStation:340828/s1"}, `id "ServiceStation:340828/s1": not a global id`},
		"unknown type": {`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": globalID("ImportRun:run-1")}, `"ImportRun" is not a type of Node`},
		"an old id":    {`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": "run-340828/000"}, "not a global id"},
		"one of nodes": {`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{globalID("AdminUnit:340828"), "%%%"}}, `ids[1] "%%%"`},
		"too many ids": {`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": make([]string, 501)}, "at most 500"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			errs := h.query(t, tc.query, tc.vars, nil)
			if len(errs) != 1 || errs[0].Extensions["code"] != graph.CodeBadUserInput || !strings.Contains(errs[0].Message, tc.want) {
				t.Errorf("errors = %+v; want one BAD_USER_INPUT saying %q", errs, tc.want)
			}
		})
	}
}

func TestSchemaSDL(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(graph.SchemaHandler())
	t.Cleanup(srv.Close)
	res, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("status %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	s, gqlErr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(body)})
	if gqlErr != nil {
		t.Fatalf("the SDL does not parse: %v", gqlErr)
	}
	compare := s.Query.Fields.ForName("compare")
	if compare == nil || compare.Description == "" || compare.Arguments.ForName("metric").Description == "" {
		t.Errorf("Query.compare = %+v; want it with its descriptions", compare)
	}
	node := s.Types["Node"]
	if node == nil || node.Kind != ast.Interface || node.Fields.ForName("id") == nil {
		t.Fatalf("Node = %+v; want an interface with id", node)
	}
	var implementors []string
	for _, d := range s.GetPossibleTypes(node) {
		implementors = append(implementors, d.Name)
	}
	for _, want := range []string{"AdminUnit", "ServiceStation", "SharedSpace", "Pilot", "BudgetLine", "Observation"} {
		if !strings.Contains(strings.Join(implementors, " "), want) {
			t.Errorf("%s does not implement Node (implementors %v)", want, implementors)
		}
	}
	if s.Query.Fields.ForName("nodes") == nil || s.Subscription == nil || s.Types["Upload"] == nil {
		t.Error("the SDL lacks nodes, the subscription or the Upload scalar")
	}
	// Served again from the cache.
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	req.Header.Set("If-None-Match", res.Header.Get("ETag"))
	again, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	again.Body.Close()
	if again.StatusCode != http.StatusNotModified {
		t.Errorf("with its ETag: status %d; want 304", again.StatusCode)
	}
}

func TestWebsocketChecksOrigin(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	opts := graph.DefaultOptions(slog.New(slog.NewTextHandler(io.Discard, nil)))
	opts.Origins = []string{"https://dash.example.org", "http://[::1]:5173"}
	srv := httptest.NewServer(asSystem(graph.NewHandler(&graph.Resolver{Store: h.store, Records: release.New(h.store, 64<<20), ScopeCode: refdata.DefaultScope}, opts)))
	t.Cleanup(srv.Close)
	url := "ws" + strings.TrimPrefix(srv.URL, "http")

	tests := map[string]struct {
		origin string
		ok     bool
	}{
		"no Origin (not a browser)": {"", true},
		"the hub's own":             {srv.URL, true},
		"listed":                    {"https://dash.example.org", true},
		"listed, IPv6":              {"http://[::1]:5173", true},
		"listed, other case":        {"https://Dash.Example.org", true},
		"another origin":            {"https://evil.example", false},
		"listed host, other scheme": {"http://dash.example.org", false},
		"listed host, other port":   {"https://dash.example.org:8443", false},
		"a subdomain of a listed":   {"https://x.dash.example.org", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			hdr := http.Header{}
			if tc.origin != "" {
				hdr.Set("Origin", tc.origin)
			}
			conn, res, err := websocket.Dial(context.Background(), url, &websocket.DialOptions{HTTPHeader: hdr, Subprotocols: []string{"graphql-transport-ws"}})
			if tc.ok {
				if err != nil {
					t.Fatalf("dial from %q: %v", tc.origin, err)
				}
				conn.Close(websocket.StatusNormalClosure, "")
				return
			}
			if err == nil {
				conn.Close(websocket.StatusNormalClosure, "")
				t.Fatalf("dial from %q was accepted", tc.origin)
			}
			if res == nil || res.StatusCode != http.StatusForbidden {
				t.Errorf("dial from %q: %v, response %+v; want 403", tc.origin, err, res)
			}
		})
	}
}
