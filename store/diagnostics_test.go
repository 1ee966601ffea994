package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
)

func TestDiagnostics(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)
	var diags []model.RunDiagnostic
	for i := range 25 {
		diags = append(diags, model.RunDiagnostic{ID: fmt.Sprintf("r1/%08d", i), Run: "r1", Seq: i, Severity: "ERROR", Reference: fmt.Sprintf("line %d", i+2), Message: "bad"})
	}
	if err := s.PutDiagnostics(ctx, diags); err != nil {
		t.Fatal(err)
	}
	page, err := s.Diagnostics(ctx, "r1", store.Page{First: 10, After: "r1/00000009"})
	if err != nil || len(page.Items) != 10 || page.Items[0].Seq != 10 || !page.HasNext {
		t.Errorf("diagnostics page: %+v, %v", page, err)
	}
	if n, _ := s.CountDiagnostics(ctx, "r1"); n != 25 {
		t.Errorf("CountDiagnostics = %d", n)
	}
	if n, err := s.DeleteDiagnostics(ctx, "r1"); n != 25 || err != nil {
		t.Errorf("DeleteDiagnostics = %d, %v", n, err)
	}
}

// TestDiagnosticsPageByID pages a finished run's diagnostics by their ids,
// as a run that knows how many it stored is read, beside another run's.
func TestDiagnosticsPageByID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)
	var diags []model.RunDiagnostic
	for run, n := range map[string]int{"r1": 5, "r2": 3} {
		for i := range n {
			diags = append(diags, model.RunDiagnostic{ID: model.DiagnosticID(run, i), Run: run, Seq: i, Severity: "WARNING", Reference: fmt.Sprintf("line %d", i+2), Message: "odd"})
		}
	}
	if err := s.PutDiagnostics(ctx, diags); err != nil {
		t.Fatal(err)
	}
	seqs := func(p store.PageOf[model.RunDiagnostic]) []int {
		out := []int{}
		for _, d := range p.Items {
			if d.Run != "r1" {
				t.Errorf("a diagnostic of %s in r1's page", d.Run)
			}
			out = append(out, d.Seq)
		}
		return out
	}
	for _, tc := range []struct {
		after string
		first int
		want  []int
		next  bool
	}{
		{"", 2, []int{0, 1}, true},
		{"r1/00000001", 2, []int{2, 3}, true},
		{"r1/00000003", 2, []int{4}, false},
		{"r1/00000004", 2, []int{}, false},
		{"r2/00000001", 2, []int{}, false}, // another run's id
		{"", 0, []int{}, true},
	} {
		page, err := s.DiagnosticsPage(ctx, "r1", 5, store.Page{After: tc.after, First: tc.first})
		if got := seqs(page); err != nil || fmt.Sprint(got) != fmt.Sprint(tc.want) || page.HasNext != tc.next {
			t.Errorf("after %q first %d: %v next %v, %v; want %v next %v", tc.after, tc.first, got, page.HasNext, err, tc.want, tc.next)
		}
	}
}
