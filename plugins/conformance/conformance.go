// Package conformance is the conformance kit for countyhub importers: the
// checks every importer must pass, run in process or on a plugin binary,
// each returning what it found rather than failing a test. An author runs
// them from the importer's own tests through package
// plugins/sdk/importertest, and `countyhub plugins check PATH` runs them
// on a built plugin binary. The checks: the description is valid; each golden case in
// testdata gives exactly its expected records and diagnostics; the same
// input gives the same output; every record and diagnostic carries a
// reference to its place in the file; empty, truncated and random input
// give diagnostics, never a panic, a hang or a fatal error; a file is
// refused when imported for a neighbour county (below); and an importer of
// a zip-based format (.docx, .xlsx) refuses a zip bomb, whether its
// headers declare the sizes it expands to or lie about them, with a
// diagnostic saying "archive expands beyond …" (see sdk.OpenArchive).
// importertest.Fuzz runs these checks, but for the golden comparison and
// the neighbour county, on the inputs `go test -fuzz` makes up
// (CheckInput), and checks that every record is well-formed.
//
// A golden case is a directory testdata/CASE holding one input.* file,
// the expected output expected.json, and optionally case.json with the
// import's unit and options ({"unit": "340803", "options": {"sheet": "2"}});
// an option whose value is a file beside it, such as a mapping, is named in
// "optionFiles" ({"optionFiles": {"mapping": "mapping.yaml"}}).
// Options.Update writes expected.json from the importer's current output.
//
// The neighbour county: each golden case that gives records is imported
// again for a neighbour of its unit (the next county of the same city in
// the reference units, or the city's first county for the city), and must
// be refused: no records, and an error diagnostic (or a failed import)
// naming both units' codes, as sdk.CheckUnit reports it. A file that does
// not say which unit it is for (its rows name communities only, say) says
// why in its case.json, and is not imported again:
// {"unitNotInFile": "the rows name communities only"}.
package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/host"
	"github.com/countyhub/countyhub/plugins/internal/protoconv"
	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// Target is an importer under test.
type Target interface {
	// Describe returns the importer's description.
	Describe(ctx context.Context) (records.Description, error)
	// Import runs the importer on one input.
	Import(ctx context.Context, in Input) (Output, error)
}

// Input is one file to import.
type Input struct {
	Data     []byte
	FileName string
	Unit     string
	Options  map[string]string
}

// Output is everything an import emitted, in order.
type Output struct {
	Records     []records.Record     `json:"records"`
	Diagnostics []records.Diagnostic `json:"diagnostics"`
}

// Options tune the checks.
type Options struct {
	// Testdata is the directory of golden cases; default "testdata".
	Testdata string
	// Unit is the import's unit for cases without case.json; default
	// 340800 (Anqing).
	Unit string
	// Timeout bounds each import; default 30s. An import that takes
	// longer is reported as a hang.
	Timeout time.Duration
	// Update rewrites the golden files instead of comparing with them.
	Update bool
}

func (o Options) withDefaults() Options {
	if o.Testdata == "" {
		o.Testdata = "testdata"
	}
	if o.Unit == "" {
		o.Unit = "340800"
	}
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	return o
}

// Result is the outcome of one check; Err is nil when it passed.
type Result struct {
	Check string
	Err   error
}

// InProcess tests an importer by calling it directly.
func InProcess(imp sdk.Importer) Target { return inProcess{imp} }

type inProcess struct{ imp sdk.Importer }

func (p inProcess) Describe(context.Context) (records.Description, error) {
	return p.imp.Describe(), nil
}

func (p inProcess) Import(ctx context.Context, in Input) (Output, error) {
	out := &collector{}
	type result struct{ err error }
	done := make(chan result, 1)
	go func() {
		err := sdk.Run(ctx, p.imp, &sdk.Input{Reader: bytes.NewReader(in.Data), FileName: in.FileName, Size: int64(len(in.Data)), Unit: in.Unit, Options: in.Options}, out)
		done <- result{err}
	}()
	select {
	case r := <-done:
		return out.output(), r.err
	case <-ctx.Done():
		return out.output(), fmt.Errorf("did not finish: %w (a hang?)", ctx.Err())
	}
}

// Plugin tests a plugin binary through the real protocol.
func Plugin(b *host.Binary) Target { return plugin{b} }

type plugin struct{ b *host.Binary }

func (p plugin) Describe(ctx context.Context) (records.Description, error) { return p.b.Describe(ctx) }

func (p plugin) Import(ctx context.Context, in Input) (Output, error) {
	var out Output
	_, err := p.b.Import(ctx, host.Request{File: bytes.NewReader(in.Data), FileName: in.FileName, Size: int64(len(in.Data)), Unit: in.Unit, Options: in.Options},
		func(b host.Batch) error {
			out.Records = append(out.Records, b.Records...)
			out.Diagnostics = append(out.Diagnostics, b.Diagnostics...)
			return nil
		})
	return out, err
}

// collector is the in-process emitter. An importer that hangs keeps
// running after the check gave up on it, so reads take the lock too.
type collector struct {
	mu  sync.Mutex
	out Output
}

// Emit and Diagnose check and clean what they get exactly as the SDK does
// before sending, so an importer that passes in-process passes as a plugin.
func (c *collector) Emit(r records.Record) error {
	if _, _, err := protoconv.EncodeRecord(r); err != nil {
		return fmt.Errorf("emit: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.out.Records = append(c.out.Records, r)
	return nil
}

func (c *collector) Diagnose(d records.Diagnostic) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.out.Diagnostics = append(c.out.Diagnostics, protoconv.CleanDiagnostic(d))
	return nil
}

func (c *collector) output() Output {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Output{Records: append([]records.Record(nil), c.out.Records...), Diagnostics: append([]records.Diagnostic(nil), c.out.Diagnostics...)}
}

// goldenCase is one directory of testdata.
type goldenCase struct {
	name     string
	dir      string
	input    Input
	expected string // path of expected.json
	// unitNotInFile says why the file does not name the unit it is for;
	// "" when it does.
	unitNotInFile string
}

// Check runs every check and returns their results in a fixed order.
func Check(ctx context.Context, target Target, opts Options) []Result {
	opts = opts.withDefaults()
	var results []Result
	add := func(check string, err error) { results = append(results, Result{check, err}) }

	desc, err := target.Describe(ctx)
	if err == nil {
		err = desc.Validate()
	}
	add("description", err)

	cases, err := loadCases(opts)
	if err != nil {
		add("golden cases", err)
		return results
	}
	if len(cases) == 0 {
		add("golden cases", fmt.Errorf("no golden cases in %s: add testdata/CASE/input.* with expected.json", opts.Testdata))
	}

	run := func(in Input) (Output, error) {
		ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
		return target.Import(ctx, in)
	}

	var working *goldenCase // the first case that gives records
	for _, c := range cases {
		out, err := run(c.input)
		if err != nil {
			add("golden/"+c.name, fmt.Errorf("import failed: %w", err))
			continue
		}
		add("golden/"+c.name, compareGolden(c, out, opts.Update))
		add("references/"+c.name, references(out))
		again, err := run(c.input)
		if err == nil {
			err = sameOutput(out, again)
		}
		add("deterministic/"+c.name, err)
		half := c.input
		half.Data = c.input.Data[:len(c.input.Data)/2]
		add("truncated/"+c.name, garbage(run, half, false))
		if len(out.Records) > 0 {
			if working == nil {
				working = &c
			}
			if c.unitNotInFile == "" {
				add("neighbour county/"+c.name, neighbourCounty(run, c.input))
			}
		}
	}

	unit := opts.Unit
	if len(cases) > 0 {
		unit = cases[0].input.Unit
	}
	name := "input.dat"
	if len(cases) > 0 {
		name = cases[0].input.FileName
	}
	add("empty input", garbage(run, Input{FileName: name, Unit: unit}, true))
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 8192)
	for i := range random {
		random[i] = byte(rng.UintN(256))
	}
	add("random bytes", garbage(run, Input{Data: random, FileName: name, Unit: unit}, true))
	text := make([]byte, 8192)
	const alphabet = "abc,;\t\"'\n\r 0123456789余万元.-<>{}[]:=#%"
	runes := []rune(alphabet)
	var b strings.Builder
	for b.Len() < len(text) {
		b.WriteRune(runes[rng.IntN(len(runes))])
	}
	add("random text", garbage(run, Input{Data: []byte(b.String()), FileName: name, Unit: unit}, true))

	if ext, ok := zipFormat(desc); ok {
		in := Input{FileName: "bomb" + ext, Unit: unit}
		if working != nil {
			in.Unit, in.Options = working.input.Unit, working.input.Options
		}
		for _, lie := range []bool{false, true} {
			check := "zip bomb"
			if lie {
				check = "zip bomb with lying headers"
			}
			in.Data = Bomb(lie)
			add(check, bomb(run, in))
		}
	}
	return results
}

// garbage checks an import of bad input: it must end, without a fatal
// error, with every diagnostic referenced, and with at least one
// diagnostic when needDiagnostic is set.
func garbage(run func(Input) (Output, error), in Input, needDiagnostic bool) error {
	out, err := run(in)
	if err != nil {
		return fmt.Errorf("import failed instead of reporting diagnostics: %w (report problems of the input as diagnostics; for the file as a whole use the reference \"file\")", err)
	}
	if err := references(out); err != nil {
		return err
	}
	if needDiagnostic && len(out.Diagnostics) == 0 {
		return fmt.Errorf("no diagnostic for bad input (%d bytes); got %d records", len(in.Data), len(out.Records))
	}
	return nil
}

// references checks that everything emitted says where in the file it is.
func references(out Output) error {
	var errs []error
	for i, r := range out.Records {
		if strings.TrimSpace(r.Reference) == "" {
			errs = append(errs, fmt.Errorf("record %d (%s) has no reference", i+1, r.Dataset()))
		}
	}
	for i, d := range out.Diagnostics {
		if strings.TrimSpace(d.Reference) == "" {
			errs = append(errs, fmt.Errorf("diagnostic %d (%q) has no reference", i+1, d.Message))
		}
		if strings.TrimSpace(d.Message) == "" {
			errs = append(errs, fmt.Errorf("diagnostic %d (at %q) has no message", i+1, d.Reference))
		}
		switch d.Severity {
		case records.Error, records.Warning, records.Info:
		default:
			errs = append(errs, fmt.Errorf("diagnostic %d (%q) has severity %q", i+1, d.Message, d.Severity))
		}
	}
	return errors.Join(errs...)
}

func sameOutput(a, b Output) error {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		return fmt.Errorf("two imports of the same input differ (-first +second):\n%s", diff(a, b))
	}
	return nil
}

func compareGolden(c goldenCase, out Output, update bool) error {
	got, err := marshal(out)
	if err != nil {
		return err
	}
	if update {
		return os.WriteFile(c.expected, got, 0o644)
	}
	want, err := os.ReadFile(c.expected)
	if err != nil {
		return fmt.Errorf("%w (run the check with Update set, -importertest.update in go test, to write it)", err)
	}
	if bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(got)) {
		return nil
	}
	var wantOut Output
	if err := json.Unmarshal(want, &wantOut); err != nil {
		return fmt.Errorf("read %s: %w", c.expected, err)
	}
	var gotOut Output
	_ = json.Unmarshal(got, &gotOut)
	return fmt.Errorf("output differs from %s (-want +got):\n%s", c.expected, diff(wantOut, gotOut))
}

func marshal(out Output) ([]byte, error) {
	if out.Records == nil {
		out.Records = []records.Record{}
	}
	if out.Diagnostics == nil {
		out.Diagnostics = []records.Diagnostic{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// FuzzOptions tune Fuzz.
type FuzzOptions struct {
	// Testdata is the directory of golden cases whose inputs seed the
	// fuzzer; default "testdata".
	Testdata string
	// Unit and Options are the unit and the options of every import;
	// Unit defaults to 340800 (Anqing).
	Unit    string
	Options map[string]string
	// FuzzedOption, when set, names an option whose value the fuzzer
	// makes up as well as the file, starting from its value in each
	// golden case: the mapping of a generic table importer, say.
	FuzzedOption string
	// RecordReference, when set, is how the reference of every record
	// starts: "table ", "line ".
	RecordReference string
	// Timeout bounds each import; default 30s.
	Timeout time.Duration
}

func (o FuzzOptions) withDefaults() FuzzOptions {
	d := Options{Testdata: o.Testdata, Unit: o.Unit, Timeout: o.Timeout}.withDefaults()
	o.Testdata, o.Unit, o.Timeout = d.Testdata, d.Unit, d.Timeout
	return o
}

// Seeds are the inputs a fuzzer starts from: the empty file, and the
// input of each golden case of opts.Testdata, whole and cut in half, with
// the case's options.
func Seeds(opts FuzzOptions) ([]Input, error) {
	opts = opts.withDefaults()
	cases, err := loadCases(Options{Testdata: opts.Testdata, Unit: opts.Unit})
	if err != nil {
		return nil, err
	}
	seeds := []Input{{Unit: opts.Unit}}
	for _, c := range cases {
		half := c.input
		half.Data = c.input.Data[:len(c.input.Data)/2]
		seeds = append(seeds, c.input, half)
	}
	return seeds, nil
}

// CheckInput imports an arbitrary input twice: the import must end
// without a panic, a hang or a fatal error, give the same output when run
// again, and emit only well-formed records and diagnostics: each with a
// reference to its place in the file, records of exactly one dataset
// whose quantities have a known qualifier (or a text for the hub to read
// one from) and a finite, non-negative value, and diagnostics with a
// severity and a message. Of opts it uses RecordReference and Timeout.
func CheckInput(target Target, in Input, opts FuzzOptions) error {
	return arbitrary(target, in, opts.withDefaults())
}

// arbitrary imports an arbitrary input twice and checks the outcome.
func arbitrary(target Target, in Input, opts FuzzOptions) error {
	run := func() (Output, error) {
		ctx, cancel := context.WithTimeout(context.Background(), opts.Timeout)
		defer cancel()
		return target.Import(ctx, in)
	}
	out, err := run()
	if err := fuzzed(out, err, opts.RecordReference); err != nil {
		return err
	}
	again, err := run()
	if err != nil {
		return fmt.Errorf("import failed the second time: %w", err)
	}
	return sameOutput(out, again)
}

// fuzzed checks the outcome of an import of arbitrary input: no error,
// every record and diagnostic well-formed and referenced, records with the
// reference prefix given unless it is "".
func fuzzed(out Output, err error, recordReference string) error {
	if err != nil {
		return fmt.Errorf("import failed: %w", err)
	}
	errs := []error{references(out)}
	for i, r := range out.Records {
		if !strings.HasPrefix(r.Reference, recordReference) {
			errs = append(errs, fmt.Errorf("record %d (%s) has the reference %q, want one starting with %q", i+1, r.Dataset(), r.Reference, recordReference))
		}
		if err := wellFormed(r); err != nil {
			errs = append(errs, fmt.Errorf("record %d (%s): %w", i+1, r.Reference, err))
		}
	}
	return errors.Join(errs...)
}

// wellFormed checks what any record must be to reach the hub's checks:
// sendable, of one dataset, with quantities the hub can read.
func wellFormed(r records.Record) error {
	if _, _, err := protoconv.EncodeRecord(r); err != nil {
		return err
	}
	switch {
	case r.Budget != nil:
		return quantity("amount", r.Budget.Amount)
	case r.Observation != nil:
		return quantity("value", r.Observation.Value)
	}
	return nil
}

// quantity checks a quantity of a record: a known qualifier, or none and
// a text to read it from; a finite, non-negative value.
func quantity(field string, q model.Quantity) error {
	switch q.Qualifier {
	case model.Exact, model.AtLeast, model.AtMost, model.Approximate:
	case "":
		if strings.TrimSpace(q.Text) == "" {
			return fmt.Errorf("%s has neither a qualifier nor a text to read one from", field)
		}
		return nil
	default:
		return fmt.Errorf("%s has the qualifier %q, want EXACT, AT_LEAST, AT_MOST or APPROXIMATE", field, q.Qualifier)
	}
	if math.IsNaN(q.Value) || math.IsInf(q.Value, 0) || q.Value < 0 {
		return fmt.Errorf("%s is %v, want a finite count or amount", field, q.Value)
	}
	return nil
}

// loadCases reads the golden cases of opts.Testdata, in name order.
func loadCases(opts Options) ([]goldenCase, error) {
	entries, err := os.ReadDir(opts.Testdata)
	if err != nil {
		return nil, fmt.Errorf("read golden cases: %w", err)
	}
	var cases []goldenCase
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "fuzz" {
			continue
		}
		dir := filepath.Join(opts.Testdata, e.Name())
		inputs, _ := filepath.Glob(filepath.Join(dir, "input.*"))
		if len(inputs) != 1 {
			return nil, fmt.Errorf("golden case %s: want exactly one input.* file, found %d", dir, len(inputs))
		}
		data, err := os.ReadFile(inputs[0])
		if err != nil {
			return nil, err
		}
		c := goldenCase{name: e.Name(), dir: dir, expected: filepath.Join(dir, "expected.json"),
			input: Input{Data: data, FileName: filepath.Base(inputs[0]), Unit: opts.Unit}}
		cfg, err := records.ReadCase(os.DirFS(dir), ".")
		if err != nil {
			return nil, fmt.Errorf("golden case %s: %w", dir, err)
		}
		if cfg.Unit != "" {
			c.input.Unit = cfg.Unit
		}
		c.input.Options = cfg.Options
		if c.unitNotInFile, err = unitNotInFile(dir); err != nil {
			return nil, fmt.Errorf("golden case %s: %w", dir, err)
		}
		cases = append(cases, c)
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].name < cases[j].name })
	return cases, nil
}
