package divisions

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/countyhub/countyhub/model"
)

// tsvHeader is the first line of the files the hub ships units in.
const tsvHeader = "code\tname\tnameEn\tlevel\tparent\tcounty"

// WriteTSV writes units as the hub ships them: a header line, then one
// line per unit with its code, name, pinyin name, level, parent's code and
// county's code, separated by tabs.
func WriteTSV(w io.Writer, units []model.AdminUnit) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, tsvHeader)
	for _, u := range units {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Code, u.Name, u.NameEn, u.Level, u.ParentCode, u.CountyCode)
	}
	return bw.Flush()
}

// ReadTSV reads units written by WriteTSV; an error names the line.
func ReadTSV(r io.Reader) ([]model.AdminUnit, error) {
	var out []model.AdminUnit
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		if line == 1 {
			if sc.Text() != tsvHeader {
				return nil, fmt.Errorf("line 1: header %q, want %q", sc.Text(), tsvHeader)
			}
			continue
		}
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 6 {
			return nil, fmt.Errorf("line %d: %d fields, want 6", line, len(f))
		}
		out = append(out, model.AdminUnit{Code: f[0], Name: f[1], NameEn: f[2], Level: model.UnitLevel(f[3]), ParentCode: f[4], CountyCode: f[5]})
	}
	return out, sc.Err()
}

// SortByCode sorts units by code.
func SortByCode(units []model.AdminUnit) {
	slices.SortFunc(units, func(a, b model.AdminUnit) int { return strings.Compare(a.Code, b.Code) })
}
