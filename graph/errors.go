package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/pipeline"
	"github.com/countyhub/countyhub/store"
)

// Error codes clients see in extensions.code. They are part of the API
// contract: add new ones, never rename or reuse one.
const (
	// CodeBadUserInput: an argument is out of range or malformed.
	CodeBadUserInput = "BAD_USER_INPUT"
	// CodeInvalidCursor: an `after` cursor was not issued by this
	// connection.
	CodeInvalidCursor = "INVALID_CURSOR"
	// CodeNotFound: a record named by the request does not exist.
	CodeNotFound = "NOT_FOUND"
	// CodeFailedPrecondition: the operation does not fit the record's
	// state (publishing a run that is not READY, rolling back a unit
	// never published).
	CodeFailedPrecondition = "FAILED_PRECONDITION"
	// CodeUnavailable: the database did not answer; retry later.
	CodeUnavailable = "UNAVAILABLE"
	// CodeInternal: a fault of the hub; the log has the details.
	CodeInternal = "INTERNAL"
	// CodeUnauthenticated: the request needs a token, or its token is
	// unknown or revoked.
	CodeUnauthenticated = "UNAUTHENTICATED"
	// CodeForbidden: the token's role does not allow the operation (a
	// county editor publishing for another county, an analyst importing).
	CodeForbidden = "FORBIDDEN"
	// CodeTimeout: the request took longer than the hub's request
	// timeout.
	CodeTimeout = "TIMEOUT"
	// CodeDepthLimit: the query nests deeper than the hub allows.
	CodeDepthLimit = "DEPTH_LIMIT_EXCEEDED"
	// CodeRateLimited: the caller sent more requests than its rate
	// allows; retry after the Retry-After header's seconds.
	CodeRateLimited = "RATE_LIMITED"
	// CodePayloadTooLarge: the request body or upload is larger than the
	// hub accepts.
	CodePayloadTooLarge = "PAYLOAD_TOO_LARGE"
	// CodeBadRequest: the HTTP request is not a GraphQL request the hub
	// reads: malformed JSON, a batch, a broken multipart body.
	CodeBadRequest = "BAD_REQUEST"
	// CodeMethodNotAllowed: the HTTP method does not carry this
	// operation (a mutation sent with GET, a PUT).
	CodeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	// CodeUnsupportedMediaType: the body's Content-Type is neither JSON
	// nor multipart/form-data.
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
	// CodeQueryTooLarge: the document passes a bound of its size: bytes,
	// tokens, fields, aliases or repeated fields.
	CodeQueryTooLarge = "QUERY_TOO_LARGE"
	// CodeComplexityLimit: the query asks for too much at once.
	CodeComplexityLimit = "COMPLEXITY_LIMIT_EXCEEDED"
	// CodePersistedQueryNotFound: the hub does not know the hash; send
	// the query with it once.
	CodePersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND"
	// CodePersistedQueryMismatch: the query sent does not have the hash
	// sent with it.
	CodePersistedQueryMismatch = "PERSISTED_QUERY_MISMATCH"
	// CodeParseFailed and CodeValidationFailed are set by gqlgen: the
	// document is not GraphQL, or not valid against the schema.
	CodeParseFailed      = "GRAPHQL_PARSE_FAILED"
	CodeValidationFailed = "GRAPHQL_VALIDATION_FAILED"
)

// httpStatus is the HTTP status of an answer without data whose first
// error has the code. Codes not listed answer 200 when the operation ran
// and 422 when it was refused before running.
var httpStatus = map[string]int{
	CodeBadRequest:             http.StatusBadRequest,
	CodeBadUserInput:           http.StatusOK,
	CodeInvalidCursor:          http.StatusOK,
	CodeNotFound:               http.StatusOK,
	CodeFailedPrecondition:     http.StatusOK,
	CodeUnavailable:            http.StatusServiceUnavailable,
	CodeInternal:               http.StatusInternalServerError,
	CodeUnauthenticated:        http.StatusUnauthorized,
	CodeForbidden:              http.StatusForbidden,
	CodeTimeout:                http.StatusServiceUnavailable,
	CodeRateLimited:            http.StatusTooManyRequests,
	CodePayloadTooLarge:        http.StatusRequestEntityTooLarge,
	CodeMethodNotAllowed:       http.StatusMethodNotAllowed,
	CodeUnsupportedMediaType:   http.StatusUnsupportedMediaType,
	CodePersistedQueryNotFound: http.StatusOK,
	CodePersistedQueryMismatch: http.StatusBadRequest,
	CodeQueryTooLarge:          http.StatusUnprocessableEntity,
	CodeDepthLimit:             http.StatusUnprocessableEntity,
	CodeComplexityLimit:        http.StatusUnprocessableEntity,
	CodeParseFailed:            http.StatusUnprocessableEntity,
	CodeValidationFailed:       http.StatusUnprocessableEntity,
}

// codedError is an error meant for the client, with its code.
type codedError struct {
	code string
	msg  string
}

func (e *codedError) Error() string { return e.msg }

func errBadInput(format string, args ...any) error {
	return &codedError{code: CodeBadUserInput, msg: fmt.Sprintf(format, args...)}
}

func errInvalidCursor(cursor string) error {
	if len(cursor) > 64 {
		cursor = cursor[:64] + "…"
	}
	return &codedError{code: CodeInvalidCursor, msg: fmt.Sprintf("invalid cursor %q: pass the endCursor of a previous page of the same connection", cursor)}
}

// ErrorPresenter gives every error a stable extensions.code and hides
// internal details (driver errors, stack traces) from clients, logging them
// instead.
func ErrorPresenter(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if gqlErr.Extensions["code"] != nil && errors.As(err, new(*gqlerror.Error)) && !hasCause(err) {
			return gqlErr // gqlgen's own parse, validation and limit errors
		}
		var coded *codedError
		var p *panicked
		switch {
		case errors.As(err, &p):
			logger.ErrorContext(ctx, "resolver panicked", "path", gqlErr.Path.String(), "panic", fmt.Sprint(p.value), "stack", string(p.stack))
			return withCode(gqlErr, CodeInternal, "internal error")
		case errors.As(err, &coded):
			return withCode(gqlErr, coded.code, coded.msg)
		case errors.Is(err, store.ErrNotFound):
			return withCode(gqlErr, CodeNotFound, "not found")
		case errors.Is(err, pipeline.ErrInvalid):
			return withCode(gqlErr, CodeBadUserInput, causeMessage(err))
		case errors.Is(err, pipeline.ErrState):
			return withCode(gqlErr, CodeFailedPrecondition, causeMessage(err))
		case errors.Is(err, auth.ErrUnauthenticated):
			return withCode(gqlErr, CodeUnauthenticated, causeMessage(err))
		case errors.Is(err, auth.ErrForbidden):
			return withCode(gqlErr, CodeForbidden, causeMessage(err))
		case errors.Is(err, auth.ErrInvalid):
			return withCode(gqlErr, CodeBadUserInput, causeMessage(err))
		case errors.Is(err, context.DeadlineExceeded) && errors.Is(ctx.Err(), context.DeadlineExceeded):
			logger.WarnContext(ctx, "request timed out", "path", gqlErr.Path.String(), "error", err)
			return withCode(gqlErr, CodeTimeout, "the request took longer than the hub allows; ask for less, or try again")
		case errors.Is(err, context.Canceled):
			// The client went away; nothing is wrong with the hub.
			logger.DebugContext(ctx, "request cancelled", "path", gqlErr.Path.String(), "error", err)
			return withCode(gqlErr, CodeUnavailable, "the request was cancelled")
		case errors.Is(err, context.DeadlineExceeded):
			logger.WarnContext(ctx, "request timed out", "path", gqlErr.Path.String(), "error", err)
			return withCode(gqlErr, CodeUnavailable, "the database did not answer in time; try again")
		default:
			logger.ErrorContext(ctx, "resolver failed", "path", gqlErr.Path.String(), "error", err)
			return withCode(gqlErr, CodeInternal, "internal error")
		}
	}
}

// causeMessage is the message of the resolver's error, without the
// position gqlgen puts before it.
func causeMessage(err error) string {
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) && gqlErr.Err != nil {
		return gqlErr.Err.Error()
	}
	return err.Error()
}

// hasCause tells whether a gqlgen error wraps an error of a resolver.
func hasCause(err error) bool {
	var gqlErr *gqlerror.Error
	return errors.As(err, &gqlErr) && gqlErr.Err != nil
}

func withCode(e *gqlerror.Error, code, msg string) *gqlerror.Error {
	e.Message = msg
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
	return e
}

// Recover turns a panic in a resolver into an INTERNAL error and logs it
// with its stack, so one bad request never takes the hub down.
func Recover(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "resolver panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return &codedError{code: CodeInternal, msg: "internal error"}
	}
}
