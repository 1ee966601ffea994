package model

import "time"

// Rollup holds, for one metric and period, every released figure and what
// each county adds up to, computed when a release changes so that
// comparisons read one document instead of the facts.
type Rollup struct {
	// ID is "METRIC|PERIOD".
	ID     string `bson:"_id" json:"id"`
	Metric string `bson:"metric" json:"metric"`
	Period string `bson:"period" json:"period"`
	// Figures are the released figures by unit code: each unit's own.
	Figures map[string]RollupFigure `bson:"figures" json:"figures"`
	// Lower sums, for metrics that add up, what lies below each unit that
	// has no figure of its own but units below it with one: by unit code,
	// at every level (a town from its communities, a county from its
	// towns, a city from its counties, a province from its cities).
	Lower    map[string]RollupSum `bson:"lower,omitempty" json:"lower,omitempty"`
	Computed time.Time            `bson:"computed" json:"computed"`
}

// RollupFigure is a released figure with where it came from.
type RollupFigure struct {
	Value  Quantity `bson:"value" json:"value"`
	County string   `bson:"county,omitempty" json:"county,omitempty"`
	Run    string   `bson:"run" json:"run"`
	// Reference is the figure's place in its file.
	Reference string `bson:"reference" json:"reference"`
	FileName  string `bson:"fileName" json:"fileName"`
}

// RollupSum is what a unit's children add up to.
type RollupSum struct {
	Value Quantity `bson:"value" json:"value"`
	// Units are the codes of the units whose own figures make the sum,
	// at whatever level below they are (the communities of a town that
	// has no figure of its own, say).
	Units []string `bson:"units" json:"units"`
}

// RollupID is the id of the rollup of a metric and period.
func RollupID(metric, period string) string { return metric + "|" + period }
