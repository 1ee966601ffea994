package pipeline_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/pipeline"
)

// TestOnlyACountysEditorsChangeIt checks the pipeline itself, whoever
// calls it: a county editor imports, publishes, discards and rolls back
// for its counties only; an analyst, an anonymous caller and a context
// without a principal change nothing; and a file (or a plugin) that
// slips records of another county into a run is refused.
func TestOnlyACountysEditorsChangeIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	as := func(p auth.Principal) context.Context { return auth.WithPrincipal(context.Background(), p) }
	yuexiEditor := as(auth.Principal{TokenID: "yuexi0000000000a", Name: "yuexi officer", Role: auth.CountyEditor, Counties: []string{"340828"}})
	daguanEditor := as(auth.Principal{TokenID: "daguan000000000a", Name: "daguan officer", Role: auth.CountyEditor, Counties: []string{"340803"}})
	analyst := as(auth.Principal{TokenID: "analyst00000000a", Name: "analyst", Role: auth.Analyst})
	anonymous := as(auth.AnonymousPrincipal)
	nobody := context.Background()
	req := func(unit string) pipeline.Request {
		return pipeline.Request{Unit: unit, Importer: "example", FileName: "sheet.csv", File: strings.NewReader(yuexi), Options: map[string]string{"as_of": "2023-08-07"}, By: "test"}
	}

	for name, tc := range map[string]struct {
		ctx  context.Context
		unit string
		want error
	}{
		"another county's editor": {daguanEditor, "340828", auth.ErrForbidden},
		"an editor, for the city": {yuexiEditor, "340800", auth.ErrForbidden},
		"an analyst":              {analyst, "340828", auth.ErrForbidden},
		"anonymous":               {anonymous, "340828", auth.ErrUnauthenticated},
		"no principal at all":     {nobody, "340828", auth.ErrUnauthenticated},
	} {
		if run, err := e.p.Import(tc.ctx, req(tc.unit)); !errors.Is(err, tc.want) {
			t.Errorf("import by %s: %+v, %v; want %v", name, run, err, tc.want)
		}
	}

	run, err := e.p.Import(yuexiEditor, req("340828"))
	if err != nil || run.Status != model.RunReady {
		t.Fatalf("import by Yuexi's editor: %+v, %v", run, err)
	}
	// The caller is named once, then the way it came in.
	const yuexiActor = "token yuexi0000000000a (yuexi officer, county_editor) via test"
	if run.By != yuexiActor {
		t.Errorf("run.By = %q; want %q", run.By, yuexiActor)
	}
	yuexiRun := run.ID
	for name, ctx := range map[string]context.Context{"Daguan's editor": daguanEditor, "an analyst": analyst, "anonymous": anonymous, "nobody": nobody} {
		if _, err := e.p.Publish(ctx, run.ID, "test"); err == nil {
			t.Errorf("%s published Yuexi's run", name)
		}
		if _, err := e.p.Discard(ctx, run.ID, "test"); err == nil {
			t.Errorf("%s discarded Yuexi's run", name)
		}
	}
	if got, _ := e.store.Run(context.Background(), run.ID); got.Status != model.RunReady {
		t.Fatalf("after refused publishes and discards the run is %s; want READY", got.Status)
	}
	if got := e.released(t, "340828"); len(got) != 0 {
		t.Fatalf("refused publishes released %d records", len(got))
	}
	if _, err := e.p.Publish(yuexiEditor, run.ID, "test"); err != nil {
		t.Fatalf("publish by Yuexi's editor: %v", err)
	}
	if _, err := e.p.Rollback(daguanEditor, "340828", "test"); !errors.Is(err, auth.ErrForbidden) {
		t.Errorf("rollback of Yuexi by Daguan's editor: %v; want ErrForbidden", err)
	}
	if got := e.released(t, "340828"); len(got) != 3 {
		t.Errorf("Yuexi's release holds %d records after a refused rollback; want 3", len(got))
	}

	// Records of another county in Yuexi's run: the run fails, whatever
	// the editor may do elsewhere.
	both := as(auth.Principal{TokenID: "both00000000000a", Name: "both", Role: auth.CountyEditor, Counties: []string{"340828", "340803"}})
	crafted := req("340828")
	crafted.File = strings.NewReader("metric,unit,period,value\norg.compound_party_branches,340803,2023,999\n")
	run, err = e.p.Import(both, crafted)
	if err == nil && run.Status == model.RunReady {
		t.Fatalf("a run for Yuexi with a Daguan figure is READY: %+v", run)
	}
	if got := e.released(t, "340803"); len(got) != 0 {
		t.Errorf("Daguan's release holds %d records from Yuexi's run", len(got))
	}

	entries, err := e.store.Audit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var publishes []string
	actors := map[string]string{}
	for _, a := range entries {
		if a.Action == "publish" {
			publishes = append(publishes, a.Actor+" "+a.Token)
		}
		if a.Run == yuexiRun {
			actors[a.Action] = a.Actor
		}
	}
	if len(publishes) != 1 || !strings.Contains(publishes[0], "yuexi officer") || !strings.HasSuffix(publishes[0], "yuexi0000000000a") {
		t.Errorf("audited publishes %q; want one, by Yuexi's editor with its token id", publishes)
	}
	if diff := cmp.Diff(map[string]string{"import": yuexiActor, "publish": yuexiActor}, actors); diff != "" {
		t.Errorf("actors of the audit entries of Yuexi's run (-want +got):\n%s", diff)
	}
}
