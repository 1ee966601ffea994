// Package host is the hub's side of the importer plugin protocol. It finds
// plugin binaries in the plugins directory, pins them by SHA-256 in a lock
// file, starts each import's plugin as its own process (go-plugin over
// gRPC with mutual TLS) in a working directory of its own and under
// resource limits (package sandbox), streams the file to it and the
// records back, and kills and reaps the process and removes its directory
// whatever happens.
package host

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/countyhub/countyhub/plugins/records"
)

// Status says whether an installed plugin can be run.
type Status string

// Plugin states.
const (
	// StatusOK: pinned, unchanged, and it describes itself correctly.
	StatusOK Status = "OK"
	// StatusUnpinned: installed but not in the lock file.
	StatusUnpinned Status = "UNPINNED"
	// StatusChanged: the binary differs from its pin.
	StatusChanged Status = "CHANGED"
	// StatusBroken: pinned and unchanged, but it fails to describe itself.
	StatusBroken Status = "BROKEN"
	// StatusMissing: pinned, but the binary is gone.
	StatusMissing Status = "MISSING"
)

// Plugin is an installed or pinned plugin.
type Plugin struct {
	Name   string
	Path   string
	Status Status
	// SHA256 is the binary's checksum now; PinnedSHA256 the pinned one.
	SHA256, PinnedSHA256 string
	// Problem explains a status other than OK.
	Problem string
	// Description is the plugin's own, when it could be had.
	Description *records.Description
}

// Host runs the plugins of one directory.
type Host struct {
	dir  string
	opts Options
	// procs are the plugin processes the host runs.
	procs *procs

	mu    sync.Mutex
	descs map[string]records.Description // by name and checksum: a pinned binary's description never changes
	sums  map[string]fileSum             // by path
}

// fileSum is a binary's checksum as of its size and modification time.
type fileSum struct {
	size    int64
	modTime time.Time
	sha256  string
}

// checksum hashes a binary, or returns the checksum it had when its size
// and modification time were the same. (Starting a plugin always hashes it
// again: this only spares List.)
func (h *Host) checksum(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("importer binary: %w", err)
	}
	h.mu.Lock()
	c, ok := h.sums[path]
	h.mu.Unlock()
	if ok && c.size == info.Size() && c.modTime.Equal(info.ModTime()) {
		return c.sha256, nil
	}
	sum, err := fileSHA256(path)
	if err != nil {
		return "", err
	}
	h.mu.Lock()
	h.sums[path] = fileSum{size: info.Size(), modTime: info.ModTime(), sha256: sum}
	h.mu.Unlock()
	return sum, nil
}

// New returns a host for the plugins in dir. It starts nothing.
func New(dir string, opts Options) *Host {
	return &Host{dir: dir, opts: opts.withDefaults(), procs: newProcs(), descs: map[string]records.Description{}, sums: map[string]fileSum{}}
}

// Dir is the plugins directory.
func (h *Host) Dir() string { return h.dir }

var pluginNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// installed lists the plugin binaries in the directory: executable
// regular files whose names are valid importer names.
func (h *Host) installed() (map[string]string, error) {
	entries, err := os.ReadDir(h.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read plugins directory: %w", err)
	}
	out := map[string]string{}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || info.Mode()&0o111 == 0 || !pluginNameRE.MatchString(e.Name()) {
			continue
		}
		out[e.Name()] = filepath.Join(h.dir, e.Name())
	}
	return out, nil
}

// List reports every installed or pinned plugin, in name order, starting
// the pinned ones that have not described themselves yet.
func (h *Host) List(ctx context.Context) ([]Plugin, error) {
	bins, err := h.installed()
	if err != nil {
		return nil, err
	}
	lock, err := readLock(h.dir)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for n := range bins {
		names[n] = true
	}
	for n := range lock.Plugins {
		names[n] = true
	}
	var out []Plugin
	for name := range names {
		p := Plugin{Name: name, Path: bins[name], PinnedSHA256: lock.Plugins[name].SHA256}
		switch {
		case p.Path == "":
			p.Status, p.Problem = StatusMissing, "pinned, but no binary of that name is installed"
		default:
			if p.SHA256, err = h.checksum(p.Path); err != nil {
				return nil, err
			}
			switch {
			case p.PinnedSHA256 == "":
				p.Status, p.Problem = StatusUnpinned, "not pinned: check it, then pin it on the hub's machine"+h.opts.Hints.pin(": ", "", name)
			case p.PinnedSHA256 != p.SHA256:
				p.Status, p.Problem = StatusChanged, "the binary changed since it was pinned: check it, then pin it again on the hub's machine"+h.opts.Hints.pin(": ", "", name)
			default:
				d, err := h.describe(ctx, &Binary{Name: name, Path: p.Path, SHA256: p.SHA256, opts: h.opts, procs: h.procs})
				if err != nil {
					// Clients see the problem; the plugins directory is the
					// operator's business.
					h.opts.Logger.Warn("importer does not describe itself", "importer", name, "path", p.Path, "error", err)
					p.Status, p.Problem = StatusBroken, strings.ReplaceAll(err.Error(), h.dir+string(filepath.Separator), "")
				} else {
					p.Status, p.Description = StatusOK, &d
				}
			}
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Pin checks the named installed plugins (all when none are named) — each
// must start and describe itself under its own name — and records their
// checksums in the lock file. Nothing is pinned if one fails.
func (h *Host) Pin(ctx context.Context, names ...string) ([]records.Description, error) {
	bins, err := h.installed()
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		for n := range bins {
			names = append(names, n)
		}
		sort.Strings(names)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no plugin binaries in %s", h.dir)
	}
	lock, err := readLock(h.dir)
	if err != nil {
		return nil, err
	}
	var descs []records.Description
	for _, name := range names {
		path, ok := bins[name]
		if !ok {
			return nil, fmt.Errorf("%w: no executable %q in %s", ErrNotInstalled, name, h.dir)
		}
		b, err := openBinary(path, h.opts, h.procs)
		if err != nil {
			return nil, err
		}
		d, err := h.describe(ctx, b)
		if err != nil {
			return nil, fmt.Errorf("not pinned: %w", err)
		}
		lock.Plugins[name] = lockPin{SHA256: b.SHA256, Version: d.Version}
		descs = append(descs, d)
	}
	return descs, writeLock(h.dir, lock)
}

// Binary returns the pinned binary of the named importer, or an error that
// says why it may not run. Messages that reach clients name no path of the
// server: the pin hint is asked for the hub's directory, unnamed.
func (h *Host) Binary(name string) (*Binary, error) {
	if !pluginNameRE.MatchString(name) {
		return nil, fmt.Errorf("%w: %q is not an importer name", ErrNotInstalled, name)
	}
	path := filepath.Join(h.dir, name)
	if info, err := os.Stat(path); err != nil || !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: no importer %q is installed", ErrNotInstalled, name)
	}
	lock, err := readLock(h.dir)
	if err != nil {
		return nil, err
	}
	pin, ok := lock.Plugins[name]
	if !ok {
		return nil, fmt.Errorf("%w: %s is installed but not pinned; check it, then pin it on the hub's machine%s", ErrUnpinned, name, h.opts.Hints.pin(": ", "", name))
	}
	return &Binary{Name: name, Path: path, SHA256: pin.SHA256, opts: h.opts, procs: h.procs}, nil
}

// Describe returns the description of a pinned importer.
func (h *Host) Describe(ctx context.Context, name string) (records.Description, error) {
	b, err := h.Binary(name)
	if err != nil {
		return records.Description{}, err
	}
	return h.describe(ctx, b)
}

// Import runs a pinned importer on one file; see Binary.Import.
func (h *Host) Import(ctx context.Context, name string, req Request, sink Sink) (records.Summary, error) {
	b, err := h.Binary(name)
	if err != nil {
		return records.Summary{}, err
	}
	return b.Import(ctx, req, sink)
}

func (h *Host) describe(ctx context.Context, b *Binary) (records.Description, error) {
	key := b.Name + "@" + b.SHA256
	h.mu.Lock()
	d, ok := h.descs[key]
	h.mu.Unlock()
	if ok {
		return d, nil
	}
	d, err := b.Describe(ctx)
	if err != nil {
		return d, err
	}
	h.mu.Lock()
	h.descs[key] = d
	h.mu.Unlock()
	return d, nil
}

// Close kills every plugin process of the host still running, stopped
// (SIGSTOP) or hung ones included, waits for them, and removes their
// working directories; the host starts no more. The hub calls it on
// shutdown, once its imports are cancelled; each import stops its own
// plugin as it ends. Other hosts' processes are left alone.
func (h *Host) Close() error {
	h.procs.close()
	return nil
}
