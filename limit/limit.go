// Package limit bounds what callers may take of the hub: how often each
// may call it (a token bucket per token, or, for anonymous callers, per
// client address), and how long one request may run.
package limit

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/countyhub/countyhub/auth"
)

// Rate limits the requests of each caller to PerSecond on average, with
// bursts of Burst. The zero PerSecond means no limit.
type Rate struct {
	PerSecond float64
	Burst     int
}

// Limiter keeps one token bucket per caller.
type Limiter struct {
	rate Rate
	now  func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// New returns a limiter of r.
func New(r Rate) *Limiter {
	if r.Burst < 1 {
		r.Burst = max(1, int(math.Ceil(r.PerSecond)))
	}
	return &Limiter{rate: r, now: time.Now, buckets: map[string]*bucket{}}
}

// Allow tells whether the caller may make a request now and, when not,
// how long to wait.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	if l.rate.PerSecond <= 0 {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= 100_000 {
			l.sweep(now)
		}
		b = &bucket{lim: rate.NewLimiter(rate.Limit(l.rate.PerSecond), l.rate.Burst)}
		l.buckets[key] = b
	}
	b.seen = now
	l.mu.Unlock()
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// sweep forgets callers idle for a minute; l.mu is held.
func (l *Limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if now.Sub(b.seen) > time.Minute {
			delete(l.buckets, k)
		}
	}
}

// Middleware refuses, with 429 and code RATE_LIMITED, the requests of a
// caller over its rate. It runs after auth.Middleware: the caller is the
// request's token, or its client address when anonymous.
func (l *Limiter) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := l.Allow(callerKey(r)); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			auth.Refuse(w, http.StatusTooManyRequests, "RATE_LIMITED",
				fmt.Sprintf("more than %g requests a second from this caller; retry in %s", l.rate.PerSecond, wait.Round(time.Millisecond)))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func callerKey(r *http.Request) string {
	if p, ok := auth.FromContext(r.Context()); ok && p.TokenID != "" {
		return "token:" + p.TokenID
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "addr:" + host
}
