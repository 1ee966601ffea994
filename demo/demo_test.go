package demo_test

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/countyhub/countyhub/demo"
	"github.com/countyhub/countyhub/plugins/records"
)

func TestSamplesOfTheBulletin(t *testing.T) {
	samples, err := demo.Samples()
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
		t.Error("the city sample lacks its mapping option, read from the file the manifest names")
	}
}

// TestSamplesAreGoldenCases checks that each demo file, with its unit and
// options, is a golden case of its importer, so that the importer's tests
// pin the records the demo publishes.
func TestSamplesAreGoldenCases(t *testing.T) {
	samples, err := demo.Samples()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range samples {
		testdata := filepath.Join("..", "importers", s.Importer, "testdata")
		inputs, err := filepath.Glob(filepath.Join(testdata, "*", "input.*"))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, input := range inputs {
			data, err := os.ReadFile(input)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, s.Data) {
				continue
			}
			dir := filepath.Dir(input)
			c, err := records.ReadCase(os.DirFS(dir), ".")
			if err != nil {
				t.Fatal(err)
			}
			if c.Unit == s.Unit && maps.Equal(c.Options, s.Options) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s: no golden case in %s holds the file with unit %s and options %v: copy it there as CASE/input%s with its case.json and expected.json",
				s.FileName, testdata, s.Unit, s.Options, filepath.Ext(s.FileName))
		}
	}
}

func TestReadRefusesIncompleteManifests(t *testing.T) {
	t.Parallel()
	file := &fstest.MapFile{Data: []byte("a")}
	for name, fsys := range map[string]fstest.MapFS{
		"no manifest":   {"x/input.csv": file},
		"not JSON":      {"manifest.json": {Data: []byte(`{"files": [`)}, "x/a.csv": file},
		"unknown field": {"manifest.json": {Data: []byte(`{"files": [{"importer": "x", "unit": "340803", "file": "x/a.csv", "county": "340803"}]}`)}, "x/a.csv": file},
		"no files":      {"manifest.json": {Data: []byte(`{"files": []}`)}},
		"no importer":   {"manifest.json": {Data: []byte(`{"files": [{"unit": "340803", "file": "x/a.csv"}]}`)}, "x/a.csv": file},
		"no unit":       {"manifest.json": {Data: []byte(`{"files": [{"importer": "x", "file": "x/a.csv"}]}`)}, "x/a.csv": file},
		"no file":       {"manifest.json": {Data: []byte(`{"files": [{"importer": "x", "unit": "340803"}]}`)}},
		"missing file":  {"manifest.json": {Data: []byte(`{"files": [{"importer": "x", "unit": "340803", "file": "x/b.csv"}]}`)}, "x/a.csv": file},
		"outside path":  {"manifest.json": {Data: []byte(`{"files": [{"importer": "x", "unit": "340803", "file": "../a.csv"}]}`)}, "x/a.csv": file},
		"missing option file": {"manifest.json": {Data: []byte(`{"files": [{"importer": "x", "unit": "340803", "file": "x/a.csv", "optionFiles": {"mapping": "x/m.yaml"}}]}`)},
			"x/a.csv": file},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if s, err := demo.Read(fsys); err == nil {
				t.Errorf("%+v, no error", s)
			}
		})
	}
}

func TestReadTakesOnlyTheManifestsFiles(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"manifest.json":                    {Data: []byte(`{"files": [{"importer": "csv", "unit": "340800", "file": "anqing/city.csv", "options": {"as_of": "2023-08-07"}, "optionFiles": {"mapping": "anqing/m.yaml"}}]}`)},
		"anqing/city.csv":                  {Data: []byte("a,b")},
		"anqing/m.yaml":                    {Data: []byte("dataset: observations")},
		"daguan/testdata/sample/input.csv": {Data: []byte("not listed")},
	}
	got, err := demo.Read(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("%d samples, want 1: %+v", len(got), got)
	}
	s := got[0]
	if s.Importer != "csv" || s.Unit != "340800" || s.FileName != "city.csv" || string(s.Data) != "a,b" {
		t.Errorf("sample %+v", s)
	}
	if want := map[string]string{"as_of": "2023-08-07", "mapping": "dataset: observations"}; !maps.Equal(s.Options, want) {
		t.Errorf("options %v, want %v", s.Options, want)
	}
}
