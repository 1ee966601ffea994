package pipeline

import (
	"context"
	"fmt"
	"sync"
	"time"

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

	mu     sync.Mutex
	active int           // writes under way
	since  time.Time     // when active last rose from 0
	busy   time.Duration // time with a write under way, before since
	rows   int           // records written
}

func (p *Pipeline) startWriters(ctx context.Context, run string) *writers {
	g, gctx := errgroup.WithContext(ctx)
	w := &writers{queue: make(chan batch, p.opts.Writers), g: g, ctx: gctx}
	for range p.opts.Writers {
		g.Go(func() error {
			for b := range w.queue {
				w.begin()
				err := p.store.WriteRecords(gctx, run, b.recs)
				w.end(len(b.recs), err == nil)
				if err != nil {
					return fmt.Errorf("write %s: %w", b.dataset, err)
				}
			}
			return nil
		})
	}
	return w
}

// begin and end bracket one write, for stats.
func (w *writers) begin() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.active == 0 {
		w.since = time.Now()
	}
	w.active++
}

func (w *writers) end(rows int, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.active--
	if w.active == 0 {
		w.busy += time.Since(w.since)
	}
	if ok {
		w.rows += rows
	}
}

// stats returns the time during which at least one write was under way
// (the wall time of the write phase, however many writers share it) and
// the number of records written.
func (w *writers) stats() (busy time.Duration, rows int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.busy, w.rows
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
