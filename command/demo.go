package command

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/countyhub/countyhub/demo"
	"github.com/countyhub/countyhub/demo/synth"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata"
)

// Demo is `countyhub demo`: import and publish the demo data set through a running hub.
func Demo() *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "import and publish the demo data set (the sample file of every county importer) through a running hub",
		Description: "Without --scope: the real files of the Anqing bulletin. With --scope (a province, a city or a county): " +
			"the real files of the units within it, and for every other county-level unit within it synthetic files " +
			"(stations, and monthly figures of every town and community, qualifiers and gaps included), the same for the " +
			"same --seed, imported through the csv importer. --out writes the files and their mappings instead of importing them.",
		Flags: append(hubFlags(),
			&cli.StringFlag{Name: "scope", Usage: "code of the unit to make data for (34, 3408, 340825); synthetic files for its counties without real ones"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed of the synthetic data: the same seed gives the same files"},
			&cli.StringFlag{Name: "out", Usage: "write the files to this directory instead of importing them"},
		),
		Action: func(ctx context.Context, c *cli.Command) error {
			samples, err := demo.Samples()
			if err != nil {
				return err
			}
			if scope := c.String("scope"); scope != "" {
				if samples, err = withSynthetic(samples, scope, c.Uint64("seed")); err != nil {
					return err
				}
			}
			if out := c.String("out"); out != "" {
				return writeSamples(samples, out)
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

// withSynthetic keeps the real samples of the units within scope and adds
// synthetic files for each county-level unit within it that has none.
func withSynthetic(real []demo.Sample, scope string, seed uint64) ([]demo.Sample, error) {
	code, err := refdata.ScopeCode(scope)
	if err != nil {
		return nil, err
	}
	units, err := refdata.Within(code)
	if err != nil {
		return nil, err
	}
	var out []demo.Sample
	covered := map[string]bool{}
	for _, s := range real {
		if model.Within(s.Unit, code) {
			out = append(out, s)
			covered[s.Unit] = true
		}
	}
	towns := map[string][]model.AdminUnit{}
	for _, u := range units {
		if u.Level == model.LevelTown {
			towns[u.CountyCode] = append(towns[u.CountyCode], u)
		}
	}
	for _, u := range units {
		if u.IsCountyLevel() && model.Within(u.Code, code) && !covered[u.Code] {
			out = append(out, synth.County(seed, u, towns[u.Code])...)
		}
	}
	return out, nil
}

// writeSamples writes each file with its option files beside it
// (FILE.OPTION.yaml) to dir.
func writeSamples(samples []demo.Sample, dir string) error {
	for _, s := range samples {
		if err := os.MkdirAll(filepath.Join(dir, s.Unit), 0o755); err != nil {
			return err
		}
		base := filepath.Join(dir, s.Unit, s.FileName)
		if err := os.WriteFile(base, s.Data, 0o644); err != nil {
			return err
		}
		for name, value := range s.Options {
			if strings.Contains(value, "\n") {
				if err := os.WriteFile(base+"."+name+".yaml", []byte(value), 0o644); err != nil {
					return err
				}
			}
		}
	}
	fmt.Printf("wrote %d files to %s\n", len(samples), dir)
	return nil
}
