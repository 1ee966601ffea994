package graph_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/graph"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/release"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// hub is a GraphQL handler over a fresh test database, with a count of the
// database commands it sends.
type hub struct {
	srv   *httptest.Server
	store *store.Store
	mu    sync.Mutex
	cmds  []string
}

// newHub starts the handler; configure, when given, changes its options.
func newHub(t testing.TB, configure ...func(*graph.Options)) *hub {
	t.Helper()
	return newHubWith(t, nil, configure...)
}

// newHubWith is newHub with the resolver changed by resolve first.
func newHubWith(t testing.TB, resolve func(*graph.Resolver), configure ...func(*graph.Options)) *hub {
	t.Helper()
	h := &hub{}
	h.store = storetest.New(t, func(cmd string, _ time.Duration, _ bool) {
		h.mu.Lock()
		h.cmds = append(h.cmds, cmd)
		h.mu.Unlock()
	})
	ctx := context.Background()
	if err := h.store.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	if err := refdata.Load(ctx, h.store, refdata.DefaultScope); err != nil {
		t.Fatal(err)
	}
	opts := graph.DefaultOptions(slog.New(slog.NewTextHandler(io.Discard, nil)))
	// Batching is by time window; a generous one keeps the round-trip
	// counts exact on a loaded machine or under the race detector.
	opts.BatchWait = 50 * time.Millisecond
	for _, c := range configure {
		c(&opts)
	}
	r := &graph.Resolver{Store: h.store, Records: release.New(h.store, 64<<20), ScopeCode: refdata.DefaultScope}
	if resolve != nil {
		resolve(r)
	}
	h.srv = httptest.NewServer(asSystem(graph.NewHandler(r, opts)))
	t.Cleanup(h.srv.Close)
	return h
}

// asSystem runs every request as the hub itself. Authentication has tests
// of its own (auth_test.go here, and the command tests); these test what
// the API answers to a caller allowed everything.
func asSystem(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), auth.System)))
	})
}

// roundTrips returns the database commands sent since the last call.
func (h *hub) roundTrips() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.cmds
	h.cmds = nil
	return c
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// query posts a GraphQL request and decodes the data into out (when the
// response has no errors) and returns the errors.
func (h *hub) query(t *testing.T, q string, vars map[string]any, out any) []gqlError {
	t.Helper()
	_, r := post(t, h.srv.URL, "", q, vars)
	if len(r.Errors) == 0 && out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			t.Fatalf("decode data %s: %v", r.Data, err)
		}
	}
	return r.Errors
}

// post sends a GraphQL request to url with a token ("" for none) and
// returns the HTTP status and the decoded response.
func post(t *testing.T, url, token, q string, vars map[string]any) (int, response) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r response
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatalf("decode response (status %d): %v", res.StatusCode, err)
	}
	return res.StatusCode, r
}

func (h *hub) mustQuery(t *testing.T, q string, vars map[string]any, out any) {
	t.Helper()
	if errs := h.query(t, q, vars, out); len(errs) > 0 {
		t.Fatalf("query failed: %+v", errs)
	}
}

func ptr[T any](v T) *T { return &v }

func prov(run, ref string) model.Provenance {
	return model.Provenance{RunID: run, Importer: "test", ImporterVersion: "1.0.0", FileName: "s.xlsx", FileSHA256: "00ff", Reference: ref}
}

// publish stores records of a run for a unit and releases them, as the
// import pipeline does: the release keeps the counts of its runs' records
// (a release without them, as an older hub wrote, is release's own test).
func publish(t testing.TB, s *store.Store, unit, run string, records map[string][]any) {
	t.Helper()
	ctx := context.Background()
	old, err := s.Release(ctx, unit)
	if err != nil {
		t.Fatal(err)
	}
	next := model.Release{Unit: unit, Runs: map[string]string{}, Previous: map[string]string{}, Version: old.Version + 1, Published: time.Now().UTC(),
		Counts: map[string]int{}, Facets: map[string]int{}}
	maps.Copy(next.Runs, old.Runs)
	maps.Copy(next.Counts, old.Counts)
	maps.Copy(next.Facets, old.Facets)
	for ds, docs := range records {
		if err := s.InsertRecords(ctx, ds, run, docs); err != nil {
			t.Fatal(err)
		}
		next.Runs[ds] = run
		next.Counts[ds] = len(docs)
		for k := range next.Facets {
			if strings.HasPrefix(k, model.FacetKey(ds, "")) {
				delete(next.Facets, k)
			}
		}
		for _, d := range docs {
			if f := d.(model.Record).Facet(); f != "" {
				next.Facets[model.FacetKey(ds, f)]++
			}
		}
	}
	if err := s.SwapRelease(ctx, old, next); err != nil {
		t.Fatal(err)
	}
}

// seed releases n stations and one budget line in each of the given counties.
func seed(t testing.TB, s *store.Store, counties []string, n int) {
	t.Helper()
	for _, c := range counties {
		run := "run-" + c
		var stations []any
		for i := range n {
			stations = append(stations, model.Station{
				ID: fmt.Sprintf("%s/%03d", run, i), Key: fmt.Sprintf("%03d", i), CountyCode: c, Name: fmt.Sprintf("党群服务站%d", i),
				Status: model.StationOperating, Facilities: []model.Facility{{Code: "reading_room", Name: "图书阅览室"}},
				Provenance: prov(run, fmt.Sprintf("Stations!A%d", i+3)),
			})
		}
		budget := model.Budget{
			ID: run + "/b", Key: "b", CountyCode: c, Year: 2023, Purpose: "奖补", Status: model.BudgetAllocated,
			Amount:     model.Quantity{Value: 1_000_000, Qualifier: model.Exact, Unit: model.UnitCNY, Text: "100万元"},
			Recurring:  true,
			Provenance: prov(run, "line 4"),
		}
		publish(t, s, c, run, map[string][]any{"stations": stations, "budgets": {budget}})
	}
}

func TestCounties(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	var got struct {
		Counties []struct {
			Code, Name, NameEn, Level string
			Parent                    struct{ Code string }
			County                    struct{ Code string }
		}
	}
	h.mustQuery(t, `{ counties { code name nameEn level parent { code } county { code } } }`, nil, &got)
	if len(got.Counties) != 10 {
		t.Fatalf("got %d counties, want 10", len(got.Counties))
	}
	want := map[string]string{"340802": "Yingjiang", "340803": "Daguan", "340811": "Yixiu", "340822": "Huaining", "340825": "Taihu",
		"340826": "Susong", "340827": "Wangjiang", "340828": "Yuexi", "340881": "Tongcheng", "340882": "Qianshan"}
	for _, c := range got.Counties {
		if want[c.Code] != c.NameEn || c.Level != "COUNTY" || c.Parent.Code != "340800" || c.County.Code != c.Code || c.Name == "" {
			t.Errorf("county %+v does not match the reference data", c)
		}
	}
}

func TestUnitAndMetrics(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	var got struct {
		Unit *struct {
			Name     string
			Children []struct{ Code string }
		}
		Missing *struct{ Name string }
		Metrics []struct {
			Code, Name, NameEn, Unit, Aggregation, Description string
		}
	}
	h.mustQuery(t, `query($c: ID!) { unit(code: $c) { name children(level: COUNTY) { code } } missing: unit(code: "000000") { name }
		metrics { code name nameEn unit aggregation description } }`, map[string]any{"c": "340800"}, &got)
	if got.Unit == nil || got.Unit.Name != "安庆市" || len(got.Unit.Children) != 10 {
		t.Errorf("unit 340800 = %+v; want 安庆市 with 10 counties", got.Unit)
	}
	if got.Missing != nil {
		t.Errorf("unknown unit = %+v; want null", got.Missing)
	}
	shipped, _ := refdata.Metrics()
	if len(got.Metrics) != len(shipped) {
		t.Fatalf("got %d metrics, want %d", len(got.Metrics), len(shipped))
	}
	for i, m := range got.Metrics {
		s := shipped[i]
		if m.Code != s.Code || m.Name != s.Name || m.NameEn != s.NameEn || m.Unit != s.Unit || m.Aggregation != string(s.Aggregation) || m.Description == "" {
			t.Errorf("metric %d = %+v; want %+v", i, m, s)
		}
	}
}

type stationPage struct {
	Stations struct {
		TotalCount int
		Edges      []struct {
			Cursor string
			Node   struct{ ID string }
		}
		PageInfo struct {
			HasNextPage, HasPreviousPage bool
			StartCursor, EndCursor       *string
		}
	}
}

const stationsQuery = `query($f: StationFilter, $first: Int, $after: String) {
	stations(filter: $f, first: $first, after: $after) {
		totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`

func TestStationPaginationWalk(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	seed(t, h.store, []string{"340828", "340803"}, 23)

	var ids []string
	var after any
	for page := 0; ; page++ {
		var got stationPage
		h.mustQuery(t, stationsQuery, map[string]any{"f": map[string]any{"county": "340828"}, "first": 10, "after": after}, &got)
		c := got.Stations
		if c.TotalCount != 23 {
			t.Errorf("page %d: totalCount = %d, want 23", page, c.TotalCount)
		}
		if c.PageInfo.HasPreviousPage != (page > 0) {
			t.Errorf("page %d: hasPreviousPage = %v", page, c.PageInfo.HasPreviousPage)
		}
		for _, e := range c.Edges {
			ids = append(ids, e.Node.ID)
		}
		if len(c.Edges) > 0 && (*c.PageInfo.EndCursor != c.Edges[len(c.Edges)-1].Cursor || *c.PageInfo.StartCursor != c.Edges[0].Cursor) {
			t.Errorf("page %d: start/end cursors do not match the edges", page)
		}
		if !c.PageInfo.HasNextPage {
			break
		}
		after = *c.PageInfo.EndCursor
		if page > 5 {
			t.Fatal("pagination does not end")
		}
	}
	if len(ids) != 23 || ids[0] != globalID("ServiceStation:340828/000") || ids[22] != globalID("ServiceStation:340828/022") {
		t.Errorf("walked %d ids %v; want those of stations 340828/000 … 340828/022", len(ids), ids)
	}
}

func TestPaginationEdges(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	seed(t, h.store, []string{"340828"}, 5)

	var all stationPage
	h.mustQuery(t, stationsQuery, map[string]any{"first": 5}, &all)
	last := *all.Stations.PageInfo.EndCursor

	t.Run("past the end", func(t *testing.T) {
		var got stationPage
		h.mustQuery(t, stationsQuery, map[string]any{"first": 5, "after": last}, &got)
		c := got.Stations
		if len(c.Edges) != 0 || c.PageInfo.HasNextPage || !c.PageInfo.HasPreviousPage || c.PageInfo.EndCursor != nil || c.TotalCount != 5 {
			t.Errorf("after the last cursor: %+v; want no edges, no next page, null cursors, totalCount 5", c)
		}
	})
	t.Run("exactly one page", func(t *testing.T) {
		if all.Stations.PageInfo.HasNextPage || len(all.Stations.Edges) != 5 {
			t.Errorf("first 5 of 5: %+v; want 5 edges and no next page", all.Stations)
		}
	})
	t.Run("first zero", func(t *testing.T) {
		var got stationPage
		h.mustQuery(t, stationsQuery, map[string]any{"first": 0}, &got)
		if len(got.Stations.Edges) != 0 || got.Stations.TotalCount != 5 {
			t.Errorf("first 0: %+v", got.Stations)
		}
	})

	errCases := map[string]struct {
		query    string
		vars     map[string]any
		wantCode string
	}{
		"forged cursor":        {stationsQuery, map[string]any{"after": "not-a-cursor"}, graph.CodeInvalidCursor},
		"forged base64 cursor": {stationsQuery, map[string]any{"after": "djE6c3RhdGlvbnM6"}, graph.CodeInvalidCursor},
		"cursor of another connection": {`query($after: String) { budgets(after: $after) { totalCount } }`,
			map[string]any{"after": last}, graph.CodeInvalidCursor},
		"negative first":  {stationsQuery, map[string]any{"first": -1}, graph.CodeBadUserInput},
		"first too large": {stationsQuery, map[string]any{"first": 100000}, graph.CodeBadUserInput},
		"unknown field":   {`{ stations { nope } }`, nil, "GRAPHQL_VALIDATION_FAILED"},
		"syntax error":    {`{ stations { `, nil, "GRAPHQL_PARSE_FAILED"},
		"bad enum":        {stationsQuery, map[string]any{"f": map[string]any{"status": "BROKEN"}}, "GRAPHQL_VALIDATION_FAILED"},
		"too complex": {`{ a: stations(first: 500) { ...s } b: stations(first: 500) { ...s } c: stations(first: 500) { ...s } d: stations(first: 500) { ...s } }
			fragment s on StationConnection { edges { cursor node { id name address status opened county { code name nameEn } } } }`,
			nil, "COMPLEXITY_LIMIT_EXCEEDED"},
	}
	for name, tc := range errCases {
		t.Run(name, func(t *testing.T) {
			errs := h.query(t, tc.query, tc.vars, nil)
			if len(errs) == 0 {
				t.Fatalf("no error; want %s", tc.wantCode)
			}
			if code := errs[0].Extensions["code"]; code != tc.wantCode {
				t.Errorf("code = %v (%s); want %s", code, errs[0].Message, tc.wantCode)
			}
		})
	}
}

func TestNestedQueryRoundTrips(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	counties, err := h.store.Children(context.Background(), refdata.DefaultScope, model.LevelCounty)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range counties {
		codes = append(codes, c.Code)
	}
	seed(t, h.store, codes, 4)

	tests := map[string]struct {
		query string
		depth int
	}{
		"stations and budgets":      {`{ counties { code stations { id name } budgets { id amount { value qualifier text } } } }`, 2},
		"and each station's county": {`{ counties { code stations { id county { code nameEn } } budgets { id county { code } } } }`, 3},
		"parents and children":      {`{ counties { parent { code } county { code } children { code } } }`, 2},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var got struct {
				Counties []struct {
					Stations []struct{ ID string }
					Budgets  []struct{ ID string }
				}
			}
			// Cold: each released run's records are read into the cache
			// with one query (a run's records have a collection of their own).
			h.roundTrips()
			h.mustQuery(t, tc.query, nil, &got)
			fills := len(codes) * (strings.Count(tc.query, "stations") + strings.Count(tc.query, "budgets"))
			if trips := h.roundTrips(); len(trips) > 1+tc.depth+fills {
				t.Errorf("cold: %d round trips %v; want at most 1 + depth + one cache fill per released run = %d", len(trips), trips, 1+tc.depth+fills)
			}
			// Warm, as a dashboard finds it: one query per nesting level at most.
			h.mustQuery(t, tc.query, nil, &got)
			trips := h.roundTrips()
			if len(trips) > 1+tc.depth {
				t.Errorf("%d round trips %v; want at most 1 + depth = %d", len(trips), trips, 1+tc.depth)
			}
			if len(got.Counties) != 10 {
				t.Fatalf("got %d counties", len(got.Counties))
			}
			if strings.Contains(tc.query, "stations") {
				for _, c := range got.Counties {
					if len(c.Stations) != 4 || len(c.Budgets) != 1 {
						t.Errorf("county has %d stations and %d budgets; want 4 and 1", len(c.Stations), len(c.Budgets))
					}
				}
			}
		})
	}
}

func TestEntitiesAndObservations(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	ctx := context.Background()
	chengdong := model.AdminUnit{Code: "340828100001", Name: "城东社区", NameEn: "Chengdong", Level: model.LevelCommunity, ParentCode: "340828", CountyCode: "340828"}
	if err := h.store.PutUnits(ctx, []model.AdminUnit{chengdong}); err != nil {
		t.Fatal(err)
	}
	publish(t, h.store, "340828", "ry", map[string][]any{
		"observations": {model.Observation{
			ID: "ry/o1", Key: "o1", MetricCode: "outcome.problems_resolved", UnitCode: chengdong.Code, CountyCode: "340828", Period: "2023", AsOf: "2023-08-07",
			Value: model.Quantity{Value: 300, Qualifier: model.AtLeast, Unit: model.UnitCount, Text: "300余件"}, Provenance: prov("ry", "Indicators!C4"),
		}},
		"pilots": {model.Pilot{ID: "ry/p1", Key: "p1", CountyCode: "340828", UnitCode: chengdong.Code, Name: "先尝后买", Operator: "盛岳集团",
			Phase: model.PilotTrial, Households: ptr(200), PayingHouseholds: ptr(50), Provenance: prov("ry", "Pilots!A3")}},
	})
	publish(t, h.store, "340881", "rt", map[string][]any{
		"spaces": {model.Space{ID: "rt/s1", Key: "s1", CountyCode: "340881", Name: "五心驿站", Kind: model.SpaceActivity, Brand: "五心驿站", Provenance: prov("rt", "$.communities[1]")}},
	})
	// Records of a run that is not released stay unseen.
	if err := h.store.InsertRecords(ctx, "spaces", "rx", []any{model.Space{ID: "rx/s2", Key: "s2", CountyCode: "340881", Name: "未发布", Kind: model.SpaceShared, Provenance: prov("rx", "line 2")}}); err != nil {
		t.Fatal(err)
	}

	var got struct {
		Observations []struct {
			Metric     struct{ Code, NameEn string }
			Unit       struct{ Code, Level string }
			County     struct{ Code string }
			Period     string
			AsOf       string
			Value      model.Quantity
			Provenance struct{ RunID, Importer, FileSha256, Reference string }
		}
		Yuexi struct {
			Observations []struct{ ID string }
			Pilots       []struct{ ID string }
		}
		Chengdong struct {
			Observations []struct{ ID string }
			Pilots       []struct {
				Conversion *float64
				Unit       struct{ Name string }
			}
		}
		Pilots struct{ TotalCount int }
		Spaces struct {
			Edges []struct{ Node struct{ Kind, Brand string } }
		}
	}
	h.mustQuery(t, `{
		observations(filter: {county: "340828", metric: "outcome.problems_resolved", period: "2023"}) {
			metric { code nameEn } unit { code level } county { code } period asOf value { value qualifier unit text }
			provenance { runId importer fileSha256 reference } }
		yuexi: unit(code: "340828") { observations { id } pilots { id } }
		chengdong: unit(code: "340828100001") { observations(metric: "outcome.problems_resolved") { id } pilots { conversion unit { name } } }
		pilots(filter: {phase: TRIAL}) { totalCount }
		spaces(filter: {county: "340881", kind: ACTIVITY_VENUE}) { edges { node { kind brand } } }
	}`, nil, &got)

	if len(got.Observations) != 1 {
		t.Fatalf("got %d observations, want 1", len(got.Observations))
	}
	o := got.Observations[0]
	if diff := cmp.Diff(model.Quantity{Value: 300, Qualifier: model.AtLeast, Unit: "COUNT", Text: "300余件"}, o.Value); diff != "" {
		t.Errorf("quantity (-want +got):\n%s", diff)
	}
	if o.Unit.Code != "340828100001" || o.Unit.Level != "COMMUNITY" || o.County.Code != "340828" || o.Metric.NameEn == "" || o.Provenance.Reference != "Indicators!C4" || o.Provenance.FileSha256 != "00ff" || o.Provenance.RunID != "ry" {
		t.Errorf("observation = %+v", o)
	}
	// The community's figure is not the county's own.
	if len(got.Yuexi.Observations) != 0 || len(got.Yuexi.Pilots) != 1 {
		t.Errorf("Yuexi: %d own observations, %d pilots; want 0 and 1", len(got.Yuexi.Observations), len(got.Yuexi.Pilots))
	}
	if len(got.Chengdong.Observations) != 1 || len(got.Chengdong.Pilots) != 1 || *got.Chengdong.Pilots[0].Conversion != 0.25 || got.Chengdong.Pilots[0].Unit.Name != "城东社区" {
		t.Errorf("Chengdong = %+v", got.Chengdong)
	}
	if got.Pilots.TotalCount != 1 || len(got.Spaces.Edges) != 1 || got.Spaces.Edges[0].Node.Brand != "五心驿站" {
		t.Errorf("pilots %+v, spaces %+v", got.Pilots, got.Spaces)
	}
}

func TestStoreFailureIsInternalWithoutDetails(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	// A closed client makes every store call fail the way a dropped
	// connection does, through the real driver.
	ctx := context.Background()
	closed, err := store.Open(ctx, storetest.URI(t), store.Options{Database: h.store.DatabaseName()})
	if err != nil {
		t.Fatal(err)
	}
	if err := closed.Close(ctx); err != nil {
		t.Fatal(err)
	}
	h.srv = httptest.NewServer(asSystem(graph.NewHandler(&graph.Resolver{Store: closed, Records: release.New(closed, 64<<20), ScopeCode: refdata.DefaultScope}, graph.DefaultOptions(slog.New(slog.NewTextHandler(io.Discard, nil))))))
	t.Cleanup(h.srv.Close)
	errs := h.query(t, `{ counties { code } }`, nil, nil)
	if len(errs) != 1 || errs[0].Extensions["code"] != graph.CodeInternal || errs[0].Message != "internal error" {
		t.Errorf("errors = %+v; want one INTERNAL error without driver details", errs)
	}
}

func TestAutomaticPersistedQuery(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	const q = `{ counties { code } }`
	sum := sha256.Sum256([]byte(q))
	ext := fmt.Sprintf(`"extensions":{"persistedQuery":{"version":1,"sha256Hash":%q}}`, hex.EncodeToString(sum[:]))
	post := func(body string) response {
		t.Helper()
		res, err := http.Post(h.srv.URL, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var r response
		if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := post("{" + ext + "}"); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("hash before registration: %+v; want PERSISTED_QUERY_NOT_FOUND", r.Errors)
	}
	if r := post(fmt.Sprintf(`{"query":%q,%s}`, q, ext)); len(r.Errors) != 0 {
		t.Fatalf("registration: %+v", r.Errors)
	}
	r := post("{" + ext + "}")
	if len(r.Errors) != 0 || !strings.Contains(string(r.Data), `"340882"`) {
		t.Errorf("hash after registration: data %s, errors %+v; want the counties", r.Data, r.Errors)
	}
}

// TestObservationsAreBounded checks that the observations list answers at
// most MaxObservations, and that a query over every release is refused
// from the counts the releases keep, before any record is read.
func TestObservationsAreBounded(t *testing.T) {
	t.Parallel()
	h := newHubWith(t, func(r *graph.Resolver) { r.MaxObservations = 2 })
	obs := func(run, county, metric string, n int) []any {
		var out []any
		for i := range n {
			key := fmt.Sprintf("%s|%s|2023-%02d", metric, county, i+1)
			out = append(out, model.Observation{ID: run + "/" + key, Key: key, MetricCode: metric, UnitCode: county, CountyCode: county,
				Period: fmt.Sprintf("2023-%02d", i+1), Value: model.Quantity{Value: 1, Qualifier: model.Exact, Unit: model.UnitCount, Text: "1"}, Provenance: prov(run, "line 2")})
		}
		return out
	}
	publish(t, h.store, "340828", "ry", map[string][]any{"observations": append(obs("ry", "340828", "outcome.problems_resolved", 2), obs("ry", "340828", "plan.key_tasks", 1)...)})
	publish(t, h.store, "340803", "rd", map[string][]any{"observations": obs("rd", "340803", "plan.key_tasks", 1)})
	h.roundTrips()

	errs := h.query(t, `{ observations { id } }`, nil, nil)
	if len(errs) != 1 || errs[0].Extensions["code"] != graph.CodeBadUserInput || !strings.Contains(errs[0].Message, "4 observations match; name a county or a unit") {
		t.Errorf("every release: %+v; want BAD_USER_INPUT naming the 4 observations", errs)
	}
	if cmds := h.roundTrips(); len(cmds) != 2 {
		t.Errorf("refusing every release took commands %v; want two finds, of the release generation and the releases", cmds)
	}
	errs = h.query(t, `{ observations(filter: {county: "340828"}) { id } }`, nil, nil)
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "3 observations match; narrow by unit, metric or period (at most 2 a request)") {
		t.Errorf("a county's 3: %+v; want BAD_USER_INPUT", errs)
	}
	var got struct{ Observations []struct{ ID string } }
	h.mustQuery(t, `{ observations(filter: {county: "340828", metric: "outcome.problems_resolved"}) { id } }`, nil, &got)
	if len(got.Observations) != 2 {
		t.Errorf("a county's metric: %d observations; want 2", len(got.Observations))
	}
	h.mustQuery(t, `{ observations(filter: {unit: "340803"}) { id } }`, nil, &got)
	if len(got.Observations) != 1 {
		t.Errorf("a unit without its county: %d observations; want 1", len(got.Observations))
	}
}

// TestUnitObservationsComeFromTheReleasesAbove checks that a unit's
// observations are found in its county's release and in those of the
// city and province above (a city's file reports its counties' figures),
// and in no other.
func TestUnitObservationsComeFromTheReleasesAbove(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	obs := func(run, unit, county string) model.Observation {
		key := "outcome.problems_resolved|" + unit + "|2023"
		return model.Observation{ID: run + "/" + key, Key: key, MetricCode: "outcome.problems_resolved", UnitCode: unit, CountyCode: county, Period: "2023",
			Value: model.Quantity{Value: 1, Qualifier: model.Exact, Unit: model.UnitCount, Text: "1"}, Provenance: prov(run, "line 2")}
	}
	publish(t, h.store, "340800", "rc", map[string][]any{"observations": {obs("rc", "340828", ""), obs("rc", "340800", "")}})
	publish(t, h.store, "340828", "ry", map[string][]any{"observations": {obs("ry", "340828100", "340828")}})
	publish(t, h.store, "340803", "rd", map[string][]any{"observations": {obs("rd", "340803", "340803")}})
	var got struct {
		Yuexi, Town, City, Daguan struct{ Observations []struct{ ID string } }
	}
	h.mustQuery(t, `{ yuexi: unit(code: "340828") { observations { id } } town: unit(code: "340828100") { observations { id } }
		city: unit(code: "340800") { observations { id } } daguan: unit(code: "340803") { observations { id } } }`, nil, &got)
	for name, n := range map[string]int{"Yuexi (from the city's release)": len(got.Yuexi.Observations), "its town": len(got.Town.Observations),
		"the city": len(got.City.Observations), "Daguan": len(got.Daguan.Observations)} {
		if n != 1 {
			t.Errorf("%s: %d observations; want 1", name, n)
		}
	}
}
