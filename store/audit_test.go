package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store/storetest"
)

func TestAudit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.New(t, nil)
	for i, a := range []string{"import", "publish"} {
		if err := s.PutAudit(ctx, model.AuditEntry{ID: fmt.Sprintf("a%d", i), At: time.Now().UTC(), Actor: "cli", Action: a, Unit: "340803", Run: "r1"}); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := s.Audit(ctx)
	if err != nil || len(entries) != 2 || !strings.EqualFold(entries[1].Action, "publish") {
		t.Errorf("audit: %+v, %v", entries, err)
	}
}
