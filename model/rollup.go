package model

import "time"

// Rollup holds, for one metric and period, released figures and what
// units add up to, computed when a release changes so that comparisons
// read a few documents instead of the facts.
//
// The rollups of a metric and period are stored in parts, so that a
// county's publish rewrites only its own: the top rollup (ID
// "METRIC|PERIOD") holds the figures and sums of the county-level units
// and those above them, and each county's part (ID "METRIC|PERIOD|COUNTY",
// County set) those of the towns, communities and compounds below it.
// A reader of a county's lower units reads the top and that county's part
// and merges them (analytics.Merge).
type Rollup struct {
	// ID is "METRIC|PERIOD" for a top rollup, "METRIC|PERIOD|COUNTY" for
	// a county's part.
	ID     string `bson:"_id" json:"id"`
	Metric string `bson:"metric" json:"metric"`
	Period string `bson:"period" json:"period"`
	// Figures are the released figures by unit code: each unit's own.
	Figures map[string]RollupFigure `bson:"figures" json:"figures"`
	// Lower sums, for metrics that add up, what lies below each unit that
	// has no figure of its own but units below it with one: by unit code,
	// at every level (a town from its communities, a county from its
	// towns, a city from its counties, a province from its cities).
	Lower map[string]RollupSum `bson:"lower,omitempty" json:"lower,omitempty"`
	// County is the county of a part; empty for a top rollup.
	County string `bson:"county,omitempty" json:"county,omitempty"`
	// Groups, in a top rollup, says what each county (by code) and the
	// units above the counties (RollupAbove) put in it.
	Groups   map[string]RollupGroup `bson:"groups,omitempty" json:"groups,omitempty"`
	Computed time.Time              `bson:"computed" json:"computed"`
}

// RollupAbove is the group of the units above the counties (cities and
// provinces) in Rollup.Groups.
const RollupAbove = "above"

// RollupGroup is what one county, or the units above the counties, put
// in a top rollup.
type RollupGroup struct {
	// Units are the codes of the group's entries in the top rollup's
	// Figures and Lower.
	Units []string `bson:"units" json:"units"`
	// Reported counts the group's units with a figure of their own, at
	// every level.
	Reported int `bson:"reported" json:"reported"`
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

// RollupID is the id of the top rollup of a metric and period.
func RollupID(metric, period string) string { return metric + "|" + period }

// RollupPartID is the id of a county's part of the rollup of a metric and
// period.
func RollupPartID(metric, period, county string) string { return metric + "|" + period + "|" + county }

// RollupState records what the rollups were last computed from, so that a
// hub computes again only what changed: for a released unit (ID
// "release:CODE") the runs and the groups its figures went to, for a group
// (ID "group:CODE" or "group:above") the digest of what it put in each
// top rollup and part.
type RollupState struct {
	ID string `bson:"_id" json:"id"`
	// Runs are a released unit's runs by dataset.
	Runs map[string]string `bson:"runs,omitempty" json:"runs,omitempty"`
	// Groups are the groups a released unit's figures went to.
	Groups []string `bson:"groups,omitempty" json:"groups,omitempty"`
	// Shares are, for a group, a digest of its share of each top rollup,
	// in id order (a list: ids hold dots, which field names may not).
	Shares []RollupShare `bson:"shares,omitempty" json:"shares,omitempty"`
}

// RollupShare is the digest of a group's share of one top rollup.
type RollupShare struct {
	Rollup string `bson:"rollup" json:"rollup"`
	Digest string `bson:"digest" json:"digest"`
}
