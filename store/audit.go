package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/countyhub/countyhub/model"
)

const auditColl = "audit"

// PutAudit appends an audit entry.
func (s *Store) PutAudit(ctx context.Context, e model.AuditEntry) error {
	if _, err := s.db.Collection(auditColl).InsertOne(ctx, e); err != nil {
		return fmt.Errorf("write audit entry: %w", err)
	}
	return nil
}

// Audit returns every audit entry, oldest first.
func (s *Store) Audit(ctx context.Context) ([]model.AuditEntry, error) {
	return findAll[model.AuditEntry](ctx, s.db.Collection(auditColl), bson.D{})
}

// AuditFilter selects audit entries; empty fields match everything.
type AuditFilter struct {
	// Token is the public id of the actor's token.
	Action, Unit, Token string
}

// AuditPage returns one page of the audit log, newest first.
func (s *Store) AuditPage(ctx context.Context, f AuditFilter, p Page) (PageOf[model.AuditEntry], error) {
	filter := bson.D{}
	for k, v := range map[string]string{"action": f.Action, "unit": f.Unit, "token": f.Token} {
		if v != "" {
			filter = append(filter, bson.E{Key: k, Value: v})
		}
	}
	return newestFirst[model.AuditEntry](ctx, s.db.Collection(auditColl), filter, p)
}
