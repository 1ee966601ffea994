package command

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/countyhub/countyhub/plugins/conformance"
	"github.com/countyhub/countyhub/plugins/host"
)

// pluginFlags are the flags that locate the plugins directory.
func pluginFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "plugins", Usage: "importer plugins directory, with its plugins.lock (default: DATA/plugins)", Sources: cli.EnvVars("COUNTYHUB_PLUGINS")},
		&cli.StringFlag{Name: "data", Value: "./data", Usage: "data directory", Sources: cli.EnvVars("COUNTYHUB_DATA")},
	}
}

// PluginsDir is --plugins, or DATA/plugins.
func PluginsDir(c *cli.Command) string {
	if d := c.String("plugins"); d != "" {
		return d
	}
	return filepath.Join(c.String("data"), "plugins")
}

// PluginHints tell an operator, in the host's errors, which commands,
// flags and variables deal with a problem.
func PluginHints() host.Hints {
	return host.Hints{
		CPU:    "`countyhub serve --plugin-cpu` or COUNTYHUB_PLUGIN_CPU",
		Memory: "`countyhub serve --plugin-memory` (in MiB) or COUNTYHUB_PLUGIN_MEMORY",
		Files:  "`countyhub serve --plugin-files` or COUNTYHUB_PLUGIN_FILES",
		Idle:   "`countyhub serve --plugin-idle` or COUNTYHUB_PLUGIN_IDLE",
		Pin: func(dir, name string) string {
			if dir == "" {
				// Messages that reach clients name no path of the server.
				return "`countyhub plugins pin --plugins DIR " + name + "`, DIR being the hub's --plugins"
			}
			return "`countyhub plugins pin --plugins " + dir + " " + name + "`"
		},
	}
}

// Plugins is `countyhub plugins`: list, pin and check the importers of a plugins directory.
func Plugins() *cli.Command {
	return &cli.Command{
		Name:  "plugins",
		Usage: "list, pin and check importer plugins",
		Commands: []*cli.Command{
			{
				Name:  "list",
				Usage: "list the installed importers with their version, formats, pin and status; exits 1 when one is not OK",
				Flags: pluginFlags(),
				Action: func(ctx context.Context, c *cli.Command) error {
					h := host.New(PluginsDir(c), host.Options{Hints: PluginHints()})
					list, err := h.List(ctx)
					if err != nil {
						return err
					}
					if len(list) == 0 {
						fmt.Printf("no importers in %s\n", h.Dir())
						return nil
					}
					rows := [][]string{{"NAME", "VERSION", "FORMATS", "DATASETS", "PIN", "STATUS"}}
					notOK := 0
					for _, p := range list {
						version, formats, datasets := "-", "-", "-"
						if d := p.Description; d != nil {
							version, datasets = d.Version, strings.Join(d.Datasets, ",")
							var exts []string
							for _, f := range d.Formats {
								exts = append(exts, f.Extensions...)
							}
							formats = strings.Join(exts, ",")
						}
						pin := "-"
						if p.PinnedSHA256 != "" {
							pin = "sha256:" + p.PinnedSHA256[:12]
						}
						status := string(p.Status)
						if p.Problem != "" {
							status += ": " + p.Problem
						}
						rows = append(rows, []string{p.Name, version, formats, datasets, pin, status})
						if p.Status != host.StatusOK {
							notOK++
						}
					}
					if err := printTable(os.Stdout, rows); err != nil {
						return err
					}
					if notOK > 0 {
						return fmt.Errorf("%d of %d importers are not OK", notOK, len(list))
					}
					return nil
				},
			},
			{
				Name:      "pin",
				Usage:     "check the named importers (all when none is named) and pin their binaries by SHA-256 in plugins.lock",
				ArgsUsage: "[NAME...]",
				Flags:     pluginFlags(),
				Action: func(ctx context.Context, c *cli.Command) error {
					h := host.New(PluginsDir(c), host.Options{Hints: PluginHints()})
					descs, err := h.Pin(ctx, c.Args().Slice()...)
					if err != nil {
						return err
					}
					for _, d := range descs {
						fmt.Printf("pinned %s %s\n", d.Name, d.Version)
					}
					fmt.Printf("wrote %s\n", filepath.Join(h.Dir(), host.LockFileName))
					return nil
				},
			},
			{
				Name:      "check",
				Usage:     "run the conformance kit on an importer binary against golden cases",
				ArgsUsage: "PATH",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "testdata", Value: "testdata", Usage: "directory of golden cases (CASE/input.*, CASE/expected.json)"},
				},
				Action: func(ctx context.Context, c *cli.Command) error {
					if c.Args().Len() != 1 {
						return fmt.Errorf("usage: countyhub plugins check PATH [--testdata DIR]")
					}
					b, err := host.OpenBinary(c.Args().First(), host.Options{Hints: PluginHints()})
					if err != nil {
						return err
					}
					failed := 0
					for _, r := range conformance.Check(ctx, conformance.Plugin(b), conformance.Options{Testdata: c.String("testdata")}) {
						if r.Err != nil {
							failed++
							fmt.Printf("FAIL %s\n     %s\n", r.Check, strings.ReplaceAll(r.Err.Error(), "\n", "\n     "))
							continue
						}
						fmt.Printf("ok   %s\n", r.Check)
					}
					if failed > 0 {
						return fmt.Errorf("%s: %d of the conformance checks failed", b.Name, failed)
					}
					fmt.Printf("%s conforms\n", b.Name)
					return nil
				},
			},
		},
	}
}
