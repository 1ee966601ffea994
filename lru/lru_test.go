package lru_test

import (
	"testing"

	"github.com/countyhub/countyhub/lru"
)

func TestCacheKeepsTheRecentlyUsedWithinItsCost(t *testing.T) {
	t.Parallel()
	c := lru.New[string](10)
	c.Put("a", "A", 4)
	c.Put("b", "B", 4)
	if v, ok := c.Get("a"); !ok || v != "A" { // a is now the most recent
		t.Fatalf("a = %q, %v", v, ok)
	}
	c.Put("c", "C", 4) // over 10: b, the least recently used, goes
	if _, ok := c.Get("b"); ok {
		t.Error("b is kept; want it dropped")
	}
	for _, k := range []string{"a", "c"} {
		if _, ok := c.Get(k); !ok {
			t.Errorf("%s dropped; want it kept", k)
		}
	}
	c.Put("a", "other", 1)
	if v, _ := c.Get("a"); v != "A" {
		t.Errorf("a = %q after a second put; want the first value kept", v)
	}
	c.Put("huge", "H", 11)
	if _, ok := c.Get("huge"); ok {
		t.Error("a value costing more than the cache is kept")
	}
	if _, ok := c.Get("c"); !ok {
		t.Error("a value too large to keep pushed out c")
	}
}
