package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/countyhub/countyhub/importers/internal/asof"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/normalize"
	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// export is the state of one import.
type export struct {
	in  *sdk.Input
	out sdk.Emitter
	pos *position

	header  map[string]json.RawMessage // top-level fields other than the arrays
	arrays  int                        // indicators and communities arrays read
	pending []pendingObservation       // indicators, emitted once the period is known
	units   map[string]bool            // unit names emitted
	keys    map[string]string          // dataset/key -> path of its element
}

// pendingObservation is an indicator read, waiting for the period.
type pendingObservation struct {
	path, metric, unit string
	value              model.Quantity
}

func newExport(in *sdk.Input, out sdk.Emitter, pos *position) *export {
	return &export{in: in, out: out, pos: pos, header: map[string]json.RawMessage{}, units: map[string]bool{}, keys: map[string]string{}}
}

// shape is the top level the export must have.
const shape = `an object {"county": …, "asOf": …, "indicators": […], "communities": […]}`

// read reads the top-level object.
func (e *export) read(ctx context.Context, dec *json.Decoder) error {
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return &badJSON{"file", "the file is empty: want " + shape}
	}
	if err != nil {
		return e.syntax(err, "at the start")
	}
	if tok != json.Delim('{') {
		return &badJSON{"$", fmt.Sprintf("the document is %s: want %s", tokenKind(tok), shape)}
	}
	for dec.More() {
		if err := ctx.Err(); err != nil {
			return err
		}
		tok, err := dec.Token()
		if err != nil {
			return e.syntax(err, "in the top-level object")
		}
		key, _ := tok.(string)
		switch key {
		case "indicators", "communities":
			e.arrays++
			if err := e.stream(ctx, dec, key); err != nil {
				return err
			}
		default:
			var raw json.RawMessage
			if err := e.decode(dec, &raw, "in $."+key); err != nil {
				return err
			}
			e.header[key] = raw
			if err := e.checkCounty(key); err != nil {
				return err
			}
		}
	}
	if err := e.closing(dec, '}', "in the top-level object"); err != nil {
		return err
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		line, col := e.pos.at(e.pos.skipSpace(end))
		return &badJSON{fmt.Sprintf("line %d, column %d", line, col), "more data after the end of the top-level object: want one JSON object"}
	}
	return e.finish()
}

// stream reads an array of the top level element by element.
func (e *export) stream(ctx context.Context, dec *json.Decoder, key string) error {
	tok, err := dec.Token()
	if err != nil {
		return e.syntax(err, "in $."+key)
	}
	if tok != json.Delim('[') {
		return &badJSON{"$." + key, fmt.Sprintf("$.%s is %s: want an array […]", key, tokenKind(tok))}
	}
	for i := 0; dec.More(); i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		path := fmt.Sprintf("$.%s[%d]", key, i)
		var raw json.RawMessage
		if err := e.decode(dec, &raw, "in "+path); err != nil {
			return err
		}
		if key == "indicators" {
			err = e.indicator(raw, path, "")
		} else {
			err = e.community(raw, path)
		}
		if err != nil {
			return err
		}
	}
	return e.closing(dec, ']', "in $."+key)
}

// closing reads the delimiter that ends an array or object.
func (e *export) closing(dec *json.Decoder, want json.Delim, where string) error {
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return e.syntax(err, where)
	}
	if tok != want {
		line, col := e.pos.at(dec.InputOffset())
		return &badJSON{fmt.Sprintf("line %d, column %d", line, col), fmt.Sprintf("want %q %s, found %v", want, where, tok)}
	}
	return nil
}

// checkCounty stops the import of an export whose countyCode or county
// names a unit other than the one the import is for.
func (e *export) checkCounty(key string) error {
	if key != "countyCode" && key != "county" {
		return nil
	}
	top := object{path: "$", fields: e.header}
	v, ferr := top.str(key, false)
	if ferr != nil {
		return e.diagnose(ferr)
	}
	if d := sdk.CheckUnit(e.in.Unit, "$."+key, key, v); d != nil {
		return &refused{*d}
	}
	return nil
}

// refused is an export for another unit: nothing of it is imported.
type refused struct{ d sdk.Diagnostic }

func (r *refused) Error() string { return r.d.Reference + ": " + r.d.Message }

// finish checks that the export had something in it and emits the
// observations.
func (e *export) finish() error {
	if e.arrays == 0 {
		return e.out.Diagnose(sdk.Errorf("$", "", "the export has neither indicators nor communities: want %s", shape))
	}
	return e.flush()
}

// flush emits the indicators read, with the period.
func (e *export) flush() error {
	if len(e.pending) == 0 {
		return nil
	}
	period, asOf, ferr := e.period()
	if ferr != nil {
		if err := e.diagnose(ferr); err != nil {
			return err
		}
		return e.out.Diagnose(sdk.Errorf("$", "period", "%d indicators are not imported: their period is unknown", len(e.pending)))
	}
	for _, p := range e.pending {
		if err := e.out.Emit(sdk.Record{Reference: p.path, Observation: &sdk.Observation{
			Metric: p.metric, Unit: p.unit, Period: period, AsOf: asOf, Value: p.value,
		}}); err != nil {
			return err
		}
	}
	return nil
}

// period returns the period and as-of date of the figures: the options,
// else the export's asOf and period.
func (e *export) period() (period, asOf string, ferr *fieldError) {
	top := object{path: "$", fields: e.header}
	// The export's fields are read only when no option overrides them.
	var statedAsOf, statedPeriod string
	if strings.TrimSpace(e.in.Option(asof.Option, "")) == "" {
		if statedAsOf, ferr = top.str("asOf", false); ferr != nil {
			return "", "", ferr
		}
	}
	asOf, err := asof.Of(e.in, statedAsOf)
	if err != nil {
		return "", "", top.fail("asOf", "asOf is not a date: %v", err)
	}
	if e.in.Option(asof.PeriodOption, "") == "" {
		if statedPeriod, ferr = top.str("period", false); ferr != nil {
			return "", "", ferr
		}
	}
	if period = asof.Period(e.in, statedPeriod, asOf); period == "" {
		return "", "", top.fail("asOf", "the period of the figures is unknown: give asOf or period in the export, or the option as_of")
	}
	return period, asOf, nil
}

// indicator reads an indicator of the city (unit "") or of a community.
// Its figure is value (a number) with unit (个, 家, 次), or valueText as
// reported ("300余件"); given both, they must agree.
func (e *export) indicator(raw json.RawMessage, path, unit string) error {
	o, ferr := asObject(raw, path, "an indicator")
	if ferr != nil {
		return e.diagnose(ferr)
	}
	metric, ferr := o.str("code", true)
	if ferr != nil {
		return e.diagnose(ferr)
	}
	q, ferr := figure(o)
	if ferr != nil {
		return e.diagnose(ferr)
	}
	e.pending = append(e.pending, pendingObservation{path: path, metric: metric, unit: unit, value: q})
	return nil
}

// figure reads the quantity of an indicator.
func figure(o object) (model.Quantity, *fieldError) {
	value, hasValue, ferr := o.num("value")
	if ferr != nil {
		return model.Quantity{}, ferr
	}
	word, ferr := o.str("unit", false)
	if ferr != nil {
		return model.Quantity{}, ferr
	}
	text, ferr := o.str("valueText", false)
	if ferr != nil {
		return model.Quantity{}, ferr
	}
	if text == "" && !hasValue {
		return model.Quantity{}, o.fail("value", `the required field "value" is missing (or give the reported figure in "valueText")`)
	}
	if text != "" {
		q, err := normalize.Quantity(text, model.UnitCount)
		if err != nil {
			return model.Quantity{}, o.fail("valueText", "valueText is not a figure: %v", err)
		}
		if hasValue && q.Value != value {
			return model.Quantity{}, o.fail("valueText", "valueText %q reads as %v, but value is %v", text, q.Value, value)
		}
		return q, nil
	}
	q, err := normalize.Quantity(strconv.FormatFloat(value, 'f', -1, 64)+word, model.UnitCount)
	if err != nil {
		return model.Quantity{}, o.fail("value", "value %v with unit %q is not a figure: %v", value, word, err)
	}
	return q, nil
}

// community emits a community, its compounds and spaces, and reads its
// indicators.
func (e *export) community(raw json.RawMessage, path string) error {
	o, ferr := asObject(raw, path, "a community")
	if ferr != nil {
		return e.diagnose(ferr)
	}
	name, ferr := o.str("name", true)
	if ferr != nil {
		return e.diagnose(ferr)
	}
	if err := e.unit(path, name, model.LevelCommunity, ""); err != nil {
		return err
	}
	if err := e.each(o, "indicators", func(raw json.RawMessage, path string) error { return e.indicator(raw, path, name) }); err != nil {
		return err
	}
	if err := e.each(o, "compounds", func(raw json.RawMessage, path string) error { return e.compound(raw, path, name) }); err != nil {
		return err
	}
	return e.each(o, "spaces", func(raw json.RawMessage, path string) error { return e.space(raw, path, name) })
}

// compound emits a compound of a community and its spaces.
func (e *export) compound(raw json.RawMessage, path, community string) error {
	o, ferr := asObject(raw, path, "a compound")
	if ferr != nil {
		return e.diagnose(ferr)
	}
	name, ferr := o.str("name", true)
	if ferr != nil {
		return e.diagnose(ferr)
	}
	if err := e.unit(path, name, model.LevelCompound, community); err != nil {
		return err
	}
	return e.each(o, "spaces", func(raw json.RawMessage, path string) error { return e.space(raw, path, name) })
}

// space emits a shared space or activity venue of a community or compound.
func (e *export) space(raw json.RawMessage, path, unit string) error {
	o, ferr := asObject(raw, path, "a space")
	if ferr != nil {
		return e.diagnose(ferr)
	}
	name, ferr := o.str("name", true)
	if ferr != nil {
		return e.diagnose(ferr)
	}
	typ, ferr := o.str("type", true)
	if ferr != nil {
		return e.diagnose(ferr)
	}
	kind, ok := spaceKinds[typ]
	if !ok {
		return e.diagnose(o.fail("type", "type %q is not one of %s", typ, strings.Join(spaceTypes(), ", ")))
	}
	brand, ferr := o.str("brand", false)
	if ferr != nil {
		return e.diagnose(ferr)
	}
	key := unit + "/" + name
	if first, dup := e.keys[records.Spaces+"/"+key]; dup {
		return e.diagnose(o.fail("name", "space %q of %s repeats %s", name, unit, first))
	}
	e.keys[records.Spaces+"/"+key] = path
	return e.out.Emit(sdk.Record{Reference: path, Space: &sdk.Space{Key: key, Name: name, Unit: unit, Kind: kind, Brand: brand}})
}

// each calls read on each element of an array field of o, with its path.
func (e *export) each(o object, field string, read func(raw json.RawMessage, path string) error) error {
	elems, ferr := o.array(field)
	if ferr != nil {
		return e.diagnose(ferr)
	}
	for i, raw := range elems {
		if err := read(raw, fmt.Sprintf("%s.%s[%d]", o.path, field, i)); err != nil {
			return err
		}
	}
	return nil
}

// unit emits the unit record of a community or compound the first time
// it appears.
func (e *export) unit(path, name string, level model.UnitLevel, parent string) error {
	if e.units[name] {
		return nil
	}
	e.units[name] = true
	return e.out.Emit(sdk.Record{Reference: path, Unit: &sdk.Unit{Name: name, Level: level, Parent: parent}})
}

func (e *export) diagnose(f *fieldError) error {
	return e.out.Diagnose(sdk.Errorf(f.path, f.field, "%s", f.msg))
}

// tokenKind names what a JSON token starts.
func tokenKind(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			return "an array"
		}
		return "an object"
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}

// trim removes surrounding spaces, full-width ones included.
func trim(s string) string { return strings.Trim(s, " \t\r\n\u3000") }
