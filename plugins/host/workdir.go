package host

import (
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

// workDirs are the working directories of the plugin processes that run,
// each with its process once it has started, so that KillAll can kill the
// processes and remove their directories.
var workDirs = struct {
	sync.Mutex
	m map[string]*process
}{m: map[string]*process{}}

var sweepOnce sync.Once

// newWorkDir creates a new empty working directory for a plugin process,
// readable only by the hub's user, in the hub's temporary directory. The
// name is short: the plugin's go-plugin socket goes in it, and socket
// paths are limited to about a hundred bytes.
func newWorkDir() (string, error) {
	sweepOnce.Do(sweepWorkDirs)
	dir, err := os.MkdirTemp("", workDirPrefix+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return "", fmt.Errorf("create working directory: %w", err)
	}
	workDirs.Lock()
	workDirs.m[dir] = nil
	workDirs.Unlock()
	return dir, nil
}

// track records a started process with its working directory.
func track(p *process) {
	workDirs.Lock()
	defer workDirs.Unlock()
	if _, ok := workDirs.m[p.dir]; ok {
		workDirs.m[p.dir] = p
	}
}

// running returns the processes started and not yet stopped.
func running() []*process {
	workDirs.Lock()
	defer workDirs.Unlock()
	var out []*process
	for _, p := range workDirs.m {
		if p != nil {
			out = append(out, p)
		}
	}
	return out
}

// removeWorkDir removes a plugin's working directory with what the plugin
// left there, once its process has exited.
func removeWorkDir(dir string) {
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
	workDirs.Lock()
	delete(workDirs.m, dir)
	workDirs.Unlock()
}

// removeWorkDirs removes the working directories of all plugin processes,
// once they have been killed, and those hubs no longer running left.
func removeWorkDirs() {
	workDirs.Lock()
	dirs := make([]string, 0, len(workDirs.m))
	for d := range workDirs.m {
		dirs = append(dirs, d)
	}
	workDirs.Unlock()
	for _, d := range dirs {
		removeWorkDir(d)
	}
	sweepWorkDirs()
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
		removeWorkDir(filepath.Join(tmp, e.Name()))
	}
}
