package normalize

import (
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// Years a date may fall in: countyhub's reports are about the People's
// Republic, and a year past 2100 is a typing error.
const (
	minYear = 1949
	maxYear = 2100
)

// Date normalizes a reported date to ISO 8601 at the precision the report
// gives: "2023年8月7日", "2023-8-7", "2023/08/07" and "2023.8.7" become
// "2023-08-07"; "2023年8月", "2023-08" and "2023.8" become "2023-08";
// "2023年" and "2023" become "2023".
//
// Digits may be full-width, surrounding whitespace is ignored, and so is
// whitespace around 年, 月 and 日. The year has four digits and lies in
// 1949..2100; the month and the day have one or two digits and must exist
// (2023-02-30 is an error). A numeric date uses one separator throughout.
func Date(text string) (string, error) {
	d, err := parseDate(text)
	if err != nil {
		return "", fmt.Errorf("date %q: %w", text, err)
	}
	return d, nil
}

func parseDate(text string) (string, error) {
	if !utf8.ValidString(text) {
		return "", errors.New("invalid UTF-8")
	}
	s := newScanner(text)
	s.skipSpace()
	if s.done() {
		return "", errors.New("empty")
	}
	year := s.digits()
	if year == "" {
		return "", errors.New("no year")
	}

	// Whitespace may come before 年 but not before a separator.
	before := s.pos
	s.skipSpace()
	if s.peek() != '年' {
		s.pos = before
	}
	var month, day string
	switch sep := s.peek(); sep {
	case '年':
		s.pos++
		s.skipSpace()
		if month = s.digits(); month != "" {
			s.skipSpace()
			if !s.accept('月') {
				return "", errors.New("month without 月")
			}
			s.skipSpace()
			if day = s.digits(); day != "" {
				s.skipSpace()
				if !s.accept('日') {
					return "", errors.New("day without 日")
				}
			}
		}
	case '-', '/', '.':
		s.pos++
		if month = s.digits(); month == "" {
			return "", fmt.Errorf("no month after %q", sep)
		}
		if s.accept(sep) {
			if day = s.digits(); day == "" {
				return "", fmt.Errorf("no day after %q", sep)
			}
		}
	}
	s.skipSpace()
	if !s.done() {
		return "", fmt.Errorf("unexpected %q", s.rest())
	}
	return formatDate(year, month, day)
}

// formatDate checks a year and an optional month and day, all in ASCII
// digits, and formats them as YYYY, YYYY-MM or YYYY-MM-DD.
func formatDate(year, month, day string) (string, error) {
	if len(year) != 4 {
		return "", fmt.Errorf("year %q is not four digits", year)
	}
	y, _ := strconv.Atoi(year)
	if y < minYear || y > maxYear {
		return "", fmt.Errorf("year %d outside %d..%d", y, minYear, maxYear)
	}
	if month == "" {
		return year, nil
	}
	if len(month) > 2 {
		return "", fmt.Errorf("month %q has more than two digits", month)
	}
	m, _ := strconv.Atoi(month)
	if m < 1 || m > 12 {
		return "", fmt.Errorf("month %d out of range", m)
	}
	if day == "" {
		return fmt.Sprintf("%04d-%02d", y, m), nil
	}
	if len(day) > 2 {
		return "", fmt.Errorf("day %q has more than two digits", day)
	}
	d, _ := strconv.Atoi(day)
	// Day 0 of the next month is the last day of this one.
	if last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day(); d < 1 || d > last {
		return "", fmt.Errorf("day %d out of range for %04d-%02d", d, y, m)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), nil
}
