package model

import "time"

// Rollup holds, for one metric and period, released figures and what
// units add up to, computed when a release changes so that comparisons
// read a few small documents instead of the facts.
//
// The rollups of a metric and period are stored as a tree of documents,
// so that a county's publish rewrites its own and those on its path, each
// bounded by how many children a unit has, whatever the number of
// counties: a county's part ("METRIC|PERIOD|COUNTY", County set) holds the
// figures and sums of every unit below the county; the node of a unit
// above the counties ("METRIC|PERIOD|CODE", Node set) holds those of its
// children (a city's counties, a province's cities); the root
// ("METRIC|PERIOD") holds those of the units without a parent. What a
// county reports (its group) is kept beside its figure, in its parent's
// node; what the units above the counties report, in the root; and each
// unit above the counties has, beside its figure, the coverage of its
// subtree, so that the root's coverage is a sum of a few entries.
// Readers read the documents that hold the units they show and merge them
// (analytics.Merge).
type Rollup struct {
	// ID is "METRIC|PERIOD" for a root or a whole rollup,
	// "METRIC|PERIOD|CODE" for a county's part or a unit's node.
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
	// County is the county of a part.
	County string `bson:"county,omitempty" json:"county,omitempty"`
	// Node is the unit of a node, whose children's figures and sums it
	// holds.
	Node string `bson:"node,omitempty" json:"node,omitempty"`
	// Groups says what the counties whose figures the document holds (by
	// code) report and, in the root, what the units above the counties
	// report (RollupAbove).
	Groups map[string]RollupGroup `bson:"groups,omitempty" json:"groups,omitempty"`
	// Covers holds, for each unit above the counties whose figure the
	// document holds, the coverage of the unit's subtree: what its node's
	// groups and covers add up to.
	Covers   map[string]RollupCover `bson:"covers,omitempty" json:"covers,omitempty"`
	Computed time.Time              `bson:"computed" json:"computed"`
}

// RollupCover is what the counties of a subtree report in a rollup.
type RollupCover struct {
	// Counties counts the counties with a figure or a sum.
	Counties int `bson:"counties" json:"counties"`
	// Units counts the units below the subtree's top with a figure of
	// their own, at every level, the counties included.
	Units int `bson:"units" json:"units"`
}

// Add is the coverage of two subtrees together.
func (c RollupCover) Add(d RollupCover) RollupCover {
	return RollupCover{Counties: c.Counties + d.Counties, Units: c.Units + d.Units}
}

// Cover is what a county's group adds to the cover of a subtree.
func (g RollupGroup) Cover() RollupCover {
	c := RollupCover{Units: g.Reported}
	if len(g.Units) > 0 {
		c.Counties = 1
	}
	return c
}

// RollupAbove is the group of the units above the counties (cities and
// provinces) in Rollup.Groups.
const RollupAbove = "above"

// RollupGroup is what one county, or the units above the counties,
// report in a rollup.
type RollupGroup struct {
	// Units are, for a county, the county itself when it has a figure or a
	// sum; for the units above the counties, those with a figure.
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
	// Units are the codes of the units whose values make the sum: within
	// a county, the units below with figures of their own, at whatever
	// level (the communities of a town that has no figure of its own,
	// say); above the counties, the children with a figure or a sum.
	Units []string `bson:"units" json:"units"`
}

// RollupID is the id of the top rollup of a metric and period.
func RollupID(metric, period string) string { return metric + "|" + period }

// RollupPartID is the id of a county's part, or of a unit's node, of the
// rollup of a metric and period.
func RollupPartID(metric, period, unit string) string { return metric + "|" + period + "|" + unit }

// RollupState records what the rollups were last computed from, so that a
// hub computes again only what changed: for a released unit (ID
// "release:CODE") the runs and the groups its figures went to, for a group
// (ID "group:CODE" or "group:above") the digest of what it put in each
// rollup.
type RollupState struct {
	ID string `bson:"_id" json:"id"`
	// Runs are a released unit's runs by dataset.
	Runs map[string]string `bson:"runs,omitempty" json:"runs,omitempty"`
	// Groups are the groups a released unit's figures went to.
	Groups []string `bson:"groups,omitempty" json:"groups,omitempty"`
	// Shares are, for a group, a digest of its share of the rollup of
	// each metric and period, by root id, in id order (a list: ids hold
	// dots, which field names may not).
	Shares []RollupShare `bson:"shares,omitempty" json:"shares,omitempty"`
}

// RollupShare is the digest of a group's share of one rollup.
type RollupShare struct {
	Rollup string `bson:"rollup" json:"rollup"`
	Digest string `bson:"digest" json:"digest"`
}
