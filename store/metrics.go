package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/countyhub/countyhub/model"
)

// metricsColl holds the metric catalog, by code.
const metricsColl = "metrics"

// PutMetrics inserts or replaces catalog metrics by code.
func (s *Store) PutMetrics(ctx context.Context, metrics []model.Metric) error {
	return replaceAll(ctx, s.db.Collection(metricsColl), metrics, func(m model.Metric) string { return m.Code })
}

// Metrics returns the whole metric catalog in code order.
func (s *Store) Metrics(ctx context.Context) ([]model.Metric, error) {
	return findAll[model.Metric](ctx, s.db.Collection(metricsColl), bson.D{})
}

// MetricsByCode returns the metrics with the given codes, in code order.
func (s *Store) MetricsByCode(ctx context.Context, codes []string) ([]model.Metric, error) {
	return findAll[model.Metric](ctx, s.db.Collection(metricsColl), bson.D{in("_id", codes)})
}
