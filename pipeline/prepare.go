package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/plugins/records"
	"github.com/countyhub/countyhub/refdata"
	"github.com/countyhub/countyhub/store"
)

// prepare checks the request, keeps the file (spooled to a temporary file
// and stored by its SHA-256), and creates the run.
func (p *Pipeline) prepare(ctx context.Context, req Request) (model.Run, string, error) {
	unit, err := p.store.Unit(ctx, req.Unit)
	if errors.Is(err, store.ErrNotFound) {
		if next := refdata.Successors(req.Unit); len(next) > 0 {
			return model.Run{}, "", fmt.Errorf("%w: unit %q is a retired code (%s, %s): import for %s", ErrInvalid, req.Unit, next[0].What, next[0].Since, successorCodes(next))
		}
		return model.Run{}, "", fmt.Errorf("%w: unknown unit %q: not in this hub's scope", ErrInvalid, req.Unit)
	}
	if err != nil {
		return model.Run{}, "", err
	}
	if !unit.IsCountyLevel() && unit.Level != model.LevelCity && unit.Level != model.LevelProvince {
		return model.Run{}, "", fmt.Errorf("%w: imports are for a county, a city or a province, and %s (%s) is a %s", ErrInvalid, unit.Name, unit.Code, strings.ToLower(string(unit.Level)))
	}
	who, err := auth.Edit(ctx, unit.Code, "import")
	if err != nil {
		return model.Run{}, "", err
	}
	if req.MaxErrors < 0 {
		return model.Run{}, "", fmt.Errorf("%w: maxErrors must not be negative", ErrInvalid)
	}
	desc, err := p.importers.Describe(ctx, req.Importer)
	if err != nil {
		return model.Run{}, "", fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := checkOptions(desc, req.Options); err != nil {
		return model.Run{}, "", err
	}

	started := time.Now()
	spool, sum, size, err := spoolFile(req.File)
	if err != nil {
		return model.Run{}, "", err
	}
	phases := []model.Phase{{Name: model.PhaseUpload, Duration: time.Since(started), Bytes: size}}
	started = time.Now()
	f, err := os.Open(spool)
	if err != nil {
		os.Remove(spool)
		return model.Run{}, "", err
	}
	err = p.store.PutUpload(ctx, sum, req.FileName, f)
	f.Close()
	if err != nil {
		os.Remove(spool)
		return model.Run{}, "", err
	}
	phases = append(phases, model.Phase{Name: model.PhaseStore, Duration: time.Since(started), Bytes: size})

	now := p.opts.Now().UTC()
	run := model.Run{
		ID: model.NewID(now), Unit: unit.Code, Importer: desc.Name, ImporterVersion: desc.Version,
		FileName: req.FileName, FileSHA256: sum, FileSize: size, Options: req.Options,
		Fingerprint: fingerprint(desc, sum, req.Options), DryRun: req.DryRun, MaxErrors: req.MaxErrors,
		Status: model.RunRunning, Datasets: desc.Datasets, Counts: map[string]int{}, Facets: map[string]int{}, Diagnostics: new(int), By: actor(who, req.By), Created: now,
		Phases: phases,
	}
	p.observe(phases...)
	if !req.DryRun {
		if same, err := p.releasedWith(ctx, run); err != nil {
			os.Remove(spool)
			return model.Run{}, "", err
		} else if same != "" {
			run.Status, run.Reason, run.Finished = model.RunUnchanged, "the same file, importer version and options are released as run "+same, &now
			os.Remove(spool)
			if err := p.store.CreateRun(ctx, run); err != nil {
				return model.Run{}, "", err
			}
			p.audit(ctx, req.By, "import", run, "unchanged: "+run.Reason)
			return run, "", nil
		}
	}
	if err := p.store.CreateRun(ctx, run); err != nil {
		os.Remove(spool)
		return model.Run{}, "", err
	}
	p.audit(ctx, req.By, "import", run, fmt.Sprintf("%s through %s %s", run.FileName, run.Importer, run.ImporterVersion))
	return run, spool, nil
}

// releasedWith returns the id of a run with the same fingerprint that is
// released for every dataset it released, or "".
func (p *Pipeline) releasedWith(ctx context.Context, run model.Run) (string, error) {
	rel, err := p.store.Release(ctx, run.Unit)
	if err != nil {
		return "", err
	}
	seen := map[string]bool{}
	for _, ds := range run.Datasets {
		id := rel.Runs[ds]
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		r, err := p.store.Run(ctx, id)
		if err != nil {
			return "", err
		}
		if r.Fingerprint != run.Fingerprint {
			continue
		}
		whole := true
		for _, d := range r.Datasets {
			whole = whole && rel.Runs[d] == id
		}
		if whole {
			return id, nil
		}
	}
	return "", nil
}

func fingerprint(d records.Description, sum string, options map[string]string) string {
	keys := make([]string, 0, len(options))
	for k := range options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s", d.Name, d.Version, sum)
	for _, k := range keys {
		fmt.Fprintf(h, "\x00%s=%s", k, options[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

func checkOptions(d records.Description, given map[string]string) error {
	declared := map[string]records.Option{}
	for _, o := range d.Options {
		declared[o.Name] = o
	}
	for name := range given {
		if _, ok := declared[name]; !ok {
			return fmt.Errorf("%w: importer %s has no option %q", ErrInvalid, d.Name, name)
		}
	}
	for _, o := range d.Options {
		if _, ok := given[o.Name]; o.Required && !ok {
			return fmt.Errorf("%w: importer %s needs the option %q (%s)", ErrInvalid, d.Name, o.Name, o.Description)
		}
	}
	return nil
}

func spoolFile(r io.Reader) (path, sum string, size int64, err error) {
	f, err := os.CreateTemp("", "countyhub-upload-*")
	if err != nil {
		return "", "", 0, fmt.Errorf("keep upload: %w", err)
	}
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(f, h), r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", "", 0, fmt.Errorf("read upload: %w", err)
	}
	return f.Name(), hex.EncodeToString(h.Sum(nil)), size, nil
}

// actor names who asked, and through what, for runs and the audit log:
// "token ID (NAME, ROLE) via graphql".
func actor(who auth.Principal, via string) string {
	if via == "" {
		return who.Label()
	}
	return who.Label() + " via " + via
}

// audit records what the caller of ctx did; via says through what
// (graphql, the demo loader), as the caller gave it: the entry's actor
// names the caller once, "token ID (NAME, ROLE) via graphql".
func (p *Pipeline) audit(ctx context.Context, via, action string, run model.Run, detail string) {
	who, _ := auth.FromContext(ctx)
	now := p.opts.Now().UTC()
	e := model.AuditEntry{ID: model.NewID(now), At: now, Actor: actor(who, via), Token: who.TokenID, Action: action, Unit: run.Unit, Run: run.ID, Detail: detail}
	if err := p.store.PutAudit(context.WithoutCancel(ctx), e); err != nil {
		p.opts.Logger.Error("audit entry lost", "action", action, "run", run.ID, "error", err)
	}
}

// successorCodes lists the codes that took a retired code's place: "340882",
// or "340209 or 340207" for a divided one.
func successorCodes(next []refdata.Change) string {
	codes := make([]string, len(next))
	for i, c := range next {
		codes[i] = c.Code
	}
	return strings.Join(codes, " or ")
}
