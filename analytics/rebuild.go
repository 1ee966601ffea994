package analytics

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/store"
)

// RollupStore is where rollups are computed from and written to.
// *store.Store is one.
type RollupStore interface {
	Unit(ctx context.Context, code string) (model.AdminUnit, error)
	UnitsByCode(ctx context.Context, codes []string) ([]model.AdminUnit, error)
	Metrics(ctx context.Context) ([]model.Metric, error)
	Releases(ctx context.Context) ([]model.Release, error)
	RollupsByID(ctx context.Context, ids []string) ([]model.Rollup, error)
	RollupIDs(ctx context.Context) ([]string, error)
	WriteRollups(ctx context.Context, put []model.Rollup, remove []string) error
	RollupStates(ctx context.Context) ([]model.RollupState, error)
	RollupStatesByID(ctx context.Context, ids []string) ([]model.RollupState, error)
	WriteRollupStates(ctx context.Context, put []model.RollupState, remove []string) error
	Facets(ctx context.Context) (model.Facets, error)
	PutFacets(ctx context.Context, f model.Facets) error
	RunsByID(ctx context.Context, ids []string) ([]model.Run, error)
}

// Released reads the released records; *release.Reader is one.
type Released interface {
	Observations(ctx context.Context, units []string) ([]model.Observation, error)
	Stations(ctx context.Context, counties []string) ([]model.Station, error)
	Budgets(ctx context.Context, counties []string) ([]model.Budget, error)
	Pilots(ctx context.Context, counties []string) ([]model.Pilot, error)
}

// Rebuilder keeps the rollups and facets in step with the releases, one
// released unit at a time: after a county publishes, it recomputes that
// county's figures and sums, then the top rollups they changed and the
// sums of the city and province above them, and the county's facets,
// reading only the releases that hold the county's figures. What it
// computed from is recorded (model.RollupState), so a hub that stopped
// half-way recomputes at start only what is stale. Runs are serialized.
type Rebuilder struct {
	mu       sync.Mutex
	store    RollupStore
	released Released
	now      func() time.Time
}

// NewRebuilder returns a rebuilder of the rollups in st from rel.
func NewRebuilder(st RollupStore, rel Released) *Rebuilder {
	return &Rebuilder{store: st, released: rel, now: time.Now}
}

// Update brings the rollups and facets up to date with the release of
// one unit, after it was published or rolled back.
func (b *Rebuilder) Update(ctx context.Context, unit string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	u, err := b.begin(ctx, false)
	if err != nil {
		return err
	}
	return u.release(unit)
}

// Sync updates the rollups for every released unit whose release changed
// since they were computed, and for units no longer released, and returns
// how many it updated: nothing when the rollups are up to date.
func (b *Rebuilder) Sync(ctx context.Context) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sync(ctx)
}

func (b *Rebuilder) sync(ctx context.Context) (int, error) {
	u, err := b.begin(ctx, true)
	if err != nil {
		return 0, err
	}
	_, current := u.states[layoutState]
	if len(u.rels) > 0 && (!current || !slices.ContainsFunc(slices.Collect(maps.Keys(u.states)), func(id string) bool { _, ok := cutPrefix(id, "release:"); return ok })) {
		// Rollups stored with no record of what they were computed from
		// (by an older hub, or half-way through a rebuild), or in an older
		// layout, are dropped and computed afresh.
		if err := b.clear(ctx); err != nil {
			return 0, err
		}
		if u, err = b.begin(ctx, true); err != nil {
			return 0, err
		}
	}
	var stale []string
	for code, rel := range u.rels {
		if st, ok := u.states[releaseState(code)]; !ok || !maps.Equal(st.Runs, rel.Runs) {
			stale = append(stale, code)
		}
	}
	for id := range u.states {
		if code, ok := cutPrefix(id, "release:"); ok {
			if _, released := u.rels[code]; !released {
				stale = append(stale, code)
			}
		}
	}
	slices.Sort(stale)
	for _, code := range stale {
		if err := u.release(code); err != nil {
			return 0, err
		}
	}
	return len(stale), nil
}

// Rebuild forgets the rollups, their states and the facets and computes
// them afresh from every release, one released unit at a time, and
// returns how many top rollups there are.
func (b *Rebuilder) Rebuild(ctx context.Context) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.clear(ctx); err != nil {
		return 0, err
	}
	if _, err := b.sync(ctx); err != nil {
		return 0, err
	}
	ids, err := b.store.RollupIDs(ctx)
	if err != nil {
		return 0, err
	}
	return len(slices.DeleteFunc(ids, isPartID)), nil
}

// clear deletes every rollup, part and state and empties the facets.
func (b *Rebuilder) clear(ctx context.Context) error {
	states, err := b.store.RollupStates(ctx)
	if err != nil {
		return err
	}
	var stateIDs []string
	for _, st := range states {
		stateIDs = append(stateIDs, st.ID)
	}
	// States go first: a hub stopped half-way starts afresh.
	if err := b.store.WriteRollupStates(ctx, nil, stateIDs); err != nil {
		return err
	}
	ids, err := b.store.RollupIDs(ctx)
	if err != nil {
		return err
	}
	if err := b.store.WriteRollups(ctx, nil, ids); err != nil {
		return err
	}
	return b.store.PutFacets(ctx, emptyFacets(b.now().UTC()))
}

func emptyFacets(now time.Time) model.Facets {
	return model.Facets{ID: model.FacetsID, Computed: now, Stations: []model.StationFacet{}, Budgets: []model.BudgetFacet{},
		Pilots: []model.PilotFacet{}, Coverage: []model.MetricCoverage{}}
}

// update is one run of the rebuilder: what it has read so far.
type update struct {
	ctx     context.Context
	b       *Rebuilder
	now     time.Time
	rels    map[string]model.Release // by unit
	states  map[string]model.RollupState
	shares  map[string]map[string]string // group -> top id -> digest, from states
	metrics map[string]model.Metric
	units   map[string]model.AdminUnit
	// read are the ids of the states read (found or not), when not all.
	read map[string]bool
}

// begin starts an update with the releases, the metrics and, when all,
// every state; otherwise states are read as needed (loadStates).
func (b *Rebuilder) begin(ctx context.Context, all bool) (*update, error) {
	u := &update{ctx: ctx, b: b, now: b.now().UTC(), rels: map[string]model.Release{}, states: map[string]model.RollupState{},
		metrics: map[string]model.Metric{}, units: map[string]model.AdminUnit{}, shares: map[string]map[string]string{}}
	rels, err := b.store.Releases(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		if len(r.Runs) > 0 {
			u.rels[r.Unit] = r
		}
	}
	if all {
		states, err := b.store.RollupStates(ctx)
		if err != nil {
			return nil, err
		}
		for _, st := range states {
			u.setState(st)
		}
	} else {
		u.read = map[string]bool{}
	}
	ms, err := b.store.Metrics(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		u.metrics[m.Code] = m
	}
	// Released units above the counties are told apart by their units;
	// the codes of county-level units never end in 00 (GB/T 2260).
	var above []string
	for code := range u.rels {
		if strings.HasSuffix(code, "00") {
			above = append(above, code)
		}
	}
	if err := u.resolve(above); err != nil {
		return nil, err
	}
	return u, nil
}

// loadStates reads the states with the given ids that the update has not
// read yet; an update that began with all of them reads none.
func (u *update) loadStates(ids []string) error {
	if u.read == nil {
		return nil
	}
	var missing []string
	for _, id := range ids {
		if !u.read[id] {
			missing = append(missing, id)
			u.read[id] = true
		}
	}
	if len(missing) == 0 {
		return nil
	}
	found, err := u.b.store.RollupStatesByID(u.ctx, missing)
	if err != nil {
		return err
	}
	for _, st := range found {
		u.setState(st)
	}
	return nil
}

// countyOf is the county a released unit's release feeds, or "" for a
// unit above the counties.
func (u *update) countyOf(code string) string {
	if unit, ok := u.units[code]; ok && unit.Code != "" {
		return unit.CountyCode
	}
	if strings.HasSuffix(code, "00") {
		return ""
	}
	return code
}

// setState records a state the update read or wrote.
func (u *update) setState(st model.RollupState) {
	u.states[st.ID] = st
	if g, ok := cutPrefix(st.ID, "group:"); ok {
		d := map[string]string{}
		for _, sh := range st.Shares {
			d[sh.Rollup] = sh.Digest
		}
		u.shares[g] = d
	}
}

// dropState forgets a state the update deleted.
func (u *update) dropState(id string) {
	delete(u.states, id)
	if g, ok := cutPrefix(id, "group:"); ok {
		delete(u.shares, g)
	}
}

// layoutState marks rollups stored in the current layout (see
// model.Rollup): groups beside the counties' figures, covers beside those
// of the units above. Rollups without it are computed afresh at start.
const layoutState = "layout:2"

func releaseState(unit string) string { return "release:" + unit }
func groupState(group string) string  { return "group:" + group }

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || s[:len(prefix)] != prefix {
		return "", false
	}
	return s[len(prefix):], true
}

// resolve reads the units with the given codes and their ancestors that
// the update does not know yet.
func (u *update) resolve(codes []string) error {
	for len(codes) > 0 {
		var missing []string
		for _, c := range codes {
			if _, ok := u.units[c]; !ok && c != "" {
				missing = append(missing, c)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		found, err := u.unitsByCode(missing)
		if err != nil {
			return err
		}
		codes = codes[:0:0]
		for _, f := range found {
			u.units[f.Code] = f
			codes = append(codes, f.ParentCode)
		}
		for _, c := range missing {
			if _, ok := u.units[c]; !ok {
				u.units[c] = model.AdminUnit{} // unknown: not asked again
			}
		}
	}
	return nil
}

// byCodeLimit is up to how many units unitsByCode reads one by one: on
// the embedded database a find by one _id uses an index (see package
// embedded) where a find of many codes reads the whole collection, which
// at a province's 20,000 villages costs a second.
const byCodeLimit = 500

// unitsByCode reads units by code, one by one, four at a time, up to
// byCodeLimit of them, and in one query for more.
func (u *update) unitsByCode(codes []string) ([]model.AdminUnit, error) {
	if len(codes) > byCodeLimit {
		return u.b.store.UnitsByCode(u.ctx, codes)
	}
	found := make([]model.AdminUnit, len(codes))
	g, ctx := errgroup.WithContext(u.ctx)
	g.SetLimit(4)
	for i, c := range codes {
		g.Go(func() error {
			unit, err := u.b.store.Unit(ctx, c)
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			found[i] = unit
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(found, func(unit model.AdminUnit) bool { return unit.Code == "" }), nil
}

// share is what one group puts in one top rollup, and its part.
type share struct {
	Figures  map[string]model.RollupFigure `json:"f,omitempty"`
	Lower    map[string]model.RollupSum    `json:"l,omitempty"`
	Reported int                           `json:"r"`
	Part     *model.Rollup                 `json:"-"`
	PartF    map[string]model.RollupFigure `json:"pf,omitempty"`
	PartL    map[string]model.RollupSum    `json:"pl,omitempty"`
}

func (s share) digest() string {
	b, _ := json.Marshal(s) // maps marshal in key order
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// release updates everything the release of one unit feeds.
func (u *update) release(code string) error {
	if err := u.resolve([]string{code}); err != nil {
		return err
	}
	rel, released := u.rels[code]
	groups := map[string]bool{}
	if err := u.loadStates([]string{releaseState(code)}); err != nil {
		return err
	}
	if st, ok := u.states[releaseState(code)]; ok {
		for _, g := range st.Groups {
			groups[g] = true
		}
	}
	var touched []string
	if released {
		obs, err := u.b.released.Observations(u.ctx, []string{code})
		if err != nil {
			return err
		}
		if err := u.resolve(unitCodes(obs)); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, o := range obs {
			if g := groupOf(u.units[o.UnitCode]); !seen[g] {
				seen[g] = true
				touched = append(touched, g)
				groups[g] = true
			}
		}
		slices.Sort(touched)
	}

	shares := map[string]map[string]share{}   // group -> top id -> share
	digests := map[string]map[string]string{} // group -> top id -> digest
	changed := map[string]bool{}              // top ids
	var groupStates []model.RollupState
	var stateIDs []string
	for g := range groups {
		stateIDs = append(stateIDs, groupState(g))
	}
	if err := u.loadStates(stateIDs); err != nil {
		return err
	}
	for _, g := range slices.Sorted(maps.Keys(groups)) {
		s, err := u.group(g)
		if err != nil {
			return fmt.Errorf("rollups of %s: %w", g, err)
		}
		d := map[string]string{}
		old := u.shares[g]
		for id, sh := range s {
			d[id] = sh.digest()
			if old[id] != d[id] {
				changed[id] = true
			}
		}
		for id := range old {
			if _, ok := s[id]; !ok {
				changed[id] = true
			}
		}
		shares[g], digests[g] = s, d
		st := model.RollupState{ID: groupState(g)}
		for _, id := range slices.Sorted(maps.Keys(d)) {
			st.Shares = append(st.Shares, model.RollupShare{Rollup: id, Digest: d[id]})
		}
		groupStates = append(groupStates, st)
	}

	ids := slices.Sorted(maps.Keys(changed))
	put, remove, coverage, err := u.apply(ids, shares, digests)
	if err != nil {
		return err
	}
	facets, err := u.b.store.Facets(u.ctx)
	if err != nil {
		return err
	}
	if facets.ID == "" || facets.Computed.IsZero() {
		facets = emptyFacets(u.now)
	}
	facets.Coverage = slices.DeleteFunc(facets.Coverage, func(c model.MetricCoverage) bool {
		_, ok := coverage[model.RollupID(c.Metric, c.Period)]
		return ok
	})
	for _, c := range coverage {
		if c != nil {
			facets.Coverage = append(facets.Coverage, *c)
		}
	}
	sortCoverage(facets.Coverage)
	if unit := u.units[code]; unit.CountyCode == code {
		if err := u.entityFacets(&facets, code, released); err != nil {
			return err
		}
	}
	facets.Computed = u.now

	if err := u.b.store.WriteRollups(u.ctx, put, remove); err != nil {
		return err
	}
	if err := u.b.store.PutFacets(u.ctx, facets); err != nil {
		return err
	}
	var removeStates []string
	for _, st := range groupStates {
		if len(st.Shares) == 0 {
			removeStates = append(removeStates, st.ID)
		}
	}
	groupStates = slices.DeleteFunc(groupStates, func(st model.RollupState) bool { return len(st.Shares) == 0 })
	if err := u.loadStates([]string{layoutState}); err != nil {
		return err
	}
	if _, ok := u.states[layoutState]; !ok {
		groupStates = append(groupStates, model.RollupState{ID: layoutState})
	}
	if released {
		groupStates = append(groupStates, model.RollupState{ID: releaseState(code), Runs: rel.Runs, Groups: touched})
	} else {
		removeStates = append(removeStates, releaseState(code))
	}
	if err := u.b.store.WriteRollupStates(u.ctx, groupStates, removeStates); err != nil {
		return err
	}
	for _, st := range groupStates {
		u.setState(st)
	}
	for _, id := range removeStates {
		u.dropState(id)
	}
	return nil
}

// group computes what a group (a county, or the units above the
// counties) reports in the rollup of each metric and period, by root id,
// from every release that holds its figures: the county's own, and those
// of the city and province it lies in.
func (u *update) group(g string) (map[string]share, error) {
	var from []string
	for code := range u.rels {
		county := u.countyOf(code)
		switch {
		case g == model.RollupAbove && county == "":
			from = append(from, code)
		case g != model.RollupAbove && (county == g || county == "" && model.Within(g, code)):
			from = append(from, code)
		}
	}
	slices.Sort(from)
	var obs []model.Observation
	if len(from) > 0 {
		all, err := u.b.released.Observations(u.ctx, from)
		if err != nil {
			return nil, err
		}
		if err := u.resolve(unitCodes(all)); err != nil {
			return nil, err
		}
		for _, o := range all {
			if groupOf(u.units[o.UnitCode]) == g {
				obs = append(obs, o)
			}
		}
	}
	rs, err := Rollups(obs, slices.Collect(maps.Values(u.units)), slices.Collect(maps.Values(u.metrics)), u.now)
	if err != nil {
		return nil, err
	}
	docs := map[string]model.Rollup{}
	for _, d := range Layout(rs, u.units) {
		docs[d.ID] = d
	}
	out := map[string]share{}
	for _, r := range rs {
		grp := docs[u.groupDocID(r.Metric, r.Period, g)].Groups[g]
		sh := share{Reported: grp.Reported}
		for _, c := range grp.Units {
			d := docs[docOf(r.Metric, r.Period, u.units[c])]
			if f, ok := d.Figures[c]; ok {
				if sh.Figures == nil {
					sh.Figures = map[string]model.RollupFigure{}
				}
				sh.Figures[c] = f
			}
			if l, ok := d.Lower[c]; ok {
				if sh.Lower == nil {
					sh.Lower = map[string]model.RollupSum{}
				}
				sh.Lower[c] = l
			}
		}
		if p, ok := docs[model.RollupPartID(r.Metric, r.Period, g)]; ok && g != model.RollupAbove {
			sh.Part, sh.PartF, sh.PartL = &p, p.Figures, p.Lower
		}
		out[r.ID] = sh
	}
	return out, nil
}

// apply puts the groups' new shares of the rollups with the given root
// ids in their documents: each county's part, its entry in its city's
// node, the figures of the units above the counties in their parents'
// nodes, and then the sums of the units above the counties on the way to
// the root, from their nodes. It returns the documents to write, those to
// delete and the coverage of each root (nil: the root is gone).
func (u *update) apply(ids []string, shares map[string]map[string]share, digests map[string]map[string]string) (put []model.Rollup, remove []string, coverage map[string]*model.MetricCoverage, err error) {
	coverage = map[string]*model.MetricCoverage{}
	var groups []string
	for g := range shares {
		if g != model.RollupAbove {
			groups = append(groups, g)
		}
	}
	if err := u.resolve(groups); err != nil { // where their entries are
		return nil, nil, nil, err
	}
	// What changed, by root id and group.
	changes := map[string][]string{}
	for _, id := range ids {
		for _, g := range slices.Sorted(maps.Keys(shares)) {
			old, had := u.shares[g][id]
			_, has := shares[g][id]
			if had != has || old != digests[g][id] {
				changes[id] = append(changes[id], g)
			}
		}
	}
	var first []string // the roots and the documents of the changed groups
	for id, gs := range changes {
		metric, period, _ := splitPartID(id)
		first = append(first, id)
		for _, g := range gs {
			first = append(first, u.groupDocID(metric, period, g))
		}
	}
	slices.Sort(first)
	roots, err := u.b.store.RollupsByID(u.ctx, slices.Compact(first))
	if err != nil {
		return nil, nil, nil, err
	}
	docs := map[string]*model.Rollup{}
	stored := map[string]bool{}
	for i := range roots {
		docs[roots[i].ID], stored[roots[i].ID] = &roots[i], true
	}
	// The group of g in the rollup with root id, as stored.
	oldGroup := func(id, g string) model.RollupGroup {
		metric, period, _ := splitPartID(id)
		if d := docs[u.groupDocID(metric, period, g)]; d != nil {
			return d.Groups[g]
		}
		return model.RollupGroup{}
	}
	// The units whose entries change, and the nodes of their ancestors.
	var codes []string
	for id, gs := range changes {
		for _, g := range gs {
			codes = append(codes, oldGroup(id, g).Units...)
			sh := shares[g][id]
			codes = append(codes, slices.Collect(maps.Keys(sh.Figures))...)
			codes = append(codes, slices.Collect(maps.Keys(sh.Lower))...)
		}
	}
	if err := u.resolve(codes); err != nil {
		return nil, nil, nil, err
	}
	var want []string
	for id, gs := range changes {
		metric, period, _ := splitPartID(id)
		var entries []string
		for _, g := range gs {
			entries = append(entries, oldGroup(id, g).Units...)
			if g != model.RollupAbove {
				entries = append(entries, g) // its group's document and the covers above
			}
		}
		for _, g := range gs {
			sh := shares[g][id]
			entries = append(entries, slices.Collect(maps.Keys(sh.Figures))...)
			entries = append(entries, slices.Collect(maps.Keys(sh.Lower))...)
		}
		for _, c := range entries {
			want = append(want, docOf(metric, period, u.units[c]))
			for _, a := range u.sums(c) {
				want = append(want, docOf(metric, period, u.units[a]), model.RollupPartID(metric, period, a))
			}
		}
	}
	slices.Sort(want)
	want = slices.DeleteFunc(slices.Compact(want), func(id string) bool { _, ok := docs[id]; return ok })
	more, err := u.b.store.RollupsByID(u.ctx, want)
	if err != nil {
		return nil, nil, nil, err
	}
	for i := range more {
		docs[more[i].ID], stored[more[i].ID] = &more[i], true
	}
	get := func(id string) *model.Rollup {
		d := docs[id]
		if d == nil {
			nd := newDoc(id, u.units)
			d = &nd
			docs[id] = d
		}
		if d.Figures == nil {
			d.Figures = map[string]model.RollupFigure{}
		}
		return d
	}

	written := map[string]bool{}
	parts := map[string]bool{} // written whole, from the shares
	for _, id := range slices.Sorted(maps.Keys(changes)) {
		metric, period, _ := splitPartID(id)
		root := get(id)
		touched := map[string]bool{}
		mark := func(c string) {
			for _, a := range u.sums(c) {
				touched[a] = true
			}
		}
		dirty := map[string]bool{id: true}
		for _, g := range changes[id] {
			gd := get(u.groupDocID(metric, period, g))
			for _, c := range gd.Groups[g].Units {
				d := get(docOf(metric, period, u.units[c]))
				delete(d.Figures, c)
				delete(d.Lower, c)
				dirty[d.ID] = true
				mark(c)
			}
			delete(gd.Groups, g)
			dirty[gd.ID] = true
			if g != model.RollupAbove {
				mark(g) // the covers above the county
			}
			sh, has := shares[g][id]
			if g != model.RollupAbove {
				partID := model.RollupPartID(metric, period, g)
				if has && sh.Part != nil {
					put = append(put, *sh.Part)
					written[partID], parts[partID] = true, true
				} else {
					remove = append(remove, partID) // nothing to delete when it had none
				}
			}
			if !has {
				continue
			}
			grp := model.RollupGroup{Reported: sh.Reported}
			for c, f := range sh.Figures {
				d := get(docOf(metric, period, u.units[c]))
				d.Figures[c] = f
				dirty[d.ID] = true
				grp.Units = append(grp.Units, c)
				mark(c)
			}
			for c, l := range sh.Lower {
				d := get(docOf(metric, period, u.units[c]))
				setLower(d, c, l)
				dirty[d.ID] = true
				grp.Units = append(grp.Units, c)
				mark(c)
			}
			slices.Sort(grp.Units)
			grp.Units = slices.Compact(grp.Units)
			if gd.Groups == nil {
				gd.Groups = map[string]model.RollupGroup{}
			}
			gd.Groups[g] = grp
		}
		// The sums above the counties, deepest first.
		adds := u.metrics[metric].Aggregation == model.AggregateSum
		above := slices.Collect(maps.Keys(touched))
		slices.SortFunc(above, func(a, b string) int {
			if da, db := len(u.ancestors(a)), len(u.ancestors(b)); da != db {
				return db - da
			}
			return strings.Compare(a, b)
		})
		for _, a := range above {
			d := get(docOf(metric, period, u.units[a]))
			delete(d.Lower, a)
			dirty[d.ID] = true
			node := docs[model.RollupPartID(metric, period, a)]
			var cover model.RollupCover
			if node != nil {
				cover = nodeCover(*node)
			}
			setCover(d, a, cover)
			if _, own := d.Figures[a]; own || !adds || node == nil {
				continue
			}
			var qs []model.Quantity
			var from []string
			for _, c := range slices.Sorted(maps.Keys(node.Figures)) {
				qs, from = append(qs, node.Figures[c].Value), append(from, c)
			}
			for _, c := range slices.Sorted(maps.Keys(node.Lower)) {
				if _, own := node.Figures[c]; !own {
					qs, from = append(qs, node.Lower[c].Value), append(from, c)
				}
			}
			if len(qs) == 0 {
				continue
			}
			sum, err := Sum(qs...)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("%s: units below %s: %w", id, a, err)
			}
			slices.Sort(from)
			setLower(d, a, model.RollupSum{Value: sum, Units: from})
		}
		for did := range dirty {
			d := docs[did]
			if len(d.Lower) == 0 {
				d.Lower = nil
			}
			if len(d.Groups) == 0 {
				d.Groups = nil
			}
			if len(d.Figures) == 0 && len(d.Lower) == 0 && len(d.Groups) == 0 && len(d.Covers) == 0 {
				if stored[did] || written[did] {
					remove = append(remove, did)
				}
				written[did] = false
				continue
			}
			d.Computed = u.now
			written[did] = true
		}
		if len(root.Groups) == 0 && len(root.Covers) == 0 {
			coverage[id] = nil
		} else {
			c := rootCoverage(*root)
			coverage[id] = &c
		}
	}
	for did, w := range written {
		if w && docs[did] != nil && !parts[did] {
			put = append(put, *docs[did])
		}
	}
	slices.SortFunc(put, func(a, b model.Rollup) int { return strings.Compare(a.ID, b.ID) })
	slices.Sort(remove)
	remove = slices.Compact(remove)
	// A document both removed and written (a part replaced after its
	// county's old entry went) is written.
	remove = slices.DeleteFunc(remove, func(id string) bool { return written[id] })
	return put, remove, coverage, nil
}

// groupDocID is the id of the document that holds a group's entry in the
// rollup of a metric and period: the root for the units above the
// counties, the document of a county's figure for a county.
func (u *update) groupDocID(metric, period, g string) string {
	if g == model.RollupAbove {
		return model.RollupID(metric, period)
	}
	return docOf(metric, period, u.units[g])
}

// sums returns the units whose sums an entry of a unit feeds: the unit
// itself when it is above the counties (its own figure decides whether
// it has a sum), and its ancestors above the counties, nearest first.
func (u *update) sums(code string) []string {
	if u.units[code].CountyCode == "" {
		return append([]string{code}, u.ancestors(code)...)
	}
	return u.ancestors(code)
}

// ancestors returns the codes of a unit's ancestors above the counties,
// nearest first.
func (u *update) ancestors(code string) []string {
	var out []string
	for p := u.units[code].ParentCode; p != ""; p = u.units[p].ParentCode {
		if u.units[p].CountyCode == "" {
			out = append(out, p)
		}
	}
	return out
}

// entityFacets replaces a county's facets with those of its release.
func (u *update) entityFacets(f *model.Facets, county string, released bool) error {
	var e Entities
	var summed model.Facets // from the released runs' summaries
	if released {
		rel := u.rels[county]
		var ids []string
		for _, ds := range []string{"stations", "budgets", "pilots"} {
			if id := rel.Runs[ds]; id != "" {
				ids = append(ids, id)
			}
		}
		summaries := map[string]*model.Facets{}
		var err error
		if len(ids) > 0 {
			runs, err := u.b.store.RunsByID(u.ctx, ids)
			if err != nil {
				return err
			}
			for _, r := range runs {
				summaries[r.ID] = r.Summary
			}
		}
		// A run's summary holds the facets of its records; a run stored
		// before summaries were kept has its records read.
		if sum := summaries[rel.Runs["stations"]]; sum != nil {
			summed.Stations = sum.Stations
		} else if rel.Runs["stations"] != "" {
			if e.Stations, err = u.b.released.Stations(u.ctx, []string{county}); err != nil {
				return err
			}
		}
		if sum := summaries[rel.Runs["budgets"]]; sum != nil {
			summed.Budgets = sum.Budgets
		} else if rel.Runs["budgets"] != "" {
			if e.Budgets, err = u.b.released.Budgets(u.ctx, []string{county}); err != nil {
				return err
			}
		}
		if sum := summaries[rel.Runs["pilots"]]; sum != nil {
			summed.Pilots = sum.Pilots
		} else if rel.Runs["pilots"] != "" {
			if e.Pilots, err = u.b.released.Pilots(u.ctx, []string{county}); err != nil {
				return err
			}
		}
	}
	mine, err := FacetsOf(e, u.now)
	if err != nil {
		return err
	}
	mine.Stations = append(mine.Stations, summed.Stations...)
	mine.Budgets = append(mine.Budgets, summed.Budgets...)
	mine.Pilots = append(mine.Pilots, summed.Pilots...)
	f.Stations = append(slices.DeleteFunc(f.Stations, func(s model.StationFacet) bool { return s.County == county }), mine.Stations...)
	f.Budgets = append(slices.DeleteFunc(f.Budgets, func(s model.BudgetFacet) bool { return s.County == county }), mine.Budgets...)
	f.Pilots = append(slices.DeleteFunc(f.Pilots, func(s model.PilotFacet) bool { return s.County == county }), mine.Pilots...)
	sortFacets(f)
	return nil
}

func unitCodes(obs []model.Observation) []string {
	seen := map[string]bool{}
	var out []string
	for _, o := range obs {
		if !seen[o.UnitCode] {
			seen[o.UnitCode] = true
			out = append(out, o.UnitCode)
		}
	}
	return out
}
