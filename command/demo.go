package command

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v3"

	"github.com/countyhub/countyhub/demo"
)

// Demo is `countyhub demo`: import and publish the demo data set through a running hub.
func Demo() *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "import and publish the demo data set (the sample file of every county importer) through a running hub",
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
