package conformance

import "testing"

func TestDiffLines(t *testing.T) {
	tests := map[string]struct {
		a, b []string
		want string
	}{
		"same":    {[]string{"x", "y"}, []string{"x", "y"}, ""},
		"changed": {[]string{"a", "b", "c"}, []string{"a", "B", "c"}, "  a\n- b\n+ B\n  c\n"},
		"added":   {[]string{"a"}, []string{"a", "b"}, "  a\n+ b\n"},
		"removed": {[]string{"a", "b"}, []string{"b"}, "- a\n  b\n"},
		"context": {
			[]string{"1", "2", "3", "4", "5", "6", "7", "8", "9"},
			[]string{"1", "2", "3", "4", "five", "6", "7", "8", "9"},
			"  …\n  2\n  3\n  4\n- 5\n+ five\n  6\n  7\n  8\n  …\n",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := diffLines(tc.a, tc.b); got != tc.want {
				t.Errorf("diffLines:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
