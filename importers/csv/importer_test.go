package main

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// recorder keeps what an import emits.
type recorder struct {
	records []records.Record
	diags   []records.Diagnostic
}

func (r *recorder) Emit(rec records.Record) error       { r.records = append(r.records, rec); return nil }
func (r *recorder) Diagnose(d records.Diagnostic) error { r.diags = append(r.diags, d); return nil }

func run(t *testing.T, data []byte, mapping string) *recorder {
	t.Helper()
	out := &recorder{}
	in := &sdk.Input{Reader: bytes.NewReader(data), FileName: "input.csv", Size: int64(len(data)), Unit: "340800", Options: map[string]string{"mapping": mapping}}
	if err := sdk.Run(context.Background(), Importer{}, in, out); err != nil {
		t.Fatalf("import: %v", err)
	}
	return out
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const figures = "dataset: observations\ncolumns: {指标: metric, 期间: period, 数值: value}\n"

func TestEncodingsAndLayouts(t *testing.T) {
	t.Parallel()
	table := "指标,期间,数值\norg.volunteer_teams,2023,12\n"
	gb18030, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(table))
	for name, tc := range map[string]struct {
		data    []byte
		mapping string
	}{
		"utf-8":            {data: []byte(table), mapping: figures},
		"utf-8 with BOM":   {data: append([]byte("\ufeff"), table...), mapping: figures},
		"gbk":              {data: gbk(t, table), mapping: figures + "encoding: GBK\n"},
		"gb18030":          {data: gb18030, mapping: figures + "encoding: gb18030\n"},
		"semicolons, CRLF": {data: []byte(strings.ReplaceAll(strings.ReplaceAll(table, ",", ";"), "\n", "\r\n")), mapping: figures + "delimiter: ';'\n"},
		"tabs":             {data: []byte(strings.ReplaceAll(table, ",", "\t")), mapping: figures + "delimiter: tab\n"},
		"title and two-row header": {
			data:    []byte("\"统计表\n（2023年）\",,\n\n指标,期间,数值\n（代码）,,（个）\norg.volunteer_teams,2023,12\n"),
			mapping: "dataset: observations\nskip_rows: 3\nheader_rows: 2\ncolumns: {指标/（代码）: metric, 期间: period, 数值/（个）: value}\n",
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out := run(t, tc.data, tc.mapping)
			if len(out.diags) > 0 || len(out.records) != 1 {
				t.Fatalf("got %d records and diagnostics %v, want one record", len(out.records), out.diags)
			}
			if o := out.records[0].Observation; o == nil || o.Metric != "org.volunteer_teams" || o.Value.Value != 12 {
				t.Errorf("record %+v", out.records[0])
			}
		})
	}
}

func TestUnreadableFiles(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("org.volunteer_teams,2023,12\n", 3000) // past what decode looks at
	for name, tc := range map[string]struct {
		data    []byte
		mapping string
		want    string
	}{
		"gbk as utf-8":         {data: gbk(t, "指标,期间,数值\n"), mapping: figures, want: "ERROR line 1: the file is not UTF-8, as the mapping says (encoding: utf-8 is the default); it reads as GBK"},
		"gbk on line 3":        {data: append([]byte("指标,期间,数值\n\norg.volunteer_teams,2023,"), gbk(t, "十二")...), mapping: figures, want: "ERROR line 3: the file is not UTF-8"},
		"gbk late in a file":   {data: append([]byte("指标,期间,数值\n"+long), gbk(t, "org.volunteer_teams,2023,十二\n")...), mapping: figures, want: "ERROR line 3002: the cell is not valid text"},
		"utf-8 as gbk":         {data: []byte("指标,期间,数值\n"), mapping: figures + "encoding: gbk\n", want: "ERROR file: the mapping says encoding: gbk, but the file is UTF-8"},
		"no header":            {data: []byte("\n\n"), mapping: figures, want: "ERROR file: the file ends before its header"},
		"broken header":        {data: []byte("指标,\"期间,数值\n"), mapping: figures, want: "ERROR line 1: not valid CSV"},
		"title not CSV":        {data: []byte("\"统计\"表\n指标,期间,数值\n"), mapping: figures + "skip_rows: 1\n", want: "WARNING file: the table has no rows below its header"},
		"a rune cut by decode": {data: []byte("指标,期间,数值\n" + strings.Repeat("a", sniffSize-len("指标,期间,数值\n")-1) + "十"), mapping: figures, want: "ERROR line 2 (period): period is empty"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out := run(t, tc.data, tc.mapping)
			if len(out.diags) == 0 || !strings.HasPrefix(out.diags[0].String(), tc.want) {
				t.Errorf("diagnostics %v, want the first to start %q", out.diags, tc.want)
			}
		})
	}
}

// TestGarbage imports random bytes and random text through a real
// mapping: diagnostics with references, never a failed import.
func TestGarbage(t *testing.T) {
	t.Parallel()
	mapping, err := os.ReadFile("testdata/gbk-stations/mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 50 {
		data := make([]byte, 1+rng.IntN(4096))
		for j := range data {
			data[j] = byte(rng.UintN(256))
			if i%2 == 0 {
				data[j] = ",\n\"乡镇社区站点名称a1、"[rng.IntN(20)]
			}
		}
		for _, m := range []string{string(mapping), figures} {
			out := run(t, data, m)
			for _, d := range out.diags {
				if d.Reference == "" || d.Message == "" {
					t.Errorf("diagnostic without reference or message: %+v", d)
				}
			}
		}
	}
}
