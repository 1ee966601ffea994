package release

import "github.com/countyhub/countyhub/model"

// BytesOfStations is bytesOf, for the tests of package release_test.
var BytesOfStations = bytesOf[model.Station]
