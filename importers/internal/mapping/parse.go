package mapping

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/records"
)

// parser reads a mapping's YAML nodes into a Mapping.
type parser struct {
	format Format
	m      *Mapping
	diags  []records.Diagnostic
	lines  []int // the line of each diagnostic, for sorting
	late   bool  // problems of the mapping as a whole, which sort last
}

func (p *parser) fail(n *yaml.Node, field, format string, args ...any) {
	ref, line := "mapping", 0
	if n != nil && n.Line > 0 {
		ref, line = fmt.Sprintf("mapping line %d", n.Line), n.Line
	}
	p.diags = append(p.diags, records.Diagnostic{Severity: records.Error, Reference: ref, Field: field, Message: fmt.Sprintf(format, args...)})
	if p.late {
		line = math.MaxInt
	}
	p.lines = append(p.lines, line)
}

// sorted returns the diagnostics in the order of their lines, the
// problems of the mapping as a whole last.
func (p *parser) sorted() []records.Diagnostic {
	order := make([]int, len(p.diags))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(p.lines[a], p.lines[b]) })
	out := make([]records.Diagnostic, len(order))
	for i, j := range order {
		out[i] = p.diags[j]
	}
	return out
}

// keys returns the value node of each known key, reporting unknown,
// misplaced and repeated keys.
func (p *parser) keys(root *yaml.Node) map[string]*yaml.Node {
	given, lines := map[string]*yaml.Node{}, map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		i := slices.IndexFunc(keys, func(x key) bool { return x.name == k.Value })
		switch {
		case k.Kind != yaml.ScalarNode || i < 0:
			p.fail(k, "", "unknown key %q (the keys are %s)", k.Value, keyNames(p.format))
		case keys[i].format != "" && keys[i].format != p.format:
			p.fail(k, "", "%s is a key of %s mappings; this is the %s importer", k.Value, keys[i].format, p.format)
		case given[k.Value] != nil:
			p.fail(k, "", "%s is given twice (first at line %d)", k.Value, lines[k.Value])
		default:
			given[k.Value], lines[k.Value] = v, k.Line
			if k.Value == "columns" {
				p.m.line = k.Line
			}
		}
	}
	return given
}

// scalar returns a node's text, or reports that it is not a single value.
func (p *parser) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.fail(n, "", "%s: want a single value", what)
		return "", false
	}
	return n.Value, true
}

// number reads an integer in [lo, hi].
func (p *parser) number(n *yaml.Node, what string, lo, hi int) (int, bool) {
	s, ok := p.scalar(n, what)
	if !ok {
		return 0, false
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < lo || v > hi {
		p.fail(n, "", "%s: want a whole number from %d to %d, found %q", what, lo, hi, s)
		return 0, false
	}
	return v, true
}

// pairs iterates over the entries of a YAML mapping node.
func (p *parser) pairs(n *yaml.Node, what string, each func(k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.fail(n, "", "%s: want a mapping of entries, one per line (NAME: VALUE)", what)
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Kind != yaml.ScalarNode {
			p.fail(n.Content[i], "", "%s: want a single value as the name of an entry", what)
			continue
		}
		each(n.Content[i], n.Content[i+1])
	}
}

func (p *parser) dataset(n *yaml.Node) {
	s, ok := p.scalar(n, "dataset")
	if !ok {
		return
	}
	if _, known := datasetFields[s]; !known {
		p.fail(n, "", "dataset %q: want one of %s", s, strings.Join(records.Datasets, ", "))
		return
	}
	p.m.Dataset = s
}

func (p *parser) encoding(n *yaml.Node) {
	s, ok := p.scalar(n, "encoding")
	if !ok {
		return
	}
	enc, known := encodings[strings.ToLower(strings.TrimSpace(s))]
	if !known {
		p.fail(n, "", "encoding %q: want utf-8, gbk or gb18030", s)
		return
	}
	p.m.Encoding = enc
}

func (p *parser) delimiter(n *yaml.Node) {
	s, ok := p.scalar(n, "delimiter")
	if !ok {
		return
	}
	if strings.EqualFold(s, "tab") {
		s = "\t"
	}
	r, size := utf8.DecodeRuneInString(s)
	if size != len(s) || r == utf8.RuneError || strings.ContainsRune("\"\r\n", r) {
		p.fail(n, "", "delimiter %q: want one character such as \",\", \";\" or tab", s)
		return
	}
	p.m.Delimiter = r
}

func (p *parser) sheet(n *yaml.Node) {
	if s, ok := p.scalar(n, "sheet"); ok {
		p.m.Sheet = s
	}
}

func (p *parser) skipRows(n *yaml.Node) {
	if v, ok := p.number(n, "skip_rows", 0, 1000); ok {
		p.m.SkipRows = v
	}
}

func (p *parser) titleRow(n *yaml.Node) {
	v, ok := p.number(n, "title_row", 1, 1000)
	switch {
	case !ok:
	case v > p.m.SkipRows:
		p.fail(n, "", "title_row %d: the title is one of the rows above the header, and skip_rows is %d", v, p.m.SkipRows)
	default:
		p.m.TitleRow = v
	}
}

func (p *parser) headerRows(n *yaml.Node) {
	if v, ok := p.number(n, "header_rows", 1, 10); ok {
		p.m.HeaderRows = v
	}
}

func (p *parser) skipStarting(n *yaml.Node) {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	for _, it := range items {
		if s, ok := p.scalar(it, "skip_rows_starting_with"); ok && fold(s) != "" {
			p.m.skipStarting = append(p.m.skipStarting, fold(s))
		}
	}
}

func (p *parser) valueUnit(n *yaml.Node) {
	s, ok := p.scalar(n, "value_unit")
	if !ok {
		return
	}
	unit := strings.ToUpper(strings.TrimSpace(s))
	switch {
	case !slices.Contains([]string{model.UnitCount, model.UnitCNY, model.UnitPercent}, unit):
		p.fail(n, "", "value_unit %q: want COUNT, CNY or PERCENT", s)
	case p.m.Dataset != records.Observations && p.m.Dataset != records.Budgets:
		p.fail(n, "", "value_unit is for observations and budgets, not %s", p.m.Dataset)
	case p.m.Dataset == records.Budgets && unit != model.UnitCNY:
		p.fail(n, "", "value_unit %s: budget amounts are in CNY", unit)
	default:
		p.m.valueUnit = unit
	}
}

func (p *parser) moneyScale(n *yaml.Node) {
	s, ok := p.scalar(n, "money_scale")
	if !ok {
		return
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil || v <= 0 || v > 1e8:
		p.fail(n, "", "money_scale %q: want the number of yuan in the table's unit of money, such as 10000 for 万元", s)
	case p.m.Dataset != records.Observations && p.m.Dataset != records.Budgets:
		p.fail(n, "", "money_scale is for observations and budgets, not %s", p.m.Dataset)
	default:
		p.m.moneyScale = v
	}
}

// field looks up a field name of the mapping's dataset.
func (p *parser) field(n *yaml.Node, what string) (*field, bool) {
	name, ok := p.scalar(n, what)
	if !ok {
		return nil, false
	}
	f, ok := lookupField(p.m.Dataset, strings.TrimSpace(name))
	if !ok {
		p.fail(n, "", "%s: unknown field %q for %s (the fields are %s)", what, name, p.m.Dataset, fieldNames(p.m.Dataset))
	}
	return f, ok
}

func (p *parser) columns(n *yaml.Node) {
	headers := map[string]int{}
	fields := map[string]int{}
	p.pairs(n, "columns", func(k, v *yaml.Node) {
		header := strings.TrimSpace(k.Value)
		f, ok := p.field(v, fmt.Sprintf("column %q", header))
		switch {
		case fold(header) == "":
			p.fail(k, "", "columns: an empty header text")
		case headers[fold(header)] > 0:
			p.fail(k, "", "column %q is mapped twice (first at line %d)", header, headers[fold(header)])
		case ok && fields[f.name] > 0:
			p.fail(v, f.name, "column %q: field %s already has a column (line %d)", header, f.name, fields[f.name])
		case ok:
			headers[fold(header)], fields[f.name] = k.Line, v.Line
			p.m.columns = append(p.m.columns, column{header: header, field: f, line: k.Line})
		}
	})
	if len(p.m.columns) == 0 && len(p.diags) == 0 {
		p.fail(n, "", "columns: map at least one header text to a field")
	}
}

func (p *parser) values(n *yaml.Node) {
	p.m.values = map[string]map[string]string{}
	p.pairs(n, "values", func(k, v *yaml.Node) {
		f, ok := p.field(k, "values")
		if !ok {
			return
		}
		words := map[string]string{}
		p.pairs(v, "values: "+f.name, func(word, to *yaml.Node) {
			s, ok := p.scalar(to, fmt.Sprintf("values: %s: %s", f.name, word.Value))
			if !ok {
				return
			}
			switch err := p.m.check(f, s); {
			case f.kind == enumKind && err != nil:
				p.fail(to, f.name, "values: %s: %s: %q is not a %s; want %s", f.name, word.Value, s, f.name, enumValues(f))
				return
			case f.kind == listKind && !facilityCode.MatchString(s):
				p.fail(to, f.name, "values: %s: %s: %q is not a facility code (want lowercase letters, digits and _, such as party_room)", f.name, word.Value, s)
				return
			case f.kind != listKind && err != nil:
				p.fail(to, f.name, "values: %s: %s: %v", f.name, word.Value, err)
				return
			}
			words[fold(word.Value)] = s
		})
		p.m.values[f.name] = words
	})
}

func (p *parser) constants(n *yaml.Node) {
	p.pairs(n, "constants", func(k, v *yaml.Node) {
		f, ok := p.field(k, "constants")
		if !ok {
			return
		}
		s, ok := p.scalar(v, "constant "+f.name)
		if !ok {
			return
		}
		s = strings.TrimSpace(s)
		if slices.ContainsFunc(p.m.columns, func(c column) bool { return c.field == f }) {
			p.fail(k, f.name, "constant %s: the field already has a column; give it one or the other", f.name)
			return
		}
		if err := p.m.check(f, s); err != nil {
			p.fail(v, f.name, "constant %s: %v", f.name, err)
			return
		}
		p.m.constants = append(p.m.constants, constant{field: f, text: s, line: v.Line})
	})
}

func (p *parser) keyFrom(n *yaml.Node) {
	if _, ok := lookupField(p.m.Dataset, "key"); !ok || p.m.Dataset == records.Units {
		p.fail(n, "", "key_from is for stations, spaces, pilots and budgets, not %s", p.m.Dataset)
		return
	}
	if p.m.given("key") {
		p.fail(n, "key", "key_from: the key already has a column or a constant; give it one or the other")
		return
	}
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	for _, it := range items {
		f, ok := p.field(it, "key_from")
		if !ok {
			continue
		}
		if f.kind != textKind && f.kind != placeKind && f.kind != unitKind && f.kind != yearKind {
			p.fail(it, f.name, "key_from: %s is not a text field; make the key of names and codes", f.name)
			continue
		}
		p.m.keyFrom = append(p.m.keyFrom, f)
	}
}

// check reports what the mapping lacks as a whole: required fields, and
// fields given two ways.
func (p *parser) check() {
	m := p.m
	p.late = true
	at := &yaml.Node{Line: m.line}
	if m.line == 0 {
		p.fail(at, "", "no columns: under the key columns, map each header text the records need to a field, one per line (数值: value)")
	}
	for _, f := range datasetFields[m.Dataset] {
		if f.required && !m.given(f.name) && !(f.name == "key" && len(m.keyFrom) > 0) {
			how := "map a column to it under columns, or give it under constants"
			if f.name == "key" {
				how += ", or make it of other fields with key_from"
			}
			p.fail(at, f.name, "%s records need the field %s: %s", m.Dataset, f.name, how)
		}
	}
	if m.given("unit") && (m.given("town") || m.given("community") || m.given("compound")) {
		p.fail(at, "unit", "give the unit either as unit or as town, community and compound, not both")
	}
}
