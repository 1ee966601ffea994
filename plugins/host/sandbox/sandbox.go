// Package sandbox starts importer plugins under resource limits.
//
// Go's os/exec cannot set a child's resource limits, and setting them on
// the hub would limit the hub. So on Linux the host starts its own
// executable with the limits in the environment variable Var; this
// package's init function, linked into every binary that imports the host,
// sees the variable in that new process, sets the limits on itself,
// removes the variable from the environment and executes the plugin binary
// named by argv[0] in its place. The process stays the same (its pid, its
// pipes, its parent-death signal, the working directory the host started
// it in), so the host's process handling is unchanged, and the limits hold
// before the plugin's first instruction.
//
// The process that starts the plugin is the hub's binary, so nothing but
// its own initialization runs there before the plugin: this package
// imports little, and a process without Var is left alone.
//
// The limits bound one process. They do not hold against a plugin that
// runs with the privilege to raise them (the hub run as root), and the
// processes a plugin starts get limits of their own, not a share of its.
package sandbox

import (
	"strconv"
	"strings"
	"time"
)

// Var is the environment variable that turns a start of the hub's
// executable into the start of a plugin; its value holds the limits.
const Var = "COUNTYHUB_PLUGIN_SANDBOX"

// Limits are the resource limits of one plugin process. A zero field
// leaves that resource as the hub has it.
type Limits struct {
	// CPU is the CPU time the process may use (RLIMIT_CPU), rounded up to
	// whole seconds. At the limit the kernel sends SIGXCPU, which kills a
	// program that does not handle it, and SIGKILL a CPU second later
	// (Go programs ignore SIGXCPU).
	CPU time.Duration
	// Memory is the number of bytes of data the process may map
	// (RLIMIT_DATA: heap, thread stacks, private writable mappings).
	// RLIMIT_AS is not used: the Go runtime reserves several hundred MiB of
	// address space it never uses, and fails to start at some limits yet
	// not at lower ones.
	Memory int64
	// Files is the number of file descriptors the process may hold
	// (RLIMIT_NOFILE).
	Files int
}

// Env returns the variable, as NAME=VALUE, that makes a start of the hub's
// executable the start of a plugin under l.
func (l Limits) Env() string { return Var + "=" + l.String() }

// String is the value of Var: "cpu=600 data=2147483648 nofile=256", the
// limits set only.
func (l Limits) String() string {
	var f []string
	if s := l.cpuSeconds(); s > 0 {
		f = append(f, "cpu="+strconv.FormatUint(s, 10))
	}
	if l.Memory > 0 {
		f = append(f, "data="+strconv.FormatInt(l.Memory, 10))
	}
	if l.Files > 0 {
		f = append(f, "nofile="+strconv.Itoa(l.Files))
	}
	return strings.Join(f, " ")
}

// cpuSeconds is the CPU limit in whole seconds, rounded up.
func (l Limits) cpuSeconds() uint64 {
	if l.CPU <= 0 {
		return 0
	}
	return uint64((l.CPU + time.Second - 1) / time.Second)
}
