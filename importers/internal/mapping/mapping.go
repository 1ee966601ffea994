// Package mapping is the mapping file of the generic table importers (csv
// and xlsx) and the engine that turns a table's rows into records through
// it. A county with a plain table writes a mapping, not code:
//
//	dataset: observations
//	skip_rows: 1
//	columns:
//	  指标代码: metric
//	  期间: period
//	  数值: value
//	constants:
//	  as_of: 2023-08-07
//
// Parse checks a mapping before any row is read; Bind finds its columns in
// the header of a file; Table.Row reads one row into records, or into
// diagnostics naming the cell and field it cannot read. The importers only
// read their format's rows and cell references. docs/importers.md has the
// full reference of the mapping.
package mapping

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/records"
)

// Format is the kind of file a mapping is for; a few keys belong to one.
type Format string

// The formats of the generic table importers.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// Option names of the generic table importers.
const (
	// OptionMapping holds the mapping's YAML text.
	OptionMapping = "mapping"
	// OptionAsOf is the date observations are reported as of, when the
	// mapping gives none.
	OptionAsOf = "as_of"
)

// Options are the options the generic table importers declare.
var Options = []records.Option{
	{Name: OptionMapping, Type: "string", Required: true,
		Description: "the mapping file (YAML text) saying how the table's columns become records; countyhub import --option mapping=@mapping.yaml"},
	{Name: OptionAsOf, Type: "string",
		Description: "date observations are reported as of (YYYY-MM-DD), when the mapping gives none"},
}

// Mapping is a checked mapping file: how the rows of one table become
// records of one dataset.
type Mapping struct {
	// Dataset is the dataset of the table's records.
	Dataset string
	// Encoding is a CSV file's character encoding: utf-8, gbk or gb18030.
	Encoding string
	// Delimiter separates the fields of a CSV file.
	Delimiter rune
	// Sheet is the worksheet to read; empty means the first.
	Sheet string
	// SkipRows is the number of rows above the header.
	SkipRows int
	// TitleRow is the row above the header whose text names the unit the
	// table is for (counted from 1), or 0; see CheckTitle.
	TitleRow int
	// HeaderRows is the number of rows the header takes.
	HeaderRows int

	skipStarting []string // folded first words of rows to leave out
	columns      []column
	constants    []constant
	keyFrom      []*field
	values       map[string]map[string]string // field -> folded cell text -> text
	valueUnit    string
	moneyScale   float64
	asOf         string
	line         int // the line of the key columns, for problems of the mapping as a whole
}

// column maps a header text to a field.
type column struct {
	header string
	field  *field
	line   int
}

// constant gives a field one text for every row.
type constant struct {
	field *field
	text  string
	line  int
}

// Encodings a CSV mapping may name, by the names accepted.
var encodings = map[string]string{
	"utf-8": "utf-8", "utf8": "utf-8",
	"gbk": "gbk", "gb2312": "gbk", "cp936": "gbk",
	"gb18030": "gb18030",
}

// key is a top-level key of a mapping.
type key struct {
	name   string
	format Format // "" for both formats
	read   func(*parser, *yaml.Node)
}

// keys are the keys of a mapping in the order they are read: dataset
// first, since the fields depend on it.
var keys = []key{
	{"dataset", "", (*parser).dataset},
	{"encoding", CSV, (*parser).encoding},
	{"delimiter", CSV, (*parser).delimiter},
	{"sheet", XLSX, (*parser).sheet},
	{"skip_rows", "", (*parser).skipRows},
	{"title_row", "", (*parser).titleRow},
	{"header_rows", "", (*parser).headerRows},
	{"skip_rows_starting_with", "", (*parser).skipStarting},
	{"value_unit", "", (*parser).valueUnit},
	{"money_scale", "", (*parser).moneyScale},
	{"columns", "", (*parser).columns},
	{"values", "", (*parser).values},
	{"constants", "", (*parser).constants},
	{"key_from", "", (*parser).keyFrom},
}

func keyNames(format Format) string {
	var names []string
	for _, k := range keys {
		if k.format == "" || k.format == format {
			names = append(names, k.name)
		}
	}
	return strings.Join(names, ", ")
}

// FromOptions reads the mapping of an import from its options (mapping,
// and as_of). It returns nil and a diagnostic for each problem when the
// mapping cannot be used.
func FromOptions(options map[string]string, format Format) (*Mapping, []records.Diagnostic) {
	text, ok := options[OptionMapping]
	if !ok || strings.TrimSpace(text) == "" {
		return nil, []records.Diagnostic{{Severity: records.Error, Reference: "option " + OptionMapping,
			Message: "no mapping: give the mapping file's text as the option mapping (countyhub import --option mapping=@mapping.yaml)"}}
	}
	m, diags := Parse(text, format)
	if asOf := strings.TrimSpace(options[OptionAsOf]); asOf != "" {
		d, err := readDate(asOf)
		if err != nil {
			diags = append(diags, records.Diagnostic{Severity: records.Error, Reference: "option " + OptionAsOf, Field: "asOf", Message: err.Error()})
		} else if m != nil {
			m.asOf = d
		}
	}
	if len(diags) > 0 {
		return nil, diags
	}
	return m, nil
}

// Parse reads and checks a mapping for a file of the given format. Every
// problem is a diagnostic with the reference "mapping line N"; the mapping
// is nil when there is any.
func Parse(text string, format Format) (*Mapping, []records.Diagnostic) {
	p := &parser{format: format, m: &Mapping{Encoding: "utf-8", Delimiter: ',', HeaderRows: 1, moneyScale: 1}}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		p.fail(&yaml.Node{Line: yamlErrorLine(err)}, "", "not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return nil, p.diags
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		p.fail(&doc, "", "want a YAML mapping of keys such as dataset and columns")
		return nil, p.diags
	}
	root := doc.Content[0]
	given := p.keys(root)
	if given["dataset"] == nil {
		p.fail(root, "", "no dataset: say which dataset the table holds (dataset: %s)", strings.Join(records.Datasets, ", "))
	}
	for _, k := range keys {
		if n := given[k.name]; n != nil && (k.name == "dataset" || p.m.Dataset != "") {
			k.read(p, n)
		}
	}
	if p.m.Dataset != "" {
		p.check()
	}
	if len(p.diags) > 0 {
		return nil, p.sorted()
	}
	return p.m, nil
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

func yamlErrorLine(err error) int {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// check reports what makes a constant or a values entry wrong for a field.
func (m *Mapping) check(f *field, text string) error {
	var err error
	switch f.kind {
	case dateKind:
		_, err = readDate(text)
	case yearKind:
		_, err = readYear(text)
	case countKind:
		_, err = readCount(text)
	case figureKind:
		_, err = readFigure(text, m.unitOf(f), m.moneyScale)
	case flagKind:
		_, err = readFlag(text)
	case enumKind:
		_, err = readEnum(f, text)
	case listKind:
		for _, it := range splitList(text) {
			if _, ferr := readFacility(it, m.values[f.name]); ferr != nil {
				err = fmt.Errorf("facility %q has no code: name it by a code, or give its code under values (facilities: {%s: CODE})", it, it)
			}
		}
	}
	return err
}

// given tells whether a field has a column or a constant.
func (m *Mapping) given(name string) bool {
	return slices.ContainsFunc(m.columns, func(c column) bool { return c.field.name == name }) ||
		slices.ContainsFunc(m.constants, func(c constant) bool { return c.field.name == name })
}

// unitOf is the unit of figures without a unit word in their text.
func (m *Mapping) unitOf(f *field) string {
	switch {
	case m.valueUnit != "":
		return m.valueUnit
	case f.name == "amount":
		return model.UnitCNY
	}
	return model.UnitCount
}
