package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/countyhub/countyhub/importers/internal/asof"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// Importer reads Tongcheng's JSON export.
type Importer struct{}

// Describe names the importer and what it reads and produces.
func (Importer) Describe() sdk.Description {
	return sdk.Description{
		Name:        "tongcheng",
		Version:     "1.0.0",
		Description: "桐城市 Tongcheng: JSON export of the community-governance system, indicators and communities with their compounds and spaces",
		Formats: []sdk.Format{{
			Extensions:  []string{".json"},
			MediaTypes:  []string{"application/json"},
			Description: `UTF-8 JSON object {"county", "countyCode", "asOf", "indicators": [...], "communities": [{"name", "indicators", "compounds", "spaces"}]}`,
		}},
		Datasets: []string{sdk.Units, sdk.Spaces, sdk.Observations},
		Options: []sdk.Option{
			{Name: asof.Option, Type: "string", Description: "date the figures are reported as of (YYYY-MM-DD); default: the export's asOf"},
			{Name: asof.PeriodOption, Type: "string", Description: "period of the figures (2023, 2023-08); default: the export's period, else the year of as_of"},
		},
	}
}

// Import streams the export: the top-level object key by key, and the
// indicators and communities arrays element by element. Observations are
// emitted at the end, once the export's asOf and period (which may come
// after them) are known.
func (Importer) Import(ctx context.Context, in *sdk.Input, out sdk.Emitter) error {
	br := bufio.NewReaderSize(in, sniffSize)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	if head, _ := br.Peek(sniffSize); !validUTF8(head, len(head) < sniffSize) {
		return out.Diagnose(sdk.Errorf("file", "", "the file is not UTF-8 text (saved as GBK?): want JSON in UTF-8, as the system exports it"))
	}
	pos := newPosition(br)
	e := newExport(in, out, pos)
	err := e.read(ctx, json.NewDecoder(pos))
	var other *refused
	if errors.As(err, &other) {
		return out.Diagnose(other.d)
	}
	var bad *badJSON
	if !errors.As(err, &bad) {
		return err
	}
	if err := out.Diagnose(sdk.Errorf(bad.ref, "", "%s", bad.msg)); err != nil {
		return err
	}
	return e.flush() // the indicators read before the damage
}

// sniffSize is how much of the file is checked to be UTF-8 before reading.
const sniffSize = 64 << 10

// validUTF8 tells whether head is valid UTF-8; when it is only the start
// of the file, a character cut at its end is forgiven.
func validUTF8(head []byte, whole bool) bool {
	if !whole {
		for i := 1; i <= utf8.UTFMax && i <= len(head); i++ {
			if utf8.RuneStart(head[len(head)-i]) {
				if !utf8.FullRune(head[len(head)-i:]) {
					head = head[:len(head)-i]
				}
				break
			}
		}
	}
	return utf8.Valid(head)
}

// badJSON is a file the decoder cannot go on reading.
type badJSON struct{ ref, msg string }

func (e *badJSON) Error() string { return e.ref + ": " + e.msg }

// decode decodes the next value of the document; an error names its line
// and column, and where in the document it happened.
func (e *export) decode(dec *json.Decoder, raw *json.RawMessage, where string) error {
	start := dec.InputOffset()
	err := dec.Decode(raw)
	var serr *json.SyntaxError
	if errors.As(err, &serr) {
		if at, ok := e.pos.locate(start); ok {
			line, col := e.pos.at(at)
			return &badJSON{fmt.Sprintf("line %d, column %d", line, col), fmt.Sprintf("not valid JSON %s: %v; the rest of the file is not read", where, serr)}
		}
	}
	return e.syntax(err, where)
}

// syntax turns an error of the decoder's Token into a badJSON naming the
// line and column, and where in the document it happened.
func (e *export) syntax(err error, where string) error {
	var serr *json.SyntaxError
	switch {
	case errors.As(err, &serr):
		// Token reports the offset of the bad byte in the file.
		line, col := e.pos.at(serr.Offset)
		return &badJSON{fmt.Sprintf("line %d, column %d", line, col), fmt.Sprintf("not valid JSON %s: %v; the rest of the file is not read", where, serr)}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		line, col := e.pos.at(e.pos.off)
		return &badJSON{fmt.Sprintf("line %d, column %d", line, col), fmt.Sprintf("the file ends %s, before the JSON is complete (cut short?)", where)}
	}
	return err
}
