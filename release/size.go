package release

import (
	"reflect"
	"sync"
)

// bytesOf estimates the heap bytes that recs hold: the records themselves
// and what their strings, slices, maps and pointers reach. The estimate
// follows the Go runtime's layout (string headers, slice backing arrays,
// about 48 bytes of overhead per map entry) without walking the runtime's
// own structures, so it is within tens of percent of what the heap holds,
// which is what a cache bounded by bytes needs.
func bytesOf[T any](recs []T) int {
	var zero T
	n := int(reflect.TypeOf(zero).Size()) * len(recs)
	for i := range recs {
		n += reachable(reflect.ValueOf(&recs[i]).Elem())
	}
	return n
}

// mapEntryOverhead is the per-entry cost of a Go map beyond its keys and
// values, roughly, for the small maps records carry.
const mapEntryOverhead = 48

// reachable returns the bytes v reaches beyond its own size.
func reachable(v reflect.Value) int {
	switch v.Kind() {
	case reflect.String:
		return v.Len()
	case reflect.Struct:
		if !hasReferences(v.Type()) {
			return 0
		}
		n := 0
		for i := range v.NumField() {
			n += reachable(v.Field(i))
		}
		return n
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return 0
		}
		e := v.Elem()
		return int(e.Type().Size()) + reachable(e)
	case reflect.Slice:
		if v.IsNil() {
			return 0
		}
		n := int(v.Type().Elem().Size()) * v.Cap()
		if hasReferences(v.Type().Elem()) {
			for i := range v.Len() {
				n += reachable(v.Index(i))
			}
		}
		return n
	case reflect.Array:
		n := 0
		if hasReferences(v.Type().Elem()) {
			for i := range v.Len() {
				n += reachable(v.Index(i))
			}
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return 0
		}
		t := v.Type()
		n := v.Len() * (int(t.Key().Size()) + int(t.Elem().Size()) + mapEntryOverhead)
		for it := v.MapRange(); it.Next(); {
			n += reachable(it.Key()) + reachable(it.Value())
		}
		return n
	default:
		return 0
	}
}

var references sync.Map // reflect.Type -> bool

// hasReferences tells whether a value of t can reach memory beyond its
// own size, so that bytesOf can skip flat fields and arrays.
func hasReferences(t reflect.Type) bool {
	if v, ok := references.Load(t); ok {
		return v.(bool)
	}
	var has bool
	switch t.Kind() {
	case reflect.String, reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		has = true
	case reflect.Array:
		has = hasReferences(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasReferences(t.Field(i).Type) {
				has = true
				break
			}
		}
	}
	references.Store(t, has)
	return has
}
