package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// The HTTP transports of /graphql. They read a request into gqlgen's
// RawParams and answer every refusal with a code and an HTTP status
// (gqlgen's own transports answer client mistakes without a code, echo
// the body back, and read a chunked upload into memory):
//
//   - post: one JSON request per body, at most maxBody bytes;
//   - get: a query (never a mutation) in the URL;
//   - multipart: a GraphQL multipart request (uploads), at most
//     maxUpload bytes, with files spooled to disk as they are read;
//   - refusal: everything else, answered 405, 415 or 400.

// post reads a JSON body.
type post struct{ maxBody int64 }

func (post) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") == "" && r.Method == http.MethodPost && mediaType(r) == "application/json"
}

func (t post) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	body, err := io.ReadAll(limitBody(w, r, t.maxBody))
	if err != nil {
		refuseRead(w, r, err, t.maxBody)
		return
	}
	params, err := decodeRequest(body)
	if err != nil {
		refuse(w, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	execute(w, r, exec, params, false)
}

// decodeRequest reads one GraphQL request from a JSON body, with numbers
// kept as written.
func decodeRequest(body []byte) (*graphql.RawParams, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return nil, errors.New(`the request body is empty: send {"query": "..."}`)
	case trimmed[0] == '[':
		return nil, errors.New("batched requests (a JSON array) are not supported: send one request per POST")
	case trimmed[0] != '{':
		return nil, errors.New(`the request body is not a JSON object: send {"query": "...", "variables": {...}}`)
	}
	var p graphql.RawParams
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("the request body is not a GraphQL request in JSON: %s", jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("the request body holds more than one JSON value: send one request per POST")
	}
	return &p, nil
}

// jsonProblem says what is wrong with a JSON body without quoting it.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("%s at byte %d", syntax.Error(), syntax.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("%q must be %s, not %s", typ.Field, kindOf(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "it ends early"
	}
	return "it cannot be decoded"
}

func kindOf(k string) string {
	switch k {
	case "map":
		return "an object"
	case "string":
		return "a string"
	}
	return k
}

// get reads a query from the URL; mutations need POST.
type get struct{}

func (get) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") == "" && r.Method == http.MethodGet
}

func (get) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		refuse(w, http.StatusBadRequest, CodeBadRequest, "the URL's query string cannot be read: "+err.Error())
		return
	}
	params := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	for name, into := range map[string]any{"variables": &params.Variables, "extensions": &params.Extensions} {
		if v := q.Get(name); v != "" {
			dec := json.NewDecoder(strings.NewReader(v))
			dec.UseNumber()
			if err := dec.Decode(into); err != nil {
				refuse(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("the %s parameter is not a JSON object: %s", name, jsonProblem(err)))
				return
			}
		}
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	execute(w, r, exec, params, true)
}

// execute runs one request and writes its answer with the status its
// errors call for.
func execute(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, params *graphql.RawParams, queriesOnly bool) {
	ctx := r.Context()
	params.Headers = r.Header
	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs)
		writeResponse(w, statusOf(resp, http.StatusUnprocessableEntity), resp)
		return
	}
	if queriesOnly && oc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", "POST")
		refuse(w, http.StatusMethodNotAllowed, CodeMethodNotAllowed,
			fmt.Sprintf("a %s cannot be sent with GET: use POST", oc.Operation.Operation))
		return
	}
	if oc.Operation.Operation == ast.Subscription {
		refuse(w, http.StatusBadRequest, CodeBadRequest, "subscriptions need the websocket transport (graphql-transport-ws)")
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	resp := responses(ctx)
	writeResponse(w, statusOf(resp, http.StatusOK), resp)
}

// statusOf is the HTTP status of an answer: 200 when there are data;
// without data, the status of the first error's code, or fallback.
func statusOf(resp *graphql.Response, fallback int) int {
	if resp == nil || len(resp.Errors) == 0 {
		return http.StatusOK
	}
	if d := bytes.TrimSpace(resp.Data); len(d) > 0 && !bytes.Equal(d, []byte("null")) {
		return http.StatusOK
	}
	code, _ := resp.Errors[0].Extensions["code"].(string)
	if s, ok := httpStatus[code]; ok {
		return s
	}
	return fallback
}

func writeResponse(w http.ResponseWriter, status int, resp *graphql.Response) {
	b, err := json.Marshal(resp)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="countyhub"`)
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// refuse answers a request that does not reach the executor.
func refuse(w http.ResponseWriter, status int, code, msg string) {
	writeResponse(w, status, &graphql.Response{Errors: gqlerror.List{{Message: msg, Extensions: map[string]any{"code": code}}}})
}

// limitBody caps the body at max bytes; 0 for no cap.
func limitBody(w http.ResponseWriter, r *http.Request, max int64) io.Reader {
	if max <= 0 {
		return r.Body
	}
	return http.MaxBytesReader(w, r.Body, max)
}

// refuseRead answers a body that could not be read: too large (413), cut
// off by the request's deadline (408), or broken (400).
func refuseRead(w http.ResponseWriter, r *http.Request, err error, max int64) {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		refuse(w, http.StatusRequestEntityTooLarge, CodePayloadTooLarge,
			fmt.Sprintf("the request body is larger than %d bytes, the most the hub takes", max))
	case r.Context().Err() != nil || errors.Is(err, os.ErrDeadlineExceeded):
		refuse(w, http.StatusRequestTimeout, CodeTimeout, "the request body did not arrive within the hub's request timeout")
	default:
		refuse(w, http.StatusBadRequest, CodeBadRequest, "the request body could not be read")
	}
}

// mediaType is the request's Content-Type without parameters, or "".
func mediaType(r *http.Request) string {
	t, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return t
}

// refusal answers what no other transport takes.
type refusal struct{}

func (refusal) Supports(*http.Request) bool { return true }

func (refusal) Do(w http.ResponseWriter, r *http.Request, _ graphql.GraphExecutor) {
	switch {
	case r.Header.Get("Upgrade") != "":
		refuse(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("upgrade to %q is not offered: /graphql upgrades to websocket only", r.Header.Get("Upgrade")))
	case r.Method == http.MethodPost:
		refuse(w, http.StatusUnsupportedMediaType, CodeUnsupportedMediaType,
			fmt.Sprintf("Content-Type %q is not taken: send application/json, or multipart/form-data for uploads", r.Header.Get("Content-Type")))
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		refuse(w, http.StatusMethodNotAllowed, CodeMethodNotAllowed, fmt.Sprintf("%s is not allowed on /graphql: use POST, or GET for queries", r.Method))
	}
}
