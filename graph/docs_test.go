package graph

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// TestFrontendQueriesFitTheSchema validates, against the served schema,
// every query the dashboard sends (web/ui/src/queries; the scripts import
// them and hold no query text of their own) and every GraphQL example of
// docs/*.md and README.md, so neither drifts from the API, and checks that
// each keeps within the hub's default bounds.
func TestFrontendQueriesFitTheSchema(t *testing.T) {
	schema := NewExecutableSchema(Config{}).Schema()
	queries := map[string]string{}
	files, err := filepath.Glob("../web/ui/src/queries/*.graphql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no dashboard queries found: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		queries[filepath.Base(f)] = string(b)
	}
	docs, err := filepath.Glob("../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)```graphql\n(.*?)```")
	for _, f := range append(docs, "../README.md") {
		doc, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		blocks := block.FindAllStringSubmatch(string(doc), -1)
		if filepath.Base(f) == "frontend.md" && len(blocks) < 8 {
			t.Fatalf("docs/frontend.md has %d GraphQL examples; want one per chart", len(blocks))
		}
		for i, b := range blocks {
			queries[filepath.Base(f)+" example "+string(rune('A'+i))] = b[1]
		}
	}
	bounds := newBoundsCheck(DefaultBounds)
	for name, q := range queries {
		doc, errs := gqlparser.LoadQueryWithRules(schema, q, rules.NewDefaultRules())
		if len(errs) > 0 {
			t.Errorf("%s does not fit the schema: %v", name, errs)
			continue
		}
		if err := bounds.check(doc); err != nil {
			t.Errorf("%s passes the hub's default bounds: %v", name, err)
		}
	}
}
