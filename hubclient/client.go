// Package hubclient speaks GraphQL to a running hub over HTTP: queries,
// mutations and file uploads (the GraphQL multipart request), with the
// caller's API token. The countyhub commands that work through a hub
// (import, demo, token, rollups, load) use it.
package hubclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"time"
)

// ErrUnreachable is the error of a request that reached no hub: nothing
// listens at the address, or the connection broke.
var ErrUnreachable = errors.New("hub unreachable")

// Client is a client of one hub.
type Client struct {
	url   string
	token string
	http  *http.Client
}

// New returns a client of the hub at addr ("http://127.0.0.1:8080") that
// sends token, if any, as a bearer token.
func New(addr, token string) *Client {
	return &Client{url: strings.TrimRight(addr, "/") + "/graphql", token: token, http: &http.Client{Timeout: 10 * time.Minute}}
}

// URL is the address of the hub's GraphQL endpoint.
func (c *Client) URL() string { return c.url }

// Error is an answer of the hub with GraphQL errors.
type Error struct {
	// Messages are the errors' messages, and Codes their extensions.code,
	// in the order the hub gave them.
	Messages, Codes []string
}

func (e *Error) Error() string {
	msgs := make([]string, len(e.Messages))
	for i, m := range e.Messages {
		msgs[i] = fmt.Sprintf("%s (%s)", m, e.Codes[i])
	}
	return strings.Join(msgs, "; ")
}

type response struct {
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Extensions struct{ Code string }
	}
}

// Query sends the query or mutation q with vars and decodes the answer's
// data into out.
func (c *Client) Query(ctx context.Context, q string, vars map[string]any, out any) error {
	req, err := c.Request(ctx, q, vars)
	if err != nil {
		return err
	}
	return c.Do(req, out)
}

// Request is a GraphQL POST of q with vars to the hub, with the token.
func (c *Client) Request(ctx context.Context, q string, vars map[string]any) (*http.Request, error) {
	body, err := json.Marshal(map[string]any{"query": q, "variables": vars})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	c.Authorize(req)
	return req, nil
}

// Authorize adds the client's token, if any, to req.
func (c *Client) Authorize(req *http.Request) {
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
}

// Upload sends a GraphQL multipart request of q with vars, the file's
// content streamed as the variable $file under the file name name.
func (c *Client) Upload(ctx context.Context, q string, vars map[string]any, name string, file io.Reader, out any) error {
	vars["file"] = nil
	ops, err := json.Marshal(map[string]any{"query": q, "variables": vars})
	if err != nil {
		return err
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			if err := mw.WriteField("operations", string(ops)); err != nil {
				return err
			}
			if err := mw.WriteField("map", `{"0": ["variables.file"]}`); err != nil {
				return err
			}
			part, err := mw.CreateFormFile("0", name)
			if err != nil {
				return err
			}
			if _, err := io.Copy(part, file); err != nil {
				return err
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, pr)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req, out)
}

// Do sends req with the token and decodes the answer's data into out; an
// answer with GraphQL errors is an *Error.
func (c *Client) Do(req *http.Request, out any) error {
	c.Authorize(req)
	res, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w at %s: %w", ErrUnreachable, c.url, err)
	}
	defer res.Body.Close()
	var r response
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		return fmt.Errorf("hub answered %s: %w", res.Status, err)
	}
	if len(r.Errors) > 0 {
		return errorOf(r)
	}
	return json.Unmarshal(r.Data, out)
}

// errorOf is the *Error of an answer with errors.
func errorOf(r response) *Error {
	e := &Error{}
	for _, x := range r.Errors {
		e.Messages = append(e.Messages, x.Message)
		e.Codes = append(e.Codes, x.Extensions.Code)
	}
	return e
}
