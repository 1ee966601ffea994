package normalize

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/countyhub/countyhub/model"
)

// prefixQualifiers are the words before a number that qualify it.
var prefixQualifiers = map[string]model.Qualifier{
	"超过":  model.AtLeast,
	"逾":   model.AtLeast,
	"不少于": model.AtLeast,
	"至少":  model.AtLeast,
	"近":   model.Approximate,
	"将近":  model.Approximate,
	"约":   model.Approximate,
	"大约":  model.Approximate,
	"不足":  model.AtMost,
	"不到":  model.AtMost,
	"少于":  model.AtMost,
	"至多":  model.AtMost,
	"不超过": model.AtMost,
}

// moreWords follow a number that is a lower bound: "30余个", "50多次", "30+".
var moreWords = map[string]bool{"余": true, "多": true, "+": true}

// approxWords follow a figure that is approximate: "3000人左右".
var approxWords = map[string]bool{"左右": true}

// magnitudes are the powers of ten that 万 and 亿 after a number stand for.
var magnitudes = map[string]int{"万": 4, "亿": 8}

// unitWords are the words after a number that name its unit.
var unitWords = map[string]string{
	"元": model.UnitCNY,
	"%": model.UnitPercent, // ％ folds to %
	"个": model.UnitCount, "件": model.UnitCount, "人": model.UnitCount,
	"名": model.UnitCount, "支": model.UnitCount, "条": model.UnitCount,
	"次": model.UnitCount, "起": model.UnitCount, "家": model.UnitCount,
	"项": model.UnitCount, "场": model.UnitCount, "户": model.UnitCount,
	"座": model.UnitCount, "处": model.UnitCount, "所": model.UnitCount,
	"个次": model.UnitCount, "人次": model.UnitCount,
}

// chineseDigits are the Chinese numerals for 0 to 9.
var chineseDigits = map[rune]int64{
	'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

// smallUnits multiply the digit before them within a group of four digits.
var smallUnits = map[rune]int64{'十': 10, '百': 100, '千': 1000}

// bigUnits multiply the whole group of four digits before them.
var bigUnits = map[rune]int64{'万': 1e4, '亿': 1e8}

// Quantity parses a reported figure such as "300余件", "6万余元", "近3000人"
// or "100%" into a quantity that keeps its qualifier, its unit and, in Text,
// the original text unchanged.
//
// A figure is an optional qualifying word (超过, 逾, 不少于, 至少: at least;
// 近, 将近, 约, 大约: approximately; 不足, 不到, 少于, 至多, 不超过: at most),
// a number in ASCII or full-width digits (with thousands separators and a
// decimal part) or in Chinese numerals (十九, 两千, 一百二十三), an optional
// 万 or 亿 multiplying it, an optional 余, 多 or + making it a lower bound
// (before or after 万 and 亿: "10余万元", "6万余元"), an optional unit word
// (元 for CNY, % for PERCENT, a count word such as 个, 件, 人 or 人次 for
// COUNT) and an optional 左右 making it approximate. Whitespace may separate
// these parts. Without a unit word the unit is unit, the default unit, which
// is one of model.UnitCount, model.UnitCNY and model.UnitPercent; "" means
// model.UnitCount. Percentages keep their number: "100%" is 100 PERCENT.
//
// An empty text, a text without a number or with two, a text with anything
// else in it and a text whose qualifiers disagree ("约30余个") are errors.
// Colloquial Chinese numerals that drop a unit ("二百五" for 250) are
// errors too, rather than being read as 205.
func Quantity(text, unit string) (model.Quantity, error) {
	q, err := parseQuantity(text, unit)
	if err != nil {
		return model.Quantity{}, fmt.Errorf("quantity %q: %w", text, err)
	}
	q.Text = text
	return q, nil
}

func parseQuantity(text, unit string) (model.Quantity, error) {
	switch unit {
	case "":
		unit = model.UnitCount
	case model.UnitCount, model.UnitCNY, model.UnitPercent:
	default:
		return model.Quantity{}, fmt.Errorf("unknown default unit %q", unit)
	}
	if !utf8.ValidString(text) {
		return model.Quantity{}, errors.New("invalid UTF-8")
	}
	s := newScanner(text)
	s.skipSpace()
	if s.done() {
		return model.Quantity{}, errors.New("empty")
	}

	var quals qualifiers
	if q, ok := matchWord(s, prefixQualifiers); ok {
		quals.add(q)
		s.skipSpace()
	}

	mantissa, hasBig, err := s.number()
	if err != nil {
		return model.Quantity{}, err
	}
	if mantissa == "" {
		if containsNumber(s.runes[s.pos:]) {
			return model.Quantity{}, fmt.Errorf("unexpected %q", s.rest())
		}
		return model.Quantity{}, errors.New("no number")
	}
	s.skipSpace()

	more := s.more()
	exp := 0
	if !hasBig {
		if e, ok := matchWord(s, magnitudes); ok {
			exp = e
			s.skipSpace()
			if !more {
				more = s.more()
			}
		}
	}
	if more {
		quals.add(model.AtLeast)
	}

	if u, ok := matchWord(s, unitWords); ok {
		unit = u
		s.skipSpace()
	}
	if _, ok := matchWord(s, approxWords); ok {
		quals.add(model.Approximate)
		s.skipSpace()
	}

	if !s.done() {
		if startsNumber(s.peek()) {
			return model.Quantity{}, errors.New("more than one number")
		}
		return model.Quantity{}, fmt.Errorf("unexpected %q", s.rest())
	}
	if quals.err != nil {
		return model.Quantity{}, quals.err
	}

	value, err := strconv.ParseFloat(mantissa+"e"+strconv.Itoa(exp), 64)
	if err != nil {
		return model.Quantity{}, fmt.Errorf("read number: %w", err)
	}
	if math.IsInf(value, 0) || math.IsNaN(value) {
		return model.Quantity{}, errors.New("number out of range")
	}
	return model.Quantity{Value: value, Qualifier: quals.get(), Unit: unit}, nil
}

// qualifiers collects the qualifiers a figure states, which must agree.
type qualifiers struct {
	q   model.Qualifier
	err error
}

func (qs *qualifiers) add(q model.Qualifier) {
	switch {
	case qs.q == "":
		qs.q = q
	case qs.q != q && qs.err == nil:
		qs.err = fmt.Errorf("conflicting qualifiers %s and %s", qs.q, q)
	}
}

func (qs *qualifiers) get() model.Qualifier {
	if qs.q == "" {
		return model.Exact
	}
	return qs.q
}

// more consumes 余, 多 or + and the whitespace after it.
func (s *scanner) more() bool {
	if _, ok := matchWord(s, moreWords); !ok {
		return false
	}
	s.skipSpace()
	return true
}

// number consumes a number in digits or Chinese numerals and returns it as
// a decimal string for strconv.ParseFloat, "" when there is none. hasBig
// tells whether a Chinese numeral contained 万 or 亿 already.
func (s *scanner) number() (mantissa string, hasBig bool, err error) {
	if isDigit(s.peek()) {
		return s.arabic(), false, nil
	}
	if startsNumber(s.peek()) {
		v, big, err := s.chinese()
		if err != nil {
			return "", false, err
		}
		return strconv.FormatInt(v, 10), big, nil
	}
	return "", false, nil
}

// arabic consumes a number in digits: "19", "1,225", "1.5". A comma is a
// thousands separator only between groups of three digits after a first
// group of one to three; otherwise it is left for the caller to reject.
func (s *scanner) arabic() string {
	first := s.digits()
	n := first
	for len(first) <= 3 && s.peek() == ',' && s.groupOfThree(1) {
		s.pos++
		n += s.digits()
	}
	if s.peek() == '.' && isDigit(s.at(1)) {
		s.pos++
		n += "." + s.digits()
	}
	return n
}

// groupOfThree reports whether exactly three digits start i runes on.
func (s *scanner) groupOfThree(i int) bool {
	return isDigit(s.at(i)) && isDigit(s.at(i+1)) && isDigit(s.at(i+2)) && !isDigit(s.at(i+3))
}

// chinese consumes a number in Chinese numerals, such as 十九, 两千,
// 一百零五 or 一亿五千万, and tells whether it contained 万 or 亿.
//
// It reads a numeral as groups of four digits closed by 万 or 亿, each
// digit followed by 十, 百 or 千 in decreasing order, and rejects what does
// not fit: repeated digits (一二), units out of order (十百), a 零 not
// followed by a digit, and a last digit straight after 百 or larger
// (二百五, colloquially 250, is an error rather than 205).
func (s *scanner) chinese() (value int64, hasBig bool, err error) {
	start := s.pos
	malformed := func() error {
		return fmt.Errorf("malformed Chinese numeral at %q", s.text[s.offs[start]:])
	}
	var total, section int64
	digit := int64(-1)  // a digit waiting for its unit
	var lastSmall int64 // the last 十, 百 or 千 of the section
	var lastBig int64   // the last 万 or 亿
	var lastMul int64   // the last unit of either kind
	zero := false       // a 零 since the last unit

	// addDigit adds a digit that has no unit of its own.
	addDigit := func() error {
		if digit < 0 {
			return nil
		}
		if lastMul > 10 && !zero {
			return malformed()
		}
		section += digit
		digit = -1
		return nil
	}

	for !s.done() {
		r := s.peek()
		if d, ok := chineseDigits[r]; ok {
			switch {
			case d == 0 && s.pos == start:
				// A lone zero; anything after it is another number.
				s.pos++
				return 0, false, nil
			case d == 0 && (digit >= 0 || zero):
				return 0, false, malformed()
			case d == 0:
				zero = true
			case digit >= 0:
				return 0, false, malformed()
			default:
				digit = d
			}
			s.pos++
			continue
		}
		if u, ok := smallUnits[r]; ok {
			if digit < 0 {
				if u != 10 || s.pos != start {
					return 0, false, malformed()
				}
				digit = 1 // 十九 is 19
			}
			if lastSmall != 0 && u >= lastSmall {
				return 0, false, malformed()
			}
			section += digit * u
			digit, lastSmall, lastMul, zero = -1, u, u, false
			s.pos++
			continue
		}
		if b, ok := bigUnits[r]; ok {
			if zero && digit < 0 {
				return 0, false, malformed()
			}
			if err := addDigit(); err != nil {
				return 0, false, err
			}
			if section == 0 || (lastBig != 0 && b >= lastBig) {
				return 0, false, malformed()
			}
			total += section * b
			section, lastSmall, lastBig, lastMul, zero = 0, 0, b, b, false
			hasBig = true
			s.pos++
			continue
		}
		break
	}
	if zero && digit < 0 {
		return 0, false, malformed()
	}
	if err := addDigit(); err != nil {
		return 0, false, err
	}
	return total + section, hasBig, nil
}

// startsNumber reports whether a number can start with r.
func startsNumber(r rune) bool {
	_, ok := chineseDigits[r]
	return ok || r == '十' || isDigit(r)
}

// containsNumber reports whether any of rs can start a number.
func containsNumber(rs []rune) bool {
	for _, r := range rs {
		if startsNumber(r) {
			return true
		}
	}
	return false
}
