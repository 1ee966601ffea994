package main

import (
	"context"

	"github.com/countyhub/countyhub/importers/internal/asof"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// Importer reads the XML report of the Huaining county office system.
type Importer struct{}

// Describe names the importer and what it reads and produces.
func (Importer) Describe() sdk.Description {
	return sdk.Description{
		Name:        "huaining",
		Version:     "1.0.0",
		Description: "Huaining (怀宁县): XML report exported by the county office system, with indicators and budget lines",
		Formats: []sdk.Format{{
			Extensions:  []string{".xml"},
			MediaTypes:  []string{"application/xml", "text/xml"},
			Description: "XML with a <report> root, <indicators> and <budgets>; UTF-8, or the encoding its XML declaration names (GBK, GB2312, GB18030)",
		}},
		Datasets: []string{sdk.Observations, sdk.Budgets},
		Options: []sdk.Option{{
			Name: asof.Option, Type: "string",
			Description: "date the figures are reported as of (YYYY-MM-DD); default: the report's asOf attribute",
		}},
	}
}

// Import streams the report and emits an observation for each indicator
// and a budget line for each budget, with a diagnostic for each element it
// cannot read. A file that is not well-formed XML is read up to the fault,
// which is reported with its line.
func (Importer) Import(ctx context.Context, in *sdk.Input, out sdk.Emitter) error {
	return newReport(ctx, in, out).read()
}
