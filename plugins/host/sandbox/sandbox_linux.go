package sandbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// exitCode is the exit status of a process that was to become a plugin
// and could not; it says why on stderr.
const exitCode = 126

// init becomes the plugin when Var is set, and does nothing otherwise.
func init() {
	spec, ok := os.LookupEnv(Var)
	if !ok {
		return
	}
	err := enter(spec, os.Args, os.Environ())
	fmt.Fprintf(os.Stderr, "countyhub plugin sandbox: %v\n", err)
	os.Exit(exitCode)
}

// enter sets the limits spec (the value of Var) on the calling process and
// executes argv[0], which must be an absolute path, in its place with
// argv and env less Var. It returns only when that fails.
//
// The host checks the plugin binary's checksum before it starts the
// process, and argv[0] is the path it checked, executed as is: no search,
// no resolution against a working directory.
func enter(spec string, argv, env []string) error {
	l, err := parse(spec)
	if err != nil {
		return err
	}
	if len(argv) == 0 || !filepath.IsAbs(argv[0]) {
		return errors.New("the plugin's path (argv[0]) must be absolute")
	}
	if err := l.apply(); err != nil {
		return err
	}
	clean := make([]string, 0, len(env))
	for _, kv := range env {
		if !strings.HasPrefix(kv, Var+"=") {
			clean = append(clean, kv)
		}
	}
	if err := syscall.Exec(argv[0], argv, clean); err != nil {
		return fmt.Errorf("execute %s: %w", argv[0], err)
	}
	return nil // not reached: Exec returns only on failure
}

// apply sets the limits on the calling process. A limit above the hard
// limit the process has is lowered to it: only a privileged process may
// raise a hard limit, and the hub's own limit holds for its plugins anyway.
func (l Limits) apply() error {
	type limit struct {
		name       string
		resource   int
		soft, hard uint64
	}
	var limits []limit
	if s := l.cpuSeconds(); s > 0 {
		limits = append(limits, limit{name: "CPU time", resource: syscall.RLIMIT_CPU, soft: s, hard: s + 1})
	}
	if l.Memory > 0 {
		limits = append(limits, limit{name: "data size", resource: syscall.RLIMIT_DATA, soft: uint64(l.Memory), hard: uint64(l.Memory)})
	}
	if l.Files > 0 {
		limits = append(limits, limit{name: "open files", resource: syscall.RLIMIT_NOFILE, soft: uint64(l.Files), hard: uint64(l.Files)})
	}
	for _, lim := range limits {
		var now syscall.Rlimit
		if err := syscall.Getrlimit(lim.resource, &now); err != nil {
			return fmt.Errorf("read the %s limit: %w", lim.name, err)
		}
		want := syscall.Rlimit{Cur: min(lim.soft, now.Max), Max: min(lim.hard, now.Max)}
		// syscall.Setrlimit, unlike a raw setrlimit, also keeps syscall.Exec
		// from restoring the soft open-files limit the Go runtime found at
		// start.
		if err := syscall.Setrlimit(lim.resource, &want); err != nil {
			return fmt.Errorf("set the %s limit to %d: %w", lim.name, want.Cur, err)
		}
	}
	return nil
}

// parse reads the value of Var.
func parse(s string) (Limits, error) {
	var l Limits
	for _, f := range strings.Fields(s) {
		name, value, ok := strings.Cut(f, "=")
		n, err := strconv.ParseInt(value, 10, 64)
		if !ok || err != nil || n <= 0 {
			return Limits{}, fmt.Errorf("parse %s: %q is not NAME=N with N > 0", Var, f)
		}
		switch name {
		case "cpu":
			if n > int64(time.Duration(1<<63-1)/time.Second) {
				return Limits{}, fmt.Errorf("parse %s: cpu=%d is too large", Var, n)
			}
			l.CPU = time.Duration(n) * time.Second
		case "data":
			l.Memory = n
		case "nofile":
			if int64(int(n)) != n {
				return Limits{}, fmt.Errorf("parse %s: nofile=%d is too large", Var, n)
			}
			l.Files = int(n)
		default:
			return Limits{}, fmt.Errorf("parse %s: unknown limit %q", Var, name)
		}
	}
	return l, nil
}
