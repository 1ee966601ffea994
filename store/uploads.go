package store

import (
	"context"
	"errors"
	"fmt"
	"io"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// uploadsBucket is the GridFS bucket of uploaded files.
const uploadsBucket = "uploads"

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
