package main

import (
	"sort"

	"github.com/countyhub/countyhub/model"
)

// spaceKinds maps the export's space types to kinds of spaces.
var spaceKinds = map[string]model.SpaceKind{
	"共享书吧": model.SpaceShared, "共享驿站": model.SpaceShared, "共享空间": model.SpaceShared,
	"活动场所": model.SpaceActivity, "活动阵地": model.SpaceActivity, "服务阵地": model.SpaceActivity,
	"议事点": model.SpaceDeliberation, "议事厅": model.SpaceDeliberation,
}

// spaceTypes lists the space types known, for diagnostics.
func spaceTypes() []string {
	types := make([]string, 0, len(spaceKinds))
	for t := range spaceKinds {
		types = append(types, t)
	}
	sort.Strings(types)
	return types
}
