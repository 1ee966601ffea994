package synth_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/countyhub/countyhub/demo/synth"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata"
)

func taihu(t *testing.T) (model.AdminUnit, []model.AdminUnit) {
	t.Helper()
	units, err := refdata.Within("340825")
	if err != nil {
		t.Fatal(err)
	}
	var county model.AdminUnit
	var towns []model.AdminUnit
	for _, u := range units {
		switch {
		case u.Code == "340825":
			county = u
		case u.Level == model.LevelTown:
			towns = append(towns, u)
		}
	}
	return county, towns
}

// TestCountyIsDeterministic checks that a seed always gives the same
// files and another seed other ones.
func TestCountyIsDeterministic(t *testing.T) {
	county, towns := taihu(t)
	a, b, c := synth.County(7, county, towns), synth.County(7, county, towns), synth.County(8, county, towns)
	for i := range a {
		if !bytes.Equal(a[i].Data, b[i].Data) || a[i].FileName != b[i].FileName || a[i].Options["mapping"] != b[i].Options["mapping"] {
			t.Errorf("%s differs between two runs of seed 7", a[i].FileName)
		}
		if bytes.Equal(a[i].Data, c[i].Data) {
			t.Errorf("%s is the same for seeds 7 and 8", a[i].FileName)
		}
	}
}

// TestCountyCoversEveryTown checks that every town has stations and
// monthly figures, that some figures are qualified and some months left
// out, and that community names are unique in the county.
func TestCountyCoversEveryTown(t *testing.T) {
	county, towns := taihu(t)
	files := synth.County(1, county, towns)
	if len(files) != 2 || files[0].Unit != "340825" || !strings.HasPrefix(files[0].FileName, "synthetic-340825-") {
		t.Fatalf("files = %+v", files)
	}
	stations, figures := string(files[0].Data), string(files[1].Data)
	for _, town := range towns {
		if !strings.Contains(stations, "\n"+town.Name+",") || !strings.Contains(figures, "\n"+town.Name+",") {
			t.Errorf("town %s has no stations or no figures", town.Name)
		}
	}
	communities := map[string]string{}
	for line := range strings.Lines(stations) {
		f := strings.Split(line, ",")
		if town, seen := communities[f[1]]; seen && town != f[0] {
			t.Errorf("community %s is in %s and in %s", f[1], town, f[0])
		}
		communities[f[1]] = f[0]
	}
	rows := strings.Count(figures, "\n") - 1
	if full := (len(communities) - 1) * 3 * len(synth.Months); rows >= full || rows < full*3/4 {
		t.Errorf("%d figures of %d possible: want a few months left out", rows, full)
	}
	if !strings.Contains(figures, "余件") || !strings.Contains(figures, "约") {
		t.Error("no qualified figures (余, 约)")
	}
}
