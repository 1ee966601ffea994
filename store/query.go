package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/sync/errgroup"
)

// Page asks for at most First records whose key sorts after After.
type Page struct {
	// After is the key of the last record already seen; empty starts at
	// the beginning.
	After string
	// First is the maximum number of records to return.
	First int
}

// PageOf is one page of records in key order.
type PageOf[T any] struct {
	Items []T
	// HasNext tells whether records follow the last one of Items.
	HasNext bool
}

// findBatch is how many documents a find asks for at once: a county's or
// a city's units come in one round trip, not the server's default 101 and
// a getMore.
const findBatch = 2000

// findAll runs a find and decodes every document, sorted by key.
func findAll[T any](ctx context.Context, c *mongo.Collection, filter bson.D) ([]T, error) {
	cur, err := c.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetBatchSize(findBatch))
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", c.Name(), err)
	}
	out := []T{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read %s: %w", c.Name(), err)
	}
	return out, nil
}

// findPage runs a keyset-paginated find: records after p.After in key
// order, one more than asked to learn whether a next page exists.
func findPage[T any](ctx context.Context, c *mongo.Collection, filter bson.D, p Page) (PageOf[T], error) {
	if p.First <= 0 {
		return PageOf[T]{Items: []T{}}, nil
	}
	if p.After != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$gt", Value: p.After}}})
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(p.First) + 1)
	cur, err := c.Find(ctx, filter, opts)
	if err != nil {
		return PageOf[T]{}, fmt.Errorf("find in %s: %w", c.Name(), err)
	}
	items := []T{}
	if err := cur.All(ctx, &items); err != nil {
		return PageOf[T]{}, fmt.Errorf("read %s: %w", c.Name(), err)
	}
	page := PageOf[T]{Items: items}
	if len(items) > p.First {
		page.Items, page.HasNext = items[:p.First], true
	}
	return page, nil
}

// byIDLimit is up to how many documents findByIDs reads one by one. On
// the embedded database a find by one _id uses an index (see package
// embedded) while $in reads the whole collection, so a few hundred
// lookups cost less than one pass over a large collection.
const byIDLimit = 500

// findByIDs returns the documents with the given keys, in the order of
// keys, leaving out keys without one: one find by _id each, four at a
// time, up to byIDLimit keys, and one $in query for more.
func findByIDs[T any](ctx context.Context, c *mongo.Collection, keys []string, key func(T) string) ([]T, error) {
	if len(keys) > byIDLimit {
		all, err := findAll[T](ctx, c, bson.D{in("_id", keys)})
		if err != nil {
			return nil, err
		}
		byKey := make(map[string]T, len(all))
		for _, v := range all {
			byKey[key(v)] = v
		}
		out := make([]T, 0, len(keys))
		for _, k := range keys {
			if v, ok := byKey[k]; ok {
				out = append(out, v)
			}
		}
		return out, nil
	}
	found := make([]*T, len(keys))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, k := range keys {
		g.Go(func() error {
			var v T
			err := c.FindOne(gctx, bson.D{{Key: "_id", Value: k}}).Decode(&v)
			if errors.Is(err, mongo.ErrNoDocuments) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("find %q in %s: %w", k, c.Name(), err)
			}
			found[i] = &v
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make([]T, 0, len(keys))
	for _, v := range found {
		if v != nil {
			out = append(out, *v)
		}
	}
	return out, nil
}

// findOne decodes the document with the given key or returns ErrNotFound.
func findOne[T any](ctx context.Context, c *mongo.Collection, key string) (T, error) {
	var v T
	err := c.FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&v)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return v, fmt.Errorf("%s %q: %w", c.Name(), key, ErrNotFound)
	}
	if err != nil {
		return v, fmt.Errorf("find %q in %s: %w", key, c.Name(), err)
	}
	return v, nil
}

// newestFirst returns one page of the documents of c that match filter,
// by descending _id (ids that sort by time: newest first).
func newestFirst[T any](ctx context.Context, c *mongo.Collection, filter bson.D, p Page) (PageOf[T], error) {
	if p.After != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$lt", Value: p.After}}})
	}
	if p.First <= 0 {
		return PageOf[T]{Items: []T{}}, nil
	}
	cur, err := c.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(p.First)+1))
	if err != nil {
		return PageOf[T]{}, fmt.Errorf("find in %s: %w", c.Name(), err)
	}
	items := []T{}
	if err := cur.All(ctx, &items); err != nil {
		return PageOf[T]{}, fmt.Errorf("read %s: %w", c.Name(), err)
	}
	page := PageOf[T]{Items: items}
	if len(items) > p.First {
		page.Items, page.HasNext = items[:p.First], true
	}
	return page, nil
}

func count(ctx context.Context, c *mongo.Collection, filter bson.D) (int, error) {
	n, err := c.CountDocuments(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", c.Name(), err)
	}
	return int(n), nil
}

// insertMany writes documents unordered, so one bad document does not stop
// the rest.
func insertMany[T any](ctx context.Context, c *mongo.Collection, docs []T) error {
	if len(docs) == 0 {
		return nil
	}
	if _, err := c.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false)); err != nil {
		return fmt.Errorf("insert into %s: %w", c.Name(), err)
	}
	return nil
}

// upsertBatch bounds one bulk upsert. FerretDB v1 keeps the query of
// every statement of an update command open, each on a connection of its
// backend's pool, until the whole command is done; a command replacing
// more existing documents than the pool holds (50 connections on
// PostgreSQL by default) waits for itself forever, and a few concurrent
// ones wait for each other. Small commands leave the pool room for
// several writers at once.
const upsertBatch = 16

// replaceAll upserts documents by key, in bulk writes of upsertBatch.
func replaceAll[T any](ctx context.Context, c *mongo.Collection, docs []T, key func(T) string) error {
	for batch := range slices.Chunk(docs, upsertBatch) {
		models := make([]mongo.WriteModel, len(batch))
		for i, d := range batch {
			models[i] = mongo.NewReplaceOneModel().
				SetFilter(bson.D{{Key: "_id", Value: key(d)}}).
				SetReplacement(d).
				SetUpsert(true)
		}
		if _, err := c.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false)); err != nil {
			return fmt.Errorf("upsert into %s: %w", c.Name(), err)
		}
	}
	return nil
}

// deleteBatch bounds one delete request.
const deleteBatch = 10000

// deleteInBatches deletes the documents that match filter. It reads their
// _ids in one pass and deletes them in batches by _id: FerretDB fails on a
// delete that matches more than about 32,000 documents.
func deleteInBatches(ctx context.Context, c *mongo.Collection, filter bson.D) (int, error) {
	cur, err := c.Find(ctx, filter, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return 0, fmt.Errorf("find in %s: %w", c.Name(), err)
	}
	var ids []struct {
		ID any `bson:"_id"`
	}
	if err := cur.All(ctx, &ids); err != nil {
		return 0, fmt.Errorf("read %s: %w", c.Name(), err)
	}
	total := 0
	for len(ids) > 0 {
		n := min(len(ids), deleteBatch)
		keys := make([]any, n)
		for i, id := range ids[:n] {
			keys[i] = id.ID
		}
		ids = ids[n:]
		res, err := c.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: keys}}}})
		if err != nil {
			return total, fmt.Errorf("delete from %s: %w", c.Name(), err)
		}
		total += int(res.DeletedCount)
	}
	return total, nil
}

// in builds a filter on a field matching any of values.
func in(field string, values []string) bson.E {
	return bson.E{Key: field, Value: bson.D{{Key: "$in", Value: values}}}
}

// eqIf appends field == value to the filter when value is set.
func eqIf[V comparable](filter bson.D, field string, value V) bson.D {
	var zero V
	if value == zero {
		return filter
	}
	return append(filter, bson.E{Key: field, Value: value})
}

// ids returns the _id of every document of c, in order.
func ids(ctx context.Context, c *mongo.Collection) ([]string, error) {
	cur, err := c.Find(ctx, bson.D{}, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}).SetSort(bson.D{{Key: "_id", Value: 1}}).SetBatchSize(findBatch))
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", c.Name(), err)
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read %s: %w", c.Name(), err)
	}
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ID
	}
	return out, nil
}
