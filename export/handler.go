package export

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/countyhub/countyhub/analytics"
)

// ComparePath returns the path of a comparison's export in a format
// ("csv" or "xlsx"), as Handler serves it.
func ComparePath(format, metric, period, scope, per string) string {
	q := url.Values{"metric": {metric}, "period": {period}}
	if scope != "" {
		q.Set("scope", scope)
	}
	if per != "" {
		q.Set("per", per)
	}
	return "/export/compare." + format + "?" + q.Encode()
}

// Handler serves /export/compare.csv and /export/compare.xlsx with the
// query parameters of compare: metric, period, scope (default city) and
// per.
func Handler(src analytics.Source, city string, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		format := strings.TrimPrefix(r.URL.Path, "/export/compare.")
		if format != "csv" && format != "xlsx" {
			http.Error(w, "not found: exports are /export/compare.csv and /export/compare.xlsx", http.StatusNotFound)
			return
		}
		q := r.URL.Query()
		metric, period, scope, per := q.Get("metric"), q.Get("period"), q.Get("scope"), q.Get("per")
		if metric == "" || period == "" {
			http.Error(w, "give the metric and period query parameters, as compare takes them", http.StatusBadRequest)
			return
		}
		if scope == "" {
			scope = city
		}
		c, err := analytics.Compare(r.Context(), src, metric, period, scope, per)
		if errors.Is(err, analytics.ErrUnknown) {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err != nil {
			logger.ErrorContext(r.Context(), "export failed", "error", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		name := fmt.Sprintf("compare-%s-%s-%s.%s", scope, metric, period, format)
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
		t := Comparison(c)
		if format == "csv" {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			err = WriteCSV(w, t)
		} else {
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			err = WriteXLSX(w, t)
		}
		if err != nil {
			logger.WarnContext(r.Context(), "export cut off", "error", err)
		}
	})
}
