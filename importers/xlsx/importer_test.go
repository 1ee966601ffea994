package main

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/plugins/sdk"
)

func TestFillMerged(t *testing.T) {
	t.Parallel()
	rows := [][]string{
		{"标题"},
		{"项目", "金额", "", "状态"},
		{"", "安排", "拨付"},
		{"社区A", "1"},
		{"", "2"},
	}
	merges := []excelize.MergeCell{{"A1:XFD1", ""}, {"B2:C2", ""}, {"A2:A3", ""}, {"D2:D3", ""}, {"A4:A1048576", ""}, {"Z9:Z10", ""}}
	want := [][]string{
		{"标题", "标题", "标题", "标题"},
		{"项目", "金额", "金额", "状态"},
		{"项目", "安排", "拨付", "状态"},
		{"社区A", "1"},
		{"社区A", "2"},
	}
	if diff := cmp.Diff(want, fillMerged(rows, merges)); diff != "" {
		t.Errorf("fillMerged (-want +got):\n%s", diff)
	}
}

// recorder keeps what an import emits.
type recorder struct {
	records []records.Record
	diags   []records.Diagnostic
}

func (r *recorder) Emit(rec records.Record) error       { r.records = append(r.records, rec); return nil }
func (r *recorder) Diagnose(d records.Diagnostic) error { r.diags = append(r.diags, d); return nil }

// TestGarbage imports damaged workbooks through a real mapping:
// diagnostics with references, never a failed import.
func TestGarbage(t *testing.T) {
	t.Parallel()
	mapping, err := os.ReadFile("testdata/budgets-merged-header/mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	book, err := os.ReadFile("testdata/budgets-merged-header/input.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 30 {
		data := bytes.Clone(book)
		for range 1 + rng.IntN(8) {
			data[rng.IntN(len(data))] = byte(rng.UintN(256))
		}
		out := &recorder{}
		in := &sdk.Input{Reader: bytes.NewReader(data), FileName: "input.xlsx", Size: int64(len(data)), Unit: "340828", Options: map[string]string{"mapping": string(mapping)}}
		if err := sdk.Run(context.Background(), Importer{}, in, out); err != nil {
			t.Fatalf("import: %v", err)
		}
		for _, d := range out.diags {
			if d.Reference == "" || d.Message == "" {
				t.Errorf("diagnostic without reference or message: %+v", d)
			}
		}
	}
}
