package hub

import (
	"context"
	"fmt"
	"log/slog"

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
		return false, fmt.Errorf("%w: %w", ErrDemo, err)
	}
	for _, r := range runs {
		logger.Info("demo: published", "unit", r.Unit, "importer", r.Importer, "file", r.FileName, "run", r.ID, "counts", r.Counts)
	}
	return len(runs) > 0, nil
}
