// Package metrics exposes the hub's Prometheus metrics: HTTP requests and
// their latency, database commands, and the phases of import runs, each on
// the hub's own registry.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/countyhub/countyhub/model"
)

// Metrics is the hub's registry and the collectors on it.
type Metrics struct {
	reg          *prometheus.Registry
	requests     *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	storeCalls   *prometheus.CounterVec
	storeLatency *prometheus.HistogramVec
	phaseTime    *prometheus.HistogramVec
	phaseRows    *prometheus.CounterVec
}

// New makes a registry with the hub's collectors and the Go runtime and
// process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "countyhub_http_requests_total",
			Help: "HTTP requests served, by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "countyhub_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		storeCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "countyhub_store_commands_total",
			Help: "Database commands sent (one per round trip), by command and outcome.",
		}, []string{"command", "outcome"}),
		storeLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "countyhub_store_command_duration_seconds",
			Help:    "Round-trip time of database commands, by command.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"command"}),
		phaseTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "countyhub_import_phase_duration_seconds",
			Help:    "Time the phases of import runs took (upload, store, parse, validate, write, diff, publish, rollups), by phase.",
			Buckets: []float64{.001, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300},
		}, []string{"phase"}),
		phaseRows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "countyhub_import_phase_rows_total",
			Help: "Records the phases of import runs handled, by phase; divided by the phase's duration, its rate.",
		}, []string{"phase"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.storeCalls, m.storeLatency, m.phaseTime, m.phaseRows,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Instrument counts and times the requests of one route.
func (m *Metrics) Instrument(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		m.requests.WithLabelValues(route, strconv.Itoa(rec.code)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// ObserveCommand records one database command; it fits
// store.Options.Observe.
func (m *Metrics) ObserveCommand(command string, took time.Duration, failed bool) {
	outcome := "ok"
	if failed {
		outcome = "error"
	}
	m.storeCalls.WithLabelValues(command, outcome).Inc()
	m.storeLatency.WithLabelValues(command).Observe(took.Seconds())
}

// ObservePhase records one finished phase of an import run; it fits
// pipeline.Options.ObservePhase.
func (m *Metrics) ObservePhase(p model.Phase) {
	m.phaseTime.WithLabelValues(p.Name).Observe(p.Duration.Seconds())
	m.phaseRows.WithLabelValues(p.Name).Add(float64(p.Rows))
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer (the
// websocket transport needs to hijack it).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
