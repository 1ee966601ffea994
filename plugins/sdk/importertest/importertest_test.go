package importertest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/conformance"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// lines is a small importer: one observation per non-empty line
// "metric=value", where a line "county=NAME" names the unit the file is
// for; its flaws are switched on one at a time to see that the kit
// catches each.
type lines struct {
	panicOnEmpty, hangOnEmpty, badUTF8, noRefs, unstable, noMessage, noUnitCheck bool
	calls                                                                        *int
	// value, when set, replaces the quantity read from the line.
	value *model.Quantity
}

func (l lines) Describe() sdk.Description {
	return sdk.Description{Name: "lines", Version: "1.0.0", Formats: []sdk.Format{{Extensions: []string{".txt"}}}, Datasets: []string{sdk.Observations}}
}

func (l lines) Import(ctx context.Context, in *sdk.Input, out sdk.Emitter) error {
	sc := bufio.NewScanner(in)
	n, seen := 0, 0
	for sc.Scan() {
		n++
		metric, value, ok := strings.Cut(sc.Text(), "=")
		ref := fmt.Sprintf("line %d", n)
		if l.noRefs {
			ref = ""
		}
		if !ok || metric == "" || strings.TrimSpace(value) == "" || !utf8.ValidString(sc.Text()) {
			d := sdk.Errorf(ref, "", "want metric=value, found %q", sc.Text())
			if l.noMessage {
				d.Message = " "
			}
			if err := out.Diagnose(d); err != nil {
				return err
			}
			continue
		}
		if metric == "county" {
			if d := sdk.CheckUnit(in.Unit, ref, "county", value); d != nil && !l.noUnitCheck {
				return out.Diagnose(*d)
			}
			continue
		}
		seen++
		if l.badUTF8 {
			metric += "\xff"
		}
		if l.unstable {
			*l.calls++
			value = fmt.Sprint(*l.calls)
		}
		q := model.Quantity{Text: value}
		if l.value != nil {
			q = *l.value
		}
		if err := out.Emit(sdk.Record{Reference: ref, Observation: &sdk.Observation{Metric: metric, Period: "2023", Value: q}}); err != nil {
			return err
		}
	}
	if n == 0 {
		switch {
		case l.panicOnEmpty:
			panic("empty")
		case l.hangOnEmpty:
			<-ctx.Done()
			select {} // ignores cancellation, as a buggy importer would
		}
		return out.Diagnose(sdk.Errorf("file", "", "empty file"))
	}
	return nil
}

func testdata(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "testdata")
	for name, input := range map[string]string{"ok": "county=安庆市\na.b=1\nc.d=300余件\n", "broken": "a.b=1\nnonsense\n"} {
		if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name, "input.txt"), []byte(input), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "broken", "case.json"), []byte(`{"unitNotInFile": "no county= line"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	// Expected output from the flawless importer.
	for _, r := range Check(context.Background(), InProcess(lines{}), Options{Testdata: dir, Update: true}) {
		if strings.HasPrefix(r.Check, "golden/") && r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	return dir
}

func failed(results []Result) map[string]string {
	out := map[string]string{}
	for _, r := range results {
		if r.Err != nil {
			out[r.Check] = r.Err.Error()
		}
	}
	return out
}

func TestKitCatchesEachFlaw(t *testing.T) {
	t.Parallel()
	dir := testdata(t)
	tests := map[string]struct {
		imp       lines
		wantCheck string
		wantText  string
	}{
		"panic":            {lines{panicOnEmpty: true}, "empty input", "panicked"},
		"hang":             {lines{hangOnEmpty: true}, "empty input", "did not finish"},
		"invalid UTF-8":    {lines{badUTF8: true}, "golden/ok", "valid UTF-8"},
		"no references":    {lines{noRefs: true}, "references/broken", "has no reference"},
		"nondeterministic": {lines{unstable: true, calls: new(int)}, "deterministic/ok", "differ"},
		"no unit check":    {lines{noUnitCheck: true}, "neighbour county/ok", "gave 2 records"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := failed(Check(context.Background(), InProcess(tc.imp), Options{Testdata: dir, Timeout: 300 * time.Millisecond}))
			if !strings.Contains(got[tc.wantCheck], tc.wantText) {
				t.Errorf("check %q: %q; want a failure saying %q (all failures: %v)", tc.wantCheck, got[tc.wantCheck], tc.wantText, got)
			}
		})
	}
	t.Run("flawless", func(t *testing.T) {
		t.Parallel()
		if got := failed(Check(context.Background(), InProcess(lines{}), Options{Testdata: dir})); len(got) > 0 {
			t.Errorf("failures: %v", got)
		}
	})
	t.Run("golden mismatch", func(t *testing.T) {
		t.Parallel()
		other := filepath.Join(t.TempDir(), "testdata", "ok")
		os.MkdirAll(other, 0o755)
		os.WriteFile(filepath.Join(other, "input.txt"), []byte("a.b=2\n"), 0o644)
		b, _ := os.ReadFile(filepath.Join(dir, "ok", "expected.json"))
		os.WriteFile(filepath.Join(other, "expected.json"), b, 0o644)
		got := failed(Check(context.Background(), InProcess(lines{}), Options{Testdata: filepath.Dir(other)}))
		if !strings.Contains(got["golden/ok"], "differs") {
			t.Errorf("golden/ok: %q; want a diff", got["golden/ok"])
		}
	})
	t.Run("no cases", func(t *testing.T) {
		t.Parallel()
		empty := t.TempDir()
		got := failed(Check(context.Background(), InProcess(lines{}), Options{Testdata: empty}))
		if !strings.Contains(got["golden cases"], "no golden cases") {
			t.Errorf("failures %v; want one saying there are no golden cases", got)
		}
	})
}

// TestFuzzChecks checks that what Fuzz asks of each import catches each
// flaw it is meant to.
func TestFuzzChecks(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		imp      lines
		input    string
		prefix   string
		wantText string // "" when the import passes
	}{
		"flawless":         {imp: lines{}, input: "a.b=1\nnonsense\n", prefix: "line "},
		"no prefix asked":  {imp: lines{}, input: "a.b=1\n"},
		"panic":            {imp: lines{panicOnEmpty: true}, wantText: "panicked"},
		"no references":    {imp: lines{noRefs: true}, input: "nonsense\n", wantText: "has no reference"},
		"no message":       {imp: lines{noMessage: true}, input: "nonsense\n", wantText: "has no message"},
		"other prefix":     {imp: lines{}, input: "a.b=1\n", prefix: "table ", wantText: `has the reference "line 1", want one starting with "table "`},
		"invalid UTF-8":    {imp: lines{badUTF8: true}, input: "a.b=1\n", wantText: "valid UTF-8"},
		"diagnostics only": {imp: lines{}, input: "nonsense\n", prefix: "table "},
		"nondeterministic": {imp: lines{unstable: true, calls: new(int)}, input: "a.b=1\n", wantText: "differ"},
		"qualified quantity": {imp: lines{value: &model.Quantity{Value: 300, Qualifier: model.AtLeast, Unit: model.UnitCount}},
			input: "a.b=1\n"},
		"unknown qualifier": {imp: lines{value: &model.Quantity{Value: 300, Qualifier: "ABOUT"}}, input: "a.b=1\n",
			wantText: `value has the qualifier "ABOUT"`},
		"no qualifier, no text": {imp: lines{value: &model.Quantity{Value: 300}}, input: "a.b=1\n",
			wantText: "neither a qualifier nor a text"},
		"infinite value": {imp: lines{value: &model.Quantity{Value: math.Inf(1), Qualifier: model.Exact}}, input: "a.b=1\n",
			wantText: "want a finite count or amount"},
		"NaN value": {imp: lines{value: &model.Quantity{Value: math.NaN(), Qualifier: model.Approximate}}, input: "a.b=1\n",
			wantText: "want a finite count or amount"},
		"negative value": {imp: lines{value: &model.Quantity{Value: -1, Qualifier: model.Exact}}, input: "a.b=1\n",
			wantText: "want a finite count or amount"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := Input{Data: []byte(tc.input), Unit: "340800"}
			got := conformance.CheckInput(InProcess(tc.imp), in, FuzzOptions{RecordReference: tc.prefix})
			switch {
			case tc.wantText == "" && got != nil:
				t.Errorf("CheckInput: %v; want no failure", got)
			case tc.wantText != "" && (got == nil || !strings.Contains(got.Error(), tc.wantText)):
				t.Errorf("CheckInput: %v; want a failure saying %q", got, tc.wantText)
			}
		})
	}
}

// FuzzKit runs Fuzz on the flawless importer; go test runs it on the
// inputs of the golden cases.
func FuzzKit(f *testing.F) {
	Fuzz(f, InProcess(lines{}), FuzzOptions{Testdata: testdata(f), RecordReference: "line "})
}

// parts is a small importer of zip archives: one observation per file,
// its name the metric and its text the value. With trusting set, it opens
// the archive as archive/zip does, without a bound, and calls any
// failure a damaged file.
type parts struct{ trusting bool }

func (p parts) Describe() sdk.Description {
	return sdk.Description{Name: "parts", Version: "1.0.0", Formats: []sdk.Format{{Extensions: []string{".zip"}}}, Datasets: []string{sdk.Observations}}
}

func (p parts) Import(ctx context.Context, in *sdk.Input, out sdk.Emitter) error {
	data, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	if p.trusting {
		if _, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err != nil {
			return out.Diagnose(sdk.Errorf("file", "", "not a zip archive"))
		}
		return out.Diagnose(sdk.Errorf("file", "", "damaged"))
	}
	a, err := sdk.OpenArchive(bytes.NewReader(data), int64(len(data)), sdk.MaxArchiveSize)
	if err != nil {
		return out.Diagnose(sdk.Errorf("file", "", "%v", err))
	}
	for _, f := range a.Files() {
		rc, err := a.OpenFile(f)
		if err != nil {
			return out.Diagnose(sdk.Errorf("file", "", "%v", err))
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return out.Diagnose(sdk.Errorf(f.Name, "", "%v", err))
		}
		if err := out.Emit(sdk.Record{Reference: f.Name, Observation: &sdk.Observation{Metric: f.Name, Period: "2023", Value: model.Quantity{Text: string(b)}}}); err != nil {
			return err
		}
	}
	return nil
}

// TestKitRefusesZipBombs checks that the kit feeds an importer of a
// zip-based format zip bombs, and catches one that does not refuse them
// as such.
func TestKitRefusesZipBombs(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "testdata", "basic")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("a.b")
	io.WriteString(w, "12")
	zw.Close()
	for name, content := range map[string]string{"input.zip": buf.String(), "case.json": `{"unitNotInFile": "the files name metrics only"}`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	testdata := filepath.Dir(dir)
	for _, r := range Check(context.Background(), InProcess(parts{}), Options{Testdata: testdata, Update: true}) {
		if strings.HasPrefix(r.Check, "golden/") && r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	tests := map[string]struct {
		imp  parts
		want map[string]string // failing check -> what it says
	}{
		"bounded": {imp: parts{}, want: map[string]string{}},
		"trusting": {imp: parts{trusting: true}, want: map[string]string{
			"zip bomb":                    `no error diagnostic saying "archive expands beyond …"`,
			"zip bomb with lying headers": `no error diagnostic saying "archive expands beyond …"`,
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := failed(Check(context.Background(), InProcess(tc.imp), Options{Testdata: testdata}))
			delete(got, "golden/basic") // the trusting importer reads nothing
			delete(got, "deterministic/basic")
			if len(got) != len(tc.want) {
				t.Errorf("failures %v; want failures of %v", got, tc.want)
			}
			for check, text := range tc.want {
				if !strings.Contains(got[check], text) {
					t.Errorf("check %q: %q; want a failure saying %q", check, got[check], text)
				}
			}
		})
	}
}
