package store

import (
	"context"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// SetUserActive activates or deactivates the user with this id, audited as user.activate or user.deactivate.
// A deactivated user cannot sign in, and their sessions and API tokens stop working at once (both check the
// user is active). Only an admin (or the command line) may. It returns ENOTFOUND for no such user and
// ECONFLICT for an admin deactivating themselves.
func (d *DB) SetUserActive(ctx context.Context, id int64, active bool) (foi.User, error) {
	var user foi.User
	err := d.inTx(ctx, func(tx *Tx) error {
		if err := tx.can(foi.ActionManageUsers, foi.Scope{}); err != nil {
			return err
		}
		row, err := tx.UserGet(ctx, id)
		if notFoundIs(err) {
			return foi.Errorf(foi.ENOTFOUND, "There is no user %d.", id)
		} else if err != nil {
			return err
		}
		if self := tx.actor.User; self != nil && self.ID == id && !active {
			return foi.Errorf(foi.ECONFLICT, "You cannot deactivate your own account.")
		}
		user = userFrom(row.ID, row.Email, row.Name, row.Role, row.PartyID, row.PartyCode, active, row.CreatedAt)
		if row.Active == active {
			return nil
		}
		if _, err := tx.UserSetActive(ctx, db.UserSetActiveParams{ID: id, Active: active}); err != nil {
			return err
		}
		action := "user.deactivate"
		if active {
			action = "user.activate"
		}
		tx.audit(action, "user", id, user.PartyID, map[string]any{"email": user.Email})
		return nil
	})
	return user, err
}

// ListTokens returns the API tokens of the user with this id, oldest first, revoked ones included. Only an
// admin (or the command line) may. ENOTFOUND for no such user.
func (d *DB) ListTokens(ctx context.Context, userID int64) ([]foi.APIToken, error) {
	if err := canCtx(ctx, foi.ActionManageUsers, foi.Scope{}); err != nil {
		return nil, err
	}
	var out []foi.APIToken
	err := d.readTx(ctx, func(q *db.Queries) error {
		if _, err := q.UserGet(ctx, userID); notFoundIs(err) {
			return foi.Errorf(foi.ENOTFOUND, "There is no user %d.", userID)
		} else if err != nil {
			return err
		}
		rows, err := q.TokenListByUser(ctx, userID)
		if err != nil {
			return err
		}
		out = make([]foi.APIToken, len(rows))
		for i, r := range rows {
			out[i] = foi.APIToken{ID: r.ID, Name: r.Name, CreatedAt: r.CreatedAt.UTC(), LastUsedAt: utcPtr(r.LastUsedAt),
				RevokedAt: utcPtr(r.RevokedAt)}
		}
		return nil
	})
	return out, err
}

// RevokeToken revokes a live API token of a user, audited as token.revoke; it stops working at once. Only an
// admin (or the command line) may. ENOTFOUND for no such live token of that user.
func (d *DB) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	return d.inTx(ctx, func(tx *Tx) error {
		if err := tx.can(foi.ActionManageUsers, foi.Scope{}); err != nil {
			return err
		}
		u, err := tx.UserGet(ctx, userID)
		if notFoundIs(err) {
			return foi.Errorf(foi.ENOTFOUND, "There is no user %d.", userID)
		} else if err != nil {
			return err
		}
		now := tx.now
		n, err := tx.TokenRevoke(ctx, db.TokenRevokeParams{Now: &now, ID: tokenID, UserID: userID})
		if err != nil {
			return err
		}
		if n == 0 {
			return foi.Errorf(foi.ENOTFOUND, "User %s has no live API token %d.", u.Email, tokenID)
		}
		tx.audit("token.revoke", "api_token", tokenID, deref(u.PartyID), map[string]any{"user": u.Email})
		return nil
	})
}

// The store implements the admin pages' services.
var (
	_ foi.UserAdminService     = (*DB)(nil)
	_ foi.AuditService         = (*DB)(nil)
	_ foi.CalendarAdminService = (*DB)(nil)
	_ foi.OutboxService        = (*DB)(nil)
	_ foi.LetterService        = (*DB)(nil)
)
