package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// index is a secondary index the store's queries rely on.
type index struct {
	coll, name string
	keys       bson.D
}

var indexes = []index{
	{unitsColl, "parent_1", bson.D{{Key: "parent", Value: 1}}},
	{unitsColl, "county_1", bson.D{{Key: "county", Value: 1}}},
	{runsColl, "unit_1_status_1", bson.D{{Key: "unit", Value: 1}, {Key: "status", Value: 1}}},
	{diagnosticsColl, "run_1", bson.D{{Key: "run", Value: 1}}},
}

// EnsureIndexes creates the indexes the store's queries rely on. It is
// idempotent and runs at every start. It creates only the indexes that are
// missing: FerretDB v1 fails when asked to create a compound index that
// already exists.
func (s *Store) EnsureIndexes(ctx context.Context) error {
	existing := map[string]bool{}
	for _, ix := range indexes {
		c := s.db.Collection(ix.coll)
		if _, listed := existing[ix.coll]; !listed {
			existing[ix.coll] = true
			names, err := c.Indexes().ListSpecifications(ctx)
			if err != nil {
				return fmt.Errorf("list indexes of %s: %w", ix.coll, err)
			}
			for _, n := range names {
				existing[ix.coll+"."+n.Name] = true
			}
		}
		if existing[ix.coll+"."+ix.name] {
			continue
		}
		m := mongo.IndexModel{Keys: ix.keys, Options: options.Index().SetName(ix.name)}
		if _, err := c.Indexes().CreateOne(ctx, m); err != nil {
			return fmt.Errorf("create index %s on %s: %w", ix.name, ix.coll, err)
		}
	}
	return nil
}
