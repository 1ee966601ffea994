package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

// binary is the countyhub command built once for these tests: they run it
// as an operator would.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "countyhub-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "countyhub")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build countyhub: %v\n%s", err, out)
		os.Exit(1)
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
	stderr *bytes.Buffer
	done   chan error
}

func start(t *testing.T, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(binary, args...), stderr: &bytes.Buffer{}, done: make(chan error, 1)}
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
func (p *process) wait(t *testing.T, limit time.Duration) (string, error) {
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
func (p *process) stop(t *testing.T) string {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	stderr, err := p.wait(t, 20*time.Second)
	if err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr)
	}
	return stderr
}

// waitReady polls /readyz until the hub answers.
func waitReady(t *testing.T, p *process, addr string) {
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

func graphql(t *testing.T, addr, query string, out any) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	res, err := http.Post("http://"+addr+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r struct {
		Data   json.RawMessage
		Errors []any
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil || len(r.Errors) > 0 {
		t.Fatalf("query %s: %v %v", query, err, r.Errors)
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
	dbAddr := freeAddr(t)
	db := start(t, "embedded-db", "--data", data, "--addr", dbAddr)
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
		addr := freeAddr(t)
		hub := start(t, "serve", "--data", data, "--addr", addr)
		waitReady(t, hub, addr)
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
		log := hub.stop(t)
		if !strings.Contains(log, "store: embedded FerretDB (SQLite)") || !strings.Contains(log, "embedded database stopped") {
			t.Errorf("log does not say which store and that it stopped:\n%s", log)
		}
	}
}

func TestServeWithMongoURI(t *testing.T) {
	t.Parallel()
	// The MongoDB of MONGODB_URI when set, else a second embedded server.
	uri := storetest.DatabaseURI(t)
	addr := freeAddr(t)
	hub := start(t, "serve", "--mongo-uri", uri, "--addr", addr, "--data", filepath.Join(t.TempDir(), "unused"))
	waitReady(t, hub, addr)
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
