package mapping

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/normalize"
)

// This file reads one cell text as a field of a given kind. Each reader
// returns an error that says what was found and what was wanted.

// readDate reads a date such as 2023-08-07, 2023年8月7日, 2023年8月 or 2023.
func readDate(text string) (string, error) {
	d, err := normalize.Date(text)
	if err != nil {
		return "", fmt.Errorf("%v (want a date such as 2023-08-07, 2023年8月7日 or 2023)", err)
	}
	return d, nil
}

// readYear reads a year such as 2022 or 2022年.
func readYear(text string) (int, error) {
	d, err := normalize.Date(text)
	if err != nil || len(d) != 4 {
		return 0, fmt.Errorf("%q is not a year (want a year such as 2022 or 2022年)", text)
	}
	return strconv.Atoi(d)
}

// readCount reads a whole number such as 120, 120户 or 一百二十.
func readCount(text string) (int, error) {
	q, err := normalize.Quantity(text, model.UnitCount)
	if err != nil {
		return 0, fmt.Errorf("%v (want a whole number such as 120 or 120户)", err)
	}
	if q.Unit != model.UnitCount || q.Qualifier != model.Exact || q.Value != math.Trunc(q.Value) || q.Value > math.MaxInt32 {
		return 0, fmt.Errorf("%q is not an exact whole number (want a number such as 120 or 120户)", text)
	}
	return int(q.Value), nil
}

// readFigure reads a reported figure ("300余件", "6万余元", "100%"), keeping
// its text. A figure without a unit word is in unit. An amount in CNY whose
// text gives neither 元 nor 万 or 亿 is multiplied by scale (10000 for a
// table in 万元), rounded to the fen; one too large for a number once
// multiplied is an error.
func readFigure(text, unit string, scale float64) (model.Quantity, error) {
	q, err := normalize.Quantity(text, unit)
	if err != nil {
		return q, fmt.Errorf("%v (want a figure such as 12, 300余件, 6万余元 or 100%%)", err)
	}
	if scale != 1 && q.Unit == model.UnitCNY && bare(text) {
		v := q.Value * scale
		if math.IsInf(v, 0) {
			return q, fmt.Errorf("quantity %q: out of range in units of %g yuan (money_scale)", text, scale)
		}
		if fen := math.Round(v*100) / 100; !math.IsInf(fen, 0) {
			v = fen
		}
		q.Value = v
	}
	return q, nil
}

// bare tells whether a figure's text gives neither its unit nor a
// magnitude, so that the table's unit applies.
func bare(text string) bool {
	q, err := normalize.Quantity(text, model.UnitCount)
	return err == nil && q.Unit == model.UnitCount && !strings.ContainsAny(text, "万亿")
}

// readFlag reads yes or no: 是/否, 有/无, 达标/未达标, √/×, yes/no, 1/0.
func readFlag(text string) (bool, error) {
	v, ok := flags[fold(text)]
	if !ok {
		return false, fmt.Errorf("%q is neither yes nor no (want 是 or 否, 有 or 无, 达标 or 未达标, yes or no)", text)
	}
	return v, nil
}

// readEnum reads one of the words of an enum field.
func readEnum(f *field, text string) (string, error) {
	if v, ok := f.words[fold(text)]; ok {
		return v, nil
	}
	return "", fmt.Errorf("%q is not a known %s (want %s, or add the word under values: %s: in the mapping)", text, f.name, enumWords(f), f.name)
}

// enumWords lists an enum's values with the Chinese words for them.
func enumWords(f *field) string {
	byValue := map[string][]string{}
	var values []string
	for w, v := range f.words {
		if fold(v) == w {
			values = append(values, v)
			continue
		}
		byValue[v] = append(byValue[v], w)
	}
	slices.Sort(values)
	var parts []string
	for _, v := range values {
		ws := byValue[v]
		slices.Sort(ws)
		parts = append(parts, v+" ("+strings.Join(ws, ", ")+")")
	}
	return strings.Join(parts, "; ")
}

// enumValues lists an enum's values.
func enumValues(f *field) string {
	var values []string
	for w, v := range f.words {
		if fold(v) == w {
			values = append(values, v)
		}
	}
	slices.Sort(values)
	return strings.Join(values, ", ")
}

var facilityCode = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// splitList splits a list cell on 、 , and ; (full-width too).
func splitList(text string) []string {
	var items []string
	for _, it := range strings.FieldsFunc(text, func(r rune) bool {
		return strings.ContainsRune("、,，;；", r)
	}) {
		if it = strings.TrimSpace(it); it != "" {
			items = append(items, it)
		}
	}
	return items
}

// readFacility reads one facility of a list: a code or a Chinese name of
// the shared table, or a name the mapping gives a code under values.
func readFacility(item string, codes map[string]string) (model.Facility, error) {
	if code, ok := codes[fold(item)]; ok {
		if known, ok := facilityByCode(code); ok {
			return known, nil
		}
		return model.Facility{Code: code, Name: item}, nil
	}
	for _, f := range facilities {
		if fold(item) == fold(f.Name) || item == f.Code {
			return f, nil
		}
	}
	if facilityCode.MatchString(item) {
		return model.Facility{Code: item}, nil
	}
	return model.Facility{Name: item}, errors.New("no code")
}

func facilityByCode(code string) (model.Facility, bool) {
	for _, f := range facilities {
		if f.Code == code {
			return f, true
		}
	}
	return model.Facility{}, false
}
