package graph_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/countyhub/countyhub/graph"
)

// fuzzQuery asks for every field that reads arguments a client makes up:
// global ids, cursors, filter values, and the metric, period, scope and
// per of compare and series (whose last period is per's text too).
const fuzzQuery = `query($id: ID!, $ids: [ID!]!, $after: String, $first: Int, $county: ID, $code: ID!, $units: [ID!],
	$metric: ID!, $period: String!, $to: String!, $scope: ID, $per: ID) {
	node(id: $id) { id ... on ServiceStation { name county { code } } ... on AdminUnit { code } }
	nodes(ids: $ids) { id }
	stations(filter: { county: $county }, first: $first, after: $after) {
		totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor } }
	spaces(filter: { county: $county }, after: $after) { totalCount }
	pilots(filter: { county: $county }, after: $after) { totalCount }
	budgets(filter: { county: $county, year: $first }, after: $after) { totalCount edges { node { id amount { value qualifier } } } }
	importRuns(filter: { county: $county }, after: $after) { totalCount edges { cursor } }
	importRun(id: $id) { id }
	observations(filter: { county: $county, unit: $scope, metric: $metric, period: $period }) { id }
	unit(code: $code) { code children { code } }
	release(unit: $code) { version }
	compare(metric: $metric, period: $period, scope: $scope, per: $per) {
		rows { rank unit { code } value { value qualifier } perUnit perUnitMissing } total { value } gaps { code } exports { csv } }
	series(metric: $metric, units: $units, from: $period, to: $to) { periods lines { unit { code } } }
	stationMatrix(scope: $scope) { stations }
	budgetTotals(scope: $scope, year: $first) { lines }
	pilotPhases(scope: $scope) { pilots }
	tableExports(scope: $scope) { stationMatrix { csv } }
}`

// FuzzHandler sends made-up arguments through the real GraphQL handler on
// the test database, with stations and budget lines released in two
// counties. Every answer must be JSON with data or errors, and every error
// must carry a code that errors.go documents, never INTERNAL: a request
// cannot make the hub fail, only be refused.
func FuzzHandler(f *testing.F) {
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	station, unit := b64("ServiceStation:340828/001"), b64("AdminUnit:340828")
	cursor := b64("v1:stations:340828/001")
	f.Add(station, cursor, "340828", "outcome.problems_resolved", "2023", "", "", 5)
	f.Add(unit, "", "340803", "org.owners_committees", "2023", "340800", "org.owners_committees", 500)
	f.Add(b64("BudgetLine:340803/b"), b64("v1:budgets:340803/b"), "", "outcome.problems_resolved", "2023-08", "340828", "", 0)
	f.Add(b64("Observation:340800/org.committees|340800|2023"), b64("v1:runs:20230807"), "340800", "nope", "2022", "340828100001", "2024", -1)
	f.Add(unit, "", "340828", "outcome.problems_resolved", "2021", "340828", "2023", 10)
	f.Add(station, "", "340828", "outcome.problems_resolved", "2023-01", "340828100001", "2023-08", 3)
	f.Add("%%%", "not-a-cursor", "999999", "", "", "000000", "x", 501)
	f.Add(b64("ImportRun:run-1"), b64("v1:runs:\xff"), "340828\x00", "outcome.problems_resolved\x00", "2023\x00", "\xff", "\x00", 1<<40)
	f.Add(b64("Pilot:340828/\xff\xfe"), b64("v1:stations:\x00"), "$gt", "{\"$ne\": 1}", "2023", "$where", ".*", 50)
	f.Add(b64("SharedSpace:340881/a/b/c")+"\n", b64("v1:spaces:340881/a")+"\n", "340881", "org.committees", "2023", "340881", "org.committees", 2)

	logs := &syncBuffer{}
	h := newHub(f, func(o *graph.Options) {
		o.BatchWait = time.Millisecond
		o.Logger = slog.New(slog.NewTextHandler(logs, nil))
	})
	seed(f, h.store, []string{"340828", "340803"}, 3)
	documented := documentedCodes(f)

	f.Fuzz(func(t *testing.T, id, after, county, metric, period, scope, per string, first int) {
		logs.Reset()
		// A page size far out of range would only make the whole query
		// too complex to run.
		first %= 520
		vars := map[string]any{"id": id, "ids": []string{id, station, unit}, "after": after, "first": first, "county": county, "code": county,
			"units": []string{county, scope}, "metric": metric, "period": period, "to": per, "scope": scope, "per": per}
		body, err := json.Marshal(map[string]any{"query": fuzzQuery, "variables": vars})
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.Post(h.srv.URL, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatalf("no answer (did the handler panic?): %v", err)
		}
		defer res.Body.Close()
		var r struct {
			Data   json.RawMessage `json:"data"`
			Errors []gqlError      `json:"errors"`
		}
		if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
			t.Fatalf("answer is not JSON (status %d): %v", res.StatusCode, err)
		}
		if len(r.Errors) == 0 && (len(r.Data) == 0 || string(r.Data) == "null") {
			t.Errorf("answer has neither data nor errors (status %d)", res.StatusCode)
		}
		for _, e := range r.Errors {
			code, _ := e.Extensions["code"].(string)
			if code == "GRAPHQL_PARSE_FAILED" || code == "GRAPHQL_VALIDATION_FAILED" {
				t.Fatalf("the query was not run: %s (%s)", e.Message, code)
			}
			if code == graph.CodeInternal || !documented[code] {
				t.Errorf("error %q at %v has the code %q; want one of the codes in errors.go other than %s\nvariables: %+v\nlog:\n%s",
					e.Message, e.Path, code, graph.CodeInternal, vars, logs.String())
			}
		}
	})
}

// documentedCodes reads the error codes errors.go documents: the values of
// its Code constants and the codes of gqlgen it lists.
func documentedCodes(tb testing.TB) map[string]bool {
	tb.Helper()
	src, err := os.ReadFile("errors.go")
	if err != nil {
		tb.Fatal(err)
	}
	codes := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s*Code\w+\s*=\s*"([A-Z_]+)"`).FindAllSubmatch(src, -1) {
		codes[string(m[1])] = true
	}
	if !codes[graph.CodeBadUserInput] || !codes["GRAPHQL_PARSE_FAILED"] {
		tb.Fatalf("read the codes %v from errors.go; want its constants, gqlgen's codes among them", codes)
	}
	return codes
}

// syncBuffer is a buffer the handler's logger writes to from many
// goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
