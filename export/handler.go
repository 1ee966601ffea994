package export

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/countyhub/countyhub/analytics"
	"github.com/countyhub/countyhub/model"
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

// FacetReader reads the entity facets; *store.Store is one.
type FacetReader interface {
	Facets(ctx context.Context) (model.Facets, error)
}

// TablePath returns the path of an entity table's export ("stations-matrix",
// "budget-totals" or "pilot-phases") in a format, for a scope ("" for the
// configured city).
func TablePath(table, format, scope string) string {
	q := url.Values{}
	if scope != "" {
		q.Set("scope", scope)
	}
	path := "/export/" + table + "." + format
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return path
}

// Handler serves exports at /export/NAME.csv and /export/NAME.xlsx:
// compare (query parameters metric, period, scope, per, as compare takes
// them), stations-matrix, budget-totals (scope, year) and pilot-phases
// (scope). The scope defaults to city.
// Comparisons and units come from src, the entity tables from facets.
func Handler(src analytics.Source, facets FacetReader, city string, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, format, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/export/"), ".")
		if format != "csv" && format != "xlsx" {
			http.Error(w, "not found: exports are /export/NAME.csv and /export/NAME.xlsx", http.StatusNotFound)
			return
		}
		q := r.URL.Query()
		scope := q.Get("scope")
		if scope == "" {
			scope = city
		}
		t, err := table(r.Context(), src, facets, name, scope, q)
		var bad *badRequest
		switch {
		case errors.As(err, &bad), errors.Is(err, analytics.ErrUnknown):
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		case errors.Is(err, errNoTable):
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		case err != nil:
			logger.ErrorContext(r.Context(), "export failed", "error", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fmt.Sprintf("%s-%s.%s", name, scope, format)))
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

var errNoTable = errors.New("no such export: the exports are compare, stations-matrix, budget-totals and pilot-phases")

type badRequest struct{ msg string }

func (b *badRequest) Error() string { return b.msg }

// table builds the table an export names.
func table(ctx context.Context, src analytics.Source, facets FacetReader, name, scope string, q url.Values) (Table, error) {
	if name == "compare" {
		metric, period := q.Get("metric"), q.Get("period")
		if metric == "" || period == "" {
			return Table{}, &badRequest{"give the metric and period query parameters, as compare takes them"}
		}
		c, err := analytics.Compare(ctx, src, metric, period, scope, q.Get("per"), model.UnitLevel(strings.ToUpper(q.Get("level"))))
		if err != nil {
			return Table{}, err
		}
		return Comparison(c), nil
	}
	if name != "stations-matrix" && name != "budget-totals" && name != "pilot-phases" {
		return Table{}, errNoTable
	}
	u, err := src.Unit(ctx, scope)
	if err != nil {
		return Table{}, &badRequest{fmt.Sprintf("scope %q: no such unit", scope)}
	}
	counties := []model.AdminUnit{u}
	if !u.IsCountyLevel() {
		if counties, err = src.Descendants(ctx, scope, model.LevelCounty); err != nil {
			return Table{}, err
		}
	}
	n := map[string]string{}
	for _, c := range counties {
		n[c.Code] = c.Name
	}
	f, err := facets.Facets(ctx)
	if err != nil {
		return Table{}, err
	}
	switch name {
	case "stations-matrix":
		var rows []model.StationFacet
		for _, s := range f.Stations {
			if _, ok := n[s.County]; ok {
				rows = append(rows, s)
			}
		}
		return StationMatrix(tableTitle("党群服务站 stations", u), rows, n), nil
	case "budget-totals":
		year := 0
		if y := q.Get("year"); y != "" {
			if year, err = strconv.Atoi(y); err != nil {
				return Table{}, &badRequest{fmt.Sprintf("year %q: want a number", y)}
			}
		}
		var rows []model.BudgetFacet
		for _, b := range f.Budgets {
			if _, ok := n[b.County]; ok && (year == 0 || b.Year == year) {
				rows = append(rows, b)
			}
		}
		return BudgetTotals(tableTitle("经费 budgets", u), rows, n), nil
	default:
		var rows []model.PilotFacet
		for _, p := range f.Pilots {
			if _, ok := n[p.County]; ok {
				rows = append(rows, p)
			}
		}
		return PilotPhases(tableTitle("试点 pilots", u), rows, n), nil
	}
}
