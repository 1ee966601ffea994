package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// object is a JSON object of the export with its path ($.communities[2]).
type object struct {
	path   string
	fields map[string]json.RawMessage
}

// fieldError is a field of an object that cannot be read.
type fieldError struct {
	path, field string
	msg         string
}

func (e *fieldError) Error() string { return e.msg }

func (o object) fail(field, format string, args ...any) *fieldError {
	return &fieldError{path: o.path, field: field, msg: fmt.Sprintf(format, args...)}
}

// asObject reads raw as an object; what it says about anything else
// names the path.
func asObject(raw json.RawMessage, path, what string) (object, *fieldError) {
	o := object{path: path}
	if kind := kindOf(raw); kind != "an object" {
		return o, &fieldError{path: path, msg: fmt.Sprintf("want %s as an object {…}, found %s", what, kind)}
	}
	if err := json.Unmarshal(raw, &o.fields); err != nil {
		return o, &fieldError{path: path, msg: fmt.Sprintf("want %s as an object: %v", what, err)}
	}
	return o, nil
}

// has tells whether the object has the field with a value other than null.
func (o object) has(name string) bool {
	raw, ok := o.fields[name]
	return ok && kindOf(raw) != "null"
}

// str returns a string field, trimmed; a required field that is missing,
// null or empty is an error, and so is a value that is not a string.
func (o object) str(name string, required bool) (string, *fieldError) {
	if !o.has(name) {
		if required {
			return "", o.fail(name, "the required field %q is missing", name)
		}
		return "", nil
	}
	raw := o.fields[name]
	if kind := kindOf(raw); kind != "a string" {
		return "", o.fail(name, "%s: want a string, found %s", name, describe(raw))
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", o.fail(name, "%s: %v", name, err)
	}
	s = trim(s)
	if s == "" && required {
		return "", o.fail(name, "the required field %q is empty", name)
	}
	return s, nil
}

// num returns a number field; ok is false when the field is missing or
// null. A value that is not a number, even a number in a string, is an
// error.
func (o object) num(name string) (v float64, ok bool, err *fieldError) {
	if !o.has(name) {
		return 0, false, nil
	}
	raw := o.fields[name]
	if kind := kindOf(raw); kind != "a number" {
		return 0, false, o.fail(name, "%s: want a number, found %s", name, describe(raw))
	}
	v, perr := strconv.ParseFloat(string(raw), 64)
	if perr != nil {
		return 0, false, o.fail(name, "%s: %s is not a number this importer can read", name, raw)
	}
	return v, true, nil
}

// array returns the elements of an array field; a missing or null field
// is an empty array.
func (o object) array(name string) ([]json.RawMessage, *fieldError) {
	if !o.has(name) {
		return nil, nil
	}
	raw := o.fields[name]
	if kind := kindOf(raw); kind != "an array" {
		return nil, o.fail(name, "%s: want an array […], found %s", name, describe(raw))
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		return nil, o.fail(name, "%s: %v", name, err)
	}
	return elems, nil
}

// kindOf names the kind of a JSON value by its first byte.
func kindOf(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch c := raw[0]; {
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	default:
		return "a number"
	}
}

// describe names a value for a diagnostic: its kind, and short values
// themselves.
func describe(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	kind := kindOf(raw)
	switch kind {
	case "a string", "a number", "a boolean":
		if len(raw) <= 40 {
			return kind + " " + string(raw)
		}
	}
	return kind
}
