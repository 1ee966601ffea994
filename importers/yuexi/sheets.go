package main

import (
	"errors"
	"strconv"
	"strings"

	"github.com/countyhub/countyhub/importers/internal/status"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/normalize"
	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// Sheet 指标: one indicator a row.
const (
	indName = iota + 2
	indTown
	indCommunity
	indValue
	indUnit
	indNote
)

var indicatorLayout = layout{sheet: "指标", columns: []column{
	{1, "序号", ""}, {indName, "指标名称", ""},
	{indTown, "乡镇", "统计范围"}, {indCommunity, "社区", "统计范围"},
	{indValue, "数值", "数据"}, {indUnit, "计量单位", "数据"},
	{indNote, "备注", ""},
}}

// indicator emits the observation of a row of 指标: its figure is the
// 数值 cell with the 计量单位 after it ("300余" and "件": 300余件).
func (b *book) indicator(r row) error {
	name := r.get(indName)
	if name == "" {
		return b.fail(r, badCell(indName, "指标名称", "指标名称 is empty"))
	}
	metric := metricFor(name)
	if metric == "" {
		return b.fail(r, badCell(indName, "指标名称", "indicator %q is unknown: want one of %s, or a catalog code", name, metrics.Known()))
	}
	if b.periodErr != nil {
		return b.fail(r, b.periodError())
	}
	value, unit := r.get(indValue), r.get(indUnit)
	if value == "" {
		return b.fail(r, badCell(indValue, "数值", "数值 is empty: want a figure such as 60 or 300余"))
	}
	text := value
	if !strings.HasSuffix(value, unit) {
		text += unit
	}
	q, err := normalize.Quantity(text, model.UnitCount)
	if err != nil {
		return b.fail(r, badCell(indValue, "数值", "数值 %q (计量单位 %q) is not a figure: %v", value, unit, reason(err)))
	}
	where, err := b.unitOf(r, indTown, indCommunity)
	if err != nil {
		return b.fail(r, err)
	}
	return b.emit(r, indTown, indCommunity, sdk.Record{Observation: &sdk.Observation{
		Metric: metric, Unit: where, Period: b.period, AsOf: b.asOf, Value: q,
	}})
}

// Sheet 党群服务站: one station a row, with its "six haves" marks.
const (
	stName = iota + 2
	stTown
	stCommunity
	stAddress
	stVenue // the first of the six haves
	stEquipment
	stSign
	stFlag
	stBooks
	stRules
	stRooms
	stStatus
	stNote
)

var stationLayout = layout{sheet: "党群服务站", columns: []column{
	{1, "序号", ""},
	{stName, "站点名称", "站点信息"}, {stTown, "所在乡镇", "站点信息"}, {stCommunity, "所在社区", "站点信息"}, {stAddress, "地址", "站点信息"},
	{stVenue, "有场所", "“六有”标准"}, {stEquipment, "有设施", "“六有”标准"}, {stSign, "有标志", "“六有”标准"},
	{stFlag, "有党旗", "“六有”标准"}, {stBooks, "有书报", "“六有”标准"}, {stRules, "有制度", "“六有”标准"},
	{stRooms, "功能室", ""}, {stStatus, "建设状态", ""}, {stNote, "备注", ""},
}}

// station emits the station of a row of 党群服务站. It meets the standard
// when all six haves are marked.
func (b *book) station(r row) error {
	name := r.get(stName)
	if name == "" {
		return b.fail(r, badCell(stName, "站点名称", "站点名称 is empty"))
	}
	meets := true
	for col := stVenue; col <= stRules; col++ {
		has, err := mark(r, col)
		if err != nil {
			return b.fail(r, err)
		}
		meets = meets && has
	}
	status, ok := status.Station(r.get(stStatus))
	if !ok {
		return b.fail(r, badCell(stStatus, "建设状态", "建设状态 %q is not 已建成, 提档升级, 在建 or 停用", r.get(stStatus)))
	}
	where, err := b.unitOf(r, stTown, stCommunity)
	if err != nil {
		return b.fail(r, err)
	}
	key := joinKey(where, name)
	if err := b.claim(r, records.Stations, key, stName, "站点名称"); err != nil {
		return b.fail(r, err)
	}
	found, unknown := normalize.FacilityList(r.get(stRooms))
	if len(unknown) > 0 {
		if err := b.out.Diagnose(sdk.Warnf(r.ref(stRooms), "功能室", "left out %s: not a facility this importer knows (%s)",
			strings.Join(unknown, ", "), strings.Join(normalize.FacilityNames(), ", "))); err != nil {
			return err
		}
	}
	return b.emit(r, stTown, stCommunity, sdk.Record{Station: &sdk.Station{
		Key: key, Name: name, Unit: where, Address: r.get(stAddress), Status: status, Facilities: found, MeetsStandard: &meets,
	}})
}

// mark reads a cell of the six haves: √ (or 是, 有) is met, empty (or ×,
// 否, 无) is not.
func mark(r row, col int) (bool, error) {
	text := r.get(col)
	has, ok := marks[text]
	if !ok {
		label := stationLayout.label(col)
		return false, badCell(col, label, "%s %q is not a mark: want √ when met, empty or × when not", label, text)
	}
	return has, nil
}

// Sheet 试点: one fallback-service pilot a row.
const (
	plName = iota + 2
	plOperator
	plTown
	plCommunity
	plCompounds
	plHouseholds
	plPhase
	plPaying
	plStarted
	plNote
)

var pilotLayout = layout{sheet: "试点", columns: []column{
	{1, "序号", ""}, {plName, "试点名称", ""}, {plOperator, "牵头单位", ""},
	{plTown, "乡镇", "覆盖范围"}, {plCommunity, "社区", "覆盖范围"}, {plCompounds, "小区数（个）", "覆盖范围"}, {plHouseholds, "户数（户）", "覆盖范围"},
	{plPhase, "阶段", "推进情况"}, {plPaying, "付费户数（户）", "推进情况"}, {plStarted, "启动时间", "推进情况"},
	{plNote, "备注", ""},
}}

// pilot emits the pilot of a row of 试点. Counts left empty stay unknown.
func (b *book) pilot(r row) error {
	name, operator := r.get(plName), r.get(plOperator)
	if name == "" {
		return b.fail(r, badCell(plName, "试点名称", "试点名称 is empty"))
	}
	if operator == "" {
		return b.fail(r, badCell(plOperator, "牵头单位", "牵头单位 is empty: name the enterprise that runs the pilot"))
	}
	phase, ok := phases[r.get(plPhase)]
	if !ok {
		return b.fail(r, badCell(plPhase, "阶段", "阶段 %q is not 体验服务, 购买服务 or 已结束", r.get(plPhase)))
	}
	p := &sdk.Pilot{Key: name, Name: name, Operator: operator, Phase: phase}
	for _, n := range []struct {
		col   int
		label string
		dst   **int
	}{{plCompounds, "小区数", &p.Compounds}, {plHouseholds, "户数", &p.Households}, {plPaying, "付费户数", &p.PayingHouseholds}} {
		v, err := count(r, n.col, n.label)
		if err != nil {
			return b.fail(r, err)
		}
		*n.dst = v
	}
	if started := r.get(plStarted); started != "" {
		d, err := normalize.Date(started)
		if err != nil {
			return b.fail(r, badCell(plStarted, "启动时间", "启动时间 is not a date: %v", err))
		}
		p.Started = d
	}
	where, err := b.unitOf(r, plTown, plCommunity)
	if err != nil {
		return b.fail(r, err)
	}
	p.Unit = where
	if err := b.claim(r, records.Pilots, p.Key, plName, "试点名称"); err != nil {
		return b.fail(r, err)
	}
	return b.emit(r, plTown, plCommunity, sdk.Record{Pilot: p})
}

// count reads a whole number of compounds or households; empty is nil.
func count(r row, col int, label string) (*int, error) {
	text := r.get(col)
	if text == "" {
		return nil, nil
	}
	q, err := normalize.Quantity(text, model.UnitCount)
	if err != nil {
		return nil, badCell(col, label, "%s %q is not a number: %v", label, text, reason(err))
	}
	n := int(q.Value)
	if q.Qualifier != model.Exact || q.Unit != model.UnitCount || float64(n) != q.Value {
		return nil, badCell(col, label, "%s %q is not an exact whole number", label, text)
	}
	return &n, nil
}

// Sheet 经费: one budget line a row, amounts in 万元.
const (
	buPurpose = iota + 2
	buSource
	buYear
	buPlanned
	buPaid
	buRecurring
	buNote
)

var budgetLayout = layout{sheet: "经费", columns: []column{
	{1, "序号", ""}, {buPurpose, "经费用途", ""}, {buSource, "资金来源", ""}, {buYear, "起始年度", ""},
	{buPlanned, "预算安排", "金额（万元）"}, {buPaid, "已拨付", "金额（万元）"},
	{buRecurring, "是否每年安排", ""}, {buNote, "备注", ""},
}}

// budget emits the budget line of a row of 经费: the amount disbursed
// when 已拨付 is filled, else the amount allocated.
func (b *book) budget(r row) error {
	purpose := r.get(buPurpose)
	if purpose == "" {
		return b.fail(r, badCell(buPurpose, "经费用途", "经费用途 is empty"))
	}
	year, err := budgetYear(r)
	if err != nil {
		return b.fail(r, err)
	}
	col, status := buPaid, model.BudgetDisbursed
	if r.get(buPaid) == "" {
		col, status = buPlanned, model.BudgetAllocated
	}
	label := budgetLayout.label(col)
	text := r.get(col)
	if text == "" {
		return b.fail(r, badCell(buPlanned, "金额", "金额 is empty: fill 预算安排 or 已拨付 (万元)"))
	}
	amount, err := normalize.Quantity(inTenThousands(text), model.UnitCNY)
	if err != nil {
		return b.fail(r, badCell(col, label, "%s %q is not an amount in 万元: %v", label, text, reason(err)))
	}
	if amount.Unit != model.UnitCNY {
		return b.fail(r, badCell(col, label, "%s %q is not an amount in 万元", label, text))
	}
	recurring, ok := yesNo[r.get(buRecurring)]
	if !ok {
		return b.fail(r, badCell(buRecurring, "是否每年安排", "是否每年安排 %q is not 是 or 否", r.get(buRecurring)))
	}
	key := purpose + "|" + strconv.Itoa(year)
	if err := b.claim(r, records.Budgets, key, buPurpose, "经费用途"); err != nil {
		return b.fail(r, err)
	}
	return b.emit(r, 0, 0, sdk.Record{Budget: &sdk.Budget{
		Key: key, Year: year, Purpose: purpose, Source: r.get(buSource), Amount: amount, Status: status, Recurring: recurring,
	}})
}

// reason is what normalize says is wrong with a figure, without the
// figure it quotes.
func reason(err error) error {
	if inner := errors.Unwrap(err); inner != nil {
		return inner
	}
	return err
}

// inTenThousands writes the unit of the 万元 columns after a bare figure:
// 135 is 135万元. A figure that names its own unit ("135万元",
// "1350000元") is kept as written.
func inTenThousands(text string) string {
	if strings.Contains(text, "元") {
		return text
	}
	return text + "万元"
}

// budgetYear reads 起始年度: 2022, 2022年 or 2022年度.
func budgetYear(r row) (int, error) {
	text := r.get(buYear)
	d, err := normalize.Date(strings.TrimSuffix(text, "度"))
	if err != nil || len(d) != 4 {
		return 0, badCell(buYear, "起始年度", "起始年度 %q is not a year such as 2022", text)
	}
	year, _ := strconv.Atoi(d)
	return year, nil
}
