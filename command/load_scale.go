package command

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/countyhub/countyhub/hubclient"
)

// drillDown is the part of the workload that follows the drill-down view
// from the hub's scope down to its towns: for units sampled at every
// level, the view (the unit, its parents and children) and the
// comparison of its children, for the metric and period with the most
// counties reporting.
func drillDown(ctx context.Context, hub *hubclient.Client, q map[string]string, metric, period string, perLevel int, rng *rand.Rand) ([]request, error) {
	type unitRef struct{ Code, Level string }
	var scope struct{ Scope unitRef }
	if err := hub.Query(ctx, q["Scope"], nil, &scope); err != nil {
		return nil, fmt.Errorf("read the scope: %w", err)
	}
	units := []unitRef{scope.Scope}
	frontier := units
	for len(frontier) > 0 && !belowCounty(frontier[0].Level) {
		var children []unitRef
		for _, u := range frontier {
			var view struct {
				Unit struct{ Children []unitRef }
			}
			if err := hub.Query(ctx, q["UnitView"], map[string]any{"code": u.Code}, &view); err != nil {
				return nil, fmt.Errorf("read the children of %s: %w", u.Code, err)
			}
			children = append(children, view.Unit.Children...)
		}
		rng.Shuffle(len(children), func(i, j int) { children[i], children[j] = children[j], children[i] })
		frontier = children[:min(perLevel, len(children))]
		units = append(units, frontier...)
	}
	var work []request
	for _, u := range units {
		work = append(work, request{name: "UnitView " + u.Level, query: q["UnitView"], vars: map[string]any{"code": u.Code}})
		if metric != "" {
			work = append(work, request{name: "UnitCompare " + u.Level, query: q["UnitCompare"],
				vars: map[string]any{"metric": metric, "period": period, "scope": u.Code}})
		}
	}
	return work, nil
}

// belowCounty tells the levels the drill-down does not descend from.
func belowCounty(level string) bool { return level == "TOWN" || level == "COMMUNITY" }

// target is a server a load runs against: a hub, or the plain handler.
type target struct {
	name string
	hub  *hubclient.Client
	work []request
}

// sideBySide runs the load against each target in turn, rounds times for
// a share of d each, so that every target sees the same machine, and
// returns what each measured, merged over the rounds.
func sideBySide(ctx context.Context, targets []target, clients int, d time.Duration, rounds int) []loadResult {
	out := make([]loadResult, len(targets))
	for i := range out {
		out[i] = loadResult{latencies: map[string][]time.Duration{}, failures: map[string]int{}}
	}
	for range rounds {
		for i, t := range targets {
			r := runLoad(ctx, t.hub, t.work, clients, d/time.Duration(rounds))
			out[i].elapsed += r.elapsed
			out[i].requests += r.requests
			out[i].errors += r.errors
			for k, v := range r.latencies {
				out[i].latencies[k] = append(out[i].latencies[k], v...)
			}
			for k, v := range r.failures {
				out[i].failures[k] += v
			}
		}
	}
	return out
}

// ratio is one figure the side-by-side table compares with its target.
type ratio struct {
	name   string
	value  float64
	target string
}

// printSideBySide prints the targets' throughput and latency in one table,
// then the ratios of the first to the others.
func printSideBySide(w io.Writer, clients int, targets []target, rs []loadResult, ratios []ratio) {
	fmt.Fprintf(w, "%d clients, side by side:\n", clients)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "server\twork\trequests\trequests/s\tp50\tp99\terrors\t")
	for i, t := range targets {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%s\t%s\t%d\t\n", t.name, len(t.work), rs[i].requests, rs[i].rate(),
			ms(rs[i].p(0.5)), ms(rs[i].p(0.99)), rs[i].errors)
	}
	tw.Flush()
	for _, r := range ratios {
		fmt.Fprintf(w, "%s: %.2fx (target %s)\n", r.name, r.value, r.target)
	}
	for i, t := range targets {
		for msg, n := range rs[i].failures {
			fmt.Fprintf(w, "%s: error ×%d: %s\n", t.name, n, msg)
		}
	}
}

func (r loadResult) rate() float64 { return float64(r.requests) / r.elapsed.Seconds() }

func (r loadResult) p(q float64) time.Duration {
	l := slices.Clone(r.latencies["all"])
	slices.Sort(l)
	return percentile(l, q)
}

// plainHandler serves, for each request of a workload, the bytes the hub
// answered to it, read once: what a plain net/http server holding every
// answer in memory can do, the bound of what caching gives the hub.
type plainHandler struct {
	answers map[string][]byte // by request body
}

// recordAnswers asks the hub each request of the workload once and keeps
// the answers.
func recordAnswers(ctx context.Context, hub *hubclient.Client, work []request) (*plainHandler, error) {
	h := &plainHandler{answers: map[string][]byte{}}
	for _, r := range work {
		req, err := hub.Request(ctx, r.query, r.vars)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.name, err)
		}
		answer, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: HTTP %d, %v", r.name, res.StatusCode, err)
		}
		h.answers[string(body)] = answer
	}
	return h, nil
}

func (h *plainHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	answer, ok := h.answers[string(body)]
	if err != nil || !ok {
		http.Error(w, `{"errors":[{"message":"not recorded","extensions":{"code":"BAD_REQUEST"}}]}`, http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(answer)
}

// servePlain starts the plain handler on a loopback port and returns a
// client of it and a function that stops it.
func servePlain(h *plainHandler) (*hubclient.Client, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Println("plain handler:", err)
		}
	}()
	return hubclient.New("http://"+ln.Addr().String(), ""), func() { _ = srv.Close() }, nil
}

// bestCovered is the metric and period with the most counties reporting:
// the comparison the drill-down workload asks for.
func bestCovered(metrics []struct {
	Code     string
	Coverage []struct {
		Period   string
		Counties int
	}
}) (metric, period string) {
	best := -1
	for _, m := range metrics {
		for _, c := range m.Coverage {
			if c.Counties > best {
				best, metric, period = c.Counties, m.Code, c.Period
			}
		}
	}
	return metric, period
}
