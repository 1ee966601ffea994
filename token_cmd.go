package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/store"
)

// tokenCommand manages API tokens through a running hub, with an admin
// token (the hub writes the first one to DATA/admin.token).
func tokenCommand() *cli.Command {
	type token struct {
		ID, Name, Role, CreatedBy string
		Counties                  []struct{ Code string }
		CreatedAt                 time.Time
		RevokedAt                 *time.Time
	}
	const fields = `id name role counties { code } createdAt createdBy revokedAt`
	return &cli.Command{
		Name:  "token",
		Usage: "create, list and revoke API tokens of a running hub (needs an admin token)",
		Commands: []*cli.Command{
			{
				Name:  "create",
				Usage: "make a token and print it (it is not shown again)",
				Flags: append(hubFlags(),
					&cli.StringFlag{Name: "role", Required: true, Usage: "admin, county_editor or analyst"},
					&cli.StringSliceFlag{Name: "county", Usage: "for a county_editor: code of a county (or the city) it imports and publishes for (repeatable)"},
					&cli.StringFlag{Name: "name", Required: true, Usage: "whose token it is, for lists and the audit log"},
				),
				Action: func(ctx context.Context, c *cli.Command) error {
					role, err := auth.ParseRole(c.String("role"))
					if err != nil {
						return err
					}
					hub, err := hubClientOf(c)
					if err != nil {
						return err
					}
					var got struct{ CreateToken struct{ Secret string } }
					err = hub.query(ctx, `mutation($role: Role!, $counties: [ID!], $name: String!) { createToken(role: $role, counties: $counties, name: $name) { secret } }`,
						map[string]any{"role": strings.ToUpper(string(role)), "counties": c.StringSlice("county"), "name": c.String("name")}, &got)
					if err != nil {
						return err
					}
					fmt.Println(got.CreateToken.Secret)
					return nil
				},
			},
			{
				Name:  "list",
				Usage: "list the tokens: id, name, role, counties, created, revoked",
				Flags: hubFlags(),
				Action: func(ctx context.Context, c *cli.Command) error {
					hub, err := hubClientOf(c)
					if err != nil {
						return err
					}
					var got struct{ Tokens []token }
					if err := hub.query(ctx, `{ tokens { `+fields+` } }`, nil, &got); err != nil {
						return err
					}
					rows := [][]string{{"ID", "NAME", "ROLE", "COUNTIES", "CREATED", "REVOKED"}}
					for _, t := range got.Tokens {
						var counties []string
						for _, u := range t.Counties {
							counties = append(counties, u.Code)
						}
						revoked := "-"
						if t.RevokedAt != nil {
							revoked = t.RevokedAt.Local().Format(time.DateTime)
						}
						rows = append(rows, []string{t.ID, t.Name, strings.ToLower(t.Role), strings.Join(counties, ","), t.CreatedAt.Local().Format(time.DateTime), revoked})
					}
					return printTable(os.Stdout, rows)
				},
			},
			{
				Name:      "revoke",
				Usage:     "revoke a token at once",
				ArgsUsage: "ID",
				Flags:     hubFlags(),
				Action: func(ctx context.Context, c *cli.Command) error {
					if c.Args().Len() != 1 {
						return errors.New("usage: countyhub token revoke ID")
					}
					hub, err := hubClientOf(c)
					if err != nil {
						return err
					}
					var got struct{ RevokeToken token }
					if err := hub.query(ctx, `mutation($id: ID!) { revokeToken(id: $id) { `+fields+` } }`, map[string]any{"id": c.Args().First()}, &got); err != nil {
						return err
					}
					fmt.Printf("revoked %s (%s)\n", got.RevokeToken.ID, got.RevokeToken.Name)
					return nil
				},
			},
		},
	}
}

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
