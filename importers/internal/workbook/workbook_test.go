package workbook

import (
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/countyhub/countyhub/plugins/sdk"
	"github.com/countyhub/countyhub/plugins/sdk/importertest"
)

func TestOpen(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	if err := f.SetCellValue("Sheet1", "A1", "岳西县小区党群服务站经费"); err != nil {
		t.Fatal(err)
	}
	book, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		data    []byte
		wantErr string // "" for none
		bound   bool   // the error is an *sdk.ArchiveError
	}{
		"a workbook":     {data: book.Bytes()},
		"not a zip":      {data: []byte("序号,指标名称\n"), wantErr: "not a zip archive"},
		"a zip bomb":     {data: importertest.ZipBomb(1<<30, false, "xl/worksheets/sheet1.xml"), wantErr: "archive expands beyond 256 MB", bound: true},
		"lying headers":  {data: importertest.ZipBomb(1<<30, true, "xl/worksheets/sheet1.xml"), wantErr: "archive expands beyond what it declares", bound: true},
		"not a workbook": {data: importertest.ZipBomb(10, false, "word/document.xml"), wantErr: "open the workbook"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, err := Open(tc.data, excelize.Options{})
			if err == nil {
				defer f.Close()
				if v, _ := f.GetCellValue("Sheet1", "A1"); v != "岳西县小区党群服务站经费" {
					t.Errorf("A1 = %q", v)
				}
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("Open: %v; want no error", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("Open: %v; want an error saying %q", err, tc.wantErr)
			}
			var ae *sdk.ArchiveError
			if got := errors.As(err, &ae); got != tc.bound {
				t.Errorf("Open: %v is an *sdk.ArchiveError: %v; want %v", err, got, tc.bound)
			}
		})
	}
}
