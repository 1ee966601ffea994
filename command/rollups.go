package command

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v3"
)

// Rollups is `countyhub rollups`: manage the rollups of a running hub.
func Rollups() *cli.Command {
	return &cli.Command{
		Name:  "rollups",
		Usage: "manage the rollups comparisons read",
		Commands: []*cli.Command{{
			Name:  "rebuild",
			Usage: "recompute every rollup from the released figures in a running hub",
			Flags: hubFlags(),
			Action: func(ctx context.Context, c *cli.Command) error {
				var got struct{ RebuildRollups int }
				hub, err := hubClientOf(c)
				if err != nil {
					return err
				}
				if err := hub.Query(ctx, `mutation { rebuildRollups }`, nil, &got); err != nil {
					return err
				}
				fmt.Printf("rebuilt %d rollups\n", got.RebuildRollups)
				return nil
			},
		}},
	}
}
