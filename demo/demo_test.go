package demo_test

import (
	"testing"
	"testing/fstest"

	"github.com/countyhub/countyhub/demo"
	"github.com/countyhub/countyhub/importers"
)

func TestSamplesOfTheImporters(t *testing.T) {
	samples, err := demo.Samples(importers.Samples)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range samples {
		got = append(got, s.Unit+" "+s.Importer+" "+s.FileName)
		if len(s.Data) == 0 {
			t.Errorf("%s: empty file", s.FileName)
		}
	}
	// The city first, then by importer; each county of the bulletin once.
	want := []string{"340800 csv csv-sample.csv", "340803 daguan daguan-sample.csv", "340822 huaining huaining-sample.xml",
		"340882 qianshan qianshan-sample.html", "340881 tongcheng tongcheng-sample.json", "340827 wangjiang wangjiang-sample.docx",
		"340828 yuexi yuexi-sample.xlsx"}
	if len(got) != len(want) {
		t.Fatalf("samples %q; want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sample %d = %q; want %q", i, got[i], want[i])
		}
	}
	if m := samples[0].Options["mapping"]; m == "" {
		t.Error("the city sample lacks its mapping option, read from the file case.json names")
	}
}

func TestSamplesRefusesIncompleteCases(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"no samples":   {"x/testdata/basic/input.csv": {Data: []byte("a")}},
		"no input":     {"x/testdata/sample/case.json": {Data: []byte(`{"unit": "340803"}`)}},
		"no unit":      {"x/testdata/sample/input.csv": {Data: []byte("a")}},
		"two inputs":   {"x/testdata/sample/input.csv": {Data: []byte("a")}, "x/testdata/sample/input.xml": {Data: []byte("b")}, "x/testdata/sample/case.json": {Data: []byte(`{"unit": "340803"}`)}},
		"missing file": {"x/testdata/sample/input.csv": {Data: []byte("a")}, "x/testdata/sample/case.json": {Data: []byte(`{"unit": "340803", "optionFiles": {"mapping": "m.yaml"}}`)}},
	} {
		if s, err := demo.Samples(fsys); err == nil {
			t.Errorf("%s: %+v, no error", name, s)
		}
	}
}
