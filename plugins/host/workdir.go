package host

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// workDirPrefix begins the name of a plugin's working directory, which
// goes on with the hub's pid: countyhub-plugin-PID-RANDOM.
const workDirPrefix = "countyhub-plugin-"

// errClosed is why a plugin does not start once its host is closed.
var errClosed = errors.New("plugin host closed")

// procs are the plugin processes one owner (a Host, or a Binary opened on
// its own) runs, with their working directories, so that close can kill
// the processes and remove the directories. Owners see only their own.
type procs struct {
	// sweep removes, at the first start, the directories left by hubs no
	// longer running.
	sweep sync.Once
	// live counts the working directories made and not yet removed.
	live sync.WaitGroup

	mu     sync.Mutex
	closed bool
	// dirs holds each working directory with its process once it has
	// started.
	dirs map[string]*process
}

func newProcs() *procs { return &procs{dirs: map[string]*process{}} }

// newWorkDir creates a new empty working directory for a plugin process,
// readable only by the hub's user, in the hub's temporary directory. The
// name is short: the plugin's go-plugin socket goes in it, and socket
// paths are limited to about a hundred bytes. The caller must remove it.
func (ps *procs) newWorkDir() (string, error) {
	ps.sweep.Do(sweepWorkDirs)
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.closed {
		return "", errClosed
	}
	dir, err := os.MkdirTemp("", workDirPrefix+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return "", fmt.Errorf("create working directory: %w", err)
	}
	ps.dirs[dir] = nil
	ps.live.Add(1)
	return dir, nil
}

// track records a started process with its working directory. Once the
// owner is closed it returns false: the caller stops the process.
func (ps *procs) track(p *process) bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if _, ok := ps.dirs[p.dir]; ok {
		ps.dirs[p.dir] = p
	}
	return !ps.closed
}

// running returns the processes started and not yet stopped.
func (ps *procs) running() []*process {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	var out []*process
	for _, p := range ps.dirs {
		if p != nil {
			out = append(out, p)
		}
	}
	return out
}

// removeWorkDir removes a plugin's working directory with what the plugin
// left there, once its process has exited.
func (ps *procs) removeWorkDir(dir string) {
	removeDir(dir)
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if _, ok := ps.dirs[dir]; ok {
		delete(ps.dirs, dir)
		ps.live.Done()
	}
}

// close takes no more processes, stops every one running, stopped
// (SIGSTOP) or hung ones included, waits for those still starting to be
// stopped, and removes their working directories and those hubs no longer
// running left.
func (ps *procs) close() {
	ps.mu.Lock()
	ps.closed = true
	ps.mu.Unlock()
	var wg sync.WaitGroup
	for _, p := range ps.running() {
		wg.Go(p.stop)
	}
	wg.Wait()
	// A process still starting is stopped by its start, which sees the
	// owner closed.
	ps.live.Wait()
	sweepWorkDirs()
}

// removeDir removes a directory a plugin worked in.
func removeDir(dir string) {
	if err := os.RemoveAll(dir); err != nil {
		// The plugin may have taken the write permission off directories
		// it made; give it back and try again.
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if d != nil && d.IsDir() {
				_ = os.Chmod(path, 0o700)
			}
			return nil
		})
		_ = os.RemoveAll(dir)
	}
}

// sweepWorkDirs removes the working directories left in the temporary
// directory by hubs no longer running: a hub killed outright cannot remove
// those of its plugins, which the kernel killed with it.
func sweepWorkDirs() {
	tmp := os.TempDir()
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), workDirPrefix)
		if !ok || !e.IsDir() {
			continue
		}
		digits, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(digits)
		if err != nil || pid == os.Getpid() || !processGone(pid) {
			continue
		}
		removeDir(filepath.Join(tmp, e.Name()))
	}
}
