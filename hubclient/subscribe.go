package hubclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// wsMessage is a message of the graphql-transport-ws protocol.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Subscribe runs the subscription q with vars over the hub's websocket
// (the graphql-transport-ws protocol, with the token in connection_init)
// and calls each with the data of every event, until the hub completes
// the subscription, each returns an error or ctx ends. An event with
// GraphQL errors ends it with an *Error.
func (c *Client) Subscribe(ctx context.Context, q string, vars map[string]any, each func(data json.RawMessage) error) error {
	url := "ws" + strings.TrimPrefix(c.url, "http")
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return fmt.Errorf("%w at %s: %w", ErrUnreachable, url, err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(64 << 20)

	init := map[string]any{}
	if c.token != "" {
		init["Authorization"] = "Bearer " + c.token
	}
	payload, _ := json.Marshal(init)
	if err := wsjson.Write(ctx, conn, wsMessage{Type: "connection_init", Payload: payload}); err != nil {
		return err
	}
	sub, err := json.Marshal(map[string]any{"query": q, "variables": vars})
	if err != nil {
		return err
	}
	acked := false
	for {
		var m wsMessage
		if err := wsjson.Read(ctx, conn, &m); err != nil {
			var ce websocket.CloseError
			if errors.As(err, &ce) && ce.Reason != "" {
				return fmt.Errorf("the hub closed the subscription: %s", ce.Reason)
			}
			return err
		}
		switch m.Type {
		case "connection_ack":
			if !acked {
				acked = true
				if err := wsjson.Write(ctx, conn, wsMessage{ID: "1", Type: "subscribe", Payload: sub}); err != nil {
					return err
				}
			}
		case "ping":
			if err := wsjson.Write(ctx, conn, wsMessage{Type: "pong"}); err != nil {
				return err
			}
		case "next":
			var r response
			if err := json.Unmarshal(m.Payload, &r); err != nil {
				return fmt.Errorf("event of the subscription: %w", err)
			}
			if len(r.Errors) > 0 {
				return errorOf(r)
			}
			if err := each(r.Data); err != nil {
				return err
			}
		case "error":
			var r response
			if err := json.Unmarshal(m.Payload, &r.Errors); err != nil {
				return fmt.Errorf("the subscription failed: %s", m.Payload)
			}
			return errorOf(r)
		case "complete":
			conn.Close(websocket.StatusNormalClosure, "")
			return nil
		}
	}
}
