package command

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v3"

	"github.com/countyhub/countyhub/hubclient"
	"github.com/countyhub/countyhub/model"
	"golang.org/x/term"
)

// Import is `countyhub import`: import a county file through a running hub.
func Import() *cli.Command {
	return &cli.Command{
		Name:      "import",
		Usage:     "import a county file through a running hub, show its diagnostics and diff, and publish it on request",
		ArgsUsage: "FILE",
		Flags: append(hubFlags(),
			&cli.StringFlag{Name: "county", Required: true, Usage: "code of the unit the file is for: a county, or the city"},
			&cli.StringFlag{Name: "importer", Required: true, Usage: "importer name (see `countyhub plugins list`)"},
			&cli.StringSliceFlag{Name: "option", Usage: "importer option NAME=VALUE, or NAME=@FILE to read the value from FILE (repeatable)"},
			&cli.IntFlag{Name: "max-errors", Usage: "rows with errors the run tolerates before it fails"},
			&cli.BoolFlag{Name: "dry-run", Usage: "report diagnostics and the diff against the release, then discard the run"},
			&cli.BoolFlag{Name: "publish", Usage: "publish the run when it ends READY"},
		),
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.Args().Len() != 1 {
				return errors.New("usage: countyhub import --county CODE --importer NAME FILE [--dry-run] [--publish]")
			}
			if c.Bool("dry-run") && c.Bool("publish") {
				return errors.New("--dry-run and --publish exclude each other")
			}
			opts := []map[string]string{}
			for _, o := range c.StringSlice("option") {
				name, value, err := parseOption(o)
				if err != nil {
					return err
				}
				opts = append(opts, map[string]string{"name": name, "value": value})
			}
			hub, err := hubClientOf(c)
			if err != nil {
				return err
			}
			return runImport(ctx, hub, c.Args().First(), map[string]any{
				"county": c.String("county"), "importer": c.String("importer"), "dryRun": c.Bool("dry-run"),
				"options": opts, "maxErrors": c.Int("max-errors"),
			}, c.Bool("publish"))
		},
	}
}

// parseOption reads an --option flag: NAME=VALUE, or NAME=@FILE for the
// content of FILE (a mapping file, say).
func parseOption(o string) (name, value string, err error) {
	name, value, ok := strings.Cut(o, "=")
	if !ok {
		return "", "", fmt.Errorf("--option %q: want NAME=VALUE or NAME=@FILE", o)
	}
	if file, ok := strings.CutPrefix(value, "@"); ok {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", "", fmt.Errorf("--option %s=@%s: %w", name, file, err)
		}
		value = string(b)
	}
	return name, value, nil
}

const runFields = `id status reason read errors warnings fileName importer importerVersion dryRun
	counts { dataset count }
	phases { name seconds rows bytes rowsPerSecond }
	diff { added { dataset key reference } changed { dataset key reference fields } removed { dataset key } addedCount changedCount removedCount }
	diagnostics(first: 200) { totalCount edges { node { severity reference field message } } }`

// phase is an ImportPhase.
type phase struct {
	Name                   string
	Seconds, RowsPerSecond float64
	Rows, Bytes            int
}

// importRun is the part of ImportRun the command shows.
type importRun struct {
	ID, Status, Reason, FileName, Importer, ImporterVersion string
	Read, Errors, Warnings                                  int
	DryRun                                                  bool
	Counts                                                  []struct {
		Dataset string
		Count   int
	}
	Phases []phase
	Diff   *struct {
		Added, Changed, Removed []struct {
			Dataset, Key, Reference string
			Fields                  []string
		}
		AddedCount, ChangedCount, RemovedCount int
	}
	Diagnostics struct {
		TotalCount int
		Edges      []struct {
			Node struct{ Severity, Reference, Field, Message string }
		}
	}
}

func runImport(ctx context.Context, hub *hubclient.Client, path string, vars map[string]any, publish bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	tty := term.IsTerminal(int(os.Stderr.Fd()))
	upload := progressbar.NewOptions64(info.Size(), progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetVisibility(tty),
		progressbar.OptionShowBytes(true), progressbar.OptionSetDescription("uploading "+filepath.Base(path)), progressbar.OptionClearOnFinish())
	reader := progressbar.NewReader(f, upload)

	var started struct{ ImportFile importRun }
	sent := time.Now()
	err = hub.Upload(ctx, `mutation($county: ID!, $importer: String!, $file: Upload!, $dryRun: Boolean, $options: [ImportOptionInput!], $maxErrors: Int) {
		importFile(county: $county, importer: $importer, file: $file, dryRun: $dryRun, options: $options, maxErrors: $maxErrors) { `+runFields+` } }`,
		vars, filepath.Base(path), &reader, &started)
	_ = upload.Finish()
	if err != nil {
		return err
	}
	run := started.ImportFile
	fmt.Printf("sent %s in %.2f s (the request: upload, storing the file, starting the run)\n", filepath.Base(path), time.Since(sent).Seconds())

	spinner := progressbar.NewOptions(-1, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetVisibility(tty),
		progressbar.OptionSetDescription("importing"), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
	show := func(r importRun) {
		run = r
		spinner.Describe(fmt.Sprintf("importing: %d errors, %d warnings; records read", run.Errors, run.Warnings))
		_ = spinner.Set(run.Read)
	}
	if run.Status == "RUNNING" {
		// Follow the run over the subscription; where the websocket does
		// not get through (a proxy) or drops, ask for it every 200 ms.
		err := hub.Subscribe(ctx, `subscription($id: ID!) { importRun(id: $id) { `+runFields+` } }`, map[string]any{"id": run.ID}, func(data json.RawMessage) error {
			var got struct{ ImportRun importRun }
			if err := json.Unmarshal(data, &got); err != nil {
				return err
			}
			show(got.ImportRun)
			return nil
		})
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.As(err, new(*hubclient.Error)):
			return err // the hub answered, with a refusal
		}
		if run, err = pollRun(ctx, hub, run, show); err != nil {
			return err
		}
	}
	_ = spinner.Finish()
	report(os.Stdout, run)

	switch {
	case run.Status == "FAILED":
		return fmt.Errorf("run %s failed: %s", run.ID, run.Reason)
	case publish && run.Status == "READY":
		var got struct{ PublishImport importRun }
		if err := hub.Query(ctx, `mutation($id: ID!) { publishImport(id: $id) { `+runFields+` } }`, map[string]any{"id": run.ID}, &got); err != nil {
			return err
		}
		fmt.Printf("published run %s\n", got.PublishImport.ID)
		printPhases(os.Stdout, got.PublishImport.Phases, model.PhasePublish, model.PhaseRollups)
	case run.Status == "READY":
		fmt.Printf("run %s is READY: publish it with `countyhub import --publish` or the publishImport mutation\n", run.ID)
	}
	return nil
}

// pollRun reads a RUNNING run every 200 ms until it finishes, showing
// each state, and returns the finished run.
func pollRun(ctx context.Context, hub *hubclient.Client, run importRun, show func(importRun)) (importRun, error) {
	for run.Status == "RUNNING" {
		select {
		case <-ctx.Done():
			return run, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		var got struct{ ImportRun *importRun }
		if err := hub.Query(ctx, `query($id: ID!) { importRun(id: $id) { `+runFields+` } }`, map[string]any{"id": run.ID}, &got); err != nil {
			return run, err
		}
		if got.ImportRun == nil {
			return run, fmt.Errorf("run %s disappeared", run.ID)
		}
		run = *got.ImportRun
		show(run)
	}
	return run, nil
}

// report prints a finished run for the person who imported the file.
func report(w io.Writer, run importRun) {
	fmt.Fprintf(w, "run %s: %s\n", run.ID, run.Status)
	fmt.Fprintf(w, "  file %s through %s %s\n", run.FileName, run.Importer, run.ImporterVersion)
	if run.Reason != "" {
		fmt.Fprintf(w, "  %s\n", run.Reason)
	}
	for _, c := range run.Counts {
		fmt.Fprintf(w, "  %-13s %d records\n", c.Dataset, c.Count)
	}
	fmt.Fprintf(w, "  %d records read, %d errors, %d warnings\n", run.Read, run.Errors, run.Warnings)
	printPhases(w, run.Phases)
	if n := run.Diagnostics.TotalCount; n > 0 {
		fmt.Fprintf(w, "diagnostics (%d):\n", n)
		for _, e := range run.Diagnostics.Edges {
			d := e.Node
			field := ""
			if d.Field != "" {
				field = " (" + d.Field + ")"
			}
			fmt.Fprintf(w, "  %-7s %s%s: %s\n", d.Severity, d.Reference, field, d.Message)
		}
		if n > len(run.Diagnostics.Edges) {
			fmt.Fprintf(w, "  … %d more: query importRun(id: %q) { diagnostics }\n", n-len(run.Diagnostics.Edges), run.ID)
		}
	}
	if d := run.Diff; d != nil {
		fmt.Fprintf(w, "diff against the release: %d added, %d changed, %d removed\n", d.AddedCount, d.ChangedCount, d.RemovedCount)
		const most = 50
		for i, e := range d.Added {
			if i == most {
				fmt.Fprintf(w, "  … %d more added\n", d.AddedCount-most)
				break
			}
			fmt.Fprintf(w, "  + %s %s (%s)\n", e.Dataset, e.Key, e.Reference)
		}
		for i, e := range d.Changed {
			if i == most {
				fmt.Fprintf(w, "  … %d more changed\n", d.ChangedCount-most)
				break
			}
			fmt.Fprintf(w, "  ~ %s %s (%s): %s\n", e.Dataset, e.Key, e.Reference, strings.Join(e.Fields, ", "))
		}
		for i, e := range d.Removed {
			if i == most {
				fmt.Fprintf(w, "  … %d more removed\n", d.RemovedCount-most)
				break
			}
			fmt.Fprintf(w, "  - %s %s\n", e.Dataset, e.Key)
		}
	}
}

// printPhases prints the phases of a run, those named only when names are
// given: how long each took, and its rate of rows or bytes.
func printPhases(w io.Writer, phases []phase, names ...string) {
	header := false
	for _, p := range phases {
		if len(names) > 0 && !slices.Contains(names, p.Name) {
			continue
		}
		if !header {
			fmt.Fprintf(w, "  phases (parse, validate and write overlap):\n")
			header = true
		}
		line := fmt.Sprintf("    %-9s %8.3f s", p.Name, p.Seconds)
		switch {
		case p.Rows > 0:
			line += fmt.Sprintf("  %9d rows  %10.0f rows/s", p.Rows, p.RowsPerSecond)
		case p.Bytes > 0 && p.Seconds > 0:
			line += fmt.Sprintf("  %9d bytes %10.1f MB/s", p.Bytes, float64(p.Bytes)/p.Seconds/1e6)
		}
		fmt.Fprintln(w, line)
	}
}
