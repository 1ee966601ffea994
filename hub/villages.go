package hub

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/countyhub/countyhub/auth"
	"github.com/countyhub/countyhub/model"
	"github.com/countyhub/countyhub/refdata"
)

// LoadVillages stores the villages and communities of the hub's scope from
// the reference data set's tarball as the npm registry serves it
// (refdata.DataSet.URL). The whole file is checked against the pinned
// integrity before anything is stored, so a damaged or different file
// (refdata.ErrIntegrity) changes nothing. Units of the same codes are
// replaced, others (imported units among them) are left alone, and
// loading the same file again writes nothing. The load is audited.
func (h *Hub) LoadVillages(ctx context.Context, tgz io.Reader) (refdata.VillageLoad, error) {
	src, err := refdata.Source()
	if err != nil {
		return refdata.VillageLoad{}, err
	}
	units, err := refdata.Villages(tgz, h.cfg.Scope)
	if err != nil {
		return refdata.VillageLoad{}, err
	}
	load := refdata.VillageLoad{DataSet: src.Name + " " + src.Version, Scope: h.cfg.Scope, Read: len(units)}
	start := time.Now()
	sync, err := h.Store.SyncUnits(ctx, units)
	load.Added, load.Changed, load.Unchanged = sync.Added, sync.Changed, sync.Unchanged
	if err != nil {
		return load, fmt.Errorf("store villages: %w", err)
	}
	h.logger.Info("villages loaded", "dataset", load.DataSet, "scope", load.Scope, "read", load.Read,
		"added", load.Added, "changed", load.Changed, "unchanged", load.Unchanged, "took", time.Since(start).Round(time.Millisecond))
	who, _ := auth.FromContext(ctx)
	now := time.Now().UTC()
	e := model.AuditEntry{ID: model.NewID(now), At: now, Actor: who.Label(), Token: who.TokenID, Action: "villages.load", Unit: load.Scope,
		Detail: fmt.Sprintf("%s: %d villages and communities read, %d added, %d changed, %d unchanged", load.DataSet, load.Read, load.Added, load.Changed, load.Unchanged)}
	// A lost entry must not undo the load; it is logged instead.
	if err := h.Store.PutAudit(context.WithoutCancel(ctx), e); err != nil {
		h.logger.Error("audit entry lost", "action", e.Action, "error", err)
	}
	return load, nil
}
