// Command countyhub is a GraphQL data hub for county-level
// community-governance data: importer plugins turn each county's files into
// one normalized model, the hub stores it in MongoDB (or an embedded
// FerretDB) and serves it through a GraphQL API.
//
// Usage:
//
//	countyhub serve [flags]          start the hub
//	countyhub embedded-db [flags]    run only the embedded database server
//
// Run `countyhub help` or `countyhub COMMAND --help` for the flags; each
// flag can also be set by the environment variable its help names.
package main

//go:generate go tool gqlgen generate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v3"

	"github.com/countyhub/countyhub/command"
	"github.com/countyhub/countyhub/hubclient"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	app := &cli.Command{
		Name:            "countyhub",
		Usage:           "GraphQL data hub for county-level community-governance data",
		HideHelpCommand: true,
		Commands:        append([]*cli.Command{serveCommand()}, command.All()...),
		ExitErrHandler:  func(context.Context, *cli.Command, error) {}, // main reports errors
	}
	if err := app.Run(ctx, os.Args); err != nil {
		if errors.Is(err, hubclient.ErrUnreachable) {
			err = fmt.Errorf("%w (is it running? see --hub)", err)
		}
		fmt.Fprintf(os.Stderr, "countyhub: %v\n", err)
		os.Exit(1)
	}
}
