package pipeline

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/countyhub/countyhub/model"
)

// batch is records of one dataset on their way to the store.
type batch struct {
	dataset string
	recs    []model.Record
}

// writers write the batches of a run's records, Options.Writers at a
// time. The first write that fails stops them.
type writers struct {
	queue chan batch
	g     *errgroup.Group
	// ctx is done when a write failed.
	ctx context.Context
}

func (p *Pipeline) startWriters(ctx context.Context, run string) *writers {
	g, gctx := errgroup.WithContext(ctx)
	w := &writers{queue: make(chan batch, p.opts.Writers), g: g, ctx: gctx}
	for range p.opts.Writers {
		g.Go(func() error {
			for b := range w.queue {
				if err := p.store.WriteRecords(gctx, run, b.recs); err != nil {
					return fmt.Errorf("write %s: %w", b.dataset, err)
				}
			}
			return nil
		})
	}
	return w
}

// send queues a batch, unless the writers stopped.
func (w *writers) send(b batch) error {
	select {
	case w.queue <- b:
		return nil
	case <-w.ctx.Done():
		return context.Cause(w.ctx)
	}
}

// close waits for the writers to write what is queued, and returns the
// error of the first write that failed.
func (w *writers) close() error {
	close(w.queue)
	return w.g.Wait()
}
