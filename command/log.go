package command

import (
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/urfave/cli/v3"
)

// LogFlags are the logging flags of the commands that run a server.
func LogFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "log-format", Value: "text", Usage: "log format: text or json", Sources: cli.EnvVars("COUNTYHUB_LOG_FORMAT")},
		&cli.StringFlag{Name: "log-level", Value: "info", Usage: "least severe level logged: debug, info, warn, error", Sources: cli.EnvVars("COUNTYHUB_LOG_LEVEL")},
	}
}

// Logger is the logger the LogFlags of c ask for, writing to stderr.
func Logger(c *cli.Command) (*slog.Logger, error) {
	format, level := c.String("log-format"), c.String("log-level")
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(os.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(os.Stderr, opts)), nil
	default:
		return nil, errors.New("--log-format must be text or json")
	}
}
