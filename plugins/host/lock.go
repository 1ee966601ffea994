package host

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// LockFileName is the name of the lock file in the plugins directory.
const LockFileName = "plugins.lock"

// lockFile pins plugin binaries by SHA-256: the hub starts only a binary
// whose checksum is the one pinned for its name.
type lockFile struct {
	Version int                `json:"version"`
	Plugins map[string]lockPin `json:"plugins"`
}

type lockPin struct {
	SHA256  string `json:"sha256"`
	Version string `json:"version,omitempty"`
}

func readLock(dir string) (lockFile, error) {
	lf := lockFile{Version: 1, Plugins: map[string]lockPin{}}
	b, err := os.ReadFile(filepath.Join(dir, LockFileName))
	if errors.Is(err, fs.ErrNotExist) {
		return lf, nil
	}
	if err != nil {
		return lf, fmt.Errorf("read plugin lock file: %w", err)
	}
	if err := json.Unmarshal(b, &lf); err != nil {
		return lf, fmt.Errorf("read plugin lock file %s: %w", filepath.Join(dir, LockFileName), err)
	}
	if lf.Plugins == nil {
		lf.Plugins = map[string]lockPin{}
	}
	return lf, nil
}

// writeLock replaces the lock file atomically.
func writeLock(dir string, lf lockFile) error {
	b, err := json.MarshalIndent(lf, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, LockFileName+".*")
	if err != nil {
		return fmt.Errorf("write plugin lock file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("write plugin lock file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write plugin lock file: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, LockFileName)); err != nil {
		return fmt.Errorf("write plugin lock file: %w", err)
	}
	return nil
}
