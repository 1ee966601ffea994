package limit_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/countyhub/countyhub/limit"
)

// syncBuffer is a log that handlers write from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestTimeoutAnswersWithItsCode: a handler still working at the deadline
// and a body still arriving at it each get their status with code
// TIMEOUT, never 200, and are logged; an answer in time passes as it is.
func TestTimeoutAnswersWithItsCode(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	h := limit.Timeout(300*time.Millisecond, logger, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "unread", http.StatusBadRequest)
			return
		}
		if string(body) == "slow" {
			<-r.Context().Done() // works past the deadline
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(`{"data":null}`))
			return
		}
		w.Header().Set("X-Answer", "yes")
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte("in time"))
	}))
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	res, err := http.Post(srv.URL, "text/plain", strings.NewReader("quick"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusTeapot || string(body) != "in time" || res.Header.Get("X-Answer") != "yes" {
		t.Errorf("an answer in time: %d %q %v", res.StatusCode, body, res.Header)
	}

	res, err = http.Post(srv.URL, "text/plain", strings.NewReader("slow"))
	if err != nil {
		t.Fatal(err)
	}
	checkTimeout(t, "work past the deadline", res, http.StatusServiceUnavailable)

	// A body sent a byte at a time, past the deadline.
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n")
	go func() {
		for range 10 {
			if _, err := conn.Write([]byte("x")); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err = http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("a slow body got no answer: %v", err)
	}
	checkTimeout(t, "a slow body", res, http.StatusRequestTimeout)

	if n := strings.Count(logs.String(), "request timed out"); n != 2 {
		t.Errorf("%d timeouts logged; want 2:\n%s", n, logs.String())
	}
}

func checkTimeout(t *testing.T, name string, res *http.Response, status int) {
	t.Helper()
	defer res.Body.Close()
	var r struct {
		Data   json.RawMessage
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatalf("%s: status %d, not JSON: %v", name, res.StatusCode, err)
	}
	if res.StatusCode != status || len(r.Errors) != 1 || r.Errors[0].Extensions.Code != "TIMEOUT" || r.Data != nil {
		t.Errorf("%s: status %d, %+v; want %d with code TIMEOUT and no data", name, res.StatusCode, r, status)
	}
}
