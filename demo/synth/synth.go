// Package synth generates a deterministic synthetic data set for the
// county-level units that have no real demo file: for each, a table of
// party-mass service stations and a table of monthly figures of every
// town and community, as mapping-driven CSV files the csv importer reads.
// The figures carry the qualifiers county reports use (30余件, 约40件) and
// leave gaps, as real reports do. The same seed and county always give the
// same bytes, whatever other counties are generated.
//
// The files are named synthetic-CODE-*.csv, so that provenance shows they
// are not a county's report.
package synth

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"

	"github.com/countyhub/countyhub/demo"
	"github.com/countyhub/countyhub/model"
)

// Months are the periods of the monthly figures.
var Months = []string{"2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06", "2023-07"}

// AsOf is the date the synthetic figures are reported as of.
const AsOf = "2023-08-07"

// monthly are the metrics every community reports each month, with the
// measure word of their figures and their typical size.
var monthly = []struct {
	metric, word string
	typical      int
}{
	{"outcome.problems_resolved", "件", 40},
	{"outcome.opinions_collected", "条", 25},
	{"outcome.disputes_resolved", "起", 6},
}

// stems name the invented communities and villages; a town gets a few,
// as 社区 for a subdistrict (街道) and as 村 elsewhere.
var stems = []string{"城东", "城西", "城南", "城北", "新华", "人民", "和平", "幸福", "光明", "建设", "解放", "胜利",
	"团结", "振兴", "文化", "长安", "永安", "龙山", "凤凰", "青山", "河东", "河西", "太平", "长春", "康宁", "阳光",
	"花园", "滨江", "春晖", "新桥"}

// StationsMapping is the csv importer's mapping of the stations files
// the generator writes: 乡镇, 社区, 站点名称, 地址, 状态 and 建成时间.
const StationsMapping = `# Synthetic stations of one county (countyhub demo --scope).
dataset: stations
columns:
  乡镇: town
  社区: community
  站点名称: name
  地址: address
  状态: status
  建成时间: opened
key_from: [community, name]
`

const figuresMapping = `# Synthetic monthly figures of the towns and communities of one county (countyhub demo --scope).
dataset: observations
columns:
  乡镇: town
  社区: community
  指标代码: metric
  期间: period
  数值: value
constants:
  as_of: ` + AsOf + `
`

// County returns the synthetic files of a county-level unit: its stations
// and its monthly figures, each with the csv importer and its mapping.
// towns are the county's towns; a county without towns reports as one.
func County(seed uint64, county model.AdminUnit, towns []model.AdminUnit) []demo.Sample {
	h := fnv.New64a()
	h.Write([]byte(county.Code))
	rng := rand.New(rand.NewPCG(seed, h.Sum64()))

	var stations, figures bytes.Buffer
	sw, fw := csv.NewWriter(&stations), csv.NewWriter(&figures)
	sw.Write([]string{"乡镇", "社区", "站点名称", "地址", "状态", "建成时间"})
	fw.Write([]string{"乡镇", "社区", "指标代码", "期间", "数值"})
	if len(towns) == 0 {
		towns = []model.AdminUnit{{Name: ""}}
	}
	used := map[string]bool{} // community names are unique in a county
	for _, town := range towns {
		suffix := "村"
		if strings.HasSuffix(town.Name, "街道") || town.Name == "" {
			suffix = "社区"
		}
		n := 2 + rng.IntN(4)
		for _, i := range rng.Perm(len(stems))[:n] {
			community := stems[i] + suffix
			if used[community] {
				// The town's name without its generic suffix tells them apart.
				community = strings.TrimRight(town.Name, "镇乡街道") + community
			}
			used[community] = true
			station := community + "党群服务站"
			status := "运行中"
			if rng.IntN(8) == 0 {
				status = "提档升级"
			}
			sw.Write([]string{town.Name, community, station, fmt.Sprintf("%s%s%d号", town.Name, stems[i], 1+rng.IntN(99)), status,
				fmt.Sprintf("%d年%d月", 2019+rng.IntN(5), 1+rng.IntN(12))})
			for _, m := range monthly {
				size := 1 + rng.IntN(2*m.typical)
				for _, period := range Months {
					if rng.IntN(12) == 0 {
						continue // a gap: this month was not reported
					}
					v := max(0, size+rng.IntN(size/2+1)-size/4)
					fw.Write([]string{town.Name, community, m.metric, period, figure(rng, v, m.word)})
				}
			}
		}
	}
	sw.Flush()
	fw.Flush()
	return []demo.Sample{
		{Importer: "csv", Unit: county.Code, FileName: "synthetic-" + county.Code + "-stations.csv", Data: stations.Bytes(),
			Options: map[string]string{"mapping": StationsMapping}},
		{Importer: "csv", Unit: county.Code, FileName: "synthetic-" + county.Code + "-figures.csv", Data: figures.Bytes(),
			Options: map[string]string{"mapping": figuresMapping}},
	}
}

// figure writes a count the way reports do: mostly exact (35件), some
// rounded down with 余 (30余件, at least 30), some approximate (约40件).
func figure(rng *rand.Rand, v int, word string) string {
	switch r := rng.IntN(10); {
	case r == 0 && v >= 20:
		return fmt.Sprintf("%d余%s", v/10*10, word)
	case r == 1 && v >= 20:
		return fmt.Sprintf("约%d%s", (v+5)/10*10, word)
	default:
		return fmt.Sprintf("%d%s", v, word)
	}
}
