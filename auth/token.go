package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
)

// prefix starts every token, so that scanners and people recognise one.
const prefix = "chub_"

// NewToken makes a token: the secret to hand to its holder once, and
// what is stored (the secret's hash, never the secret).
func NewToken(role Role, counties []string, name, by string, now time.Time) (secret string, t model.Token, err error) {
	if role == CountyEditor && len(counties) == 0 {
		return "", t, errors.New("a county_editor token needs at least one county")
	}
	if role != CountyEditor && role != Analyst && len(counties) > 0 {
		return "", t, fmt.Errorf("counties apply to county_editor and analyst tokens only, not %s", role)
	}
	var id [10]byte
	var key [32]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", t, err
	}
	if _, err := rand.Read(key[:]); err != nil {
		return "", t, err
	}
	t = model.Token{
		ID:        strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(id[:])),
		Name:      name,
		Role:      string(role),
		Counties:  counties,
		Created:   now.UTC(),
		CreatedBy: by,
	}
	k := hex.EncodeToString(key[:])
	t.Hash = hash(k)
	return prefix + t.ID + "_" + k, t, nil
}

func hash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// split parses a token into its id and key.
func split(token string) (id, key string, ok bool) {
	rest, ok := strings.CutPrefix(token, prefix)
	if !ok {
		return "", "", false
	}
	id, key, ok = strings.Cut(rest, "_")
	return id, key, ok && len(id) == 16 && len(key) == 64
}

// TokenStore finds stored tokens by id, with store.ErrNotFound for an
// unknown id; *store.Store is one.
type TokenStore interface {
	Token(ctx context.Context, id string) (model.Token, error)
}

// Authenticator checks tokens against the store, keeping what it found
// for a few seconds so that a busy dashboard does not read the store on
// every request. A revocation reaches every hub within that time, and the
// hub that revokes at once (Forget).
type Authenticator struct {
	store TokenStore
	ttl   time.Duration
	now   func() time.Time

	mu    sync.Mutex
	cache map[string]cached // by token id
}

type cached struct {
	token   model.Token
	expires time.Time
}

// NewAuthenticator returns an authenticator over st that keeps tokens it
// read for ttl.
func NewAuthenticator(st TokenStore, ttl time.Duration) *Authenticator {
	return &Authenticator{store: st, ttl: ttl, now: time.Now, cache: map[string]cached{}}
}

// Authenticate returns the principal of a token, or ErrUnauthenticated
// when it is malformed, unknown or revoked.
func (a *Authenticator) Authenticate(ctx context.Context, token string) (Principal, error) {
	id, key, ok := split(token)
	if !ok {
		return Principal{}, fmt.Errorf("%w: not a countyhub token (they start with %s)", ErrUnauthenticated, prefix)
	}
	t, err := a.lookup(ctx, id)
	if err != nil {
		return Principal{}, err
	}
	if subtle.ConstantTimeCompare([]byte(hash(key)), []byte(t.Hash)) != 1 {
		return Principal{}, fmt.Errorf("%w: unknown token", ErrUnauthenticated)
	}
	if t.Revoked != nil {
		return Principal{}, fmt.Errorf("%w: token %s was revoked", ErrUnauthenticated, t.ID)
	}
	return Principal{TokenID: t.ID, Name: t.Name, Role: Role(t.Role), Counties: t.Counties}, nil
}

func (a *Authenticator) lookup(ctx context.Context, id string) (model.Token, error) {
	now := a.now()
	a.mu.Lock()
	c, ok := a.cache[id]
	a.mu.Unlock()
	if ok && now.Before(c.expires) {
		return c.token, nil
	}
	t, err := a.store.Token(ctx, id)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return t, fmt.Errorf("%w: unknown token", ErrUnauthenticated)
		}
		return t, fmt.Errorf("check token: %w", err)
	}
	a.mu.Lock()
	if len(a.cache) > 10_000 {
		clear(a.cache) // tokens are few; this bounds a flood of made-up ids
	}
	a.cache[id] = cached{token: t, expires: now.Add(a.ttl)}
	a.mu.Unlock()
	return t, nil
}

// Forget drops a token from the cache, so that its revocation holds at
// once on this hub.
func (a *Authenticator) Forget(id string) {
	a.mu.Lock()
	delete(a.cache, id)
	a.mu.Unlock()
}
