package normalize

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// dateCases are the table of TestDate and the seeds of FuzzDate. wantErr
// is a part of the error message; the whole message must also quote the
// text.
var dateCases = map[string]struct {
	text    string
	want    string
	wantErr string
}{
	"chinese day":        {text: "2023年8月7日", want: "2023-08-07"},
	"dashes":             {text: "2023-8-7", want: "2023-08-07"},
	"slashes":            {text: "2023/08/07", want: "2023-08-07"},
	"dots":               {text: "2023.8.7", want: "2023-08-07"},
	"iso":                {text: "2023-08-07", want: "2023-08-07"},
	"dot month":          {text: "2023.8", want: "2023-08"},
	"chinese month":      {text: "2023年8月", want: "2023-08"},
	"dash month":         {text: "2023-08", want: "2023-08"},
	"slash month":        {text: "2023/8", want: "2023-08"},
	"chinese year":       {text: "2023年", want: "2023"},
	"year":               {text: "2023", want: "2023"},
	"full-width chinese": {text: "２０２３年８月７日", want: "2023-08-07"},
	"full-width dashes":  {text: "２０２３－０８－０７", want: "2023-08-07"},
	"full-width dots":    {text: "２０２３．８", want: "2023-08"},
	"spaced chinese":     {text: " 2023 年 8 月 7 日 ", want: "2023-08-07"},
	"surrounding space":  {text: "\t2023-08-07\n", want: "2023-08-07"},
	"leap day":           {text: "2024-02-29", want: "2024-02-29"},
	"leap century":       {text: "2000年2月29日", want: "2000-02-29"},
	"first year":         {text: "1949年10月1日", want: "1949-10-01"},
	"last year":          {text: "2100-12-31", want: "2100-12-31"},

	"month 13":         {text: "2023-13", wantErr: "month 13 out of range"},
	"month 0":          {text: "2023-00", wantErr: "month 0 out of range"},
	"chinese month 13": {text: "2023年13月", wantErr: "month 13 out of range"},
	"february 30":      {text: "2023-02-30", wantErr: "day 30 out of range for 2023-02"},
	"not a leap year":  {text: "2023-02-29", wantErr: "day 29 out of range"},
	"not leap 2100":    {text: "2100-02-29", wantErr: "day 29 out of range"},
	"day 0":            {text: "2023-8-0", wantErr: "day 0 out of range"},
	"april 31":         {text: "2023年4月31日", wantErr: "day 31 out of range"},
	"year 1948":        {text: "1948", wantErr: "year 1948 outside 1949..2100"},
	"year 2101":        {text: "2101年", wantErr: "year 2101 outside"},
	"two-digit year":   {text: "23-8-7", wantErr: `year "23" is not four digits`},
	"five-digit year":  {text: "20230", wantErr: "not four digits"},
	"three-digit day":  {text: "2023-8-007", wantErr: "more than two digits"},
	"empty":            {text: "", wantErr: "empty"},
	"blank":            {text: "  ", wantErr: "empty"},
	"letters":          {text: "abc", wantErr: "no year"},
	"chinese numerals": {text: "二〇二三年", wantErr: "no year"},
	"mixed separators": {text: "2023-8/7", wantErr: `unexpected "/7"`},
	"dangling dash":    {text: "2023-", wantErr: "no month"},
	"dangling day":     {text: "2023-8-", wantErr: "no day"},
	"no 月":             {text: "2023年8", wantErr: "month without 月"},
	"no 日":             {text: "2023年8月7", wantErr: "day without 日"},
	"日 after dashes":   {text: "2023-8-7日", wantErr: `unexpected "日"`},
	"time":             {text: "2023-08-07T10:00", wantErr: `unexpected "T10:00"`},
	"compact":          {text: "20230807", wantErr: "not four digits"},
	"invalid UTF-8":    {text: "2023\xff", wantErr: "invalid UTF-8"},
}

func TestDate(t *testing.T) {
	t.Parallel()
	for name, tc := range dateCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Date(tc.text)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("Date(%q) = %q, want error %q", tc.text, got, tc.wantErr)
				}
				if msg := err.Error(); !strings.Contains(msg, tc.wantErr) || !strings.HasPrefix(msg, "date "+strconv.Quote(tc.text)+": ") {
					t.Errorf("Date(%q) error = %q, want it to quote the text and say %q", tc.text, msg, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Date(%q): %v", tc.text, err)
			}
			if got != tc.want {
				t.Errorf("Date(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func FuzzDate(f *testing.F) {
	for _, tc := range dateCases {
		f.Add(tc.text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, err := Date(text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "date "+strconv.Quote(text)+": ") {
				t.Errorf("Date(%q) error %q does not quote the text", text, err)
			}
			return
		}
		layouts := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}
		layout, ok := layouts[len(got)]
		if !ok {
			t.Fatalf("Date(%q) = %q, not YYYY, YYYY-MM or YYYY-MM-DD", text, got)
		}
		d, err := time.Parse(layout, got)
		if err != nil {
			t.Fatalf("Date(%q) = %q, not ISO 8601: %v", text, got, err)
		}
		if y := d.Year(); y < minYear || y > maxYear {
			t.Errorf("Date(%q) = %q, year outside %d..%d", text, got, minYear, maxYear)
		}
		if again, err := Date(got); err != nil || again != got {
			t.Errorf("Date(%q) = %q, but Date(%q) = %q, %v", text, got, got, again, err)
		}
	})
}
