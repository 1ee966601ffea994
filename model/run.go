package model

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// NewID returns an id for a run or an audit entry: its time in UTC to the
// microsecond, then six random hex digits, so that ids sort by time.
func NewID(now time.Time) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return now.UTC().Format("20060102T150405.000000") + "-" + hex.EncodeToString(b[:])
}

// RunStatus is the state of an import run.
type RunStatus string

// Import run states. A run starts RUNNING and ends in one of the others;
// only a READY run can be published.
const (
	RunRunning   RunStatus = "RUNNING"
	RunFailed    RunStatus = "FAILED"
	RunReady     RunStatus = "READY"
	RunPublished RunStatus = "PUBLISHED"
	RunDiscarded RunStatus = "DISCARDED"
	RunUnchanged RunStatus = "UNCHANGED"
)

// Run is one import of one file through one importer, for one unit.
type Run struct {
	ID string `bson:"_id" json:"id"`
	// Unit is the code of the unit the run is for: a county, or the city.
	Unit            string            `bson:"unit" json:"unit"`
	Importer        string            `bson:"importer" json:"importer"`
	ImporterVersion string            `bson:"importerVersion" json:"importerVersion"`
	FileName        string            `bson:"fileName" json:"fileName"`
	FileSHA256      string            `bson:"fileSha256" json:"fileSha256"`
	FileSize        int64             `bson:"fileSize" json:"fileSize"`
	Options         map[string]string `bson:"options,omitempty" json:"options,omitempty"`
	// Fingerprint identifies the input: importer, version, file and
	// options. A run whose fingerprint is already released is UNCHANGED.
	Fingerprint string `bson:"fingerprint" json:"fingerprint"`
	DryRun      bool   `bson:"dryRun" json:"dryRun"`
	// MaxErrors is how many error diagnostics the run tolerates; more fail it.
	MaxErrors int       `bson:"maxErrors" json:"maxErrors"`
	Status    RunStatus `bson:"status" json:"status"`
	// Reason says why a run FAILED, or what an UNCHANGED run matched.
	Reason string `bson:"reason,omitempty" json:"reason,omitempty"`
	// Datasets are the datasets the run replaces when published: those its
	// importer declares.
	Datasets []string `bson:"datasets" json:"datasets"`
	// Counts are the records kept, by dataset.
	Counts map[string]int `bson:"counts" json:"counts"`
	// Facets count the records kept by dataset and facet (Record.Facet),
	// under FacetKey: how a release knows the totals of a filtered
	// connection without reading its records.
	// Nil in a run written before they were kept.
	Facets map[string]int `bson:"facets" json:"facets,omitempty"`
	// Read is the number of records the plugin sent so far, for progress.
	Read     int `bson:"read" json:"read"`
	Errors   int `bson:"errors" json:"errors"`
	Warnings int `bson:"warnings" json:"warnings"`
	// Diagnostics is how many diagnostics the run stored, of every
	// severity, with the ids DiagnosticID gives for 0 to Diagnostics-1;
	// nil in a run stored before it was kept.
	Diagnostics *int       `bson:"diagnostics,omitempty" json:"diagnostics,omitempty"`
	Diff        *Diff      `bson:"diff,omitempty" json:"diff,omitempty"`
	By          string     `bson:"by,omitempty" json:"by,omitempty"`
	Created     time.Time  `bson:"created" json:"created"`
	Finished    *time.Time `bson:"finished,omitempty" json:"finished,omitempty"`
	// Published is when the run was released, for a PUBLISHED run.
	Published *time.Time `bson:"published,omitempty" json:"published,omitempty"`
	// Collected tells that the run's records were removed, since no
	// release points at the run any more.
	Collected bool `bson:"collected,omitempty" json:"collected,omitempty"`
	// Summary is the facets of the run's own stations, budgets and
	// pilots, as analytics.FacetsOf computes them from its records, kept
	// when the run is written so that a publish need not read the records
	// again; nil in a run stored before it was kept.
	Summary *Facets `bson:"summary,omitempty" json:"summary,omitempty"`
	// Phases are the steps the run went through, in order, with what
	// each took; nil in a run stored before they were kept.
	Phases []Phase `bson:"phases,omitempty" json:"phases,omitempty"`
}

// Diff compares a run's records with the released ones, by natural key.
type Diff struct {
	// Added, Changed and Removed list the records, at most DiffListLimit
	// of each in key order; the counts say how many there are in all.
	Added        []DiffEntry `bson:"added" json:"added"`
	Changed      []DiffEntry `bson:"changed" json:"changed"`
	Removed      []DiffEntry `bson:"removed" json:"removed"`
	AddedCount   int         `bson:"addedCount" json:"addedCount"`
	ChangedCount int         `bson:"changedCount" json:"changedCount"`
	RemovedCount int         `bson:"removedCount" json:"removedCount"`
}

// DiffListLimit bounds each list of a Diff, so that the diff of a large
// first import stays a readable report and a small document.
const DiffListLimit = 1000

// Truncated tells whether a list of the diff leaves records out.
func (d Diff) Truncated() bool {
	return d.AddedCount > len(d.Added) || d.ChangedCount > len(d.Changed) || d.RemovedCount > len(d.Removed)
}

// DiffEntry is one record of a diff.
type DiffEntry struct {
	Dataset string `bson:"dataset" json:"dataset"`
	Key     string `bson:"key" json:"key"`
	// Reference is where the record is in the run's file (empty for a
	// removed record).
	Reference string `bson:"reference,omitempty" json:"reference,omitempty"`
	// Fields lists the fields that differ, for a changed record.
	Fields []string `bson:"fields,omitempty" json:"fields,omitempty"`
}

// DiagnosticID is the id of a run's diagnostic by its place in the file's
// order: "RUN/00000012". Ids sort in that order.
func DiagnosticID(run string, seq int) string { return fmt.Sprintf("%s/%08d", run, seq) }

// RunDiagnostic is a diagnostic of a run: the importer's, or the hub's own
// from validation.
type RunDiagnostic struct {
	ID        string `bson:"_id" json:"id"`
	Run       string `bson:"run" json:"run"`
	Seq       int    `bson:"seq" json:"seq"`
	Severity  string `bson:"severity" json:"severity"`
	Reference string `bson:"reference" json:"reference"`
	Field     string `bson:"field,omitempty" json:"field,omitempty"`
	Message   string `bson:"message" json:"message"`
}

// Release points, for one unit, each dataset at the run whose records
// readers see. Publishing changes it in one single-document update.
type Release struct {
	// Unit is the code of the unit, and the document's key.
	Unit string `bson:"_id" json:"unit"`
	// Runs maps a dataset to its released run.
	Runs map[string]string `bson:"runs" json:"runs"`
	// Previous maps a dataset to the run released before, kept for
	// rollback.
	Previous map[string]string `bson:"previous" json:"previous"`
	// Counts and Facets are those of the released runs (Run.Counts and
	// Run.Facets, for the datasets Runs points at them for), kept with
	// Runs, so that a connection's totalCount is a sum over releases, not
	// a count of records. Counts is nil in a release written before they
	// were kept (Tallied tells), Facets when a released run was.
	Counts map[string]int `bson:"counts,omitempty" json:"counts,omitempty"`
	Facets map[string]int `bson:"facets" json:"facets,omitempty"`
	// Version increases with every change; updates compare and swap it.
	Version   int64     `bson:"version" json:"version"`
	Published time.Time `bson:"published" json:"published"`
}

// FacetKey is the key of a dataset's facet in Run.Facets and
// Release.Facets: "stations:OPERATING". Facet values hold no dots, which
// BSON keys must not.
func FacetKey(dataset, facet string) string { return dataset + ":" + facet }

// Tallied tells whether the release keeps the counts of its runs.
func (r Release) Tallied() bool { return r.Counts != nil || len(r.Runs) == 0 }

// Count is how many records of dataset the release's run holds, those
// whose facet is the given one when facet is not empty; false when the
// release does not know.
func (r Release) Count(dataset, facet string) (int, bool) {
	if r.Counts == nil || facet != "" && r.Facets == nil {
		return 0, false
	}
	if facet == "" {
		return r.Counts[dataset], true
	}
	return r.Facets[FacetKey(dataset, facet)], true
}

// AuditEntry records an import, publish, rollback or token change.
type AuditEntry struct {
	ID    string    `bson:"_id" json:"id"`
	At    time.Time `bson:"at" json:"at"`
	Actor string    `bson:"actor" json:"actor"`
	// Token is the id of the actor's token; empty for the hub itself.
	Token  string `bson:"token,omitempty" json:"token,omitempty"`
	Action string `bson:"action" json:"action"`
	Unit   string `bson:"unit,omitempty" json:"unit,omitempty"`
	Run    string `bson:"run,omitempty" json:"run,omitempty"`
	Detail string `bson:"detail,omitempty" json:"detail,omitempty"`
}

// UnitRecord is a lower administrative unit (town, community, compound) as
// an import run read it; publishing the run adds it to the units.
type UnitRecord struct {
	ID         string     `bson:"_id" json:"id"`
	Key        string     `bson:"key" json:"key"`
	Code       string     `bson:"code" json:"code"`
	Name       string     `bson:"name" json:"name"`
	NameEn     string     `bson:"nameEn,omitempty" json:"nameEn,omitempty"`
	Level      UnitLevel  `bson:"level" json:"level"`
	ParentCode string     `bson:"parent" json:"parent"`
	CountyCode string     `bson:"county" json:"county"`
	Provenance Provenance `bson:"provenance" json:"provenance"`
}

// AdminUnit is the unit the record describes.
func (u UnitRecord) AdminUnit() AdminUnit {
	return AdminUnit{Code: u.Code, Name: u.Name, NameEn: u.NameEn, Level: u.Level, ParentCode: u.ParentCode, CountyCode: u.CountyCode}
}

// Token is an API token: its secret is stored only as a SHA-256 hash.
type Token struct {
	// ID is the public part of the token, shown in lists and the audit log.
	ID   string `bson:"_id" json:"id"`
	Name string `bson:"name" json:"name"`
	// Hash is the hex SHA-256 of the secret part.
	Hash string `bson:"hash" json:"-"`
	Role string `bson:"role" json:"role"`
	// Counties are the units a county editor may import and publish for.
	Counties  []string   `bson:"counties,omitempty" json:"counties,omitempty"`
	Created   time.Time  `bson:"created" json:"created"`
	CreatedBy string     `bson:"createdBy" json:"createdBy"`
	Revoked   *time.Time `bson:"revoked,omitempty" json:"revoked,omitempty"`
}

// The phases of a run (Phase.Name), in the order a run goes through them.
// Parse, validate and write overlap: the importer parses the next rows
// while the hub validates and writes those before.
const (
	// PhaseUpload is receiving the file, to a spool file beside the hub.
	PhaseUpload = "upload"
	// PhaseStore is storing the file in the database.
	PhaseStore = "store"
	// PhaseParse is the time the hub waited for the importer's records.
	PhaseParse = "parse"
	// PhaseValidate is the time the hub spent validating records.
	PhaseValidate = "validate"
	// PhaseWrite is the time during which records were being written.
	PhaseWrite = "write"
	// PhaseDiff is comparing the run with the release.
	PhaseDiff = "diff"
	// PhasePublish is pointing the unit's release at the run.
	PhasePublish = "publish"
	// PhaseRollups is computing the rollups again after the publish.
	PhaseRollups = "rollups"
)

// Phase is one step of a run and what it took.
type Phase struct {
	Name     string        `bson:"name" json:"name"`
	Duration time.Duration `bson:"duration" json:"duration"`
	// Rows is how many records the phase handled; 0 when it handles none
	// one by one (upload, store).
	Rows int `bson:"rows,omitempty" json:"rows,omitempty"`
	// Bytes is how many bytes of the file the phase handled.
	Bytes int64 `bson:"bytes,omitempty" json:"bytes,omitempty"`
}

// RowsPerSecond is the phase's rate of rows, or 0 when it has none.
func (p Phase) RowsPerSecond() float64 {
	if p.Rows == 0 || p.Duration <= 0 {
		return 0
	}
	return float64(p.Rows) / p.Duration.Seconds()
}
