package normalize

import "unicode"

// scanner walks a text rune by rune for the hand-written parsers of this
// package. It reads the full-width forms of ASCII characters (０-９, ．, ，,
// ％, ＋, the ideographic space) as their ASCII counterparts, and remembers
// where each rune starts in the original text so errors can quote it.
type scanner struct {
	text  string
	runes []rune // folded to ASCII where a full-width form was read
	offs  []int  // byte offset in text of each rune
	pos   int
}

func newScanner(text string) *scanner {
	s := &scanner{text: text}
	for i, r := range text {
		s.runes = append(s.runes, fold(r))
		s.offs = append(s.offs, i)
	}
	return s
}

// fold maps a full-width ASCII form and the ideographic space to ASCII.
func fold(r rune) rune {
	switch {
	case r >= '！' && r <= '～':
		return r - '！' + '!'
	case r == '\u3000':
		return ' '
	}
	return r
}

// foldString folds every rune of s with fold.
func foldString(s string) string {
	rs := []rune(s)
	for i, r := range rs {
		rs[i] = fold(r)
	}
	return string(rs)
}

func (s *scanner) done() bool { return s.pos >= len(s.runes) }

// at returns the rune i places after the current one, or -1 past the end.
func (s *scanner) at(i int) rune {
	if s.pos+i >= len(s.runes) {
		return -1
	}
	return s.runes[s.pos+i]
}

func (s *scanner) peek() rune { return s.at(0) }

// accept consumes r if it is the current rune.
func (s *scanner) accept(r rune) bool {
	if s.peek() != r {
		return false
	}
	s.pos++
	return true
}

func (s *scanner) skipSpace() {
	for !s.done() && unicode.IsSpace(s.runes[s.pos]) {
		s.pos++
	}
}

// rest returns the original text from the current rune on.
func (s *scanner) rest() string {
	if s.done() {
		return ""
	}
	return s.text[s.offs[s.pos]:]
}

// digits consumes a run of ASCII (or full-width) digits and returns it in
// ASCII.
func (s *scanner) digits() string {
	start := s.pos
	for isDigit(s.peek()) {
		s.pos++
	}
	return string(s.runes[start:s.pos])
}

// hasWord reports whether the runes from the current one on spell w.
func (s *scanner) hasWord(w string) bool {
	i := 0
	for _, r := range w {
		if s.at(i) != r {
			return false
		}
		i++
	}
	return true
}

// matchWord consumes the longest key of words found at the current rune and
// returns its value.
func matchWord[V any](s *scanner, words map[string]V) (V, bool) {
	var best string
	for w := range words {
		if len(w) > len(best) && s.hasWord(w) {
			best = w
		}
	}
	if best == "" {
		var zero V
		return zero, false
	}
	s.pos += len([]rune(best))
	return words[best], true
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }
