package store

import (
	"context"
	"strings"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

var _ foi.PartyAdminService = (*DB)(nil)

func toParty(p db.Party) foi.Party { return foi.Party{ID: p.ID, Code: p.Code, Name: p.Name} }

// Parties returns every party, by code; any signed-in user may read them (EUNAUTHORIZED otherwise).
func (d *DB) Parties(ctx context.Context) ([]foi.Party, error) {
	if err := canCtx(ctx, foi.ActionViewRegisters, foi.Scope{}); err != nil {
		return nil, err
	}
	out := []foi.Party{}
	err := d.readTx(ctx, func(q *db.Queries) error {
		rows, err := q.PartyList(ctx)
		for _, p := range rows {
			out = append(out, toParty(p))
		}
		return err
	})
	return out, err
}

// FindParty returns the party with this code, in any case (EUNAUTHORIZED for nobody signed in, ENOTFOUND for
// an unknown code).
func (d *DB) FindParty(ctx context.Context, code string) (foi.Party, error) {
	if err := canCtx(ctx, foi.ActionViewRegisters, foi.Scope{}); err != nil {
		return foi.Party{}, err
	}
	var out foi.Party
	err := d.readTx(ctx, func(q *db.Queries) error {
		p, err := partyNamed(ctx, q, code)
		out = toParty(p)
		return err
	})
	return out, err
}

// partyNamed returns the party with this code (trimmed, any case), or ENOTFOUND.
func partyNamed(ctx context.Context, q *db.Queries, code string) (db.Party, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	p, err := q.PartyGetByCode(ctx, code)
	if notFoundIs(err) {
		return p, foi.Errorf(foi.ENOTFOUND, "There is no party with code %s.", quoteCode(code))
	}
	return p, err
}

// quoteCode shortens a code typed by someone to what an error message may repeat.
func quoteCode(code string) string {
	if r := []rune(code); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return code
}

// CreateParty adds a party (admins only: EFORBIDDEN otherwise), validated (EINVALID naming code and name) and
// audited as register.party.create; ECONFLICT when the code is taken.
func (d *DB) CreateParty(ctx context.Context, in foi.NewParty) (foi.Party, error) {
	var out foi.Party
	err := d.inTx(ctx, func(tx *Tx) error {
		if err := tx.can(foi.ActionManageRegisters, foi.Scope{}); err != nil {
			return err
		}
		if err := in.Validate(); err != nil {
			return err
		}
		row, err := tx.PartyInsert(ctx, db.PartyInsertParams{Code: in.Code, Name: in.Name, Now: tx.now})
		if notFoundIs(err) {
			return foi.Errorf(foi.ECONFLICT, "There is already a party with code %s.", in.Code)
		}
		if err != nil {
			return err
		}
		out = toParty(row)
		tx.audit("register.party.create", "party", row.ID, row.ID, map[string]any{"code": row.Code, "name": row.Name})
		return nil
	})
	return out, err
}

// RenameParty changes the name of the party with this code (admins only: EFORBIDDEN otherwise), validated
// (EINVALID naming name) and audited as register.party.update with the old and new names; ENOTFOUND for an
// unknown code. The code never changes: it starts the party's case references.
func (d *DB) RenameParty(ctx context.Context, code, name string) (foi.Party, error) {
	var out foi.Party
	err := d.inTx(ctx, func(tx *Tx) error {
		if err := tx.can(foi.ActionManageRegisters, foi.Scope{}); err != nil {
			return err
		}
		old, err := partyNamed(ctx, tx.Queries, code)
		if err != nil {
			return err
		}
		if name, err = foi.CheckPartyName(name); err != nil {
			return err
		}
		row, err := tx.PartyRename(ctx, db.PartyRenameParams{ID: old.ID, Name: name})
		if err != nil {
			return err
		}
		out = toParty(row)
		tx.audit("register.party.update", "party", row.ID, row.ID, map[string]any{"code": row.Code,
			"old_name": old.Name, "name": row.Name})
		return nil
	})
	return out, err
}
