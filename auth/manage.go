package auth

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/countyhub/countyhub/model"
)

// Store is what managing tokens needs; *store.Store is one.
type Store interface {
	TokenStore
	PutToken(ctx context.Context, t model.Token) error
	RevokeToken(ctx context.Context, id string, at time.Time) (model.Token, error)
	PutAudit(ctx context.Context, e model.AuditEntry) error
	Unit(ctx context.Context, code string) (model.AdminUnit, error)
}

// Manager creates and revokes tokens for admins, and audits each change.
type Manager struct {
	store  Store
	authn  *Authenticator
	logger *slog.Logger
	now    func() time.Time
}

// NewManager returns a manager of the tokens in st; authn (may be nil)
// forgets revoked tokens at once.
func NewManager(st Store, authn *Authenticator, logger *slog.Logger) *Manager {
	return &Manager{store: st, authn: authn, logger: logger, now: time.Now}
}

// Create makes a token for the caller of ctx, who must be an admin, and
// returns its secret (shown once) with what is stored.
func (m *Manager) Create(ctx context.Context, role Role, counties []string, name string) (string, model.Token, error) {
	if err := Administer(ctx, "creating a token"); err != nil {
		return "", model.Token{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return "", model.Token{}, fmt.Errorf("%w: a token needs a name saying whose it is", ErrInvalid)
	}
	for _, c := range counties {
		u, err := m.store.Unit(ctx, c)
		if err != nil {
			return "", model.Token{}, fmt.Errorf("%w: county %q: %v", ErrInvalid, c, err)
		}
		if !u.IsCountyLevel() && u.Level != model.LevelCity && u.Level != model.LevelProvince {
			return "", model.Token{}, fmt.Errorf("%w: %s (%s) is not a county, a city or a province", ErrInvalid, u.Name, c)
		}
	}
	who, _ := FromContext(ctx)
	secret, t, err := NewToken(role, counties, name, who.Label(), m.now())
	if err != nil {
		return "", t, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := m.store.PutToken(ctx, t); err != nil {
		return "", t, err
	}
	detail := fmt.Sprintf("%s %q", t.Role, t.Name)
	if len(counties) > 0 {
		detail += " for " + strings.Join(counties, ", ")
	}
	m.audit(ctx, "token.create", t.ID, detail)
	return secret, t, nil
}

// Revoke revokes a token; the caller of ctx must be an admin.
func (m *Manager) Revoke(ctx context.Context, id string) (model.Token, error) {
	if err := Administer(ctx, "revoking a token"); err != nil {
		return model.Token{}, err
	}
	t, err := m.store.RevokeToken(ctx, id, m.now())
	if err != nil {
		return t, err
	}
	if m.authn != nil {
		m.authn.Forget(id)
	}
	m.audit(ctx, "token.revoke", id, fmt.Sprintf("%s %q", t.Role, t.Name))
	return t, nil
}

func (m *Manager) audit(ctx context.Context, action, token, detail string) {
	who, _ := FromContext(ctx)
	now := m.now().UTC()
	// The entry names the token changed in Detail; Token is the actor's.
	e := model.AuditEntry{ID: model.NewID(now), At: now, Actor: who.Label(), Token: who.TokenID, Action: action, Detail: "token " + token + ": " + detail}
	// A lost entry must not undo the change; it is logged instead.
	if err := m.store.PutAudit(context.WithoutCancel(ctx), e); err != nil {
		m.logger.Error("audit entry lost", "action", action, "token", token, "error", err)
	}
}

// ErrInvalid: a token request that cannot be made (no name, a county
// editor without counties, an unknown county).
var ErrInvalid = fmt.Errorf("invalid token request")
