package graph_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/introspection"

	"github.com/countyhub/countyhub/limit"
)

// graphqlJS is the directory whose node_modules hold graphql-js: the web
// UI's, installed from its lockfile by `make web` (and by CI, which
// regenerates the bundle before it tests).
var graphqlJS = filepath.Join("..", "web", "ui")

// needGraphQLJS skips a test without Node.js and graphql-js, saying how
// to get them; under CI it fails instead.
func needGraphQLJS(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(graphqlJS, "node_modules", "graphql", "package.json"))
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI needs Node.js and graphql-js (make web installs it in web/ui): %v", err)
		}
		t.Skipf("needs Node.js and graphql-js from web/ui's lockfile (run make web): %v", err)
	}
	return node
}

// runJS runs an ES module with graphql-js importable, feeding it stdin.
func runJS(t *testing.T, node, script string, stdin []byte) []byte {
	t.Helper()
	cmd := exec.Command(node, "--input-type=module", "-e", script)
	cmd.Dir = graphqlJS
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	return out
}

// TestStandardIntrospection sends the introspection query of graphql-js
// with every option on (what GraphiQL, Apollo codegen, graphql-codegen,
// Postman and Insomnia send), anonymously, and builds a client schema
// from the answer with graphql-js; gqlgen's own introspection query must
// work too.
func TestStandardIntrospection(t *testing.T) {
	t.Parallel()
	node := needGraphQLJS(t)
	g := newGuarded(t, true, limit.Rate{}, nil)

	query := runJS(t, node, `import { getIntrospectionQuery } from "graphql";
process.stdout.write(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true,
  schemaDescription: true, inputValueDeprecation: true, oneOf: true }));`, nil)
	if !bytes.Contains(query, []byte("isOneOf")) || !bytes.Contains(query, []byte("includeDeprecated: true")) {
		t.Fatalf("graphql-js gave a query without its options:\n%s", query)
	}
	for name, q := range map[string]string{"graphql-js": string(query), "gqlgen": introspection.Query} {
		status, data, code := g.call(t, "", q, nil)
		if status != 200 || code != "" {
			t.Fatalf("%s introspection: status %d, code %q", name, status, code)
		}
		if name != "graphql-js" {
			continue
		}
		answer, _ := json.Marshal(map[string]json.RawMessage{"data": data})
		sdl := runJS(t, node, `import { buildClientSchema, printSchema, assertValidSchema } from "graphql";
let input = ""; for await (const chunk of process.stdin) input += chunk;
const schema = buildClientSchema(JSON.parse(input).data);
assertValidSchema(schema);
process.stdout.write(printSchema(schema));`, answer)
		for _, want := range []string{"type AdminUnit implements Node", "enum Qualifier", "compare(", "scalar Upload"} {
			if !strings.Contains(string(sdl), want) {
				t.Errorf("the client schema graphql-js built lacks %q", want)
			}
		}
	}
}
