// Package asof tells when the figures of a county file are for: the date
// they are reported as of and the period they cover.
//
// County files state the date in words, "（截至2023年8月7日）" under a
// title or "统计截至：2023-08-07" above a table; an import may give it in
// the as_of option instead, and a period in the period option. The
// option comes first; a file's own date is taken only without one. The
// period is the option's, else the one the file states, else the year of
// the as-of date.
//
// An option that is not a date is, as each importer documents, either an
// error (Figures, Of) or warned of, the file's date being used instead
// (FromOption, then Stated or StatedDay). A blank option is not given.
package asof

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/countyhub/countyhub/normalize"
)

// Names of the import options.
const (
	// Option is the option giving the as-of date.
	Option = "as_of"
	// PeriodOption is the option giving the period.
	PeriodOption = "period"
)

// Options are an import's options; *sdk.Input has them.
type Options interface {
	Option(name, def string) string
}

// stated finds the date a text states its figures as of: 截至 or 截止, a
// colon or spaces, then a year with a month and maybe a day, in Chinese
// (2023年8月7日, 2023年8月) or with separators (2023-08-07, 2023/8, 2023.8.7),
// in ASCII or full-width digits.
var stated = regexp.MustCompile(`(?:截至|截止)[：:\s]*([0-9０-９]{4}\s*(?:年\s*[0-9０-９]{1,2}\s*月(?:\s*[0-9０-９]{1,2}\s*日)?|[-/.][0-9]{1,2}(?:[-/.][0-9]{1,2})?))`)

// InText returns the date the first 截至 of a text states, as written
// ("2023年8月7日"), or "" when it states none.
func InText(text string) string {
	if m := stated.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

// Stated returns the date the first 截至 of a text states as YYYY-MM-DD
// (YYYY-MM for a month), and whether it states one that is a date.
func Stated(text string) (string, bool) {
	d, err := normalize.Date(InText(text))
	return d, err == nil
}

// StatedDay is Stated for a report that must give a day: a month alone
// ("截至2023年8月") is not its date.
func StatedDay(text string) (string, bool) {
	d, ok := Stated(text)
	if len(d) != len("2006-01-02") {
		return "", false
	}
	return d, ok
}

// FromOption returns the date of the as_of option, "" when it is not
// given (or blank), or normalize.Date's error for a value that is not a
// date; the caller says it is the option's.
func FromOption(opts Options) (string, error) {
	v := opts.Option(Option, "")
	if strings.TrimSpace(v) == "" {
		return "", nil
	}
	return normalize.Date(v)
}

// Of returns the as-of date of an import's figures: the as_of option's
// when it is given, else the date the file states (stated, as written; ""
// when it states none), else "". It fails when the date it takes is not
// a date; it does not fall back to the file's date when the option is
// not one.
func Of(opts Options, stated string) (string, error) {
	if d, err := FromOption(opts); d != "" || err != nil {
		return d, err
	}
	if strings.TrimSpace(stated) == "" {
		return "", nil
	}
	return normalize.Date(stated)
}

// Period returns the period of an import's figures: the period option
// when it is given, else the period the file states (stated; "" when it
// states none), else the year of the as-of date; "" when none tells.
func Period(opts Options, stated, asOf string) string {
	if p := opts.Option(PeriodOption, ""); p != "" {
		return p
	}
	if stated != "" {
		return stated
	}
	return Year(asOf)
}

// Year returns the year of a date ("2023" of "2023-08-07"), or "" for
// "".
func Year(date string) string {
	if len(date) < 4 {
		return ""
	}
	return date[:4]
}

// Figures returns the period and the as-of date of an import's figures
// from its options and the as-of date the file states (as written; ""
// when it states none), by Of and Period. An as-of date that is not a
// date is the error "option as_of: …", whether the option or the file
// gave it; a period that neither tells is the error unknown, the
// importer's words for what to give.
func Figures(opts Options, stated string, unknown error) (period, asOf string, err error) {
	if asOf, err = Of(opts, stated); err != nil {
		return "", "", fmt.Errorf("option %s: %w", Option, err)
	}
	if period = Period(opts, "", asOf); period == "" {
		return "", "", unknown
	}
	return period, asOf, nil
}
