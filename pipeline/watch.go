package pipeline

import (
	"github.com/countyhub/countyhub/model"
)

// Watch returns a channel that receives the run's state as it changes,
// until it ends; cancel stops it early.
func (p *Pipeline) Watch(id string) (updates <-chan model.Run, cancel func()) {
	ch := make(chan model.Run, 16)
	p.mu.Lock()
	p.watchers[id] = append(p.watchers[id], ch)
	p.mu.Unlock()
	return ch, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		list := p.watchers[id]
		for i, c := range list {
			if c == ch {
				p.watchers[id] = append(list[:i], list[i+1:]...)
				close(ch)
				return
			}
		}
	}
}

// notify sends a run's state to its watchers, dropping updates a slow
// watcher has no room for; a finished run closes their channels.
func (p *Pipeline) notify(run model.Run) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, ch := range p.watchers[run.ID] {
		select {
		case ch <- run:
		default:
		}
		if run.Status != model.RunRunning {
			close(ch)
		}
	}
	if run.Status != model.RunRunning {
		delete(p.watchers, run.ID)
	}
}
