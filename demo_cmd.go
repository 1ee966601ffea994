package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v3"

	"github.com/countyhub/countyhub/demo"
	"github.com/countyhub/countyhub/pipeline"
	"github.com/countyhub/countyhub/store"
)

// loadDemo imports and publishes the demo data set when the database has
// no release yet, so a new hub starts with the bulletin's figures and a
// hub with data of its own is left alone. It tells whether it published.
func loadDemo(ctx context.Context, st *store.Store, imports *pipeline.Pipeline, logger *slog.Logger) (bool, error) {
	rels, err := st.Releases(ctx)
	if err != nil {
		return false, err
	}
	if len(rels) > 0 {
		logger.Info("demo: the database holds published data; the demo is not loaded")
		return false, nil
	}
	samples, err := demo.Samples()
	if err != nil {
		return false, err
	}
	logger.Info("demo: loading the demo data set", "files", len(samples))
	runs, err := demo.Load(ctx, imports, samples)
	if err != nil {
		return false, fmt.Errorf("--demo: %w\nthe demo needs every importer built and pinned in the plugins directory: run `make plugins`", err)
	}
	for _, r := range runs {
		logger.Info("demo: published", "unit", r.Unit, "importer", r.Importer, "file", r.FileName, "run", r.ID, "counts", r.Counts)
	}
	return len(runs) > 0, nil
}

func demoCommand() *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "import and publish the demo data set (a file of the city and of each county, in its own format) through a running hub",
		Flags: hubFlags(),
		Action: func(ctx context.Context, c *cli.Command) error {
			samples, err := demo.Samples()
			if err != nil {
				return err
			}
			dir, err := os.MkdirTemp("", "countyhub-demo-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			hub, err := hubClientOf(c)
			if err != nil {
				return err
			}
			for _, s := range samples {
				path := filepath.Join(dir, s.Importer, s.FileName)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					return err
				}
				if err := os.WriteFile(path, s.Data, 0o644); err != nil {
					return err
				}
				opts := []map[string]string{}
				for name, value := range s.Options {
					opts = append(opts, map[string]string{"name": name, "value": value})
				}
				if err := runImport(ctx, hub, path, map[string]any{"county": s.Unit, "importer": s.Importer, "options": opts}, true); err != nil {
					return fmt.Errorf("%s (%s): %w", s.FileName, s.Importer, err)
				}
			}
			return nil
		},
	}
}
