package normalize

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/model"
)

func TestFacility(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		name   string
		want   string // code, "" when unknown
		wantCN string
	}{
		"standard children":   {name: "儿童活动室", want: "children_playroom", wantCN: "儿童活动室"},
		"children synonym":    {name: "儿童游乐室", want: "children_playroom", wantCN: "儿童活动室"},
		"children home":       {name: "儿童之家", want: "children_playroom", wantCN: "儿童活动室"},
		"standard reading":    {name: "阅览室", want: "reading_room", wantCN: "阅览室"},
		"library":             {name: "图书阅览室", want: "reading_room", wantCN: "阅览室"},
		"book room":           {name: "书屋", want: "reading_room", wantCN: "阅览室"},
		"village books":       {name: "农家书屋", want: "reading_room", wantCN: "阅览室"},
		"standard activity":   {name: "活动室", want: "activity_room", wantCN: "活动室"},
		"sports":              {name: "文体活动室", want: "activity_room", wantCN: "活动室"},
		"multi-purpose":       {name: "多功能活动室", want: "activity_room", wantCN: "活动室"},
		"standard canteen":    {name: "老年食堂", want: "senior_canteen", wantCN: "老年食堂"},
		"elders' canteen":     {name: "长者食堂", want: "senior_canteen", wantCN: "老年食堂"},
		"meal point":          {name: "老年助餐点", want: "senior_canteen", wantCN: "老年食堂"},
		"longer name":         {name: "红色书屋"},
		"party members' hall": {name: "党员之家"},
		"code is no name":     {name: "reading_room"},
		"spaced":              {name: " 阅览室"},
		"empty":               {name: ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, ok := Facility(tc.name)
			if ok != (tc.want != "") {
				t.Fatalf("Facility(%q) = %+v, %v; want found %v", tc.name, got, ok, tc.want != "")
			}
			if want := (model.Facility{Code: tc.want, Name: tc.wantCN}); got != want {
				t.Errorf("Facility(%q) = %+v, want %+v", tc.name, got, want)
			}
		})
	}
}

func TestFacilityList(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		cell        string
		wantCodes   []string
		wantUnknown []string
	}{
		"bulletin words": {cell: "儿童游乐室、图书阅览室、文体活动室、老年食堂", wantCodes: []string{"children_playroom", "reading_room", "activity_room", "senior_canteen"}},
		"standard words": {cell: "阅览室，活动室", wantCodes: []string{"reading_room", "activity_room"}},
		"every separator": {cell: "阅览室、活动室，老年食堂,儿童之家；书屋;长者食堂/多功能活动室／儿童活动室 农家书屋\u3000老年助餐点\n文体活动室",
			wantCodes: []string{"reading_room", "activity_room", "senior_canteen", "children_playroom"}},
		"repeated":      {cell: "阅览室、图书阅览室", wantCodes: []string{"reading_room"}},
		"unknown":       {cell: "老年食堂 健身房", wantCodes: []string{"senior_canteen"}, wantUnknown: []string{"健身房"}},
		"unknown twice": {cell: "健身房、党员之家、健身房", wantUnknown: []string{"健身房", "党员之家", "健身房"}},
		"empty items":   {cell: "、、阅览室、 、", wantCodes: []string{"reading_room"}},
		"empty":         {cell: ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			found, unknown := FacilityList(tc.cell)
			var codes []string
			for _, f := range found {
				codes = append(codes, f.Code)
			}
			if diff := cmp.Diff(tc.wantCodes, codes); diff != "" {
				t.Errorf("codes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantUnknown, unknown); diff != "" {
				t.Errorf("unknown (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFacilityNames checks that every name listed is known, and that the
// standard facilities are those the names stand for.
func TestFacilityNames(t *testing.T) {
	t.Parallel()
	codes := map[string]bool{}
	for _, n := range FacilityNames() {
		f, ok := Facility(n)
		if !ok {
			t.Errorf("FacilityNames lists %q, which Facility does not know", n)
		}
		codes[f.Code] = true
	}
	std := Facilities()
	if len(std) != len(codes) {
		t.Errorf("Facilities() = %v; the names stand for %d facilities", std, len(codes))
	}
	for _, f := range std {
		if got, ok := Facility(f.Name); !ok || got != f {
			t.Errorf("Facility(%q) = %+v, %v; want %+v", f.Name, got, ok, f)
		}
	}
}

func FuzzFacilityList(f *testing.F) {
	f.Add("儿童游乐室、图书阅览室、文体活动室、老年食堂")
	f.Add("阅览室，阅览室 健身房\n")
	f.Fuzz(func(t *testing.T, cell string) {
		found, unknown := FacilityList(cell)
		seen := map[string]bool{}
		for _, fc := range found {
			if seen[fc.Code] {
				t.Errorf("FacilityList(%q) gives %s twice", cell, fc.Code)
			}
			seen[fc.Code] = true
			if got, ok := Facility(fc.Name); !ok || got != fc {
				t.Errorf("FacilityList(%q) gives %+v, not a standard facility", cell, fc)
			}
		}
		for _, u := range unknown {
			if u == "" || strings.ContainsAny(u, facilitySeparators) {
				t.Errorf("FacilityList(%q) gives the unknown name %q", cell, u)
			}
		}
	})
}
