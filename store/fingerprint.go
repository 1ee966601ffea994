package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

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
