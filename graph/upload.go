package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"

	"github.com/99designs/gqlgen/graphql"

	"github.com/countyhub/countyhub/auth"
)

// uploads reads a GraphQL multipart request
// (github.com/jaydenseric/graphql-multipart-request-spec): the operations,
// the map, then the files. The whole body is capped at maxUpload bytes and
// refused with 413 the moment it passes; a file is kept in memory up to
// inMemory bytes and spooled to a temporary file past that, so an upload
// of unknown length never grows the hub's memory by its size.
type uploads struct {
	maxUpload, maxOperations, inMemory int64
}

func (uploads) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") == "" && r.Method == http.MethodPost && mediaType(r) == "multipart/form-data"
}

func (t uploads) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	// Only imports take files, and they need a token: a caller without
	// one is refused before its file is read.
	if p, ok := auth.FromContext(r.Context()); !ok || p.Role == auth.Anonymous {
		refuse(w, http.StatusUnauthorized, CodeUnauthenticated, "uploading a file needs a token: send Authorization: Bearer TOKEN")
		return
	}
	if t.maxUpload > 0 && r.ContentLength > t.maxUpload {
		refuse(w, http.StatusRequestEntityTooLarge, CodePayloadTooLarge,
			fmt.Sprintf("the request is %d bytes; the hub takes at most %d", r.ContentLength, t.maxUpload))
		return
	}
	if t.maxUpload > 0 {
		r.Body = http.MaxBytesReader(w, r.Body, t.maxUpload)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		refuse(w, http.StatusBadRequest, CodeBadRequest, "the multipart body cannot be read: "+err.Error())
		return
	}
	var spooled []*os.File
	defer func() {
		for _, f := range spooled {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	params, err := t.read(mr, &spooled)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) || r.Context().Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) {
			refuseRead(w, r, err, t.maxUpload)
			return
		}
		refuse(w, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	execute(w, r, exec, params, false)
}

// read reads the parts in the order the spec gives them.
func (t uploads) read(mr *multipart.Reader, spooled *[]*os.File) (*graphql.RawParams, error) {
	part, err := mr.NextPart()
	if err != nil {
		return nil, fmt.Errorf("the multipart body cannot be read: %w", err)
	}
	if part.FormName() != "operations" {
		return nil, fmt.Errorf("the first part is %q: the GraphQL multipart request starts with \"operations\"", part.FormName())
	}
	body, err := io.ReadAll(io.LimitReader(part, t.maxOperations+1))
	if err != nil {
		return nil, fmt.Errorf("the operations part cannot be read: %w", err)
	}
	if int64(len(body)) > t.maxOperations {
		return nil, fmt.Errorf("the operations part is larger than %d bytes, the most the hub takes", t.maxOperations)
	}
	params, err := decodeRequest(body)
	if err != nil {
		return nil, fmt.Errorf("operations: %w", err)
	}
	if part, err = mr.NextPart(); err != nil {
		return nil, fmt.Errorf("the multipart body cannot be read: %w", err)
	}
	if part.FormName() != "map" {
		return nil, fmt.Errorf("the second part is %q: the GraphQL multipart request gives \"map\" second", part.FormName())
	}
	var paths map[string][]string
	if body, err = io.ReadAll(io.LimitReader(part, t.maxOperations+1)); err == nil {
		err = decodeJSON(body, &paths)
	}
	if err != nil {
		return nil, fmt.Errorf("the map part is not a JSON object of file keys to variable paths: %w", err)
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("the multipart body cannot be read: %w", err)
		}
		key := part.FormName()
		to, ok := paths[key]
		if !ok || len(to) == 0 {
			return nil, fmt.Errorf("the file part %q is not in the map", key)
		}
		delete(paths, key)
		sp, err := t.spool(part, spooled)
		if err != nil {
			return nil, fmt.Errorf("file %q: %w", key, err)
		}
		for _, path := range to {
			// Each variable the file fills gets a reader of its own.
			u := graphql.Upload{Filename: part.FileName(), ContentType: part.Header.Get("Content-Type"), Size: sp.size}
			if u.File, err = sp.open(spooled); err != nil {
				return nil, fmt.Errorf("file %q: %w", key, err)
			}
			if gerr := params.AddUpload(u, key, path); gerr != nil {
				return nil, fmt.Errorf("file %q: %s", key, gerr.Message)
			}
		}
	}
	for key := range paths {
		return nil, fmt.Errorf("the map names file %q, which the body does not hold", key)
	}
	return params, nil
}

// spooledFile is an uploaded file's bytes: in memory, or in a temporary
// file.
type spooledFile struct {
	data []byte
	path string
	size int64
}

// spool reads a file part into memory, or into a temporary file once it
// is larger than inMemory bytes.
func (t uploads) spool(part *multipart.Part, spooled *[]*os.File) (spooledFile, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(part, t.inMemory+1))
	if err != nil {
		return spooledFile{}, err
	}
	if n <= t.inMemory {
		return spooledFile{data: buf.Bytes(), size: n}, nil
	}
	f, err := os.CreateTemp("", "countyhub-upload-")
	if err != nil {
		return spooledFile{}, errSpool
	}
	*spooled = append(*spooled, f)
	if _, err := f.Write(buf.Bytes()); err != nil {
		return spooledFile{}, errSpool
	}
	rest, err := io.Copy(f, part)
	if err != nil {
		return spooledFile{}, err
	}
	return spooledFile{path: f.Name(), size: n + rest}, nil
}

var errSpool = errors.New("the hub cannot keep the file for reading")

// open gives a fresh reader over the file's bytes.
func (s spooledFile) open(spooled *[]*os.File) (io.ReadSeeker, error) {
	if s.path == "" {
		return bytes.NewReader(s.data), nil
	}
	f, err := os.Open(s.path)
	if err != nil {
		return nil, errSpool
	}
	*spooled = append(*spooled, f)
	return f, nil
}

// decodeJSON decodes one JSON value, numbers kept as written.
func decodeJSON(b []byte, into any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(into); err != nil {
		return errors.New(jsonProblem(err))
	}
	return nil
}
