package normalize

import (
	"strings"

	"github.com/countyhub/countyhub/model"
)

// facility is a standard station facility and the names reports give it,
// the standard name first.
type facility struct {
	model.Facility
	names []string
}

// facilities are the station facilities countyhub compares across
// counties. Their codes are part of the model and do not change:
//
//	children_playroom  儿童活动室 (儿童游乐室, 儿童之家)
//	reading_room       阅览室 (图书阅览室, 书屋, 农家书屋)
//	activity_room      活动室 (文体活动室, 多功能活动室)
//	senior_canteen     老年食堂 (长者食堂, 老年助餐点)
var facilities = []facility{
	{model.Facility{Code: "children_playroom", Name: "儿童活动室"}, []string{"儿童活动室", "儿童游乐室", "儿童之家"}},
	{model.Facility{Code: "reading_room", Name: "阅览室"}, []string{"阅览室", "图书阅览室", "书屋", "农家书屋"}},
	{model.Facility{Code: "activity_room", Name: "活动室"}, []string{"活动室", "文体活动室", "多功能活动室"}},
	{model.Facility{Code: "senior_canteen", Name: "老年食堂"}, []string{"老年食堂", "长者食堂", "老年助餐点"}},
}

// Facilities returns the standard station facilities, in a fixed order.
func Facilities() []model.Facility {
	out := make([]model.Facility, len(facilities))
	for i, f := range facilities {
		out[i] = f.Facility
	}
	return out
}

// Facility returns the standard facility a name stands for: its standard
// Chinese name ("阅览室") or one the counties use for it ("图书阅览室",
// "农家书屋"). The name must be written exactly: "红色书屋" is not 书屋.
func Facility(name string) (model.Facility, bool) {
	for _, f := range facilities {
		for _, n := range f.names {
			if n == name {
				return f.Facility, true
			}
		}
	}
	return model.Facility{}, false
}

// FacilityNames lists every name Facility knows, standard ones first in
// each facility, for messages.
func FacilityNames() []string {
	var names []string
	for _, f := range facilities {
		names = append(names, f.names...)
	}
	return names
}

// facilitySeparators separate the names of a list of facilities.
const facilitySeparators = "、，,；;/／ \u3000\n"

// FacilityList reads a cell that lists a station's facilities, such as
// "儿童游乐室、图书阅览室": the standard facilities it names, in order and
// once each, and the names it does not know, in order. Names are separated
// by 、，,；;/／, spaces or line breaks.
func FacilityList(cell string) (found []model.Facility, unknown []string) {
	seen := map[string]bool{}
	for _, name := range strings.FieldsFunc(cell, func(r rune) bool { return strings.ContainsRune(facilitySeparators, r) }) {
		f, ok := Facility(name)
		switch {
		case !ok:
			unknown = append(unknown, name)
		case !seen[f.Code]:
			seen[f.Code] = true
			found = append(found, f)
		}
	}
	return found, unknown
}
