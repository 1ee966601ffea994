package host

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRanOutOf(t *testing.T) {
	tests := map[string]struct {
		msg  string
		want resource
	}{
		"go runtime":       {"fatal error: out of memory allocating heap arena map", outOfMemory},
		"go allocation":    {"runtime: out of memory: cannot allocate 16777216-byte block (251658240 in use)", outOfMemory},
		"enomem":           {"mmap: cannot allocate memory", outOfMemory},
		"thread stack":     {"runtime/cgo: pthread_create failed: Resource temporarily unavailable", outOfMemory},
		"python":           {"MemoryError", outOfMemory},
		"c++":              {"terminate called after throwing an instance of 'std::bad_alloc'", outOfMemory},
		"emfile":           {"open /dev/null: too many open files", outOfFiles},
		"emfile, C":        {"fopen: Too many open files", outOfFiles},
		"a plain crash":    {"panic: boom in the middle of the stream", outOfNothing},
		"an importer said": {"sheet 2: no header row", outOfNothing},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := ranOutOf(tc.msg); got != tc.want {
				t.Errorf("ranOutOf(%q) = %v; want %v", tc.msg, got, tc.want)
			}
		})
	}
}

func TestExhaustionKeepsTheFirstLines(t *testing.T) {
	var e exhaustion
	long := "fatal error: out of memory " + strings.Repeat("是", 100)
	for _, line := range []string{"starting", long, "\n", "runtime: out of memory again", "open x: too many open files", "open y: too many open files"} {
		if n, err := e.Write([]byte(line)); n != len(line) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	memory, files := e.said()
	want := []string{"fatal error: out of memory " + strings.Repeat("是", (200-27)/3) + "…", "open x: too many open files"}
	if diff := cmp.Diff(want, []string{memory, files}); diff != "" {
		t.Errorf("lines kept (-want +got):\n%s", diff)
	}
}
