package command

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/urfave/cli/v3"

	"github.com/countyhub/countyhub/embedded"
)

// EmbeddedDB is `countyhub embedded-db`: the embedded database server
// alone, for scripts and tests that want a MongoDB-compatible server.
func EmbeddedDB() *cli.Command {
	return &cli.Command{
		Name:  "embedded-db",
		Usage: "run only the embedded MongoDB-compatible database (FerretDB on SQLite, or on PostgreSQL with --postgresql) until interrupted; prints its URI on stdout",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:27017", Usage: "listen address", Sources: cli.EnvVars("COUNTYHUB_DB_ADDR")},
			&cli.StringFlag{Name: "data", Value: "./data", Usage: "data directory (the database lives in DATA/db)", Sources: cli.EnvVars("COUNTYHUB_DATA")},
			&cli.StringFlag{Name: "postgresql", Usage: "keep the data in this PostgreSQL database (postgres://user:password@host:port/database) instead of SQLite files in --data", Sources: cli.EnvVars("COUNTYHUB_POSTGRESQL_URL")},
		}, LogFlags()...),
		Action: func(ctx context.Context, c *cli.Command) error {
			logger, err := Logger(c)
			if err != nil {
				return err
			}
			db, err := embedded.Start(ctx, embedded.Config{
				Dir:           filepath.Join(c.String("data"), "db"),
				Addr:          c.String("addr"),
				Logger:        embedded.QuietLogger(logger),
				PostgreSQLURL: c.String("postgresql"),
			})
			if errors.Is(err, embedded.ErrDataDir) {
				return fmt.Errorf("%w: choose a writable directory with --data or COUNTYHUB_DATA, or fix its permissions", err)
			}
			if err != nil {
				return err
			}
			where := []any{"data", c.String("data")}
			if c.String("postgresql") != "" {
				where = []any{"backend", "postgresql"}
			}
			logger.Info("embedded database ready", append([]any{"uri", db.URI()}, where...)...)
			fmt.Println(db.URI()) // for scripts: the URI alone on stdout
			<-ctx.Done()
			logger.Info("stopping embedded database")
			db.Close()
			return nil
		},
	}
}
