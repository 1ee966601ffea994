package main

import (
	"fmt"
	"strings"

	"github.com/countyhub/countyhub/importers/internal/status"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/normalize"
	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// hasBadBytes tells whether a row holds bytes its encoding could not
// decode (the decoder turned them into U+FFFD).
func hasBadBytes(row []string) bool {
	for _, c := range row {
		if strings.ContainsRune(c, '\uFFFD') {
			return true
		}
	}
	return false
}

// dataRow emits the records of a row below the header.
func (s *sheet) dataRow(line int, row []string) error {
	ref := fmt.Sprintf("line %d", line)
	h := s.header
	kind, name := h.cell(row, colKind), h.cell(row, colName)
	if kind == "" && name == "" {
		return nil // a blank row, or a note such as 填报单位：…
	}
	if hasBadBytes(row) {
		return s.out.Diagnose(sdk.Errorf(ref, "", "the row has bytes that are not valid %s (shown as \uFFFD): %q", s.enc, strings.Join(trimAll(row), ",")))
	}
	if kind == "" {
		return s.out.Diagnose(sdk.Errorf(ref, colKind.key, "类别 is empty: want 指标, 党群服务站 or 议事点"))
	}
	cat := categories[kind]
	if cat == unknownCategory {
		return s.out.Diagnose(sdk.Errorf(ref, colKind.key, "类别 %q is not 指标, 党群服务站 or 议事点", kind))
	}
	if name == "" {
		return s.out.Diagnose(sdk.Errorf(ref, colName.key, "名称 is empty"))
	}
	switch cat {
	case indicatorRow:
		return s.indicator(ref, row, name)
	case stationRow:
		return s.station(ref, line, row, name)
	default:
		return s.space(ref, line, row, name)
	}
}

// indicator emits the observation of an indicator row.
func (s *sheet) indicator(ref string, row []string, name string) error {
	h := s.header
	metric := metrics.Code(name)
	if metric == "" {
		return s.out.Diagnose(sdk.Errorf(ref, colName.key, "indicator %q is unknown: want one of %s, or a catalog code", name, metrics.Known()))
	}
	if s.periodErr != nil {
		return s.out.Diagnose(sdk.Errorf(ref, "period", "%v", s.periodErr))
	}
	text := h.cell(row, colValue)
	if text == "" {
		return s.out.Diagnose(sdk.Errorf(ref, colValue.key, "数值 is empty: want a figure such as 19个 or 30余个"))
	}
	q, err := normalize.Quantity(text, model.UnitCount)
	if err != nil {
		return s.out.Diagnose(sdk.Errorf(ref, colValue.key, "数值 is not a figure: %v", err))
	}
	unit, ok, err := s.unitOf(ref, row)
	if err != nil || !ok {
		return err
	}
	return s.out.Emit(sdk.Record{Reference: ref, Observation: &sdk.Observation{
		Metric: metric, Unit: unit, Period: s.period, AsOf: s.asOf, Value: q,
	}})
}

// station emits the station of a station row.
func (s *sheet) station(ref string, line int, row []string, name string) error {
	h := s.header
	statusText := h.cell(row, colStatus)
	status, ok := status.Station(statusText)
	if !ok {
		return s.out.Diagnose(sdk.Errorf(ref, colStatus.key, "状态 %q is not 正常运行, 提档升级, 在建 or 停用", statusText))
	}
	community := h.cell(row, colCommunity)
	key := joinKey(community, name)
	if ok, err := s.claim(ref, records.Stations, key, line); err != nil || !ok {
		return err
	}
	found, unknown := normalize.FacilityList(h.cell(row, colFacilities))
	if len(unknown) > 0 {
		if err := s.out.Diagnose(sdk.Warnf(ref, colFacilities.key, "left out %s: not a facility this importer knows (%s)",
			strings.Join(unknown, ", "), strings.Join(normalize.FacilityNames(), ", "))); err != nil {
			return err
		}
	}
	unit, ok, err := s.unitOf(ref, row)
	if err != nil || !ok {
		return err
	}
	return s.out.Emit(sdk.Record{Reference: ref, Station: &sdk.Station{
		Key: key, Name: name, Unit: unit, Address: h.cell(row, colAddress), Status: status, Facilities: found,
	}})
}

// space emits the deliberation point of a row; its name is the brand the
// district gives it ("百姓评理说事点").
func (s *sheet) space(ref string, line int, row []string, name string) error {
	key := joinKey(s.header.cell(row, colCommunity), name)
	if ok, err := s.claim(ref, records.Spaces, key, line); err != nil || !ok {
		return err
	}
	unit, ok, err := s.unitOf(ref, row)
	if err != nil || !ok {
		return err
	}
	return s.out.Emit(sdk.Record{Reference: ref, Space: &sdk.Space{
		Key: key, Name: name, Unit: unit, Kind: model.SpaceDeliberation, Brand: strings.Trim(name, "“”\""),
	}})
}

// claim records the key of a row's record; ok is false, after a
// diagnostic, when an earlier row has the same key.
func (s *sheet) claim(ref, dataset, key string, line int) (ok bool, err error) {
	k := dataset + "/" + key
	if first, dup := s.keys[k]; dup {
		return false, s.out.Diagnose(sdk.Errorf(ref, colName.key, "%q repeats line %d", key, first))
	}
	s.keys[k] = line
	return true, nil
}

// unitOf emits the unit records of the row's street and community the
// first time they appear, and returns the name of the row's unit ("" for
// the district). ok is false, after a diagnostic, when the row puts its
// community in another street than an earlier row did.
func (s *sheet) unitOf(ref string, row []string) (unit string, ok bool, err error) {
	town, community := s.header.cell(row, colTown), s.header.cell(row, colCommunity)
	if parent, seen := s.units[community]; seen && community != "" {
		if town != "" && town != parent {
			return "", false, s.out.Diagnose(sdk.Errorf(ref, colTown.key, "社区 %s is in 街道 %q on an earlier row, here in %q", community, parent, town))
		}
		return community, true, nil
	}
	if town != "" {
		if err := s.emitUnit(ref, town, model.LevelTown, ""); err != nil {
			return "", false, err
		}
	}
	if community == "" {
		return town, true, nil
	}
	return community, true, s.emitUnit(ref, community, model.LevelCommunity, town)
}

func (s *sheet) emitUnit(ref, name string, level model.UnitLevel, parent string) error {
	if _, done := s.units[name]; done {
		return nil
	}
	s.units[name] = parent
	return s.out.Emit(sdk.Record{Reference: ref, Unit: &sdk.Unit{Name: name, Level: level, Parent: parent}})
}

// joinKey makes the natural key of a station or point: its community and
// its name.
func joinKey(community, name string) string {
	if community == "" {
		return name
	}
	return community + "/" + name
}
