package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v3"
)

// hubFlags are the flags of commands that work through a running hub:
// its address and the token to send.
func hubFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "hub", Value: "http://127.0.0.1:8080", Usage: "address of the hub", Sources: cli.EnvVars("COUNTYHUB_HUB")},
		&cli.StringFlag{Name: "token", Usage: "API token to send (countyhub token create)", Sources: cli.EnvVars("COUNTYHUB_TOKEN")},
		&cli.StringFlag{Name: "token-file", Usage: "file holding the API token, such as DATA/admin.token", Sources: cli.EnvVars("COUNTYHUB_TOKEN_FILE")},
	}
}

// hubClientOf returns a client of the hub the command's flags name.
func hubClientOf(c *cli.Command) (*hubClient, error) {
	token := c.String("token")
	if f := c.String("token-file"); f != "" && token == "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("--token-file: %w", err)
		}
		token = strings.TrimSpace(string(b))
	}
	return newHubClient(c.String("hub"), token), nil
}

// hubClient speaks GraphQL to a running hub.
type hubClient struct {
	url   string
	token string
	http  *http.Client
}

// newHubClient returns a client of the hub at addr ("http://127.0.0.1:8080")
// that sends token, if any.
func newHubClient(addr, token string) *hubClient {
	return &hubClient{url: strings.TrimRight(addr, "/") + "/graphql", token: token, http: &http.Client{Timeout: 10 * time.Minute}}
}

type gqlResponse struct {
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Extensions struct{ Code string }
	}
}

func (h *hubClient) query(ctx context.Context, q string, vars map[string]any, out any) error {
	req, err := h.request(ctx, q, vars)
	if err != nil {
		return err
	}
	return h.do(req, out)
}

// request is a GraphQL POST of q with vars to the hub, with the token.
func (h *hubClient) request(ctx context.Context, q string, vars map[string]any) (*http.Request, error) {
	body, err := json.Marshal(map[string]any{"query": q, "variables": vars})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	h.authorize(req)
	return req, nil
}

func (h *hubClient) authorize(req *http.Request) {
	if h.token != "" {
		req.Header.Set("Authorization", "Bearer "+h.token)
	}
}

// upload sends a GraphQL multipart request with the file as $file.
func (h *hubClient) upload(ctx context.Context, q string, vars map[string]any, name string, file io.Reader, out any) error {
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
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, pr)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return h.do(req, out)
}

func (h *hubClient) do(req *http.Request, out any) error {
	h.authorize(req)
	res, err := h.http.Do(req)
	if err != nil {
		return fmt.Errorf("reach the hub at %s: %w (is it running? see --hub)", h.url, err)
	}
	defer res.Body.Close()
	var r gqlResponse
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		return fmt.Errorf("hub answered %s: %w", res.Status, err)
	}
	if len(r.Errors) > 0 {
		var msgs []string
		for _, e := range r.Errors {
			msgs = append(msgs, fmt.Sprintf("%s (%s)", e.Message, e.Extensions.Code))
		}
		return errors.New(strings.Join(msgs, "; "))
	}
	return json.Unmarshal(r.Data, out)
}
