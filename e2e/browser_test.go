package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium finds the browser the tests drive: COUNTYHUB_CHROMIUM, else
// Debian's chromium on PATH. Without one the browser tests skip, saying
// so, except in CI (CI set), where .ci/run installs chromium and a missing
// browser fails them.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("COUNTYHUB_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium on PATH: CI must install it (apt-get install chromium)")
	}
	t.Skip("browser tests need chromium (apt-get install chromium) or COUNTYHUB_CHROMIUM; none found")
	return ""
}

// artifacts is where screenshots go: COUNTYHUB_ARTIFACTS, else
// ./artifacts (ignored by git); CI keeps the directory.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("COUNTYHUB_ARTIFACTS")
	if dir == "" {
		dir = "artifacts"
	}
	dir = filepath.Join(dir, "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// page is a browser tab on the hub that blocks and records every request
// to a host other than loopback, and records the page's uncaught errors.
type page struct {
	ctx      context.Context
	mu       sync.Mutex
	offsite  []string
	failures []string
}

func loopback(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data", "blob", "about":
		return true
	}
	if u.Hostname() == "localhost" {
		return true
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

func newPage(t *testing.T) *page {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox, // the tests may run as root in CI containers
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1440, 1000),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })

	p := &page{ctx: ctx}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *fetch.EventRequestPaused:
			allow := loopback(ev.Request.URL)
			if !allow {
				p.mu.Lock()
				p.offsite = append(p.offsite, ev.Request.URL)
				p.mu.Unlock()
			}
			go func() {
				c := cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Target)
				if allow {
					_ = fetch.ContinueRequest(ev.RequestID).Do(c)
				} else {
					_ = fetch.FailRequest(ev.RequestID, network.ErrorReasonBlockedByClient).Do(c)
				}
			}()
		case *runtime.EventExceptionThrown:
			p.mu.Lock()
			p.failures = append(p.failures, ev.ExceptionDetails.Error())
			p.mu.Unlock()
		}
	})
	// Every request the page makes passes the check above.
	if err := chromedp.Run(ctx, fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*"}}), runtime.Enable()); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, u := range p.offsite {
			t.Errorf("the page requested %s: nothing may be fetched from outside the hub", u)
		}
		for _, f := range p.failures {
			t.Errorf("uncaught error in the page: %s", f)
		}
	})
	return p
}

func (p *page) run(t *testing.T, what string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(p.ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wait polls a JavaScript condition until it holds.
func (p *page) wait(t *testing.T, what, cond string) {
	t.Helper()
	var ok bool
	if err := chromedp.Run(p.ctx, chromedp.Poll(cond, &ok, chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		var body string
		_ = chromedp.Run(p.ctx, chromedp.Evaluate(`document.body.innerText`, &body))
		t.Fatalf("%s: %s did not hold: %v\npage text:\n%s", what, cond, err, body)
	}
}

// holds polls a JavaScript condition for up to d and tells whether it
// came to hold.
func (p *page) holds(cond string, d time.Duration) bool {
	var ok bool
	err := chromedp.Run(p.ctx, chromedp.Poll(cond, &ok, chromedp.WithPollingTimeout(d), chromedp.WithPollingInterval(50*time.Millisecond)))
	return err == nil && ok
}

func (p *page) text(t *testing.T, expr string) string {
	t.Helper()
	var s string
	p.run(t, "read "+expr, chromedp.Evaluate(expr, &s))
	return s
}

func (p *page) screenshot(t *testing.T, name string) {
	t.Helper()
	var png []byte
	p.run(t, "screenshot "+name, chromedp.FullScreenshot(&png, 100))
	file := filepath.Join(artifacts(t), name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", file)
}

// chartText is the text the comparison chart draws (ECharts renders SVG).
const chartText = `(document.querySelector('#compare-chart svg')?.textContent ?? '')`

// TestDashboardInTheBrowser drives the dashboard of a demo hub in headless
// chromium: the overview's chart and table for two metrics, the English
// labels, the county pages, an upload with its diff that is published and
// shows in the chart, and GraphiQL running a query. Every request to a
// host other than loopback is blocked and fails the test; screenshots of
// each page go to the artifacts directory.
func TestDashboardInTheBrowser(t *testing.T) {
	chromium(t) // skip before the hub starts when there is no browser
	// As make run starts it: the demo, read by anyone, changed with tokens.
	_, addr := serveHub(t, "--demo", "--anonymous-read", "--data", t.TempDir(), "--plugins", allImporters(t))
	base := "http://" + addr
	p := newPage(t)

	// Overview: the default metric is one of the two that four counties report.
	p.run(t, "open the overview", chromedp.Navigate(base+"/?lang=zh"))
	p.wait(t, "overview chart", `document.querySelector('#compare-chart')?.dataset.metric === 'org.compound_party_branches' && `+chartText+`.includes('113')`)
	chart := p.text(t, chartText)
	for _, want := range []string{"大观区", "113", "桐城市", "85", "望江县", "55", "怀宁县", "35", "无数据"} {
		if !strings.Contains(chart, want) {
			t.Errorf("chart of compound party branches lacks %q: %s", want, chart)
		}
	}
	if got := p.text(t, `[...document.querySelectorAll('#compare-rows tbody tr')].map(r => r.cells[1].innerText + ' ' + r.cells[2].innerText).join('; ')`); got != "大观区 113; 桐城市 85; 望江县 55; 怀宁县 35" {
		t.Errorf("table rows: %s", got)
	}
	if got := p.text(t, `document.querySelector('#compare-rows tfoot').innerText.replace(/\s+/g, ' ').trim()`); got != "合计 288" {
		t.Errorf("table total: %q; want 合计 288", got)
	}
	if got := p.text(t, `document.querySelector('#exports a').getAttribute('href')`); !strings.HasPrefix(got, "/export/compare.csv?") {
		t.Errorf("export link %q", got)
	}
	p.screenshot(t, "overview-compound-party-branches")

	// Switch the metric: problems resolved, all lower bounds, Yuexi's from one community.
	p.run(t, "switch the metric", chromedp.SetValue("#metric", "outcome.problems_resolved"),
		chromedp.Evaluate(`document.querySelector('#metric').dispatchEvent(new Event('change'))`, nil))
	p.wait(t, "problems resolved chart", `document.querySelector('#compare-chart').dataset.metric === 'outcome.problems_resolved' && `+chartText+`.includes('580+')`)
	chart = p.text(t, chartText)
	for _, want := range []string{"潜山市", "580+", "望江县", "500+", "岳西县", "300+", "大观区", "110+"} {
		if !strings.Contains(chart, want) {
			t.Errorf("chart of problems resolved lacks %q: %s", want, chart)
		}
	}
	if got := p.text(t, `document.querySelector('#compare-rows tfoot').innerText.replace(/\s+/g, ' ').trim()`); got != "合计 1,490+" {
		t.Errorf("table total: %q; want 合计 1,490+", got)
	}
	p.screenshot(t, "overview-problems-resolved")

	// English labels.
	p.run(t, "switch to English", chromedp.Click("#lang"))
	p.wait(t, "English overview", `document.querySelector('nav a').innerText === 'Overview' && `+chartText+`.includes('Qianshan')`)
	p.screenshot(t, "overview-en")
	p.run(t, "switch back to Chinese", chromedp.Click("#lang"))
	p.wait(t, "Chinese overview", `document.querySelector('nav a').innerText === '概览' && `+chartText+`.includes('潜山市')`)

	// County pages.
	p.run(t, "open Yuexi", chromedp.Navigate(base+"/#/county/340828"))
	p.wait(t, "Yuexi page", `document.querySelectorAll('#stations tbody tr').length === 46`)
	if got := p.text(t, `String([...document.querySelectorAll('#stations tbody .status')].filter(s => s.innerText === '提升中').length)`); got != "14" {
		t.Errorf("Yuexi upgrading stations: %s; want 14", got)
	}
	if got := p.text(t, `document.querySelector('#budgets').innerText`); !strings.Contains(got, "135万元") {
		t.Errorf("Yuexi budgets lack 135万元: %s", got)
	}
	if got := p.text(t, `document.querySelector('#figures').innerText`); !strings.Contains(got, "300余件") || !strings.Contains(got, "城东社区") {
		t.Errorf("Yuexi figures lack 城东社区's 300余件: %s", got)
	}
	p.screenshot(t, "county-yuexi")
	p.run(t, "open Daguan", chromedp.Navigate(base+"/#/county/340803"))
	p.wait(t, "Daguan page", `document.querySelectorAll('#stations tbody tr').length === 10`)
	if got := p.text(t, `String(document.querySelectorAll('#stations td.fac').length) + ' ' + String([...document.querySelectorAll('#stations td.fac')].filter(c => c.innerText === '●').length)`); got != "40 40" {
		t.Errorf("Daguan facility matrix cells (all, offered): %s; want 40 40", got)
	}
	p.screenshot(t, "county-daguan")

	// Imports: Tongcheng's ledger with one figure changed, 85 to 90.
	sample, err := os.ReadFile("importers/tongcheng/testdata/sample/input.json")
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(sample), `"value": 85,`, `"value": 90,`, 1)
	if edited == string(sample) {
		t.Fatal("the Tongcheng sample no longer holds the 85 compound party branches this test edits")
	}
	file := filepath.Join(t.TempDir(), "桐城市红色物业台账.json")
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := hubCommand(t, addr, "token", "create", "--role", "county_editor", "--county", "340881", "--name", "桐城市数据专员").Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	editor := strings.TrimSpace(string(out))
	p.run(t, "open imports", chromedp.Navigate(base+"/#/imports"))
	// Anonymous visitors read; uploading needs a county editor's token.
	p.wait(t, "sign-in offer", `!!document.querySelector('#sign-in')`)
	p.run(t, "sign in", chromedp.Click("#sign-in"), chromedp.WaitVisible("#token-input"),
		chromedp.SendKeys("#token-input", editor), chromedp.Click(`#token-form button[type="submit"]`))
	p.wait(t, "imports page", `document.querySelectorAll('#importer option').length > 0`)
	if got := p.text(t, `[...document.querySelectorAll('#county option')].map(o => o.value).join(',') + ' ' + document.querySelector('#who').innerText`); got != "340881 县级编辑 · 桐城市数据专员" {
		t.Errorf("signed in as Tongcheng's editor: counties and header %q", got)
	}
	if got := p.text(t, `document.querySelector('#importer').value`); got != "tongcheng" {
		t.Errorf("importer suggested for Tongcheng: %q", got)
	}
	// A dry run first: the diagnostics and the diff, nothing kept.
	p.run(t, "dry run", chromedp.SetUploadFiles("#file", []string{file}), chromedp.Click("#dry-run"), chromedp.Click("#submit"))
	p.wait(t, "dry run done", `document.querySelector('#run-panel')?.dataset.status === 'DISCARDED'`)
	if got := p.text(t, `document.querySelector('#diff-changed .count').innerText + ' ' + document.querySelector('#run-message').innerText`); !strings.HasPrefix(got, "1 试运行完成") {
		t.Errorf("dry run: changed count and message %q", got)
	}
	p.screenshot(t, "import-dry-run")
	// Then the import for real: READY, with the same diff.
	p.run(t, "upload", chromedp.Click("#dry-run"), chromedp.Click("#submit"))
	p.wait(t, "run ready", `document.querySelector('#run-panel')?.dataset.status === 'READY'`)
	if got := p.text(t, `document.querySelector('#diff-changed').innerText.replace(/\s+/g, ' ')`); !strings.Contains(got, "修改 1") || !strings.Contains(got, "org.compound_party_branches") {
		t.Errorf("diff: changed %q; want the one changed figure", got)
	}
	if got := p.text(t, `document.querySelector('#diff-added .count').innerText + ' ' + document.querySelector('#diff-removed .count').innerText`); got != "0 0" {
		t.Errorf("diff: added, removed %q; want 0 0", got)
	}
	p.screenshot(t, "import-diff")
	p.run(t, "publish", chromedp.Click("#publish"))
	p.wait(t, "run published", `document.querySelector('#run-panel')?.dataset.status === 'PUBLISHED'`)
	p.screenshot(t, "import-published")

	// The overview shows the published figure.
	p.run(t, "back to the overview", chromedp.Click("#run-message a"))
	p.wait(t, "updated chart", `document.querySelector('#compare-chart')?.dataset.metric === 'org.compound_party_branches' && `+chartText+`.includes('90')`)
	if got := p.text(t, `[...document.querySelectorAll('#compare-rows tbody tr')].map(r => r.cells[1].innerText + ' ' + r.cells[2].innerText).join('; ')`); got != "大观区 113; 桐城市 90; 望江县 55; 怀宁县 35" {
		t.Errorf("table rows after the publish: %s", got)
	}
	p.screenshot(t, "overview-after-publish")

	// GraphiQL runs its first saved query.
	p.run(t, "open GraphiQL", chromedp.Navigate(base+"/graphiql"))
	p.wait(t, "GraphiQL", `!!document.querySelector('.graphiql-execute-button') && document.querySelectorAll('.graphiql-tab').length >= 5`)
	p.run(t, "run the query", chromedp.Click(".graphiql-execute-button"))
	p.wait(t, "query result", `(document.querySelector('.result-window')?.innerText ?? '').includes('"rank": 1')`)
	if got := p.text(t, `document.querySelector('.result-window').innerText`); !strings.Contains(got, "580余件") {
		t.Errorf("GraphiQL result lacks Qianshan's 580余件: %s", got)
	}
	p.screenshot(t, "graphiql")
}

// compareRows is the API's comparison of a unit's children, as the
// drill-down table shows it: "name value" in rank order, then the gaps.
func compareRows(t *testing.T, addr, metric, period, scope string) string {
	t.Helper()
	_, r := post(t, addr, "", `query($m: ID!, $p: String!, $s: ID!) { compare(metric: $m, period: $p, scope: $s) { rows { rank unit { name } value { value qualifier } } gaps { name } } }`,
		map[string]any{"m": metric, "p": period, "s": scope})
	if len(r.Errors) > 0 {
		t.Fatalf("compare %s %s %s: %s", metric, period, scope, r.Errors[0].Message)
	}
	var d struct {
		Compare struct {
			Rows []struct {
				Rank  int
				Unit  struct{ Name string }
				Value struct {
					Value     float64
					Qualifier string
				}
			}
			Gaps []struct{ Name string }
		}
	}
	if err := json.Unmarshal(r.Data, &d); err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, row := range d.Compare.Rows {
		v := fmt.Sprintf("%v", row.Value.Value)
		switch row.Value.Qualifier {
		case "AT_LEAST":
			v += "+"
		case "AT_MOST":
			v = "≤" + v
		case "APPROXIMATE":
			v = "≈" + v
		}
		parts = append(parts, fmt.Sprintf("%d %s %s", row.Rank, row.Unit.Name, v))
	}
	for _, g := range d.Compare.Gaps {
		parts = append(parts, g.Name+" 未报告")
	}
	return strings.Join(parts, "; ")
}

// tableRows reads the drill-down table as compareRows writes it, numbers
// without grouping separators.
const tableRows = `[...document.querySelectorAll('#unit-rows tbody tr')].map(r => (r.classList.contains('gap') ? '' : r.cells[0].innerText + ' ') + r.cells[1].innerText.replace(/\s*∑$/, '') + ' ' + r.cells[2].innerText.replace(/,/g, '')).join('; ')`

// TestDrillDownMapInTheBrowser opens the drill-down view of Anqing: the
// map of its counties and the table of their figures, which match the
// API's comparison; a click on a county's row shows its towns, with the
// breadcrumb and the address following, a click on a region of the map
// drills down too, and the back button returns. The map data for Anqing
// is served, and every Anqing county the hub knows has a region.
func TestDrillDownMapInTheBrowser(t *testing.T) {
	chromium(t)
	_, addr := serveHub(t, "--demo", "--anonymous-read", "--data", t.TempDir(), "--plugins", allImporters(t))
	base := "http://" + addr

	// Map data: every county of Anqing has a region with its current code.
	res, err := http.Get(base + "/assets/maps/340800.json")
	if err != nil {
		t.Fatal(err)
	}
	var geo struct {
		Features []struct{ Properties struct{ Name, Code string } }
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /assets/maps/340800.json: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if err := json.NewDecoder(res.Body).Decode(&geo); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	regions := map[string]bool{}
	for _, f := range geo.Features {
		regions[f.Properties.Code] = true
	}
	_, r := post(t, addr, "", `{ unit(code: "340800") { children { code name } } }`, nil)
	var anqing struct {
		Unit struct{ Children []struct{ Code, Name string } }
	}
	if err := json.Unmarshal(r.Data, &anqing); err != nil || len(anqing.Unit.Children) == 0 {
		t.Fatalf("Anqing's counties: %v %s", err, r.Data)
	}
	for _, c := range anqing.Unit.Children {
		if !regions[c.Code] {
			t.Errorf("%s %s has no region on the map of Anqing", c.Code, c.Name)
		}
	}

	p := newPage(t)
	p.run(t, "open the drill-down view", chromedp.Navigate(base+"/?lang=zh#/unit/340800"))
	p.wait(t, "map and table", `!!document.querySelector('#unit-map canvas') && document.querySelectorAll('#unit-rows tbody tr').length > 0`)
	metric, period := p.text(t, `document.querySelector('#metric').value`), p.text(t, `document.querySelector('#period').value`)
	if got := p.text(t, `location.hash`); got != "#/unit/340800?metric="+url.QueryEscape(metric)+"&period="+url.QueryEscape(period) {
		t.Errorf("address %q keeps no metric and period", got)
	}
	if got, want := p.text(t, tableRows), compareRows(t, addr, metric, period, "340800"); got != want {
		t.Errorf("Anqing's table:\n got %s\nwant %s", got, want)
	}
	if got := p.text(t, `String(document.querySelectorAll('#unit-rows tbody tr').length)`); got != fmt.Sprint(len(anqing.Unit.Children)) {
		t.Errorf("Anqing's table has %s rows; want one per county, %d", got, len(anqing.Unit.Children))
	}
	if got := p.text(t, `document.querySelector('#breadcrumb').innerText.trim()`); got != "安庆市" {
		t.Errorf("breadcrumb at the scope: %q", got)
	}
	p.screenshot(t, "drill-down-anqing")

	// A row drills down to the county's towns.
	p.run(t, "click 岳西县", chromedp.Evaluate(`document.querySelector('#unit-rows tr[data-unit="340828"] td').click()`, nil))
	p.wait(t, "Yuexi's towns", `location.hash.startsWith('#/unit/340828?') && document.querySelector('#breadcrumb [aria-current]')?.innerText === '岳西县' && document.querySelectorAll('#unit-rows tbody tr').length > 0`)
	if got := p.text(t, `document.querySelector('#breadcrumb').innerText.replace(/\s+/g, ' ').trim()`); got != "安庆市 › 岳西县" {
		t.Errorf("breadcrumb at Yuexi: %q", got)
	}
	if got := p.text(t, `location.hash`); got != "#/unit/340828?metric="+url.QueryEscape(metric)+"&period="+url.QueryEscape(period) {
		t.Errorf("address at Yuexi %q", got)
	}
	if got, want := p.text(t, tableRows), compareRows(t, addr, metric, period, "340828"); got != want {
		t.Errorf("Yuexi's table:\n got %s\nwant %s", got, want)
	}
	if got := p.text(t, `String(!!document.querySelector('#unit-map')) + ' ' + document.querySelector('#map-note').innerText`); !strings.HasPrefix(got, "false ") || len(got) <= len("false ") {
		t.Errorf("towns have no map: want the table only with a note, got %q", got)
	}
	p.screenshot(t, "drill-down-yuexi")

	// Back to Anqing, then down again through a region of the map.
	p.run(t, "go back", chromedp.NavigateBack())
	p.wait(t, "Anqing again", `location.hash.startsWith('#/unit/340800') && document.querySelector('#unit-map')?.dataset.drawn === 'true' && document.querySelector('#breadcrumb [aria-current]')?.innerText === '安庆市'`)
	// The page may still be settling around a map drawn from answers that
	// came at once (the table beside it fills, the layout moves): a click
	// that lands before is tried again, at the point found again.
	const atTongcheng = `location.hash.startsWith('#/unit/340881?') && document.querySelector('#breadcrumb [aria-current]')?.innerText === '桐城市'`
	for try := 0; try < 3; try++ {
		var at []float64
		p.run(t, "find 桐城市 on the map", chromedp.Evaluate(`(() => { const el = document.querySelector('#unit-map'); const pt = el.countyhubPoint('340881'); const r = el.getBoundingClientRect(); return pt ? [r.left + pt[0], r.top + pt[1]] : []; })()`, &at))
		if len(at) != 2 {
			t.Fatalf("桐城市 has no point on the map: %v", at)
		}
		p.run(t, "click 桐城市 on the map", chromedp.MouseClickXY(at[0], at[1]))
		if p.holds(atTongcheng, 5*time.Second) {
			break
		}
	}
	p.wait(t, "Tongcheng's towns", atTongcheng)
}
