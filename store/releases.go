package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/countyhub/countyhub/model"
)

const (
	releasesColl = "releases"
	// releaseStateColl holds the release generation.
	releaseStateColl = "release_state"
)

// ErrConflict is returned when a compare-and-swap update finds that
// another writer changed the document first.
var ErrConflict = errors.New("changed concurrently")

// Release returns the release of a unit; a unit never published has an
// empty one (Version 0).
func (s *Store) Release(ctx context.Context, unit string) (model.Release, error) {
	r, err := findOne[model.Release](ctx, s.db.Collection(releasesColl), unit)
	if errors.Is(err, ErrNotFound) {
		return model.Release{Unit: unit, Runs: map[string]string{}, Previous: map[string]string{}}, nil
	}
	return r, err
}

// Releases returns the releases of every unit: a small collection, one
// document per unit ever published.
func (s *Store) Releases(ctx context.Context) ([]model.Release, error) {
	return findAll[model.Release](ctx, s.db.Collection(releasesColl), bson.D{})
}

// SwapRelease replaces the release old with next in one single-document
// update, if nobody changed it since old was read; otherwise it returns
// ErrConflict. next.Version must be old.Version + 1. The release
// generation moves after the swap.
func (s *Store) SwapRelease(ctx context.Context, old, next model.Release) error {
	c := s.db.Collection(releasesColl)
	if old.Version == 0 {
		_, err := c.InsertOne(ctx, next)
		if mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("release of %s: %w", next.Unit, ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("release of %s: %w", next.Unit, err)
		}
		return s.nextReleaseGeneration(context.WithoutCancel(ctx))
	}
	res, err := c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: old.Unit}, {Key: "version", Value: old.Version}}, next)
	if err != nil {
		return fmt.Errorf("release of %s: %w", next.Unit, err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("release of %s: %w", next.Unit, ErrConflict)
	}
	return s.nextReleaseGeneration(context.WithoutCancel(ctx))
}

// releaseGenerationID is the id of the release generation's document.
const releaseGenerationID = "generation"

// ReleaseGeneration returns a number that changes whenever a release
// does, so that a reader keeps the releases it read until it moves: one
// small read instead of every release. Several hubs on one database see
// each other's publishes through it.
func (s *Store) ReleaseGeneration(ctx context.Context) (int64, error) {
	return s.generation(ctx, releaseStateColl, releaseGenerationID)
}

func (s *Store) nextReleaseGeneration(ctx context.Context) error {
	return s.nextGeneration(ctx, releaseStateColl, releaseGenerationID)
}
