package graph

import (
	"context"
	"crypto/sha256"
	"strings"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// Bounds limit what one GraphQL document may ask for. They are checked
// on the document as parsed, before validation and execution, in time
// and memory linear in the document's size; so a hostile document costs
// little more than reading it.
type Bounds struct {
	// QueryBytes is the longest query text accepted.
	QueryBytes int
	// Tokens is the most lexical tokens a query may have; the parser
	// stops at the first one past it.
	Tokens int
	// Fields is the most fields a document selects, counting each
	// fragment's fields at every place it is spread.
	Fields int
	// Aliases is the most aliased fields a document may have.
	Aliases int
	// Repeats is how often one response key (or one fragment spread) may
	// stand in one selection set.
	Repeats int
	// Depth is the deepest nesting of selections; 0 for no limit.
	Depth int
	// IntrospectionDepth is the deepest nesting below __schema and
	// __type, where the ofType chains of type references nest deep
	// but cost little.
	IntrospectionDepth int
	// IntrospectionLists is how deeply the list fields of introspection
	// (fields, interfaces, possibleTypes, inputFields) may nest inside
	// one another; each level multiplies the answer by the schema's size.
	IntrospectionLists int
}

// DefaultBounds take the dashboard's queries, GraphiQL's and the
// standard introspection query of graphql-js with room to spare.
var DefaultBounds = Bounds{
	QueryBytes:         64 << 10,
	Tokens:             10_000,
	Fields:             2_000,
	Aliases:            100,
	Repeats:            10,
	Depth:              12,
	IntrospectionDepth: 20,
	IntrospectionLists: 3,
}

// boundsCheck is the extension that enforces Bounds before gqlgen parses
// and validates a document. Documents that passed are remembered by
// hash, so the dashboard's queries are checked once.
type boundsCheck struct {
	b      Bounds
	passed *lru.LRU[struct{}]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = (*boundsCheck)(nil)

func newBoundsCheck(b Bounds) *boundsCheck {
	return &boundsCheck{b: b, passed: lru.New[struct{}](1000)}
}

func (*boundsCheck) ExtensionName() string                   { return "QueryBounds" }
func (*boundsCheck) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters refuses a document past a bound with code
// QUERY_TOO_LARGE, or DEPTH_LIMIT_EXCEEDED for nesting.
func (c *boundsCheck) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if p.Query == "" {
		return nil // the persisted-query extension or the executor answers
	}
	if c.b.QueryBytes > 0 && len(p.Query) > c.b.QueryBytes {
		return tooLarge("the query is %d bytes; the hub takes at most %d", len(p.Query), c.b.QueryBytes)
	}
	sum := sha256.Sum256([]byte(p.Query))
	key := string(sum[:])
	if _, ok := c.passed.Get(ctx, key); ok {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, c.b.Tokens)
	if err != nil {
		if strings.Contains(err.Error(), "exceeded token limit") {
			return tooLarge("the query has more than %d tokens: ask for less at once", c.b.Tokens)
		}
		return nil // a syntax error: the executor reports it with its position
	}
	if e := c.check(doc); e != nil {
		return e
	}
	c.passed.Add(ctx, key, struct{}{})
	return nil
}

// introspectionLists are the introspection fields whose answers are
// lists as long as the schema is wide.
var introspectionLists = map[string]bool{"fields": true, "interfaces": true, "possibleTypes": true, "inputFields": true}

// shape is what a selection set adds up to.
type shape struct {
	fields int // fields selected, fragments expanded
	depth  int // deepest nesting
	lists  int // deepest nesting of introspection lists
}

// walk measures documents, each fragment once per context.
type walk struct {
	b       Bounds
	frags   ast.FragmentDefinitionList
	memo    map[fragKey]shape
	active  map[string]bool
	aliases int
	err     *gqlerror.Error
}

type fragKey struct {
	name  string
	intro bool
}

func (c *boundsCheck) check(doc *ast.QueryDocument) *gqlerror.Error {
	w := &walk{b: c.b, frags: doc.Fragments, memo: map[fragKey]shape{}, active: map[string]bool{}}
	total := 0
	for _, op := range doc.Operations {
		for _, sel := range op.SelectionSet {
			intro := false
			if f, ok := sel.(*ast.Field); ok {
				intro = f.Name == "__schema" || f.Name == "__type"
			}
			s := w.set(ast.SelectionSet{sel}, intro)
			if w.err != nil {
				return w.err
			}
			total = saturate(total, s.fields, c.b.Fields)
			limit := c.b.Depth
			if intro {
				limit = c.b.IntrospectionDepth
				if c.b.IntrospectionLists > 0 && s.lists > c.b.IntrospectionLists {
					return tooLarge("the introspection query nests fields, interfaces, possibleTypes or inputFields %d deep; the hub allows %d", s.lists, c.b.IntrospectionLists)
				}
			}
			if limit > 0 && s.depth > limit {
				e := gqlerror.Errorf("the query nests %d levels deep; the hub allows %d: ask for less at once", s.depth, limit)
				e.Extensions = map[string]any{"code": CodeDepthLimit}
				return e
			}
		}
	}
	if c.b.Fields > 0 && total > c.b.Fields {
		return tooLarge("the query selects more than %d fields (fragments counted where they are spread): ask for less at once", c.b.Fields)
	}
	if c.b.Aliases > 0 && w.aliases > c.b.Aliases {
		return tooLarge("the query has %d aliased fields; the hub allows %d", w.aliases, c.b.Aliases)
	}
	return nil
}

// set measures a selection set; it stops counting past the field bound.
func (w *walk) set(set ast.SelectionSet, intro bool) shape {
	var out shape
	keys := map[string]int{}
	for _, sel := range set {
		if w.err != nil {
			return out
		}
		var s shape
		switch sel := sel.(type) {
		case *ast.Field:
			key := sel.Name
			if sel.Alias != "" && sel.Alias != sel.Name {
				key = sel.Alias
				w.aliases++
			}
			if w.repeated(keys, key) {
				return out
			}
			s = w.set(sel.SelectionSet, intro)
			s.fields = saturate(s.fields, 1, w.b.Fields)
			s.depth++
			if intro && introspectionLists[sel.Name] {
				s.lists++
			}
		case *ast.InlineFragment:
			s = w.set(sel.SelectionSet, intro)
		case *ast.FragmentSpread:
			if w.repeated(keys, "..."+sel.Name) {
				return out
			}
			s = w.fragment(sel.Name, intro)
		}
		out.fields = saturate(out.fields, s.fields, w.b.Fields)
		out.depth = max(out.depth, s.depth)
		out.lists = max(out.lists, s.lists)
	}
	return out
}

func (w *walk) repeated(keys map[string]int, key string) bool {
	keys[key]++
	if w.b.Repeats > 0 && keys[key] > w.b.Repeats {
		w.err = tooLarge("%q stands %d times in one selection set; the hub allows %d", key, keys[key], w.b.Repeats)
		return true
	}
	return false
}

// fragment measures a named fragment once per context; a fragment spread
// inside itself (which validation refuses) counts nothing.
func (w *walk) fragment(name string, intro bool) shape {
	k := fragKey{name, intro}
	if s, ok := w.memo[k]; ok {
		return s
	}
	f := w.frags.ForName(name)
	if f == nil || w.active[name] {
		return shape{}
	}
	w.active[name] = true
	s := w.set(f.SelectionSet, intro)
	delete(w.active, name)
	w.memo[k] = s
	return s
}

// saturate adds without passing limit+1, so exponential fragments cannot
// overflow the count.
func saturate(a, b, limit int) int {
	if limit <= 0 {
		return a + b
	}
	return min(a+b, limit+1)
}

func tooLarge(format string, args ...any) *gqlerror.Error {
	e := gqlerror.Errorf(format, args...)
	e.Extensions = map[string]any{"code": CodeQueryTooLarge}
	return e
}

// complexityLimit refuses operations whose complexity, as gqlgen counts
// it (a list of `first` records counts its fields that many times), plus
// rootFieldCost for each root field that reaches the store, passes max.
type complexityLimit struct {
	max int
	es  graphql.ExecutableSchema
}

// rootFieldCost is what a root field costs besides its selections: each
// is at least one read of the store, however little it selects.
const rootFieldCost = 50

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = (*complexityLimit)(nil)

func (*complexityLimit) ExtensionName() string { return "ComplexityLimit" }
func (c *complexityLimit) Validate(es graphql.ExecutableSchema) error {
	c.es = es
	return nil
}

func (c *complexityLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if c.max <= 0 || oc.Operation == nil {
		return nil
	}
	n := complexity.Calculate(ctx, c.es, oc.Operation, oc.Variables)
	for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, nil) {
		if !strings.HasPrefix(f.Name, "__") {
			n += rootFieldCost
		}
	}
	if n > c.max {
		e := gqlerror.Errorf("operation has complexity %d, which exceeds the limit of %d: ask for fewer records or fields at once", n, c.max)
		e.Extensions = map[string]any{"code": CodeComplexityLimit}
		return e
	}
	return nil
}
