package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/countyhub/countyhub/model"
)

const (
	tokensColl = "tokens"
	// bootstrapID marks, in the tokens collection, that the first admin
	// token was made: several hubs starting at once make only one.
	bootstrapID = "~bootstrap"
)

// PutToken stores a new token.
func (s *Store) PutToken(ctx context.Context, t model.Token) error {
	if _, err := s.db.Collection(tokensColl).InsertOne(ctx, t); err != nil {
		return fmt.Errorf("store token: %w", err)
	}
	return nil
}

// Token returns the token with this id.
func (s *Store) Token(ctx context.Context, id string) (model.Token, error) {
	if id == bootstrapID {
		return model.Token{}, fmt.Errorf("token %q: %w", id, ErrNotFound)
	}
	return findOne[model.Token](ctx, s.db.Collection(tokensColl), id)
}

// Tokens returns every token, revoked ones included, by id.
func (s *Store) Tokens(ctx context.Context) ([]model.Token, error) {
	all, err := findAll[model.Token](ctx, s.db.Collection(tokensColl), bson.D{{Key: "_id", Value: bson.D{{Key: "$ne", Value: bootstrapID}}}})
	return all, err
}

// RevokeToken marks a token revoked at the given time and returns it; a
// token revoked before keeps its first revocation time.
func (s *Store) RevokeToken(ctx context.Context, id string, at time.Time) (model.Token, error) {
	c := s.db.Collection(tokensColl)
	if id == bootstrapID {
		return model.Token{}, fmt.Errorf("token %q: %w", id, ErrNotFound)
	}
	_, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "revoked", Value: bson.D{{Key: "$exists", Value: false}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "revoked", Value: at.UTC()}}}})
	if err != nil {
		return model.Token{}, fmt.Errorf("revoke token: %w", err)
	}
	return s.Token(ctx, id)
}

// ClaimBootstrap records that the first admin token is being made; it
// returns false when some hub did so before.
func (s *Store) ClaimBootstrap(ctx context.Context, at time.Time) (bool, error) {
	_, err := s.db.Collection(tokensColl).InsertOne(ctx, bson.D{{Key: "_id", Value: bootstrapID}, {Key: "created", Value: at.UTC()}})
	if mongo.IsDuplicateKeyError(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim the first admin token: %w", err)
	}
	return true, nil
}

// UnclaimBootstrap undoes ClaimBootstrap when the first token could not be
// made, so that the next start tries again.
func (s *Store) UnclaimBootstrap(ctx context.Context) error {
	if _, err := s.db.Collection(tokensColl).DeleteOne(ctx, bson.D{{Key: "_id", Value: bootstrapID}}); err != nil {
		return fmt.Errorf("unclaim the first admin token: %w", err)
	}
	return nil
}
