package main

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/countyhub/countyhub/importers/internal/grid"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// htmlTable is a table of the page laid out on its grid.
type htmlTable struct {
	// rows are the rows of its head and bodies, in order. A cell's text
	// has its footnote markers removed, entities decoded, white space
	// collapsed, and <br> as a newline; its markers are the keys of the
	// footnotes it refers to: "1", "*". A cell covered by a rowspan from
	// a row above continues it, with its text.
	rows [][]grid.Cell
	// notes are the lines of text after the table (and in its foot), up
	// to the next table: where its footnotes are.
	notes []string
}

// maxSpan bounds colspan and rowspan, which a broken page may set to
// anything.
const maxSpan = 100

// tables returns the <table> elements of the page in document order.
func tables(doc *html.Node) []*html.Node {
	var out []*html.Node
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == atom.Table {
			out = append(out, n)
		}
	}
	return out
}

// layout lays a <table> out on its grid, resolving colspan and rowspan.
// Rows of nested tables belong to those tables.
func layout(table *html.Node) *htmlTable {
	t := &htmlTable{}
	carry := map[int]carried{}
	for _, tr := range rowsOf(table) {
		if isFoot(tr) {
			t.notes = append(t.notes, textLines(tr)...)
			continue
		}
		t.rows = append(t.rows, layoutRow(tr, carry))
	}
	return t
}

// carried is a cell spanning down into later rows.
type carried struct {
	cell grid.Cell
	left int // rows it still covers
}

// layoutRow places the cells of a <tr> on the grid, after the cells that
// rowspans above carry into it.
func layoutRow(tr *html.Node, carry map[int]carried) []grid.Cell {
	var row []grid.Cell
	col := 0
	placeCarried := func() {
		for {
			c, ok := carry[col]
			if !ok {
				return
			}
			cell := c.cell
			cell.Continues = true
			row = append(row, cell)
			if c.left--; c.left == 0 {
				delete(carry, col)
			} else {
				carry[col] = c
			}
			col += cell.Span
		}
	}
	for td := tr.FirstChild; td != nil; td = td.NextSibling {
		if td.Type != html.ElementNode || (td.DataAtom != atom.Td && td.DataAtom != atom.Th) {
			continue
		}
		placeCarried()
		cell := readCell(td)
		cell.Col, cell.Span = col, spanAttr(td, "colspan")
		row = append(row, cell)
		if down := spanAttr(td, "rowspan"); down > 1 {
			carry[col] = carried{cell: cell, left: down - 1}
		}
		col += cell.Span
	}
	placeCarried()
	return row
}

// rowsOf returns the <tr> of a table, in its head, bodies and foot, but
// not those of nested tables.
func rowsOf(table *html.Node) []*html.Node {
	var rows []*html.Node
	for c := range table.ChildNodes() {
		switch c.DataAtom {
		case atom.Tr:
			rows = append(rows, c)
		case atom.Thead, atom.Tbody, atom.Tfoot:
			for tr := range c.ChildNodes() {
				if tr.DataAtom == atom.Tr {
					rows = append(rows, tr)
				}
			}
		}
	}
	return rows
}

func isFoot(tr *html.Node) bool { return tr.Parent != nil && tr.Parent.DataAtom == atom.Tfoot }

// spanAttr reads colspan or rowspan; a missing or bad value is 1.
func spanAttr(n *html.Node, name string) int {
	for _, a := range n.Attr {
		if a.Key == name {
			v, err := strconv.Atoi(strings.TrimSpace(a.Val))
			if err != nil || v < 1 {
				return 1
			}
			return min(v, maxSpan)
		}
	}
	return 1
}

// lineBreak stands for <br> while white space is collapsed.
const lineBreak = '\u2028'

// readCell reads the text of a <td> or <th>, with nested elements, and
// its footnote markers: the text of <sup> elements, and superscript digits
// or asterisks at the end of the text.
func readCell(td *html.Node) grid.Cell {
	var b strings.Builder
	var markers []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
			return
		case n.Type != html.ElementNode:
			return
		}
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Table:
			return
		case atom.Br:
			b.WriteRune(lineBreak)
			return
		case atom.Sup:
			if key := markerKey(collapse(innerText(n))); key != "" {
				markers = append(markers, key)
				return
			}
		case atom.P, atom.Div, atom.Li:
			b.WriteRune(lineBreak)
			defer b.WriteRune(lineBreak)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(td)
	text, trailing := stripMarkers(collapse(b.String()))
	return grid.Cell{Text: text, Markers: append(markers, trailing...)}
}

// innerText returns the text of a node and its descendants.
func innerText(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// collapse turns each run of white space (and &nbsp;) into one space,
// and line breaks into newlines, and trims each line.
func collapse(s string) string {
	var lines []string
	for _, line := range strings.Split(s, string(lineBreak)) {
		if line = strings.Join(strings.FieldsFunc(line, isSpace), " "); line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\u00a0', '\u3000':
		return true
	}
	return false
}

// superscripts are the superscript digits footnote markers are written in.
var superscripts = map[rune]rune{
	'⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9',
}

// isStar tells whether r is an asterisk-like footnote marker.
func isStar(r rune) bool { return r == '*' || r == '＊' || r == '※' }

// stripMarkers removes the footnote markers at the end of a cell's text
// ("580余件¹", "6次*") and returns the text and their keys.
func stripMarkers(s string) (string, []string) {
	var keys []string
	for {
		r, _ := utf8.DecodeLastRuneInString(s)
		var key string
		switch {
		case superscripts[r] != 0:
			s, key = cutTrailing(s, func(r rune) bool { return superscripts[r] != 0 })
		case isStar(r):
			s, key = cutTrailing(s, isStar)
		default:
			return s, keys
		}
		keys = append([]string{markerKey(key)}, keys...)
		s = strings.TrimSpace(s)
	}
}

// cutTrailing cuts the runes at the end of s that match.
func cutTrailing(s string, match func(rune) bool) (rest, cut string) {
	i := len(s)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !match(r) {
			break
		}
		i -= size
	}
	return s[:i], s[i:]
}

// markerKey returns the footnote key a marker stands for: superscript and
// full-width digits become ASCII digits, any asterisk "*"; brackets
// around it are dropped. It returns "" for what is not a marker.
func markerKey(m string) string {
	m = strings.Trim(strings.TrimSpace(m), "[]()（）【】")
	if m == "" {
		return ""
	}
	var b strings.Builder
	for _, r := range m {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + r - '０')
		case superscripts[r] != 0:
			b.WriteRune(superscripts[r])
		case isStar(r):
			b.WriteRune('*')
		default:
			return ""
		}
	}
	return b.String()
}

// blocks are the elements that start a new line of text.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Tr: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Section: true, atom.Footer: true, atom.Header: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Table: true, atom.Caption: true, atom.Blockquote: true, atom.Pre: true,
}

// textLines returns the lines of text of a subtree.
func textLines(n *html.Node) []string {
	var lines []string
	walkText(n, func(line string) { lines = append(lines, line) }, nil)
	return lines
}

// pageText splits the page's text around its data tables: the lines
// before the first one, and for each the lines after it up to the next
// table of the page, which are added to its notes. Tables that hold no
// data (page layout) are read through.
func pageText(doc *html.Node, data map[*html.Node]*htmlTable) (before []string) {
	var cur *htmlTable
	seen := false
	line := func(text string) {
		switch {
		case cur != nil:
			cur.notes = append(cur.notes, text)
		case !seen:
			before = append(before, text)
		}
	}
	table := func(n *html.Node) bool {
		if t, ok := data[n]; ok {
			cur, seen = t, true
			return false
		}
		cur = nil
		return true
	}
	walkText(doc, line, table)
	return before
}

// walkText gives the non-empty lines of text of a subtree to line, in
// order. A line ends at <br> and around block elements; scripts, styles
// and the head have no text. With table, the line before a <table> ends
// when it starts, and table tells whether to read the table's text.
func walkText(n *html.Node, line func(string), table func(*html.Node) bool) {
	var b strings.Builder
	flush := func() {
		text := collapse(b.String())
		b.Reset()
		if text == "" {
			return
		}
		for _, l := range strings.Split(text, "\n") {
			line(l)
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
			return
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Head):
			return
		case n.Type == html.ElementNode && n.DataAtom == atom.Br:
			flush()
			return
		case n.Type == html.ElementNode && n.DataAtom == atom.Table && table != nil:
			flush()
			if !table(n) {
				return
			}
		}
		block := n.Type == html.ElementNode && blocks[n.DataAtom]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(n)
	flush()
}

// headings are the elements that title what follows them.
var headings = map[atom.Atom]bool{atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true}

// heading finds where the page says which unit it is for: the first
// heading (h1 to h6) above the first data table whose text names a unit,
// else that table's caption, else the page's <title>. ref names its
// place; ok is false when none names a unit.
func heading(doc, first *html.Node) (ref, text string, ok bool) {
	var title string
	names := func(n *html.Node) (string, bool) {
		s := strings.ReplaceAll(collapse(innerText(n)), "\n", " ")
		_, ok := sdk.NamedUnit(s)
		return s, ok
	}
	for n := range doc.Descendants() {
		if n == first {
			break
		}
		if n.Type != html.ElementNode {
			continue
		}
		switch {
		case n.DataAtom == atom.Title && title == "":
			if s, ok := names(n); ok {
				title = s
			}
		case headings[n.DataAtom]:
			if s, ok := names(n); ok {
				return "<" + n.Data + "> above table 1", s, true
			}
		}
	}
	for c := first.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Caption {
			if s, ok := names(c); ok {
				return "table 1 caption", s, true
			}
		}
	}
	if title != "" {
		return "<title>", title, true
	}
	return "", "", false
}
