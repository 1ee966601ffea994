package command

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/countyhub/countyhub/hubclient"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// hostileRequest is one request of a hostile or careless client: what
// the hub must refuse cheaply while it serves everyone else.
type hostileRequest struct {
	name        string
	method      string
	contentType string
	body        []byte
	query       string // the URL's query, for GET
}

// hostileWork is the set `countyhub load --hostile` mixes into the
// dashboard's replay: each request once cost the hub seconds of CPU,
// gigabytes of memory or its connection pool.
func hostileWork() []hostileRequest {
	jsonBody := func(q string) []byte {
		b, _ := json.Marshal(map[string]any{"query": q})
		return b
	}
	post := func(name string, body []byte) hostileRequest {
		return hostileRequest{name: name, method: http.MethodPost, contentType: "application/json", body: body}
	}
	repeated := func(n int) string { return "{ counties { " + strings.Repeat("code ", n) + "} }" }
	aliases := func(n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, " a%d: counties { code name }", i)
		}
		b.WriteString(" }")
		return b.String()
	}
	var bomb strings.Builder
	bomb.WriteString("query { counties { ...f0 } }\n")
	for i := range 40 {
		fmt.Fprintf(&bomb, "fragment f%d on AdminUnit { ...f%d ...f%d }\n", i, i+1, i+1)
	}
	bomb.WriteString("fragment f40 on AdminUnit { code }\n")
	apq, _ := json.Marshal(map[string]any{"query": "{ counties { code } }",
		"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": strings.Repeat("0", 64)}}})
	return []hostileRequest{
		post("repeat10k", jsonBody(repeated(10_000))),
		post("repeat1MB", jsonBody(repeated(200_000))),
		post("alias5k", jsonBody(aliases(5_000))),
		post("alias100", jsonBody(aliases(100))),
		post("fragmentBomb", jsonBody(bomb.String())),
		post("introspectionLists", jsonBody(`{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`)),
		post("deep", jsonBody("{ counties "+strings.Repeat("{ children ", 20)+"{ code }"+strings.Repeat(" }", 21))),
		post("batch", []byte(`[{"query":"{ counties { code } }"},{"query":"{ metrics { code } }"}]`)),
		post("malformed", []byte(`{"query": "{ counties { code } }"`)),
		post("apqMismatch", apq),
		{name: "getMutation", method: http.MethodGet, query: url.Values{"query": {"mutation { rebuildRollups }"}}.Encode()},
		{name: "textPlain", method: http.MethodPost, contentType: "text/plain", body: jsonBody("{ counties { code } }")},
	}
}

// hostileResult counts the hostile requests' answers.
type hostileResult struct {
	mu        sync.Mutex
	requests  int
	codes     map[string]int // by "name: STATUS CODE"
	latencies []time.Duration
}

// runHostile sends the hostile requests in turn from n clients until ctx
// is done.
func runHostile(ctx context.Context, hub *hubclient.Client, n int) *hostileResult {
	work := hostileWork()
	res := &hostileResult{codes: map[string]int{}}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}, Timeout: time.Minute}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			for k := i; ctx.Err() == nil; k++ {
				h := work[k%len(work)]
				t0 := time.Now()
				got := sendHostile(ctx, client, hub, h)
				if ctx.Err() != nil {
					return
				}
				res.mu.Lock()
				res.requests++
				res.codes[h.name+": "+got]++
				res.latencies = append(res.latencies, time.Since(t0))
				res.mu.Unlock()
			}
		})
	}
	<-ctx.Done()
	wg.Wait()
	return res
}

// sendHostile sends one hostile request and says what came back:
// "STATUS CODE".
func sendHostile(ctx context.Context, client *http.Client, hub *hubclient.Client, h hostileRequest) string {
	u := hub.URL()
	if h.query != "" {
		u += "?" + h.query
	}
	req, err := http.NewRequestWithContext(ctx, h.method, u, bytes.NewReader(h.body))
	if err != nil {
		return "unsendable"
	}
	if h.contentType != "" {
		req.Header.Set("Content-Type", h.contentType)
	}
	hub.Authorize(req)
	res, err := client.Do(req)
	if err != nil {
		return "no answer"
	}
	defer res.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&out); err != nil {
		return fmt.Sprintf("%d unreadable", res.StatusCode)
	}
	if len(out.Errors) == 0 {
		return fmt.Sprintf("%d served", res.StatusCode)
	}
	return fmt.Sprintf("%d %s", res.StatusCode, out.Errors[0].Extensions.Code)
}

// printHostile prints the normal clients' figures without and with the
// hostile clients side by side, the ratio of their p99, and what the
// hostile requests got.
func printHostile(w io.Writer, clients, hostile int, calm, stormy loadResult, h *hostileResult) {
	fmt.Fprintf(w, "%d dashboard clients, alone and beside %d hostile clients:\n", clients, hostile)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "dashboard clients\trequests\trequests/s\tp50\tp99\terrors\t")
	for _, row := range []struct {
		name string
		r    loadResult
	}{{"alone", calm}, {"with hostile", stormy}} {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%s\t%s\t%d\t\n", row.name, row.r.requests, float64(row.r.requests)/row.r.elapsed.Seconds(),
			ms(row.r.p(0.5)), ms(row.r.p(0.99)), row.r.errors)
	}
	tw.Flush()
	if base := calm.p(0.99); base > 0 {
		fmt.Fprintf(w, "p99 with hostile / alone: %.2fx (target <= 2.00x); p50: %.2fx\n",
			float64(stormy.p(0.99))/float64(base), float64(stormy.p(0.5))/float64(calm.p(0.5)))
	}
	slices.Sort(h.latencies)
	fmt.Fprintf(w, "hostile requests: %d, answered in p50 %s, p99 %s\n", h.requests, ms(percentile(h.latencies, 0.5)), ms(percentile(h.latencies, 0.99)))
	answers := make([]string, 0, len(h.codes))
	for a := range h.codes {
		answers = append(answers, a)
	}
	sort.Strings(answers)
	for _, a := range answers {
		fmt.Fprintf(w, "  %-40s ×%d\n", a, h.codes[a])
	}
	for msg, n := range stormy.failures {
		fmt.Fprintf(w, "dashboard error with hostile ×%d: %s\n", n, strings.TrimSpace(msg))
	}
}
