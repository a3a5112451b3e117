package store_test

import (
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func TestSetUserActive_DeactivatedUsersCannotSignInAndOnlyAdminsMayDoIt(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		adminUser := mustCreateUser(t, d, "admin@test.example", foi.RoleAdmin, "")
		admin := userCtx(adminUser)
		officer := mustCreateUser(t, d, "o@dfe.test", foi.RoleOfficer, "DFE")
		token, err := d.CreateToken(admin, officer.Email, "script")
		if err != nil {
			t.Fatal(err)
		}

		_, err = d.SetUserActive(userCtx(officer), officer.ID, false)
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.SetUserActive(admin, adminUser.ID, false)
		wantCode(t, err, foi.ECONFLICT)
		_, err = d.SetUserActive(admin, 99999, false)
		wantCode(t, err, foi.ENOTFOUND)

		u, err := d.SetUserActive(admin, officer.ID, false)
		if err != nil || u.Active || u.Email != officer.Email {
			t.Fatalf("deactivate: %+v, %v", u, err)
		}
		if _, err := d.Authenticate(cliCtx(), officer.Email, "correct horse battery"); foi.ErrorCode(err) != foi.EUNAUTHORIZED {
			t.Errorf("a deactivated user signs in: %v", err)
		}
		if _, err := d.UserByToken(cliCtx(), token); foi.ErrorCode(err) != foi.EUNAUTHORIZED {
			t.Errorf("a deactivated user's token works: %v", err)
		}
		if n := countAudit(t, d, "user.deactivate"); n != 1 {
			t.Errorf("user.deactivate events: %d", n)
		}
		if _, err := d.SetUserActive(admin, officer.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := d.UserByToken(cliCtx(), token); err != nil {
			t.Errorf("reactivated user's token: %v", err)
		}
		if n := countAudit(t, d, "user.activate"); n != 1 {
			t.Errorf("user.activate events: %d", n)
		}
	})
}

func TestTokens_AdminsListAndRevokeAUsersTokens(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		admin := userCtx(mustCreateUser(t, d, "admin@test.example", foi.RoleAdmin, ""))
		officer := mustCreateUser(t, d, "o@dfe.test", foi.RoleOfficer, "DFE")
		first, err := d.CreateToken(admin, officer.Email, "first")
		if err != nil {
			t.Fatal(err)
		}
		second, err := d.CreateToken(admin, officer.Email, "second")
		if err != nil {
			t.Fatal(err)
		}
		_, err = d.ListTokens(userCtx(officer), officer.ID)
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.ListTokens(admin, 99999)
		wantCode(t, err, foi.ENOTFOUND)
		toks, err := d.ListTokens(admin, officer.ID)
		if err != nil || len(toks) != 2 || toks[0].Name != "first" || toks[1].RevokedAt != nil {
			t.Fatalf("tokens: %+v, %v", toks, err)
		}
		wantCode(t, d.RevokeToken(userCtx(officer), officer.ID, toks[0].ID), foi.EFORBIDDEN)
		wantCode(t, d.RevokeToken(admin, 99999, toks[0].ID), foi.ENOTFOUND)
		if err := d.RevokeToken(admin, officer.ID, toks[0].ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, d.RevokeToken(admin, officer.ID, toks[0].ID), foi.ENOTFOUND) // already revoked
		if _, err := d.UserByToken(cliCtx(), first); foi.ErrorCode(err) != foi.EUNAUTHORIZED {
			t.Errorf("a revoked token works: %v", err)
		}
		if _, err := d.UserByToken(cliCtx(), second); err != nil {
			t.Errorf("the other token: %v", err)
		}
		toks, _ = d.ListTokens(admin, officer.ID)
		if toks[0].RevokedAt == nil || toks[1].RevokedAt != nil {
			t.Errorf("after revoking: %+v", toks)
		}
		if n := countAudit(t, d, "token.revoke"); n != 1 {
			t.Errorf("token.revoke events: %d", n)
		}
	})
}
