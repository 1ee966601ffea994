package limit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/countyhub/countyhub/auth"
)

// errTimedOut is the cause of a request context that ran out of time.
var errTimedOut = errors.New("request timeout")

// Timeout bounds the whole of a request to d: reading its body, and
// everything the handler does. At the deadline the client gets 408
// (the body had not arrived) or 503 (it had, and the work was still
// running) with code TIMEOUT, the request is logged, and what the handler
// writes after is dropped; the handler's context is done, so its work
// stops at its next look at it. Websocket upgrades are left alone, since
// subscriptions live as long as the client wants.
//
// The handler's answer is held until it returns, so a late answer never
// reaches the client half-written.
func Timeout(d time.Duration, logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d <= 0 || strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		ctx, cancel := context.WithTimeoutCause(r.Context(), d, errTimedOut)
		defer cancel()
		// A body that trickles in is cut off at the deadline too.
		_ = http.NewResponseController(w).SetReadDeadline(start.Add(d))
		body := &watchedBody{ReadCloser: r.Body}
		r = r.WithContext(ctx)
		r.Body = body
		tw := &heldWriter{header: w.Header().Clone()}
		done := make(chan struct{})
		panicked := make(chan any, 1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					panicked <- p
				}
				close(done)
			}()
			next.ServeHTTP(tw, r)
		}()
		select {
		case <-done:
			select {
			case p := <-panicked:
				panic(p)
			default:
			}
			if !body.cutOff() {
				tw.flushTo(w)
				return
			}
		case <-ctx.Done():
			// A read cut off by the deadline cancels the request's context
			// too: the client did not go away, its body was too slow.
			if !errors.Is(context.Cause(ctx), errTimedOut) && !body.cutOff() {
				<-done // the client went away; nothing is left to answer
				return
			}
		}
		tw.drop()
		status, msg := http.StatusServiceUnavailable, fmt.Sprintf("the request took longer than the hub allows (%s); ask for less, or try again", d)
		if !body.finished() {
			status, msg = http.StatusRequestTimeout, fmt.Sprintf("the request body did not arrive within the request timeout (%s)", d)
		}
		logger.WarnContext(ctx, "request timed out", "method", r.Method, "path", r.URL.Path, "status", status,
			"took", time.Since(start).Round(time.Millisecond), "limit", d, "read", body.read())
		auth.Refuse(w, status, "TIMEOUT", msg)
	})
}

// watchedBody notes how much of a body was read, whether it ended, and
// whether the read deadline cut it off.
type watchedBody struct {
	io.ReadCloser
	mu      sync.Mutex
	n       int64
	done    bool
	timeout bool
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.mu.Lock()
	b.n += int64(n)
	switch {
	case err == io.EOF:
		b.done = true
	case errors.Is(err, os.ErrDeadlineExceeded):
		b.timeout = true
	}
	b.mu.Unlock()
	return n, err
}

func (b *watchedBody) finished() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	// A handler that never read a body (GET) has nothing outstanding.
	return b.done || b.n == 0 && b.ReadCloser == http.NoBody
}

func (b *watchedBody) cutOff() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.timeout
}

func (b *watchedBody) read() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.n
}

// heldWriter holds a handler's answer until it returns.
type heldWriter struct {
	mu      sync.Mutex
	header  http.Header
	status  int
	body    bytes.Buffer
	dropped bool
}

func (w *heldWriter) Header() http.Header { return w.header }

func (w *heldWriter) WriteHeader(status int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.status == 0 {
		w.status = status
	}
}

func (w *heldWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.dropped {
		return 0, http.ErrHandlerTimeout
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(p)
}

func (w *heldWriter) drop() {
	w.mu.Lock()
	w.dropped = true
	w.mu.Unlock()
}

func (w *heldWriter) flushTo(dst http.ResponseWriter) {
	w.mu.Lock()
	defer w.mu.Unlock()
	h := dst.Header()
	for k := range h {
		if _, ok := w.header[k]; !ok {
			delete(h, k)
		}
	}
	for k, v := range w.header {
		h[k] = v
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	dst.WriteHeader(w.status)
	_, _ = dst.Write(w.body.Bytes())
}
