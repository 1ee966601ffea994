package command

import (
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/countyhub/countyhub/hubclient"
)

// hubFlags are the flags of commands that work through a running hub:
// its address and the token to send.
func hubFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "hub", Value: "http://127.0.0.1:8080", Usage: "address of the hub", Sources: cli.EnvVars("COUNTYHUB_HUB")},
		&cli.StringFlag{Name: "token", Usage: "API token to send (countyhub token create)", Sources: cli.EnvVars("COUNTYHUB_TOKEN")},
		&cli.StringFlag{Name: "token-file", Usage: "file holding the API token, such as DATA/admin.token", Sources: cli.EnvVars("COUNTYHUB_TOKEN_FILE")},
	}
}

// hubClientOf returns a client of the hub the command's flags name.
func hubClientOf(c *cli.Command) (*hubclient.Client, error) {
	token := c.String("token")
	if token == "" {
		var err error
		if token, err = tokenFile(c.String("token-file")); err != nil {
			return nil, fmt.Errorf("--token-file: %w", err)
		}
	}
	return hubclient.New(c.String("hub"), token), nil
}

// tokenFile reads the token a file holds; no file, no token.
func tokenFile(name string) (string, error) {
	if name == "" {
		return "", nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}
