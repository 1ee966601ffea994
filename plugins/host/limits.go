package host

import (
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// limitError explains the end of a plugin's import or start by the
// resource limit it ran into, with the hint to raise it, or returns nil
// when no limit explains it.
// said is the reason the plugin itself gave for failing, if it gave one.
func (b *Binary) limitError(p *process, said string) error {
	if !sandboxed {
		return nil
	}
	if st := p.exited(); st != nil && killedForCPU(st, b.opts.CPULimit) {
		return fmt.Errorf("%w: %s used its %s of CPU time and was killed%s",
			ErrLimit, b.Name, (b.opts.CPULimit + time.Second - 1).Truncate(time.Second), raise(b.opts.Hints.CPU))
	}
	memory, files := p.ranOut.said()
	switch ranOutOf(said) {
	case outOfMemory:
		memory = said
	case outOfFiles:
		files = said
	}
	switch {
	case memory != "":
		return fmt.Errorf("%w: %s ran out of memory at its limit of %s (%s)%s",
			ErrLimit, b.Name, mib(b.opts.MemoryLimit), memory, raise(b.opts.Hints.Memory))
	case files != "":
		return fmt.Errorf("%w: %s ran out of open files at its limit of %d (%s)%s",
			ErrLimit, b.Name, b.opts.FileLimit, files, raise(b.opts.Hints.Files))
	}
	return nil
}

func mib(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// resource is what a process can run out of.
type resource int

const (
	outOfNothing resource = iota
	outOfMemory
	outOfFiles
)

// ranOutOf says whether a message is a program's saying it ran out of
// memory or file descriptors: in Go's words (a runtime fatal error, ENOMEM
// and EMFILE as errors, a thread that could not get its stack), and in
// those of other languages' runtimes.
func ranOutOf(msg string) resource {
	msg = strings.ToLower(msg)
	for _, s := range []string{"out of memory", "cannot allocate memory", "pthread_create failed", "memoryerror", "bad_alloc"} {
		if strings.Contains(msg, s) {
			return outOfMemory
		}
	}
	if strings.Contains(msg, "too many open files") {
		return outOfFiles
	}
	return outOfNothing
}

// exhaustion notes the first line of a plugin's stderr that says it ran
// out of memory, and the first that says it ran out of files. It reads all
// of stderr, where the tail keeps only the end: a Go program out of memory
// says so first and then prints every goroutine's stack.
type exhaustion struct {
	mu            sync.Mutex
	memory, files string
}

// Write takes stderr as go-plugin copies it, a line at a time.
func (e *exhaustion) Write(p []byte) (int, error) {
	r := ranOutOf(string(p))
	if r == outOfNothing {
		return len(p), nil
	}
	line := strings.TrimSpace(string(p))
	if len(line) > 200 {
		cut := 200
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		line = line[:cut] + "…"
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case r == outOfMemory && e.memory == "":
		e.memory = line
	case r == outOfFiles && e.files == "":
		e.files = line
	}
	return len(p), nil
}

// said returns the lines noted.
func (e *exhaustion) said() (memory, files string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.memory, e.files
}
