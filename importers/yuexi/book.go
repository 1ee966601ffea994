package main

import (
	"errors"

	"github.com/xuri/excelize/v2"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// sheet is a sheet of the template and how its rows are read.
type sheet struct {
	layout layout
	what   string // what the sheet holds, for diagnostics
	read   func(b *book, r row) error
}

// sheets are the template's sheets, in the order they are read.
var sheets = []sheet{
	{indicatorLayout, "indicators", (*book).indicator},
	{stationLayout, "party-mass service stations", (*book).station},
	{pilotLayout, "fallback-service pilots", (*book).pilot},
	{budgetLayout, "budget lines", (*book).budget},
}

// book is the state of one import.
type book struct {
	in  *sdk.Input
	out sdk.Emitter

	period, asOf string
	periodErr    error

	units map[string]string // emitted unit name -> its parent's name
	keys  map[string]string // dataset/key -> reference of its row
}

func newBook(in *sdk.Input, out sdk.Emitter) *book {
	return &book{in: in, out: out, units: map[string]string{}, keys: map[string]string{}}
}

// readSheet checks a sheet's header and reads its data rows.
func (b *book) readSheet(f *excelize.File, name string, s sheet) error {
	rows, err := f.GetRows(name)
	if err != nil {
		return b.out.Diagnose(sdk.Errorf(name+"!A1", "", "the sheet cannot be read: %v", err))
	}
	l := s.layout
	l.sheet = name
	if m := checkHeader(rows, l); m != nil {
		return b.out.Diagnose(sdk.Errorf(name+"!"+m.cell, "", "the header differs from the template, so the sheet is not read: %v", m))
	}
	for i := firstRow; i <= len(rows); i++ {
		r := row{sheet: name, num: i, cells: rows[i-1]}
		if r.blank() || r.note() {
			continue
		}
		if err := s.read(b, r); err != nil {
			return err
		}
	}
	return nil
}

// fail reports a row that cannot be read for the cell at fault; err is
// a *cellError, or any other error to pass on.
func (b *book) fail(r row, err error) error {
	var ce *cellError
	if errors.As(err, &ce) {
		return b.out.Diagnose(sdk.Errorf(r.ref(ce.col), ce.field, "%s", ce.msg))
	}
	return err
}

// claim records the natural key of a row's record; it fails when an
// earlier row has the same key.
func (b *book) claim(r row, dataset, key string, col int, field string) error {
	k := dataset + "/" + key
	if first, dup := b.keys[k]; dup {
		return badCell(col, field, "%q repeats the row at %s", key, first)
	}
	b.keys[k] = r.first()
	return nil
}

// unitOf checks the town and community of a row and returns the name of
// its unit: the community, else the town, else "" for the county.
func (b *book) unitOf(r row, townCol, communityCol int) (string, error) {
	town, community := r.get(townCol), r.get(communityCol)
	if parent, seen := b.units[community]; seen && community != "" && town != "" && town != parent {
		return "", badCell(townCol, "乡镇", "社区 %s is in %s on an earlier row, here in %s", community, parent, town)
	}
	if community != "" {
		return community, nil
	}
	return town, nil
}

// emitUnits emits the unit records of a row's town and community the
// first time they appear; call it after unitOf accepted the row.
func (b *book) emitUnits(r row, townCol, communityCol int) error {
	town, community := r.get(townCol), r.get(communityCol)
	if parent, seen := b.units[community]; seen && community != "" {
		town = parent
	}
	if town != "" {
		if err := b.emitUnit(r, town, model.LevelTown, ""); err != nil {
			return err
		}
	}
	if community != "" {
		return b.emitUnit(r, community, model.LevelCommunity, town)
	}
	return nil
}

func (b *book) emitUnit(r row, name string, level model.UnitLevel, parent string) error {
	if _, done := b.units[name]; done {
		return nil
	}
	b.units[name] = parent
	return b.out.Emit(sdk.Record{Reference: r.first(), Unit: &sdk.Unit{Name: name, Level: level, Parent: parent}})
}

// emit emits the unit records of a row and then its record.
func (b *book) emit(r row, townCol, communityCol int, rec sdk.Record) error {
	if err := b.emitUnits(r, townCol, communityCol); err != nil {
		return err
	}
	rec.Reference = r.first()
	return b.out.Emit(rec)
}

// periodError is the error of an indicator row when the period is unknown.
func (b *book) periodError() error {
	return badCell(1, "period", "%v", b.periodErr)
}
