// Command divgen writes countyhub's shipped reference units from the
// china-division data set (pinned by refdata/source/package-lock.json):
// divisions.tsv with the provinces, cities and county-level units, and
// towns.tsv with their towns, by the rules of package divisions. Run by
// `go generate ./refdata`.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata/divisions"
)

func main() {
	src := flag.String("src", "", "the data set's dist folder (provinces.csv, cities.csv, areas.csv, streets.csv)")
	out := flag.String("out", ".", "folder to write divisions.tsv and towns.tsv to")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		log.Fatal(err)
	}
}

func run(src, out string) error {
	read := func(name string) (io.Reader, error) { return os.Open(filepath.Join(src, name)) }
	var files []io.Reader
	for _, name := range []string{"provinces.csv", "cities.csv", "areas.csv", "streets.csv"} {
		f, err := read(name)
		if err != nil {
			return err
		}
		files = append(files, f)
	}
	upper, err := divisions.Upper(files[0], files[1], files[2])
	if err != nil {
		return err
	}
	counties := map[string]bool{}
	for _, u := range upper {
		if u.CountyCode != "" {
			counties[u.CountyCode] = true
		}
	}
	towns, err := divisions.Towns(files[3], counties)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name  string
		units []model.AdminUnit
	}{{"divisions.tsv", upper}, {"towns.tsv", towns}} {
		w, err := os.Create(filepath.Join(out, f.name))
		if err != nil {
			return err
		}
		if err := divisions.WriteTSV(w, f.units); err != nil {
			w.Close()
			return fmt.Errorf("write %s: %w", f.name, err)
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	fmt.Printf("%d provinces, cities and county-level units; %d towns\n", len(upper), len(towns))
	return nil
}
