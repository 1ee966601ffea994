package records

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	valid := Description{Name: "daguan-csv", Version: "1.0.0", Formats: []Format{{Extensions: []string{".csv"}}}, Datasets: []string{Stations}}
	tests := map[string]struct {
		edit    func(*Description)
		wantErr string
	}{
		"valid":            {func(*Description) {}, ""},
		"v prefix":         {func(d *Description) { d.Version = "v2.1.3-rc.1" }, ""},
		"upper name":       {func(d *Description) { d.Name = "Daguan" }, "name"},
		"no version":       {func(d *Description) { d.Version = "" }, "version"},
		"no formats":       {func(d *Description) { d.Formats = nil }, "formats"},
		"bad extension":    {func(d *Description) { d.Formats[0].Extensions = []string{"CSV"} }, "extension"},
		"unknown dataset":  {func(d *Description) { d.Datasets = []string{"people"} }, "people"},
		"no datasets":      {func(d *Description) { d.Datasets = nil }, "datasets"},
		"bad option type":  {func(d *Description) { d.Options = []Option{{Name: "sheet", Type: "list"}} }, "type"},
		"duplicate option": {func(d *Description) { d.Options = []Option{{Name: "a", Type: "int"}, {Name: "a", Type: "int"}} }, "twice"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := valid
			d.Formats = []Format{{Extensions: []string{".csv"}}}
			tc.edit(&d)
			err := d.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("Validate() = %v; want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Validate() = %v; want an error about %q", err, tc.wantErr)
			}
		})
	}
}

func TestRecordDataset(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		r    Record
		want string
	}{
		"station": {Record{Station: &Station{}}, Stations},
		"none":    {Record{}, ""},
		"two":     {Record{Station: &Station{}, Budget: &Budget{}}, ""},
		"obs":     {Record{Observation: &Observation{}}, Observations},
	}
	for name, tc := range tests {
		if got := tc.r.Dataset(); got != tc.want {
			t.Errorf("%s: Dataset() = %q; want %q", name, got, tc.want)
		}
	}
}
