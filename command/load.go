package command

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/countyhub/countyhub/hubclient"

	"github.com/countyhub/countyhub/web"
)

// Load is `countyhub load`: it replays the dashboard's queries against a running hub from
// many clients at once and reports throughput, latency and errors.
func Load() *cli.Command {
	return &cli.Command{
		Name:  "load",
		Usage: "N clients send the dashboard's queries to a running hub for a while; prints throughput, p50 and p99 latency and errors",
		Description: "Each client sends, one after another, the queries the dashboard's pages send: the overview, the comparison of every\n" +
			"metric with figures in each of its periods, and every county's page. All clients share the hub's one token (or none):\n" +
			"start the hub with --rate 0, or a rate above the load, to measure the hub rather than its rate limit.\n" +
			"--baseline and --plain measure, side by side in rounds, a second hub (a demo-scale one, against a province) and a plain\n" +
			"net/http handler serving the hub's own answers from memory, and print the ratios.",
		Flags: append(hubFlags(),
			&cli.IntFlag{Name: "clients", Value: 20, Usage: "concurrent clients"},
			&cli.DurationFlag{Name: "duration", Value: 60 * time.Second, Usage: "how long to send queries"},
			&cli.IntFlag{Name: "units", Value: 10, Usage: "county pages, and drill-down views at each level from the scope down to the towns, in the workload: this many units, sampled"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed of the sample of units: the same seed gives the same workload on the same data"},
			&cli.StringFlag{Name: "baseline", Usage: "address of a second hub (a demo-scale one) to run the same kind of workload against, side by side, and compare with"},
			&cli.StringFlag{Name: "baseline-token-file", Usage: "file holding the API token of the --baseline hub"},
			&cli.BoolFlag{Name: "plain", Usage: "also run the workload, side by side, against a plain net/http handler that serves the hub's answers from memory, and print the hub's throughput as a share of it"},
			&cli.IntFlag{Name: "hostile", Usage: "also run the load again for --duration beside this many hostile clients (huge, repeated, aliased and malformed requests), and print the dashboard clients' latency without and with them side by side"},
		),
		Action: func(ctx context.Context, c *cli.Command) error {
			hub, err := hubClientOf(c)
			if err != nil {
				return err
			}
			clients, d := c.Int("clients"), c.Duration("duration")
			if clients < 1 || d <= 0 || c.Int("units") < 1 {
				return errors.New("--clients, --duration and --units must be positive")
			}
			sample := func() *rand.Rand { return rand.New(rand.NewPCG(c.Uint64("seed"), c.Uint64("seed"))) }
			work, err := dashboardWork(ctx, hub, c.Int("units"), sample())
			if err != nil {
				return err
			}
			var r loadResult
			if c.String("baseline") == "" && !c.Bool("plain") {
				r = runLoad(ctx, hub, work, clients, d)
				r.print(os.Stdout, clients)
			} else {
				if r, err = compareLoad(ctx, c, hub, work, sample); err != nil {
					return err
				}
			}
			if r.errors > 0 {
				return fmt.Errorf("%d of %d requests failed", r.errors, r.requests)
			}
			if n := c.Int("hostile"); n > 0 {
				hctx, stop := context.WithCancel(ctx)
				done := make(chan *hostileResult, 1)
				go func() { done <- runHostile(hctx, hub, n) }()
				stormy := runLoad(ctx, hub, work, clients, d)
				stop()
				fmt.Println()
				printHostile(os.Stdout, clients, n, r, stormy, <-done)
				if stormy.errors > 0 {
					return fmt.Errorf("%d of %d dashboard requests failed beside the hostile clients", stormy.errors, stormy.requests)
				}
			}
			return nil
		},
	}
}

// compareLoad runs the workload against the hub side by side with a
// baseline hub (--baseline, with its own workload sampled the same way)
// and the plain handler (--plain), prints them and the ratios, and
// returns what the hub measured.
func compareLoad(ctx context.Context, c *cli.Command, hub *hubclient.Client, work []request, sample func() *rand.Rand) (loadResult, error) {
	targets := []target{{name: "hub", hub: hub, work: work}}
	if addr := c.String("baseline"); addr != "" {
		token, err := tokenFile(c.String("baseline-token-file"))
		if err != nil {
			return loadResult{}, fmt.Errorf("--baseline-token-file: %w", err)
		}
		base := hubclient.New(addr, token)
		bwork, err := dashboardWork(ctx, base, c.Int("units"), sample())
		if err != nil {
			return loadResult{}, fmt.Errorf("baseline: %w", err)
		}
		targets = append(targets, target{name: "baseline", hub: base, work: bwork})
	}
	if c.Bool("plain") {
		h, err := recordAnswers(ctx, hub, work)
		if err != nil {
			return loadResult{}, fmt.Errorf("record the hub's answers: %w", err)
		}
		plain, stop, err := servePlain(h)
		if err != nil {
			return loadResult{}, err
		}
		defer stop()
		targets = append(targets, target{name: "plain handler", hub: plain, work: work})
	}
	rs := sideBySide(ctx, targets, c.Int("clients"), c.Duration("duration"), 3)
	var ratios []ratio
	for i, t := range targets[1:] {
		b := rs[i+1]
		switch t.name {
		case "baseline":
			ratios = append(ratios,
				ratio{"p99, hub / baseline", float64(rs[0].p(0.99)) / float64(b.p(0.99)), "<= 3.00x"},
				ratio{"throughput, hub / baseline", rs[0].rate() / b.rate(), ">= 0.80x"})
		case "plain handler":
			ratios = append(ratios, ratio{"throughput, hub / plain handler", rs[0].rate() / b.rate(), ">= 0.30x"})
		}
	}
	printSideBySide(os.Stdout, c.Int("clients"), targets, rs, ratios)
	fmt.Println()
	rs[0].print(os.Stdout, c.Int("clients"))
	for i, t := range targets[1:] {
		if t.name == "baseline" && rs[i+1].errors > 0 {
			return rs[0], fmt.Errorf("%d of %d requests to the baseline failed", rs[i+1].errors, rs[i+1].requests)
		}
	}
	return rs[0], nil
}

// request is one GraphQL request of the workload.
type request struct {
	name  string
	query string
	vars  map[string]any
}

// dashboardWork builds the workload from what the hub holds: the overview,
// a comparison per metric and period with figures, the pages of up to
// perLevel counties, and the drill-down view of up to perLevel units at
// every level from the scope down to the towns, sampled by rng.
func dashboardWork(ctx context.Context, hub *hubclient.Client, perLevel int, rng *rand.Rand) ([]request, error) {
	q := map[string]string{}
	for _, name := range []string{"Overview", "Compare", "County", "CountyFigures", "Scope", "UnitView", "UnitCompare"} {
		text, err := web.Query(name)
		if err != nil {
			return nil, err
		}
		q[name] = text
	}
	var overview struct {
		Counties []struct{ Code string }
		Metrics  []struct {
			Code     string
			Coverage []struct {
				Period   string
				Counties int
			}
		}
	}
	if err := hub.Query(ctx, q["Overview"], nil, &overview); err != nil {
		return nil, fmt.Errorf("read the overview: %w", err)
	}
	work := []request{{name: "Overview", query: q["Overview"]}}
	for _, m := range overview.Metrics {
		for _, cov := range m.Coverage {
			work = append(work, request{name: "Compare", query: q["Compare"], vars: map[string]any{"metric": m.Code, "period": cov.Period}})
		}
	}
	counties := overview.Counties
	rng.Shuffle(len(counties), func(i, j int) { counties[i], counties[j] = counties[j], counties[i] })
	for _, c := range counties[:min(perLevel, len(counties))] {
		work = append(work,
			request{name: "County", query: q["County"], vars: map[string]any{"code": c.Code}},
			request{name: "CountyFigures", query: q["CountyFigures"], vars: map[string]any{"code": c.Code}})
	}
	metric, period := bestCovered(overview.Metrics)
	drill, err := drillDown(ctx, hub, q, metric, period, perLevel, rng)
	if err != nil {
		return nil, err
	}
	return append(work, drill...), nil
}

// loadResult is what a load run measured.
type loadResult struct {
	elapsed   time.Duration
	requests  int
	errors    int
	latencies map[string][]time.Duration // by request name, and "all"
	failures  map[string]int             // by error
}

func runLoad(ctx context.Context, hub *hubclient.Client, work []request, clients int, d time.Duration) loadResult {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}, Timeout: 30 * time.Second}
	// Clients stop sending at the deadline and finish what is in flight,
	// so nothing is cut off half-way (an interrupt does cut).
	deadline := time.Now().Add(d)
	res := loadResult{latencies: map[string][]time.Duration{}, failures: map[string]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := i; ctx.Err() == nil && time.Now().Before(deadline); n++ {
				r := work[n%len(work)]
				t0 := time.Now()
				err := send(ctx, client, hub, r)
				took := time.Since(t0)
				if ctx.Err() != nil {
					return // interrupted: not counted
				}
				mu.Lock()
				res.requests++
				res.latencies[r.name] = append(res.latencies[r.name], took)
				res.latencies["all"] = append(res.latencies["all"], took)
				if err != nil {
					res.errors++
					res.failures[err.Error()]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

func send(ctx context.Context, client *http.Client, hub *hubclient.Client, r request) error {
	req, err := hub.Request(ctx, r.query, r.vars)
	if err != nil {
		return err
	}
	res, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %v", r.name, errors.Unwrap(err))
	}
	defer res.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return fmt.Errorf("%s: HTTP %d: unreadable answer", r.name, res.StatusCode)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	if len(out.Errors) > 0 {
		return fmt.Errorf("%s: %s", r.name, out.Errors[0].Extensions.Code)
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d", r.name, res.StatusCode)
	}
	return nil
}

// gqlResponse is what send reads of an answer: the codes of its errors.
type gqlResponse struct {
	Errors []struct {
		Extensions struct{ Code string }
	}
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}

func (r loadResult) print(w io.Writer, clients int) {
	fmt.Fprintf(w, "%d clients for %s: %d requests, %.1f requests/s, %d errors\n",
		clients, r.elapsed.Round(time.Millisecond), r.requests, float64(r.requests)/r.elapsed.Seconds(), r.errors)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "query\trequests\tp50\tp99\tmax\t")
	names := make([]string, 0, len(r.latencies))
	for name := range r.latencies {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return names[i] != "all" && (names[j] == "all" || names[i] < names[j]) })
	for _, name := range names {
		l := slices.Clone(r.latencies[name])
		slices.Sort(l)
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t\n", name, len(l), ms(percentile(l, 0.5)), ms(percentile(l, 0.99)), ms(l[len(l)-1]))
	}
	tw.Flush()
	for msg, n := range r.failures {
		fmt.Fprintf(w, "error ×%d: %s\n", n, strings.TrimSpace(msg))
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
