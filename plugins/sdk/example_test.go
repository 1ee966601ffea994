package sdk_test

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/sdk"
)

// volunteers reads lines "community: number of volunteer teams".
type volunteers struct{}

func (volunteers) Describe() sdk.Description {
	return sdk.Description{
		Name:     "volunteers",
		Version:  "1.0.0",
		Formats:  []sdk.Format{{Extensions: []string{".txt"}}},
		Datasets: []string{sdk.Observations},
	}
}

func (volunteers) Import(ctx context.Context, in *sdk.Input, out sdk.Emitter) error {
	sc := bufio.NewScanner(in)
	for line := 1; sc.Scan(); line++ {
		ref := fmt.Sprintf("line %d", line)
		unit, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			if err := out.Diagnose(sdk.Errorf(ref, "", "want community: value")); err != nil {
				return err
			}
			continue
		}
		err := out.Emit(sdk.Record{Reference: ref, Observation: &sdk.Observation{
			Metric: "org.volunteer_teams", Unit: strings.TrimSpace(unit), Period: "2023",
			// The original wording; the hub reads "12支" as 12, EXACT, COUNT.
			Value: model.Quantity{Text: strings.TrimSpace(value)},
		}})
		if err != nil {
			return err
		}
	}
	return sc.Err()
}

// printer is an Emitter that prints what it gets.
type printer struct{}

func (printer) Emit(r sdk.Record) error {
	o := r.Observation
	fmt.Printf("%s: %s of %s = %s\n", r.Reference, o.Metric, o.Unit, o.Value.Text)
	return nil
}

func (printer) Diagnose(d sdk.Diagnostic) error {
	fmt.Println(d)
	return nil
}

// An importer is a Describe and an Import; main would call
// sdk.Serve(volunteers{}). Here it runs in-process.
func Example() {
	in := &sdk.Input{Reader: strings.NewReader("城东社区: 12支\nno colon here\n")}
	if err := sdk.Run(context.Background(), volunteers{}, in, printer{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// line 1: org.volunteer_teams of 城东社区 = 12支
	// ERROR line 2: want community: value
}
