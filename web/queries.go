package web

import (
	"embed"
	"fmt"
)

//go:embed ui/src/queries/*.graphql
var queries embed.FS

// Query returns the text of one of the dashboard's GraphQL operations by
// name (Overview, Compare, County, …), as the pages send it; the load
// command replays them.
func Query(name string) (string, error) {
	b, err := queries.ReadFile("ui/src/queries/" + name + ".graphql")
	if err != nil {
		return "", fmt.Errorf("dashboard query %s: %w", name, err)
	}
	return string(b), nil
}
