package store

import (
	"context"

	"foidesk/internal/foi"
)

// CaseWorkers returns the active officers and decision-makers of the caller's party, by name: the people a
// case can be assigned to. EUNAUTHORIZED without a signed-in user; EFORBIDDEN for a role that does not work on
// cases.
func (d *DB) CaseWorkers(ctx context.Context) ([]foi.User, error) {
	actor := foi.ActorFrom(ctx).User
	if actor == nil {
		return nil, foi.Errorf(foi.EUNAUTHORIZED, "Sign in to continue.")
	}
	if err := foi.Can(actor, foi.ActionWorkCase, foi.Scope{OwnerPartyID: actor.PartyID}); err != nil {
		return nil, foi.Errorf(foi.EFORBIDDEN, "Your role does not work on cases.")
	}
	partyID := actor.PartyID
	rows, err := d.readQueries().UserListCaseWorkers(ctx, &partyID)
	if err != nil {
		return nil, d.internal("list case workers", err)
	}
	out := make([]foi.User, len(rows))
	for i, r := range rows {
		out[i] = foi.User{ID: r.ID, Email: r.Email, Name: r.Name, Role: foi.Role(r.Role), PartyID: partyID,
			PartyCode: actor.PartyCode, Active: true}
	}
	return out, nil
}
