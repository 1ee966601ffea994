package command

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/countyhub/countyhub/auth"
)

// Token is `countyhub token`: it manages API tokens through a running hub, with an admin
// token (the hub writes the first one to DATA/admin.token).
func Token() *cli.Command {
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
					&cli.StringSliceFlag{Name: "county", Usage: "for a county_editor: code of a county (or the city) it imports and publishes for; for an analyst, optional: a city or province whose import runs it reads (repeatable)"},
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
					err = hub.Query(ctx, `mutation($role: Role!, $counties: [ID!], $name: String!) { createToken(role: $role, counties: $counties, name: $name) { secret } }`,
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
					if err := hub.Query(ctx, `{ tokens { `+fields+` } }`, nil, &got); err != nil {
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
					if err := hub.Query(ctx, `mutation($id: ID!) { revokeToken(id: $id) { `+fields+` } }`, map[string]any{"id": c.Args().First()}, &got); err != nil {
						return err
					}
					fmt.Printf("revoked %s (%s)\n", got.RevokeToken.ID, got.RevokeToken.Name)
					return nil
				},
			},
		},
	}
}
