package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/sync/errgroup"

	"github.com/countyhub/countyhub/model"
)

// Collections of import runs and releases.
const (
	runsColl        = "runs"
	diagnosticsColl = "diagnostics"
	releasesColl    = "releases"
	auditColl       = "audit"
	uploadsBucket   = "uploads"
	unitRecordsColl = "unit_records"
)

// ErrConflict is returned when a compare-and-swap update finds that
// another writer changed the document first.
var ErrConflict = errors.New("changed concurrently")

// recordCollections maps a dataset to the prefix of its records'
// collections. Each run writes a dataset's records to a collection of its
// own, "stations.<run>": reading a run's records reads only them, and
// removing a run drops its collections. FerretDB evaluates every filter but
// _id equality by reading the whole collection, and deletes one request at
// a time, so records of many runs in one collection would make reading a
// release and collecting an old run cost as much as every run stored.
var recordCollections = map[string]string{
	"units":        unitRecordsColl,
	"stations":     stationsColl,
	"spaces":       spacesColl,
	"pilots":       pilotsColl,
	"budgets":      budgetsColl,
	"observations": observationsColl,
}

// records returns the collection of a run's records of a dataset.
func (s *Store) records(dataset, run string) (*mongo.Collection, error) {
	prefix, ok := recordCollections[dataset]
	if !ok {
		return nil, fmt.Errorf("unknown dataset %q", dataset)
	}
	if run == "" || strings.ContainsAny(run, "$\x00") {
		return nil, fmt.Errorf("run id %q: not a valid run id", run)
	}
	return s.db.Collection(prefix + "." + run), nil
}

// CreateRun stores a new run.
func (s *Store) CreateRun(ctx context.Context, r model.Run) error {
	if _, err := s.db.Collection(runsColl).InsertOne(ctx, r); err != nil {
		return fmt.Errorf("create run: %w", err)
	}
	return nil
}

// PutRun replaces a stored run.
func (s *Store) PutRun(ctx context.Context, r model.Run) error {
	res, err := s.db.Collection(runsColl).ReplaceOne(ctx, bson.D{{Key: "_id", Value: r.ID}}, r)
	if err != nil {
		return fmt.Errorf("update run %s: %w", r.ID, err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("update run %s: %w", r.ID, ErrNotFound)
	}
	return nil
}

// SetRunProgress records how far a running import got.
func (s *Store) SetRunProgress(ctx context.Context, id string, read, errs, warnings int) error {
	_, err := s.db.Collection(runsColl).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "read", Value: read}, {Key: "errors", Value: errs}, {Key: "warnings", Value: warnings}}}})
	if err != nil {
		return fmt.Errorf("update progress of run %s: %w", id, err)
	}
	return nil
}

// Run returns the run with the given id, or ErrNotFound.
func (s *Store) Run(ctx context.Context, id string) (model.Run, error) {
	return findOne[model.Run](ctx, s.db.Collection(runsColl), id)
}

// RunFilter selects runs; zero fields match everything.
type RunFilter struct {
	Unit   string
	Status model.RunStatus
}

func (f RunFilter) bson() bson.D {
	return eqIf(eqIf(bson.D{}, "unit", f.Unit), "status", f.Status)
}

// Runs returns one page of the runs that match f, newest first (run ids
// sort by time).
func (s *Store) Runs(ctx context.Context, f RunFilter, p Page) (PageOf[model.Run], error) {
	return newestFirst[model.Run](ctx, s.db.Collection(runsColl), f.bson(), p)
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

// CountRuns counts the runs that match f.
func (s *Store) CountRuns(ctx context.Context, f RunFilter) (int, error) {
	return count(ctx, s.db.Collection(runsColl), f.bson())
}

// RunsWith returns every run that matches f, oldest first.
func (s *Store) RunsWith(ctx context.Context, f RunFilter) ([]model.Run, error) {
	return findAll[model.Run](ctx, s.db.Collection(runsColl), f.bson())
}

// PutDiagnostics stores diagnostics of a run.
func (s *Store) PutDiagnostics(ctx context.Context, d []model.RunDiagnostic) error {
	return insertMany(ctx, s.db.Collection(diagnosticsColl), d)
}

// Diagnostics returns one page of a run's diagnostics, in file order.
func (s *Store) Diagnostics(ctx context.Context, run string, p Page) (PageOf[model.RunDiagnostic], error) {
	return findPage[model.RunDiagnostic](ctx, s.db.Collection(diagnosticsColl), bson.D{{Key: "run", Value: run}}, p)
}

// CountDiagnostics counts a run's diagnostics.
func (s *Store) CountDiagnostics(ctx context.Context, run string) (int, error) {
	return count(ctx, s.db.Collection(diagnosticsColl), bson.D{{Key: "run", Value: run}})
}

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
// ErrConflict. next.Version must be old.Version + 1.
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
		return nil
	}
	res, err := c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: old.Unit}, {Key: "version", Value: old.Version}}, next)
	if err != nil {
		return fmt.Errorf("release of %s: %w", next.Unit, err)
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("release of %s: %w", next.Unit, ErrConflict)
	}
	return nil
}

// InsertRecords writes records of a run (values of the dataset's model
// type, or Encoded ones), unordered.
func (s *Store) InsertRecords(ctx context.Context, dataset, run string, docs []any) error {
	c, err := s.records(dataset, run)
	if err != nil {
		return err
	}
	for i, d := range docs {
		if e, ok := d.(Encoded); ok {
			docs[i] = e.raw
		}
	}
	return insertMany(ctx, c, docs)
}

// RunRecords returns every record a run wrote to a dataset, in key order.
func RunRecords[T any](ctx context.Context, s *Store, dataset, run string) ([]T, error) {
	c, err := s.records(dataset, run)
	if err != nil {
		return nil, err
	}
	return findAll[T](ctx, c, bson.D{})
}

// deleteBatch bounds one delete request.
const deleteBatch = 10000

// RunFingerprints returns the fingerprints of every record a run wrote to
// a dataset, in key order, for comparing runs without their model types.
func (s *Store) RunFingerprints(ctx context.Context, dataset, run string) ([]Fingerprint, error) {
	c, err := s.records(dataset, run)
	if err != nil {
		return nil, err
	}
	docs, err := findAll[bson.Raw](ctx, c, bson.D{})
	if err != nil {
		return nil, err
	}
	out := make([]Fingerprint, len(docs))
	for i, d := range docs {
		if out[i], err = fingerprint(d); err != nil {
			return nil, fmt.Errorf("record of %s: %w", c.Name(), err)
		}
	}
	return out, nil
}

// DeleteRunRecords removes every record a run wrote to a dataset by
// dropping the run's collection; removing records already removed is not
// an error.
func (s *Store) DeleteRunRecords(ctx context.Context, dataset, run string) error {
	c, err := s.records(dataset, run)
	if err != nil {
		return err
	}
	if err := c.Drop(ctx); err != nil {
		return fmt.Errorf("drop %s: %w", c.Name(), err)
	}
	return nil
}

// DeleteDiagnostics removes a run's diagnostics.
func (s *Store) DeleteDiagnostics(ctx context.Context, run string) (int, error) {
	return deleteInBatches(ctx, s.db.Collection(diagnosticsColl), bson.D{{Key: "run", Value: run}})
}

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

// PutAudit appends an audit entry.
func (s *Store) PutAudit(ctx context.Context, e model.AuditEntry) error {
	if _, err := s.db.Collection(auditColl).InsertOne(ctx, e); err != nil {
		return fmt.Errorf("write audit entry: %w", err)
	}
	return nil
}

// Audit returns every audit entry, oldest first.
func (s *Store) Audit(ctx context.Context) ([]model.AuditEntry, error) {
	return findAll[model.AuditEntry](ctx, s.db.Collection(auditColl), bson.D{})
}

// HasUpload tells whether a file with this SHA-256 is stored.
func (s *Store) HasUpload(ctx context.Context, sha string) (bool, error) {
	n, err := s.db.Collection(uploadsBucket+".files").CountDocuments(ctx, bson.D{{Key: "_id", Value: sha}})
	if err != nil {
		return false, fmt.Errorf("look up upload: %w", err)
	}
	return n > 0, nil
}

// PutUpload stores a file under its SHA-256 (in GridFS), unless one is
// stored already.
func (s *Store) PutUpload(ctx context.Context, sha, name string, r io.Reader) error {
	if ok, err := s.HasUpload(ctx, sha); err != nil || ok {
		return err
	}
	b := s.db.GridFSBucket(options.GridFSBucket().SetName(uploadsBucket))
	if err := b.UploadFromStreamWithID(ctx, sha, name, r); err != nil {
		return fmt.Errorf("store upload %s: %w", name, err)
	}
	return nil
}

// OpenUpload reads a stored file.
func (s *Store) OpenUpload(ctx context.Context, sha string) (io.ReadCloser, error) {
	b := s.db.GridFSBucket(options.GridFSBucket().SetName(uploadsBucket))
	st, err := b.OpenDownloadStream(ctx, sha)
	if errors.Is(err, mongo.ErrFileNotFound) {
		return nil, fmt.Errorf("upload %s: %w", sha, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open upload %s: %w", sha, err)
	}
	return st, nil
}

// RecordsOfRuns returns every record the given runs wrote to a dataset,
// run by run in the order given. It reads the runs' collections a few at a
// time.
func RecordsOfRuns[T any](ctx context.Context, s *Store, dataset string, runs []string) ([]T, error) {
	byRun := make([][]T, len(runs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, run := range runs {
		g.Go(func() error {
			recs, err := RunRecords[T](gctx, s, dataset, run)
			byRun[i] = recs
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := []T{}
	for _, recs := range byRun {
		out = append(out, recs...)
	}
	return out, nil
}

// RunsByID returns the runs with the given ids, in id order; ids that do
// not exist are left out.
func (s *Store) RunsByID(ctx context.Context, ids []string) ([]model.Run, error) {
	return findAll[model.Run](ctx, s.db.Collection(runsColl), bson.D{in("_id", ids)})
}

// Encoded is a record encoded once for the store: written as it is, and
// fingerprinted for diffs without decoding it again.
type Encoded struct {
	raw bson.Raw
}

// Encode encodes a record (a value of a dataset's model type).
func Encode(doc any) (Encoded, error) {
	raw, err := bson.Marshal(doc)
	if err != nil {
		return Encoded{}, err
	}
	return Encoded{raw: raw}, nil
}

// Fingerprint returns what a diff compares of the record.
func (e Encoded) Fingerprint() (Fingerprint, error) {
	return fingerprint(e.raw)
}

// Fingerprint is what a diff compares of a record: its natural key, its
// place in the file, and each field's encoded value, leaving out what
// differs between runs by nature (the id and the provenance).
type Fingerprint struct {
	Key, Reference string
	// Fields maps a field name to its encoded value; equal encodings are
	// equal values.
	Fields map[string]string
}

func fingerprint(raw bson.Raw) (Fingerprint, error) {
	elems, err := raw.Elements()
	if err != nil {
		return Fingerprint{}, err
	}
	f := Fingerprint{Fields: make(map[string]string, len(elems))}
	for _, e := range elems {
		switch k := e.Key(); k {
		case "_id":
		case "provenance":
			f.Reference, _ = e.Value().Document().Lookup("reference").StringValueOK()
		default:
			if k == "key" {
				f.Key, _ = e.Value().StringValueOK()
			}
			v := e.Value()
			f.Fields[k] = string(rune(v.Type)) + string(v.Value)
		}
	}
	return f, nil
}

// UnitRecords returns the unit records a run wrote.
func (s *Store) UnitRecords(ctx context.Context, run string) ([]model.UnitRecord, error) {
	return RunRecords[model.UnitRecord](ctx, s, "units", run)
}
