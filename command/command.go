// Package command holds the countyhub commands other than serve: those
// that work through a running hub over its GraphQL API (import, demo,
// token, rollups, load), the plugin commands that work on a plugins
// directory, and the embedded database server. Each is a
// github.com/urfave/cli/v3 command; package main puts them together.
package command

import "github.com/urfave/cli/v3"

// All returns the commands of the package, in the order `countyhub help`
// lists them.
func All() []*cli.Command {
	return []*cli.Command{Import(), Demo(), Units(), Rollups(), Token(), Load(), Plugins(), EmbeddedDB()}
}
