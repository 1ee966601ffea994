package release_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/release"
)

// fakeStore keeps releases and records in memory and logs what is read.
// A fake is right here: these tests check the reader's rules (which runs
// it reads, what it caches, what one request sees), not the database.
// Tests of the graph and analytics packages read released records through
// the real embedded store.
type fakeStore struct {
	mu       sync.Mutex
	releases []model.Release
	records  map[string][]model.Record // "dataset/run" -> records
	// reads logs each read: "releases", or "dataset/run" for records.
	reads []string
	// gate, when set, holds every read of records until it is closed.
	gate chan struct{}
	// gen is the release generation: it moves with every release.
	gen int64
}

func (f *fakeStore) ReleaseGeneration(context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gen, nil
}

func (f *fakeStore) Releases(context.Context) ([]model.Release, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads = append(f.reads, "releases")
	return append([]model.Release(nil), f.releases...), nil
}

func (f *fakeStore) Records(_ context.Context, dataset string, runs ...string) ([]model.Record, error) {
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []model.Record
	for _, run := range runs {
		f.reads = append(f.reads, dataset+"/"+run)
		out = append(out, f.records[dataset+"/"+run]...)
	}
	return out, nil
}

func (f *fakeStore) takeReads() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.reads
	f.reads = nil
	return r
}

func (f *fakeStore) release(unit string, runs map[string]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gen++
	for i, r := range f.releases {
		if r.Unit == unit {
			f.releases[i].Runs = runs
			return
		}
	}
	f.releases = append(f.releases, model.Release{Unit: unit, Runs: runs})
}

func stations(run, county string, n int) []model.Record {
	var out []model.Record
	for i := range n {
		key := fmt.Sprintf("s%d", i)
		out = append(out, model.Station{ID: run + "/" + key, Key: key, CountyCode: county, Name: "站", Provenance: model.Provenance{RunID: run}})
	}
	return out
}

func keys(ss []model.Station) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

func TestReaderCachesReleasedRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := &fakeStore{records: map[string][]model.Record{
		"stations/r1": stations("r1", "340803", 2),
		"stations/r2": stations("r2", "340828", 1),
		"stations/r3": stations("r3", "340803", 3),
	}}
	f.release("340803", map[string]string{"stations": "r1"})
	f.release("340828", map[string]string{"stations": "r2"})
	r := release.New(f, 3*stationBytes())

	steps := []struct {
		name     string
		before   func()
		counties []string
		want     []string
		reads    []string
	}{
		{name: "first read fills the cache", want: []string{"r1/s0", "r1/s1", "r2/s0"}, reads: []string{"releases", "stations/r1", "stations/r2"}},
		{name: "second read is served from the cache, the releases too while none changes", want: []string{"r1/s0", "r1/s1", "r2/s0"}},
		{name: "one county", counties: []string{"340828"}, want: []string{"r2/s0"}},
		{name: "a new release reads only the new run", before: func() { f.release("340803", map[string]string{"stations": "r3"}) },
			counties: []string{"340803"}, want: []string{"r3/s0", "r3/s1", "r3/s2"}, reads: []string{"releases", "stations/r3"}},
		{name: "the least recently used run left the bounded cache", before: func() { f.release("340803", map[string]string{"stations": "r1"}) },
			counties: []string{"340803"}, want: []string{"r1/s0", "r1/s1"}, reads: []string{"releases", "stations/r1"}},
	}
	for _, st := range steps {
		if st.before != nil {
			st.before()
		}
		got, err := r.Stations(ctx, st.counties)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if diff := cmp.Diff(st.want, keys(got)); diff != "" {
			t.Errorf("%s: stations (-want +got):\n%s", st.name, diff)
		}
		if diff := cmp.Diff(st.reads, f.takeReads()); diff != "" {
			t.Errorf("%s: reads (-want +got):\n%s", st.name, diff)
		}
	}
}

func TestSnapshotSeesOneRelease(t *testing.T) {
	t.Parallel()
	f := &fakeStore{records: map[string][]model.Record{
		"stations/r1": stations("r1", "340803", 1),
		"stations/r2": stations("r2", "340803", 2),
	}}
	f.release("340803", map[string]string{"stations": "r1"})
	r := release.New(f, 100*stationBytes())
	ctx := r.Snapshot(context.Background())
	first, err := r.Stations(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.release("340803", map[string]string{"stations": "r2"})
	again, err := r.Stations(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(keys(first), keys(again)); diff != "" {
		t.Errorf("one request saw two releases (-first +again):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"releases", "stations/r1"}, f.takeReads()); diff != "" {
		t.Errorf("reads of one request (-want +got):\n%s", diff)
	}
	next, err := r.Stations(r.Snapshot(context.Background()), nil)
	if err != nil || len(next) != 2 {
		t.Errorf("a new request: %v, %v; want the 2 stations of r2", keys(next), err)
	}
}

func TestLargerThanTheCacheIsServedUncached(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := &fakeStore{records: map[string][]model.Record{"stations/r1": stations("r1", "340803", 5)}}
	f.release("340803", map[string]string{"stations": "r1"})
	r := release.New(f, 4*stationBytes())
	for i := range 2 {
		got, err := r.Stations(ctx, nil)
		if err != nil || len(got) != 5 {
			t.Fatalf("read %d: %v, %v", i, keys(got), err)
		}
	}
	if diff := cmp.Diff([]string{"releases", "stations/r1", "stations/r1"}, f.takeReads()); diff != "" {
		t.Errorf("reads (-want +got):\n%s", diff)
	}
}

// tallied is a release that keeps the counts of its stations run, as the
// pipeline writes them.
func tallied(unit, run string, recs []model.Record) model.Release {
	rel := model.Release{Unit: unit, Runs: map[string]string{"stations": run},
		Counts: map[string]int{"stations": len(recs)}, Facets: map[string]int{}}
	for _, r := range recs {
		rel.Facets[model.FacetKey("stations", r.Facet())]++
	}
	return rel
}

func TestPagesReadOnlyTheRunsTheyReach(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	withStatus := func(recs []model.Record) []model.Record {
		for i, r := range recs {
			s := r.(model.Station)
			s.Status = model.StationOperating
			if i%2 == 1 {
				s.Status = model.StationPlanned
			}
			recs[i] = s
		}
		return recs
	}
	f := &fakeStore{records: map[string][]model.Record{
		"stations/r1": withStatus(stations("r1", "340803", 3)),
		"stations/r2": withStatus(stations("r2", "340822", 2)),
		"stations/r3": withStatus(stations("r3", "340828", 4)),
		"stations/r4": withStatus(stations("r4", "340881", 3)),
	}}
	// Out of code order, as a store need not keep them; r4's release is
	// one written before releases kept counts.
	f.releases = []model.Release{
		tallied("340828", "r3", f.records["stations/r3"]),
		tallied("340803", "r1", f.records["stations/r1"]),
		tallied("340822", "r2", f.records["stations/r2"]),
		{Unit: "340881", Runs: map[string]string{"stations": "r4"}},
	}
	r := release.New(f, 100*stationBytes())

	steps := []struct {
		name  string
		q     release.Query
		want  []string
		next  bool
		total int
		reads []string
	}{
		{name: "the first page reads the first run and counts the untallied one",
			q: release.Query{First: 2}, want: []string{"r1/s0", "r1/s1"}, next: true, total: 12,
			reads: []string{"releases", "stations/r1", "stations/r4"}},
		{name: "a page across two counties reads the next run",
			q: release.Query{First: 2, After: "340803/s1"}, want: []string{"r1/s2", "r2/s0"}, next: true, total: 12,
			reads: []string{"stations/r2"}},
		{name: "a page in a later county reads only its run",
			q: release.Query{First: 3, After: "340822/s1"}, want: []string{"r3/s0", "r3/s1", "r3/s2"}, next: true, total: 12,
			reads: []string{"stations/r3"}},
		{name: "the last page",
			q: release.Query{First: 10, After: "340828/s2"}, want: []string{"r3/s3", "r4/s0", "r4/s1", "r4/s2"}, total: 12,
			reads: nil},
		{name: "a facet's total comes from the releases",
			q: release.Query{First: 3, Facet: string(model.StationPlanned)}, want: []string{"r1/s1", "r2/s1", "r3/s1"}, next: true, total: 5,
			reads: nil},
		{name: "one county",
			q: release.Query{First: 10, County: "340822"}, want: []string{"r2/s0", "r2/s1"}, total: 2,
			reads: nil},
		{name: "an empty page still has the total",
			q: release.Query{First: 0}, want: []string{}, next: true, total: 12,
			reads: nil},
	}
	for _, st := range steps {
		page, err := r.StationsPage(ctx, st.q)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got := keys(page.Items)
		if got == nil {
			got = []string{}
		}
		if diff := cmp.Diff(st.want, got); diff != "" {
			t.Errorf("%s: stations (-want +got):\n%s", st.name, diff)
		}
		if page.HasNext != st.next || page.Total != st.total {
			t.Errorf("%s: hasNext %v, total %d; want %v, %d", st.name, page.HasNext, page.Total, st.next, st.total)
		}
		if diff := cmp.Diff(st.reads, f.takeReads()); diff != "" {
			t.Errorf("%s: reads (-want +got):\n%s", st.name, diff)
		}
	}
}

func TestConcurrentMissesShareOneRead(t *testing.T) {
	t.Parallel()
	f := &fakeStore{records: map[string][]model.Record{"stations/r1": stations("r1", "340803", 3)}, gate: make(chan struct{})}
	f.release("340803", map[string]string{"stations": "r1"})
	r := release.New(f, 100*stationBytes())
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got, err := r.Stations(context.Background(), nil); err != nil || len(got) != 3 {
				t.Errorf("a reader got %v, %v; want the 3 stations", keys(got), err)
			}
		})
	}
	time.Sleep(50 * time.Millisecond) // every reader waits on the first one's read
	close(f.gate)
	wg.Wait()
	n := 0
	for _, read := range f.takeReads() {
		if read == "stations/r1" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("8 readers missing the same run read it %d times; want once", n)
	}
}

// stationBytes is what the reader's cache counts for one station of
// stations, whose runs' ids all have the same length.
func stationBytes() int {
	return release.BytesOfStations([]model.Station{stations("r0", "340803", 1)[0].(model.Station)})
}

func TestCacheCountsTheBytesRecordsHold(t *testing.T) {
	t.Parallel()
	base := model.Station{ID: "r1/s0", Key: "s0", CountyCode: "340803", Name: "站"}
	one := release.BytesOfStations([]model.Station{base})
	if one <= len(base.ID)+len(base.Key)+len(base.CountyCode)+len(base.Name) {
		t.Errorf("a station costs %d bytes, no more than its strings", one)
	}
	long := base
	long.Name += strings.Repeat("长", 1000) // 3,000 bytes of UTF-8
	long.Provenance.FileName = strings.Repeat("x", 500)
	if got, want := release.BytesOfStations([]model.Station{long}), one+3000+500; got != want {
		t.Errorf("a station with 3,500 bytes more of strings costs %d, want %d", got, want)
	}
	if got := release.BytesOfStations([]model.Station{base, base, base}); got != 3*one {
		t.Errorf("three stations cost %d, want 3 x %d", got, one)
	}
}
