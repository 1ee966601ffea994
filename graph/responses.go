package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/lru"
)

// Generations tell the generations of what published data is made of:
// each moves whenever its part does, from any hub on the database.
// *store.Store is one.
type Generations interface {
	ReleaseGeneration(ctx context.Context) (int64, error)
	RollupGeneration(ctx context.Context) (int64, error)
	UnitGeneration(ctx context.Context) (int64, error)
	// GenerationWrites counts this process's changes of them.
	GenerationWrites() int64
}

// generationsRecheck is how long the cache trusts the generations it read
// while this process changed nothing: another hub's publish on the same
// database shows within it, this hub's own at once.
const generationsRecheck = time.Second

// publishedRoots are the root fields that read published data alone: a
// query of nothing else can be answered again from the cache.
var publishedRoots = map[string]bool{
	"__typename": true, "budgetTotals": true, "budgets": true, "city": true, "compare": true, "counties": true,
	"metrics": true, "observations": true, "pilotPhases": true, "pilots": true, "scope": true, "series": true,
	"spaces": true, "stationMatrix": true, "stations": true, "tableExports": true, "unit": true, "units": true,
}

// responses keeps the answers of queries over published data, bounded by
// bytes, by the query, its variables, the caller and the generations of
// the releases, rollups and units. Released records never change, so an
// answer holds until one of the generations moves; the caller is in the
// key because some fields answer by role (a provenance's run).
type responses struct {
	gens    Generations
	max     int
	answers *lru.Cache[graphql.Response] // costing their bytes

	// The generations as last read, when, and the local writes then.
	genMu    sync.Mutex
	gensRead [3]int64
	genAt    time.Time
	genSeen  int64
}

func newResponses(gens Generations, maxBytes int) *responses {
	return &responses{gens: gens, max: maxBytes, answers: lru.New[graphql.Response](maxBytes)}
}

// ExtensionName names the extension for gqlgen.
func (*responses) ExtensionName() string { return "PublishedResponses" }

// Validate accepts every schema.
func (*responses) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation answers a cacheable query from the cache, or runs it
// and keeps an answer without errors.
func (c *responses) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	key, ok := c.key(ctx, graphql.GetOperationContext(ctx))
	if !ok {
		return next(ctx)
	}
	if resp, hit := c.get(key); hit {
		return graphql.OneShot(&resp)
	}
	h := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := h(ctx)
		if resp != nil && len(resp.Errors) == 0 && resp.Data != nil && (resp.HasNext == nil || !*resp.HasNext) {
			c.put(key, *resp)
		}
		return resp
	}
}

// key is the cache key of an operation, and false for one that is not a
// query of published data alone or whose generations cannot be read.
func (c *responses) key(ctx context.Context, oc *graphql.OperationContext) (string, bool) {
	if oc == nil || oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return "", false
	}
	for _, sel := range oc.Operation.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok || !publishedRoots[f.Name] {
			return "", false
		}
	}
	gens, err := c.generations(ctx)
	if err != nil {
		return "", false // answered afresh, and the error shows there
	}
	vars, err := json.Marshal(oc.Variables) // maps marshal in key order
	if err != nil {
		return "", false
	}
	p, _ := auth.FromContext(ctx)
	h := sha256.New()
	fmt.Fprintf(h, "%q %q %s %q %q %v %v", oc.RawQuery, oc.OperationName, vars, p.TokenID, p.Role, p.Counties, gens)
	return hex.EncodeToString(h.Sum(nil)), true
}

// generations returns the release, rollup and unit generations: those
// read before while this process changed none of them and generationsRecheck
// has not passed, else read afresh. The local writes are taken before the
// read, so a write during it makes the next call read again.
func (c *responses) generations(ctx context.Context) ([3]int64, error) {
	c.genMu.Lock()
	defer c.genMu.Unlock()
	writes := c.gens.GenerationWrites()
	if !c.genAt.IsZero() && writes == c.genSeen && time.Since(c.genAt) < generationsRecheck {
		return c.gensRead, nil
	}
	var gens [3]int64
	for i, gen := range []func(context.Context) (int64, error){c.gens.ReleaseGeneration, c.gens.RollupGeneration, c.gens.UnitGeneration} {
		n, err := gen(ctx)
		if err != nil {
			return gens, err
		}
		gens[i] = n
	}
	c.gensRead, c.genAt, c.genSeen = gens, time.Now(), writes
	return gens, nil
}

func (c *responses) get(key string) (graphql.Response, bool) { return c.answers.Get(key) }

func (c *responses) put(key string, resp graphql.Response) {
	size := len(key) + len(resp.Data) + 128
	if size > c.max/16 {
		return // a large answer would push out many small ones
	}
	c.answers.Put(key, resp, size)
}
