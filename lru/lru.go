// Package lru is a least-recently-used cache bounded by the total cost of
// its entries, counted as the caller chooses: bytes, or records.
package lru

import (
	"container/list"
	"sync"
)

// Cache holds values by key within a total cost; safe for concurrent use.
type Cache[V any] struct {
	mu    sync.Mutex
	max   int
	cost  int
	order *list.List // of *entry[V], most recently used first
	items map[string]*list.Element
}

type entry[V any] struct {
	key  string
	val  V
	cost int
}

// New returns a cache whose entries cost at most max in all.
func New[V any](max int) *Cache[V] {
	return &Cache[V]{max: max, order: list.New(), items: map[string]*list.Element{}}
}

// Get returns the value of key, and whether the cache holds one, marking
// it as the most recently used.
func (c *Cache[V]) Get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*entry[V]).val, true
}

// Put keeps val under key at the given cost, dropping the least recently
// used entries to stay within the bound. A key already held keeps its
// value; a value that costs more than the whole cache is not kept.
func (c *Cache[V]) Put(key string, val V, cost int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		return
	}
	if cost > c.max {
		return
	}
	c.items[key] = c.order.PushFront(&entry[V]{key: key, val: val, cost: cost})
	c.cost += cost
	for c.cost > c.max {
		last := c.order.Back()
		e := last.Value.(*entry[V])
		c.order.Remove(last)
		delete(c.items, e.key)
		c.cost -= e.cost
	}
}
