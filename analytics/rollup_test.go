package analytics_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/analytics"
	"github.com/countyhub/countyhub/model"
)

// TestRollupsAddUpEveryLevel checks that figures add up community -> town
// -> county -> city -> province, a unit's own figure winning over its
// children's so that nothing counts twice, qualifiers carried.
func TestRollupsAddUpEveryLevel(t *testing.T) {
	unit := func(code, parent string, level model.UnitLevel, county string) model.AdminUnit {
		return model.AdminUnit{Code: code, Name: code, Level: level, ParentCode: parent, CountyCode: county}
	}
	units := []model.AdminUnit{
		unit("340000", "", model.LevelProvince, ""),
		unit("340800", "340000", model.LevelCity, ""),
		unit("340100", "340000", model.LevelCity, ""),
		unit("340828", "340800", model.LevelCounty, "340828"),
		unit("340827", "340800", model.LevelCounty, "340827"),
		unit("340124", "340100", model.LevelCounty, "340124"),
		unit("340828100", "340828", model.LevelTown, "340828"),
		unit("340828101", "340828", model.LevelTown, "340828"),
		unit("340828100001", "340828100", model.LevelCommunity, "340828"),
		unit("340828100002", "340828100", model.LevelCommunity, "340828"),
		unit("340828101001", "340828101", model.LevelCommunity, "340828"),
	}
	obs := func(unit, county string, v float64, q model.Qualifier) model.Observation {
		return model.Observation{MetricCode: "m", Period: "2023", UnitCode: unit, CountyCode: county,
			Value: model.Quantity{Value: v, Qualifier: q, Unit: model.UnitCount}, Provenance: model.Provenance{RunID: "r"}}
	}
	figures := []model.Observation{
		obs("340828100001", "340828", 3, model.Exact),
		obs("340828100002", "340828", 4, model.AtLeast),
		obs("340828101", "340828", 10, model.Exact),    // the town's own figure
		obs("340828101001", "340828", 99, model.Exact), // not added again
		obs("340827", "340827", 20, model.Exact),
		obs("340124", "340124", 5, model.Exact),
	}
	rs, err := analytics.Rollups(figures, units, []model.Metric{{Code: "m", Aggregation: model.AggregateSum}}, time.Unix(0, 0))
	if err != nil || len(rs) != 1 {
		t.Fatalf("Rollups = %d, %v", len(rs), err)
	}
	got := map[string]string{}
	for code, s := range rs[0].Lower {
		got[code] = fmt.Sprintf("%g %s", s.Value.Value, s.Value.Qualifier)
	}
	want := map[string]string{
		"340828100": "7 AT_LEAST",  // 3 and at least 4
		"340828":    "17 AT_LEAST", // its towns: 7+ and the town's own 10, not its community's 99
		"340800":    "37 AT_LEAST", // Yuexi's 17+ and Wangjiang's 20
		"340100":    "5 EXACT",
		"340000":    "42 AT_LEAST",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sums (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"340828100001", "340828100002", "340828101"}, rs[0].Lower["340828"].Units); diff != "" {
		t.Errorf("Yuexi's sum is of (-want +got):\n%s", diff)
	}
}

// TestLayoutKeepsLowerUnitsInTheirCountysPart splits rollups into the
// documents of the tree and merges them back.
func TestLayoutKeepsLowerUnitsInTheirCountysPart(t *testing.T) {
	units := map[string]model.AdminUnit{
		"340000":       {Code: "340000", Level: model.LevelProvince},
		"340800":       {Code: "340800", Level: model.LevelCity, ParentCode: "340000"},
		"340828":       {Code: "340828", Level: model.LevelCounty, ParentCode: "340800", CountyCode: "340828"},
		"340827":       {Code: "340827", Level: model.LevelCounty, ParentCode: "340800", CountyCode: "340827"},
		"340828100":    {Code: "340828100", Level: model.LevelTown, ParentCode: "340828", CountyCode: "340828"},
		"340828100001": {Code: "340828100001", Level: model.LevelCommunity, ParentCode: "340828100", CountyCode: "340828"},
	}
	fig := func(v float64) model.RollupFigure {
		return model.RollupFigure{Value: model.Quantity{Value: v, Qualifier: model.Exact, Unit: model.UnitCount}, Run: "r"}
	}
	var obs []model.Observation
	for code, v := range map[string]float64{"340828100001": 3, "340827": 20} {
		obs = append(obs, model.Observation{MetricCode: "m", Period: "2023", UnitCode: code, Value: fig(v).Value, Provenance: model.Provenance{RunID: "r"}})
	}
	rs, err := analytics.Rollups(obs, slices.Collect(maps.Values(units)), []model.Metric{{Code: "m", Aggregation: model.AggregateSum}}, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	docs := analytics.Layout(rs, units)
	var ids []string
	byID := map[string]model.Rollup{}
	for _, d := range docs {
		ids = append(ids, d.ID)
		byID[d.ID] = d
	}
	if want := []string{"m|2023", "m|2023|340000", "m|2023|340800", "m|2023|340828"}; !slices.Equal(ids, want) {
		t.Fatalf("layout = %v; want the root, the province's and the city's nodes and Yuexi's part", ids)
	}
	root, province, city, part := byID["m|2023"], byID["m|2023|340000"], byID["m|2023|340800"], byID["m|2023|340828"]
	if len(root.Figures) != 0 || root.Lower["340000"].Value.Value != 23 || !slices.Equal(root.Lower["340000"].Units, []string{"340800"}) {
		t.Errorf("root %+v; want the province's sum, of its city", root)
	}
	if g := city.Groups["340828"]; g.Reported != 1 || !slices.Equal(g.Units, []string{"340828"}) {
		t.Errorf("Yuexi's group %+v; want its sum, from one reported figure, beside it in the city's node", g)
	}
	if g := city.Groups["340827"]; g.Reported != 1 || !slices.Equal(g.Units, []string{"340827"}) {
		t.Errorf("Wangjiang's group %+v; want its figure", g)
	}
	if len(root.Groups) != 0 || len(province.Groups) != 0 {
		t.Errorf("groups in the root %v and the province's node %v; want them beside the counties alone", root.Groups, province.Groups)
	}
	two := model.RollupCover{Counties: 2, Units: 2}
	if province.Covers["340800"] != two || root.Covers["340000"] != two || len(city.Covers) != 0 {
		t.Errorf("covers: city %v in the province's node, province %v in the root; want two counties, two units each", province.Covers, root.Covers)
	}
	if province.Node != "340000" || province.Lower["340800"].Value.Value != 23 || !slices.Equal(province.Lower["340800"].Units, []string{"340827", "340828"}) {
		t.Errorf("province's node %+v; want the city's sum, of its two counties", province)
	}
	if city.Node != "340800" || city.Figures["340827"] != fig(20) || city.Lower["340828"].Value.Value != 3 {
		t.Errorf("city's node %+v; want Wangjiang's figure and Yuexi's sum", city)
	}
	if part.County != "340828" || part.Figures["340828100001"] != fig(3) || part.Lower["340828100"].Value.Value != 3 || len(part.Lower) != 1 {
		t.Errorf("part %+v; want the community's figure and the town's sum", part)
	}
	if diff := cmp.Diff(rs, analytics.Merge(docs)); diff != "" {
		t.Errorf("merged back (-want +got):\n%s", diff)
	}
}
