package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/countyhub/countyhub/model"
)

// facetsColl holds the facets document.
const facetsColl = "facets"

// PutFacets stores the facets, replacing the ones before, and advances
// the rollup generation: the facets are computed with the rollups.
func (s *Store) PutFacets(ctx context.Context, f model.Facets) error {
	if err := replaceAll(ctx, s.db.Collection(facetsColl), []model.Facets{f}, func(f model.Facets) string { return f.ID }); err != nil {
		return err
	}
	return s.nextRollupGeneration(context.WithoutCancel(ctx))
}

// Facets returns the stored facets; empty ones when none are stored yet.
func (s *Store) Facets(ctx context.Context) (model.Facets, error) {
	var f model.Facets
	err := s.db.Collection(facetsColl).FindOne(ctx, bson.D{{Key: "_id", Value: model.FacetsID}}).Decode(&f)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return model.Facets{ID: model.FacetsID}, nil
	}
	if err != nil {
		return f, fmt.Errorf("read facets: %w", err)
	}
	return f, nil
}
