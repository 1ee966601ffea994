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
