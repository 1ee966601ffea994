package refdata

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

//go:embed changes.tsv
var changesTSV []byte

// A Change is a retired code's successor: the unit that took its place,
// with when and how.
type Change struct {
	// Code is the successor's code, a shipped unit.
	Code string
	// Since is the date the retired code went out of use, YYYY-MM-DD.
	Since string
	// What says what happened ("潜山县 became the county-level city
	// 潜山市"), every step of it when there were several.
	What string
}

// changes maps retired codes to the codes that took their place.
var changes = sync.OnceValues(func() (map[string][]Change, error) {
	out := map[string][]Change{}
	sc := bufio.NewScanner(bytes.NewReader(changesTSV))
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.HasPrefix(text, "#") || strings.HasPrefix(text, "old\t") || text == "" {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("changes.tsv line %d: %d fields, want 4", line, len(f))
		}
		for _, code := range strings.Split(f[1], ",") {
			out[f[0]] = append(out[f[0]], Change{Code: code, Since: f[2], What: f[3]})
		}
	}
	return out, sc.Err()
})

// Successors returns the shipped units that took the place of a retired
// code, following later changes to the units in use today (341422 无为县
// of 巢湖 became 340225 无为县 of 芜湖, then 340281 无为市): one unit when
// the code was renamed, moved or merged, several when it was divided, none
// when the code is not retired. The rule a hub applies: a retired code
// with one successor is read as its successor, with a warning that names
// the change; a divided one is refused, naming the successors, because
// which of them a figure belongs to cannot be known.
func Successors(code string) []Change {
	all, err := changes()
	if err != nil {
		return nil
	}
	var out []Change
	var follow func(code string, depth int)
	follow = func(code string, depth int) {
		next, ok := all[code]
		if !ok || depth > 10 {
			if depth > 0 {
				if _, shipped := Unit(code); shipped {
					out = append(out, Change{Code: code})
				}
			}
			return
		}
		for _, c := range next {
			before := len(out)
			follow(c.Code, depth+1)
			for i := before; i < len(out); i++ {
				what := c.What
				if out[i].What != "" {
					what += "; " + out[i].What
				}
				out[i].Since, out[i].What = c.Since, what
			}
		}
	}
	follow(code, 0)
	return out
}
