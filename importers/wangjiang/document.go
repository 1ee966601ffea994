package main

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/countyhub/countyhub/importers/internal/grid"
)

// Namespaces of WordprocessingML (transitional and strict) and of markup
// compatibility, whose fallbacks repeat the content of their choice.
const (
	wordNS       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	wordStrictNS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	markupNS     = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// docTable is a table of the document body. A cell's text is its runs
// joined, its paragraphs separated by newlines; its span is its
// w:gridSpan. A cell that continues a vertical merge (w:vMerge without
// "restart") has the text of the merged cell above.
type docTable struct {
	rows [][]grid.Cell
}

// bodyVisitor receives the body of a document as it is read.
type bodyVisitor interface {
	// paragraph receives the text of a paragraph outside tables.
	paragraph(text string) error
	// table receives a table of the body, numbered from 1, once it ends.
	table(n int, t *docTable) error
}

// walker reads the main document part as a stream of tokens.
type walker struct {
	dec *xml.Decoder
	v   bodyVisitor

	tables int         // body tables seen
	depth  int         // nesting of w:tbl
	table  *docTable   // the body table being read
	row    []grid.Cell // its row being read
	col    int         // the next grid column of the row
	cell   *grid.Cell  // its cell being read
	paras  int         // paragraphs of the cell so far
	runs   int         // nesting of w:r
	inText bool        // inside w:t
	text   strings.Builder
}

// walkBody reads a document part and hands its body paragraphs and tables
// to v, in order.
func walkBody(r io.Reader, v bodyVisitor) error {
	w := &walker{dec: xml.NewDecoder(r), v: v}
	for {
		tok, err := w.dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			err = w.start(t)
		case xml.EndElement:
			err = w.end(t)
		case xml.CharData:
			if w.inText {
				w.text.Write(t)
			}
		}
		if err != nil {
			return err
		}
	}
}

func isWord(n xml.Name) bool { return n.Space == wordNS || n.Space == wordStrictNS }

func (w *walker) start(t xml.StartElement) error {
	if t.Name.Space == markupNS && t.Name.Local == "Fallback" {
		return w.dec.Skip()
	}
	if !isWord(t.Name) {
		return nil
	}
	top := w.depth == 1
	switch t.Name.Local {
	case "tbl":
		w.depth++
		if w.depth == 1 {
			w.table = &docTable{}
		}
	case "tr":
		if top {
			w.row, w.col = nil, 0
		}
	case "gridBefore":
		if top && w.cell == nil {
			w.col += positive(wordAttr(t, "val"))
		}
	case "tc":
		if top {
			w.cell = &grid.Cell{Col: w.col, Span: 1}
			w.paras = 0
			w.text.Reset()
		}
	case "gridSpan":
		if top && w.cell != nil {
			w.cell.Span = positive(wordAttr(t, "val"))
		}
	case "vMerge":
		if top && w.cell != nil {
			w.cell.Continues = wordAttr(t, "val") != "restart"
		}
	case "p":
		w.startParagraph()
	case "r":
		w.runs++
	case "t":
		w.inText = w.runs > 0
	case "tab":
		w.write("\t")
	case "br", "cr":
		w.write("\n")
	case "noBreakHyphen":
		w.write("-")
	}
	return nil
}

func (w *walker) end(t xml.EndElement) error {
	if !isWord(t.Name) {
		return nil
	}
	top := w.depth == 1
	switch t.Name.Local {
	case "t":
		w.inText = false
	case "r":
		w.runs--
	case "p":
		if w.depth == 0 {
			text := w.text.String()
			w.text.Reset()
			return w.v.paragraph(strings.TrimSpace(text))
		}
	case "tc":
		if top && w.cell != nil {
			w.cell.Text = strings.TrimSpace(w.text.String())
			w.row = append(w.row, *w.cell)
			w.col += w.cell.Span
			w.cell = nil
		}
	case "tr":
		if top {
			w.table.rows = append(w.table.rows, w.row)
			w.row = nil
		}
	case "tbl":
		w.depth--
		if w.depth == 0 {
			w.tables++
			w.table.resolveMerges()
			t := w.table
			w.table = nil
			return w.v.table(w.tables, t)
		}
	}
	return nil
}

// startParagraph separates the paragraphs of a cell by newlines; empty
// paragraphs add nothing once the cell's text is trimmed.
func (w *walker) startParagraph() {
	switch {
	case w.depth == 0:
		w.text.Reset()
	case w.cell != nil:
		if w.paras > 0 {
			w.text.WriteByte('\n')
		}
		w.paras++
	}
}

// write adds the text of a run's special character (tab, break).
func (w *walker) write(s string) {
	if w.runs > 0 && (w.depth == 0 || w.cell != nil) {
		w.text.WriteString(s)
	}
}

// resolveMerges gives each cell that continues a vertical merge the text
// of the cell above it that starts at the same grid column.
func (t *docTable) resolveMerges() {
	for i := 1; i < len(t.rows); i++ {
		for j := range t.rows[i] {
			c := &t.rows[i][j]
			if !c.Continues {
				continue
			}
			if above, ok := grid.CellAt(t.rows[i-1], c.Col); ok {
				c.Text = above.Text
			}
		}
	}
}

// wordAttr returns the value of the w: attribute name of t.
func wordAttr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name && (a.Name.Space == "" || isWord(a.Name)) {
			return a.Value
		}
	}
	return ""
}

// positive reads a count attribute such as w:gridSpan; a missing or bad
// value counts as 1.
func positive(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 1000 {
		return 1
	}
	return n
}
