package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

// binary is the countyhub command built once for these tests: they run it
// as an operator would. example and badplugin are importer plugins.
var binary, example, badplugin string

// TestMain builds the binaries once and runs the tests from the
// repository root, where an operator runs the hub: paths such as
// importers/yuexi/testdata or ./data mean what they say in README.md.
func TestMain(m *testing.M) {
	if err := os.Chdir(".."); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	dir, err := os.MkdirTemp("", "countyhub-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary, example, badplugin = filepath.Join(dir, "countyhub"), filepath.Join(dir, "example"), filepath.Join(dir, "badplugin")
	for out, pkg := range map[string]string{binary: ".", example: "./importers/example", badplugin: "./plugins/host/testdata/badplugin"} {
		if b, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "build %s: %v\n%s", pkg, err, b)
			os.Exit(1)
		}
	}
	code := func() int {
		defer os.RemoveAll(dir)
		storetest.Main(m)
		return 0
	}()
	os.Exit(code)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// process is a running countyhub command.
type process struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	done   chan error
}

// syncBuffer is a buffer the process writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func start(t testing.TB, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(binary, args...), stderr: &syncBuffer{}, done: make(chan error, 1)}
	p.cmd.Stderr = p.stderr
	p.cmd.Env = append(os.Environ(), "COUNTYHUB_MONGO_URI=") // the flags decide
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// wait waits for the process to exit and returns its error and stderr.
func (p *process) wait(t testing.TB, limit time.Duration) (string, error) {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err
		return p.stderr.String(), err
	case <-time.After(limit):
		t.Fatalf("%v still running after %s; stderr:\n%s", p.cmd.Args, limit, p.stderr)
		return "", nil
	}
}

// stop sends SIGTERM and expects a clean exit.
func (p *process) stop(t testing.TB) string {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	stderr, err := p.wait(t, 20*time.Second)
	if err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr)
	}
	return stderr
}

// serveHub starts `countyhub serve` with the arguments on a port the
// system picks, and returns once it is ready, with its address. Reading
// the address from the hub's log rather than picking a free port first
// keeps tests that run in parallel from ever meeting each other's hub.
func serveHub(t testing.TB, args ...string) (*process, string) {
	t.Helper()
	p := start(t, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	addr := p.waitLog(t, regexp.MustCompile(`countyhub serving" addr=http://(\S+)`))
	waitReady(t, p, addr)
	data := "./data"
	for i, a := range args {
		if a == "--data" && i+1 < len(args) {
			data = args[i+1]
		}
	}
	for _, name := range []string{"admin.token", "demo-admin.token"} {
		if b, err := os.ReadFile(filepath.Join(data, name)); err == nil {
			hubTokens.Store(addr, strings.TrimSpace(string(b)))
		}
	}
	return p, addr
}

// hubTokens holds the first admin token of each hub the tests started, by
// address: the tests act as the hub's operator.
var hubTokens sync.Map

// adminToken is the admin token of the hub at addr.
func adminToken(t testing.TB, addr string) string {
	t.Helper()
	tok, ok := hubTokens.Load(addr)
	if !ok {
		t.Fatalf("no admin token known for the hub at %s", addr)
	}
	return tok.(string)
}

// hubGet gets a path of the hub at addr with its admin token.
func hubGet(t *testing.T, addr, path string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+adminToken(t, addr))
	return http.DefaultClient.Do(req)
}

// hubCommand is a countyhub command against the hub at addr, as its
// operator: with the hub's admin token.
func hubCommand(t testing.TB, addr string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "COUNTYHUB_HUB=http://"+addr, "COUNTYHUB_TOKEN="+adminToken(t, addr))
	return cmd
}

// waitLog waits for a line of the process's log that matches re, and
// returns the first group of the match.
func (p *process) waitLog(t testing.TB, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(p.stderr.String()); m != nil {
			return m[1]
		}
		select {
		case err := <-p.done:
			p.done <- err
			if m := re.FindStringSubmatch(p.stderr.String()); m != nil {
				return m[1]
			}
			t.Fatalf("%v exited: %v\n%s", p.cmd.Args, err, p.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("%v: no log line matching %s after 60s:\n%s", p.cmd.Args, re, p.stderr)
	return ""
}

// waitReady polls /readyz until the hub answers.
func waitReady(t testing.TB, p *process, addr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("hub exited: %v\n%s", err, p.stderr)
		default:
		}
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("hub not ready after 30s:\n%s", p.stderr)
}

// graphql runs a query against the hub at addr as its operator (with its
// admin token, when the tests know it) and decodes the data into out; any
// error fails the test.
func graphql(t *testing.T, addr, query string, out any) {
	t.Helper()
	token, _ := hubTokens.Load(addr)
	tok, _ := token.(string)
	status, r := post(t, addr, tok, query, nil)
	if len(r.Errors) > 0 || status != http.StatusOK {
		t.Fatalf("query %s: status %d, errors %+v", query, status, r.Errors)
	}
	if err := json.Unmarshal(r.Data, out); err != nil {
		t.Fatal(err)
	}
}

type countiesResult struct {
	Counties []struct{ Code, Name, NameEn string }
	Unit     *struct{ Name string }
}

const countiesQuery = `{ counties { code name nameEn } unit(code: "340828100001") { name } }`

func TestServeEmbeddedKeepsDataAcrossRestarts(t *testing.T) {
	t.Parallel()
	data := t.TempDir()

	// Something stored by an earlier run of the hub: a community written
	// straight into the embedded database of the data directory.
	db := start(t, "embedded-db", "--data", data, "--addr", "127.0.0.1:0")
	dbAddr := db.waitLog(t, regexp.MustCompile(`uri=mongodb://([^/\s]+)/`))
	ctx := context.Background()
	var st *store.Store
	var err error
	for range 100 {
		if st, err = store.Open(ctx, "mongodb://"+dbAddr+"/", store.Options{ConnectTimeout: time.Second}); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("embedded-db: %v\n%s", err, db.stderr)
	}
	community := model.AdminUnit{Code: "340828100001", Name: "城东社区", NameEn: "Chengdong", Level: model.LevelCommunity, ParentCode: "340828", CountyCode: "340828"}
	if err := st.PutUnits(ctx, []model.AdminUnit{community}); err != nil {
		t.Fatal(err)
	}
	st.Close(ctx)
	db.stop(t)

	for run := range 2 {
		args := []string{"--data", data}
		if run == 1 {
			args = append(args, "--anonymous-read", "--request-timeout", "1s")
		}
		hub, addr := serveHub(t, args...)
		var got countiesResult
		graphql(t, addr, countiesQuery, &got)
		if len(got.Counties) != 10 || got.Counties[0].Code != "340802" || got.Counties[0].Name != "迎江区" || got.Counties[9].NameEn != "Qianshan" {
			t.Errorf("run %d: counties = %+v", run, got.Counties)
		}
		if got.Unit == nil || got.Unit.Name != "城东社区" {
			t.Errorf("run %d: stored community = %+v; want it kept", run, got.Unit)
		}
		for path, want := range map[string]string{"/healthz": "ok", "/metrics": "countyhub_store_commands_total"} {
			res, err := http.Get("http://" + addr + path)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if !strings.Contains(string(b), want) {
				t.Errorf("GET %s does not contain %q", path, want)
			}
		}
		// Every answer, of every endpoint, tells browsers not to guess its type.
		for _, path := range []string{"/graphql?query=%7B__typename%7D", "/schema.graphql", "/export/compare.csv?metric=outcome.problems_resolved&period=2023", "/", "/graphiql", "/healthz", "/readyz", "/metrics", "/nope"} {
			res, err := http.Get("http://" + addr + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("GET %s (status %d): X-Content-Type-Options %q; want nosniff", path, res.StatusCode, got)
			}
		}
		if run == 1 {
			// A body that trickles in past --request-timeout: 408 TIMEOUT, logged.
			checkSlowBody(t, addr)
		}
		log := hub.stop(t)
		if run == 1 && !strings.Contains(log, "request timed out") {
			t.Errorf("the timed-out request is not logged:\n%s", log)
		}
		if !strings.Contains(log, "store: embedded FerretDB (SQLite)") || !strings.Contains(log, "embedded database stopped") {
			t.Errorf("log does not say which store and that it stopped:\n%s", log)
		}
	}
}

func TestServeWithMongoURI(t *testing.T) {
	t.Parallel()
	// The MongoDB of MONGODB_URI when set, else a second embedded server.
	uri := storetest.DatabaseURI(t)
	hub, addr := serveHub(t, "--mongo-uri", uri, "--data", filepath.Join(t.TempDir(), "unused"))
	var got countiesResult
	graphql(t, addr, countiesQuery, &got)
	if len(got.Counties) != 10 {
		t.Errorf("counties = %+v", got.Counties)
	}
	if log := hub.stop(t); !strings.Contains(log, "store: MongoDB") || !strings.Contains(log, "database="+path.Base(uri)) {
		t.Errorf("log does not say which store:\n%s", log)
	}
}

func TestServeFailsFastWithAClearMessage(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		args []string
		want []string
	}{
		"data directory under a file": {[]string{"--data", filepath.Join(file, "data")}, []string{"cannot be created", "--data"}},
		"unreachable MongoDB":         {[]string{"--mongo-uri", "mongodb://127.0.0.1:1/"}, []string{"cannot reach MongoDB at mongodb://127.0.0.1:1/", "--mongo-uri"}},
		"malformed MongoDB URI":       {[]string{"--mongo-uri", "http://example"}, []string{"parse MongoDB URI", "--mongo-uri"}},
		"bad log level":               {[]string{"--log-level", "loud"}, []string{"--log-level"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := start(t, append([]string{"serve", "--addr", freeAddr(t)}, tc.args...)...)
			began := time.Now()
			stderr, err := p.wait(t, 15*time.Second)
			if err == nil {
				t.Fatalf("exit status 0; want failure\n%s", stderr)
			}
			if took := time.Since(began); took > 10*time.Second {
				t.Errorf("took %s to fail", took)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, stderr)
				}
			}
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
				t.Errorf("stderr has a stack trace:\n%s", stderr)
			}
		})
	}
}

func TestServeRefusesATakenPort(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	p := start(t, "serve", "--addr", l.Addr().String(), "--data", t.TempDir())
	stderr, err := p.wait(t, 15*time.Second)
	if err == nil || !strings.Contains(stderr, "--addr") {
		t.Errorf("exit %v, stderr %q; want a failure naming --addr", err, stderr)
	}
}

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o755); err != nil {
		t.Fatal(err)
	}
}

// childrenOf lists the processes whose parent is pid.
func childrenOf(pid int) []string {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []string
	for _, s := range stats {
		b, err := os.ReadFile(s)
		if err != nil {
			continue
		}
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		if f := strings.Fields(string(b[i+1:])); len(f) > 1 && f[1] == fmt.Sprint(pid) {
			out = append(out, string(b[:i+1]))
		}
	}
	return out
}

func TestPluginsCommandsAndImportersQuery(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	dir := filepath.Join(data, "plugins")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, example, filepath.Join(dir, "example"))
	run := func(args ...string) (string, error) {
		out, err := exec.Command(binary, args...).CombinedOutput()
		return string(out), err
	}
	if out, err := run("plugins", "pin", "--data", data); err != nil || !strings.Contains(out, "pinned example 1.0.0") {
		t.Fatalf("plugins pin: %v\n%s", err, out)
	}
	// Then: a plugin that breaks the handshake, pinned by hand; and one
	// installed but never pinned.
	copyFile(t, badplugin, filepath.Join(dir, "stdout"))
	copyFile(t, badplugin, filepath.Join(dir, "good"))
	lock, _ := os.ReadFile(filepath.Join(dir, "plugins.lock"))
	b, _ := os.ReadFile(badplugin)
	sum := sha256.Sum256(b)
	lock = bytes.Replace(lock, []byte(`"plugins": {`), []byte(`"plugins": {"stdout": {"sha256": "`+hex.EncodeToString(sum[:])+`"},`), 1)
	if err := os.WriteFile(filepath.Join(dir, "plugins.lock"), lock, 0o644); err != nil {
		t.Fatal(err)
	}

	out, err := run("plugins", "list", "--plugins", dir)
	if err == nil || !strings.Contains(out, "2 of 3 importers are not OK") {
		t.Errorf("plugins list with broken importers: %v; want exit status 1 saying so\n%s", err, out)
	}
	for _, want := range []string{"example  1.0.0    .csv", "OK", "good", "UNPINNED", "stdout", "BROKEN"} {
		if !strings.Contains(out, want) {
			t.Errorf("plugins list does not show %q:\n%s", want, out)
		}
	}
	if out, err := run("plugins", "check", filepath.Join(dir, "example"), "--testdata", "importers/example/testdata"); err != nil || !strings.Contains(out, "example conforms") {
		t.Errorf("plugins check: %v\n%s", err, out)
	}
	if out, err := run("plugins", "check", filepath.Join(dir, "good"), "--testdata", "importers/example/testdata"); err == nil || !strings.Contains(out, "FAIL") {
		t.Errorf("plugins check of a non-conforming plugin passed:\n%s", out)
	}

	hub, addr := serveHub(t, "--data", data)
	var got struct {
		Importers []struct {
			Name, Version, Status string
			Formats, Datasets     []string
			Problem               *string
		}
		Counties []struct{ Code string }
	}
	graphql(t, addr, `{ importers { name version status formats datasets problem } counties { code } }`, &got)
	status := map[string]string{}
	for _, i := range got.Importers {
		status[i.Name] = i.Status
		if i.Name == "example" && (i.Version != "1.0.0" || len(i.Formats) != 1 || i.Formats[0] != ".csv" || i.Datasets[0] != "observations") {
			t.Errorf("example importer = %+v", i)
		}
		if i.Status != "OK" && (i.Problem == nil || *i.Problem == "") {
			t.Errorf("%s is %s without a problem", i.Name, i.Status)
		}
	}
	if status["example"] != "OK" || status["good"] != "UNPINNED" || status["stdout"] != "BROKEN" {
		t.Errorf("importers: %v", status)
	}
	if len(got.Counties) != 10 {
		t.Errorf("the hub stopped answering after a broken plugin: %+v", got.Counties)
	}
	time.Sleep(100 * time.Millisecond)
	if left := childrenOf(hub.cmd.Process.Pid); len(left) > 0 {
		t.Errorf("plugin processes left under the hub: %v", left)
	}
	hub.stop(t)
}

// checkSlowBody sends a GraphQL request whose body arrives a byte every
// 200 ms, past the hub's request timeout of 1 s, and checks the answer:
// 408 with code TIMEOUT, never 200 with null.
func checkSlowBody(t *testing.T, addr string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"query":"{ counties { code } }"}`
	fmt.Fprintf(conn, "POST /graphql HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", addr, len(body))
	go func() {
		for i := range len(body) {
			if _, err := conn.Write([]byte{body[i]}); err != nil {
				return
			}
			time.Sleep(200 * time.Millisecond)
		}
	}()
	_ = conn.SetReadDeadline(time.Now().Add(15 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("a slow body got no answer: %v", err)
	}
	defer res.Body.Close()
	var r struct {
		Data   json.RawMessage
		Errors []struct{ Extensions struct{ Code string } }
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil || res.StatusCode != http.StatusRequestTimeout || len(r.Errors) == 0 || r.Errors[0].Extensions.Code != "TIMEOUT" || r.Data != nil {
		t.Errorf("a slow body: status %d, %+v (%v); want 408 with code TIMEOUT and no data", res.StatusCode, r, err)
	}
}
