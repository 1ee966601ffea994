package asof

import (
	"errors"
	"strings"
	"testing"
)

// options are import options by name.
type options map[string]string

func (o options) Option(name, def string) string {
	if v, ok := o[name]; ok {
		return v
	}
	return def
}

func TestInText(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"大观区红色物业工作情况统计表（截至2023年8月7日）": "2023年8月7日",
		"统计表（截止：2023-08-07）":          "2023-08-07",
		"统计表（截至2023年8月）":              "2023年8月",
		"统计截至：2023年8月7日":              "2023年8月7日",
		"截至 2023 年 8 月 7 日":           "2023 年 8 月 7 日",
		"截止２０２３年８月７日":                 "２０２３年８月７日",
		"截至2023/8":                    "2023/8",
		"截至2023.8.7，以及截至2024年1月1日":    "2023.8.7",
		"大观区红色物业工作情况统计表":              "",
		"截至目前":      "",
		"2023年8月7日": "",
	} {
		if got := InText(text); got != want {
			t.Errorf("InText(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestStated(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]struct {
		date string
		ok   bool
	}{
		"（截至2023年8月7日）": {"2023-08-07", true},
		"统计截至：2023-8-7": {"2023-08-07", true},
		"截止２０２３年８月７日":   {"2023-08-07", true},
		"截至2023年8月":     {"2023-08", true},
		"望江县红色物业工作报告":   {"", false},
		"截至2023年13月32日": {"", false},
	} {
		d, ok := Stated(text)
		if d != want.date || ok != want.ok {
			t.Errorf("Stated(%q) = %q, %v; want %q, %v", text, d, ok, want.date, want.ok)
		}
	}
}

func TestStatedDay(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]struct {
		date string
		ok   bool
	}{
		"（截至2023年8月7日）": {"2023-08-07", true},
		"统计截至：2023-8-7": {"2023-08-07", true},
		"截至2023年8月":     {"", false},
		"截至2023年13月32日": {"", false},
		"望江县红色物业工作报告":   {"", false},
	} {
		d, ok := StatedDay(text)
		if d != want.date || ok != want.ok {
			t.Errorf("StatedDay(%q) = %q, %v; want %q, %v", text, d, ok, want.date, want.ok)
		}
	}
}

func TestOf(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		opts    options
		stated  string
		want    string
		wantErr string
	}{
		"option":                  {opts: options{"as_of": "2023-08-07"}, stated: "2024年1月1日", want: "2023-08-07"},
		"option in Chinese":       {opts: options{"as_of": " 2023年8月7日 "}, want: "2023-08-07"},
		"stated":                  {opts: options{}, stated: "2023年8月7日", want: "2023-08-07"},
		"blank option, stated":    {opts: options{"as_of": "  "}, stated: "2023-8", want: "2023-08"},
		"neither":                 {opts: options{}, want: ""},
		"bad option":              {opts: options{"as_of": "August"}, stated: "2023年8月7日", wantErr: `date "August"`},
		"bad stated":              {opts: options{}, stated: "2023年13月", wantErr: `date "2023年13月"`},
		"bad option, none stated": {opts: options{"as_of": "x"}, wantErr: `date "x"`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Of(tc.opts, tc.stated)
			switch {
			case tc.wantErr != "":
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Errorf("Of = %q, %v; want an error starting %q", got, err, tc.wantErr)
				}
			case err != nil || got != tc.want:
				t.Errorf("Of = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestFromOption(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		opts    options
		want    string
		wantErr bool
	}{
		"none":   {opts: options{}},
		"blank":  {opts: options{"as_of": " "}},
		"date":   {opts: options{"as_of": "2023/8/7"}, want: "2023-08-07"},
		"padded": {opts: options{"as_of": " 2023-08-07 "}, want: "2023-08-07"},
		"bad":    {opts: options{"as_of": "soon"}, wantErr: true},
	} {
		got, err := FromOption(tc.opts)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("%s: FromOption = %q, %v; want %q, error %v", name, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestPeriod(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		opts         options
		stated, asOf string
		want         string
	}{
		"option":        {opts: options{"period": "2023-08"}, stated: "2022", asOf: "2024-01-01", want: "2023-08"},
		"stated":        {opts: options{}, stated: "2022", asOf: "2024-01-01", want: "2022"},
		"year of as_of": {opts: options{}, asOf: "2024-01-01", want: "2024"},
		"none":          {opts: options{}, want: ""},
	} {
		if got := Period(tc.opts, tc.stated, tc.asOf); got != tc.want {
			t.Errorf("%s: Period = %q, want %q", name, got, tc.want)
		}
	}
}

func TestYear(t *testing.T) {
	t.Parallel()
	for date, want := range map[string]string{"2023-08-07": "2023", "2023-08": "2023", "2023": "2023", "": ""} {
		if got := Year(date); got != want {
			t.Errorf("Year(%q) = %q, want %q", date, got, want)
		}
	}
}

func TestFigures(t *testing.T) {
	t.Parallel()
	unknown := errors.New("the period is unknown")
	for name, tc := range map[string]struct {
		opts               options
		stated             string
		wantPeriod, wantAs string
		wantErr            error
	}{
		"options":     {opts: options{"as_of": "2023-08-07", "period": "2023-08"}, wantPeriod: "2023-08", wantAs: "2023-08-07"},
		"stated":      {opts: options{}, stated: "2023年8月7日", wantPeriod: "2023", wantAs: "2023-08-07"},
		"period only": {opts: options{"period": "2023"}, wantPeriod: "2023"},
		"neither":     {opts: options{}, wantErr: unknown},
		"bad stated":  {opts: options{"period": "2023"}, stated: "2023年13月", wantErr: errAny},
		"bad as_of":   {opts: options{"as_of": "x"}, stated: "2023年8月7日", wantErr: errAny},
	} {
		period, asOf, err := Figures(tc.opts, tc.stated, unknown)
		switch {
		case tc.wantErr == errAny:
			if err == nil || !strings.HasPrefix(err.Error(), "option as_of: date ") {
				t.Errorf("%s: Figures = %q, %q, %v; want a date error", name, period, asOf, err)
			}
		case err != tc.wantErr || period != tc.wantPeriod || asOf != tc.wantAs:
			t.Errorf("%s: Figures = %q, %q, %v; want %q, %q, %v", name, period, asOf, err, tc.wantPeriod, tc.wantAs, tc.wantErr)
		}
	}
}

// errAny stands for an error of a date that is not one.
var errAny = errors.New("any")
