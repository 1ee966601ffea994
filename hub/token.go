package hub

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/store"
)

// firstAdminToken makes the hub's first admin token when no hub has made
// one yet, and writes it to a file of the data directory readable by its
// owner only: DATA/demo-admin.token for a demo hub, DATA/admin.token
// otherwise. It returns the file and the token, or "" when there was
// nothing to make.
func firstAdminToken(ctx context.Context, st *store.Store, data string, demo bool) (file, secret string, err error) {
	now := time.Now()
	first, err := st.ClaimBootstrap(ctx, now)
	if err != nil || !first {
		return "", "", err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, st.UnclaimBootstrap(context.WithoutCancel(ctx)))
		}
	}()
	name := "first admin"
	file = filepath.Join(data, "admin.token")
	if demo {
		name, file = "demo admin", filepath.Join(data, "demo-admin.token")
	}
	secret, t, err := auth.NewToken(auth.Admin, nil, name, auth.System.Label(), now)
	if err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(data, 0o755); err != nil {
		return "", "", fmt.Errorf("write the first admin token: %w", err)
	}
	if err := os.WriteFile(file, []byte(secret+"\n"), 0o600); err != nil {
		return "", "", fmt.Errorf("write the first admin token: %w", err)
	}
	if err := st.PutToken(ctx, t); err != nil {
		return "", "", err
	}
	return file, secret, nil
}
