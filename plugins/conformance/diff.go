package conformance

import (
	"strings"
)

// maxDiffLines bounds the lines diffLines matches one against another;
// past it, the differing middle is shown whole, removed then added.
const maxDiffLines = 4000

// diff shows how two outputs differ, line by line of their golden-file
// form: lines only in want begin with "-", lines only in got with "+",
// and a few lines around each change are kept as context.
func diff(want, got Output) string {
	w, _ := marshal(want)
	g, _ := marshal(got)
	return diffLines(strings.Split(strings.TrimSpace(string(w)), "\n"), strings.Split(strings.TrimSpace(string(g)), "\n"))
}

// edit is one line of a diff: ' ' kept, '-' removed, '+' added.
type edit struct {
	op   byte
	line string
}

// diffLines returns a unified-style diff of two texts' lines, or "" when
// they are the same.
func diffLines(a, b []string) string {
	// The common start and end are context; only the middle is matched.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	if pre == len(a) && pre == len(b) {
		return ""
	}
	var edits []edit
	for _, l := range a[:pre] {
		edits = append(edits, edit{' ', l})
	}
	edits = append(edits, middle(a[pre:len(a)-suf], b[pre:len(b)-suf])...)
	for _, l := range a[len(a)-suf:] {
		edits = append(edits, edit{' ', l})
	}
	return render(edits, 3)
}

// middle matches the lines of a and b by their longest common
// subsequence.
func middle(a, b []string) []edit {
	var out []edit
	if len(a) > maxDiffLines || len(b) > maxDiffLines {
		for _, l := range a {
			out = append(out, edit{'-', l})
		}
		for _, l := range b {
			out = append(out, edit{'+', l})
		}
		return out
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:].
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out = append(out, edit{' ', a[i]})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, edit{'-', a[i]})
			i++
		default:
			out = append(out, edit{'+', b[j]})
			j++
		}
	}
	return out
}

// render writes the changes with context lines of context around each,
// and "…" where kept lines are left out.
func render(edits []edit, context int) string {
	show := make([]bool, len(edits))
	for i, e := range edits {
		if e.op == ' ' {
			continue
		}
		for k := max(0, i-context); k <= min(len(edits)-1, i+context); k++ {
			show[k] = true
		}
	}
	var b strings.Builder
	skipped := false
	for i, e := range edits {
		if !show[i] {
			skipped = true
			continue
		}
		if skipped {
			b.WriteString("  …\n")
			skipped = false
		}
		b.WriteByte(e.op)
		b.WriteByte(' ')
		b.WriteString(e.line)
		b.WriteByte('\n')
	}
	if skipped {
		b.WriteString("  …\n")
	}
	return b.String()
}
