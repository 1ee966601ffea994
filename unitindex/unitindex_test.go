package unitindex_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/store"
	"github.com/countyhub/countyhub/store/storetest"
	"github.com/countyhub/countyhub/unitindex"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// sameAnswers asks the index and the store the same questions and wants
// the same answers.
func sameAnswers(t *testing.T, x *unitindex.Index, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	check := func(what string, got, want any, gerr, werr error) {
		t.Helper()
		if (gerr == nil) != (werr == nil) {
			t.Errorf("%s: index error %v, store error %v", what, gerr, werr)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-store +index):\n%s", what, diff)
		}
	}
	for _, code := range []string{"340000", "340800", "340828", "340828100", "no-such-unit"} {
		g, gerr := x.Unit(ctx, code)
		w, werr := s.Unit(ctx, code)
		check("Unit "+code, g, w, gerr, werr)
		for _, level := range []model.UnitLevel{"", model.LevelCity, model.LevelCounty, model.LevelTown, model.LevelCommunity} {
			gc, gerr := x.Children(ctx, code, level)
			wc, werr := s.Children(ctx, code, level)
			check(fmt.Sprintf("Children %s %s", code, level), gc, wc, gerr, werr)
			gd, gerr := x.Descendants(ctx, code, level)
			wd, werr := s.Descendants(ctx, code, level)
			check(fmt.Sprintf("Descendants %s %s", code, level), gd, wd, gerr, werr)
			f := store.UnitFilter{Parent: code, Level: level}
			gn, gerr := x.CountUnits(ctx, f)
			wn, werr := s.CountUnits(ctx, f)
			check(fmt.Sprintf("CountUnits %+v", f), gn, wn, gerr, werr)
			for _, p := range []store.Page{{First: 3}, {First: 3, After: "340828100"}, {First: 1000}} {
				gp, gerr := x.UnitsPage(ctx, f, p)
				wp, werr := s.UnitsPage(ctx, f, p)
				check(fmt.Sprintf("UnitsPage %+v %+v", f, p), gp, wp, gerr, werr)
			}
		}
		gw, gerr := x.CountiesWithin(ctx, code)
		ww, werr := s.CountiesWithin(ctx, code)
		check("CountiesWithin "+code, gw, ww, gerr, werr)
	}
	codes := []string{"340828", "340800", "340828100", "nope", "340828"}
	gb, gerr := x.UnitsByCode(ctx, codes)
	wb, werr := s.UnitsByCode(ctx, codes)
	check("UnitsByCode", gb, wb, gerr, werr)
	gb, gerr = x.ChildrenOf(ctx, []string{"340828", "340800"})
	wb, werr = s.ChildrenOf(ctx, []string{"340828", "340800"})
	check("ChildrenOf", gb, wb, gerr, werr)
	for _, level := range []model.UnitLevel{"", model.LevelCounty, model.LevelTown} {
		f := store.UnitFilter{Level: level}
		gp, gerr := x.UnitsPage(ctx, f, store.Page{First: 5, After: "340800"})
		wp, werr := s.UnitsPage(ctx, f, store.Page{First: 5, After: "340800"})
		check(fmt.Sprintf("UnitsPage %+v", f), gp, wp, gerr, werr)
	}
}

// TestIndexAnswersAsTheStoreDoes checks the index against the store on
// the reference units of a city, after a write by this process, after
// one by another connection, and over its byte budget.
func TestIndexAnswersAsTheStoreDoes(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t, nil)
	if err := refdata.Load(ctx, s, refdata.DefaultScope); err != nil {
		t.Fatal(err)
	}
	x := unitindex.New(s, 0, nil)
	sameAnswers(t, x, s)

	// A community written through this store is seen at once.
	community := model.AdminUnit{Code: "340828100901", Name: "新社区", Level: model.LevelCommunity, ParentCode: "340828100", CountyCode: "340828"}
	if err := s.PutUnits(ctx, []model.AdminUnit{community}); err != nil {
		t.Fatal(err)
	}
	if u, err := x.Unit(ctx, community.Code); err != nil || u != community {
		t.Fatalf("new community through the index: %+v, %v", u, err)
	}
	sameAnswers(t, x, s)

	// One written by another hub on the same database is seen once the
	// generation is read again, within a second.
	other, err := store.Open(ctx, storetest.URI(t), store.Options{Database: s.DatabaseName()})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	village := model.AdminUnit{Code: "340828100902", Name: "新村", Level: model.LevelCommunity, ParentCode: "340828100", CountyCode: "340828"}
	if err := other.PutUnits(ctx, []model.AdminUnit{village}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := x.Unit(ctx, village.Code); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a unit written by another connection is not seen after 5 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	sameAnswers(t, x, s)

	// Over budget, every answer comes from the store.
	sameAnswers(t, unitindex.New(s, 1000, nil), s)
}
