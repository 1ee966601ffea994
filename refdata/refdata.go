// Package refdata ships the reference data every hub starts with: the
// administrative units of Anqing (GB/T 2260 codes with Chinese and pinyin
// names) and the metric catalog, and loads them into the store.
package refdata

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/countyhub/countyhub/model"
)

// DefaultCity is the GB/T 2260 code of the city whose counties the hub
// serves unless configured otherwise: Anqing.
const DefaultCity = "340800"

var (
	//go:embed units.json
	unitsJSON []byte
	//go:embed metrics.json
	metricsJSON []byte
)

// Units returns the shipped administrative units.
func Units() ([]model.AdminUnit, error) {
	var units []model.AdminUnit
	if err := json.Unmarshal(unitsJSON, &units); err != nil {
		return nil, fmt.Errorf("read shipped units: %w", err)
	}
	return units, nil
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

// Load writes the shipped units and metric catalog. It is idempotent: a
// record already stored is replaced by the shipped one, and nothing else is
// touched, so units created by imports survive.
func Load(ctx context.Context, w Writer) error {
	units, err := Units()
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
