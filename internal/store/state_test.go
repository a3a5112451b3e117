package store_test

import (
	"context"
	"database/sql"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// runWithSQL runs fn on each engine with a fresh database and a second, plain connection to it: what another
// instance, or an operator with psql or sqlite3, writes through.
func runWithSQL(t *testing.T, fn func(t *testing.T, d *store.DB, other *sql.DB)) {
	engines := []struct {
		name, driver string
		open         func(testing.TB) (*store.DB, string)
	}{{"sqlite", "sqlite", storetest.OpenSQLiteDSN}, {"postgres", "pgx", storetest.OpenPostgresDSN}}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			d, dsn := e.open(t)
			other, err := sql.Open(e.driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			fn(t, d, other)
		})
	}
}

func TestAPIToken_RevokedOrDeactivatedElsewhereIsRefusedAtTheNextRequest(t *testing.T) {
	runWithSQL(t, func(t *testing.T, d *store.DB, other *sql.DB) {
		mustSeed(t, d)
		officer := mustCreateUser(t, d, "o@dfe.test", foi.RoleOfficer, "DFE")
		first, err := d.CreateToken(cliCtx(), officer.Email, "first")
		if err != nil {
			t.Fatal(err)
		}
		second, err := d.CreateToken(cliCtx(), officer.Email, "second")
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{first, second, first} { // the second use of first is answered from the cache
			if u, err := d.UserByToken(cliCtx(), tok); err != nil || u.ID != officer.ID {
				t.Fatalf("token before revoking: %v, %v", u, err)
			}
		}
		if _, err := other.Exec(`UPDATE api_tokens SET revoked_at = created_at WHERE name = 'first'`); err != nil {
			t.Fatal(err)
		}
		if _, err := d.UserByToken(cliCtx(), first); foi.ErrorCode(err) != foi.EUNAUTHORIZED {
			t.Errorf("a token revoked by another instance still works: %v", err)
		}
		if _, err := d.UserByToken(cliCtx(), second); err != nil {
			t.Fatalf("the other token: %v", err)
		}
		if _, err := other.Exec(`UPDATE users SET active = FALSE WHERE email = 'o@dfe.test'`); err != nil {
			t.Fatal(err)
		}
		if _, err := d.UserByToken(cliCtx(), second); foi.ErrorCode(err) != foi.EUNAUTHORIZED {
			t.Errorf("the token of a user deactivated by another instance still works: %v", err)
		}
	})
}

func TestCreateCase_ConsultsTheContactAsChangedElsewhere(t *testing.T) {
	runWithSQL(t, func(t *testing.T, d *store.DB, other *sql.DB) {
		w := newCaseWorld(t, d)
		contactOf := func() string {
			t.Helper()
			c := w.mustCreate(t, w.officerCtx, withHOAsset(newCaseInput("2026-02-20T16:30:00Z")))
			got, err := d.CaseConsultations(w.officerCtx, c.ID)
			if err != nil || len(got.Consultations) != 1 {
				t.Fatalf("consultations: %+v, %v", got, err)
			}
			return got.Consultations[0].ContactEmail
		}
		before := contactOf()
		if again := contactOf(); again != before { // the second intake reads the cached contacts
			t.Fatalf("contact changed by itself: %s, then %s", before, again)
		}
		if _, err := other.Exec(`UPDATE contacts SET email = 'new.foi@homeoffice.example' WHERE email = $1`, before); err != nil {
			t.Fatal(err)
		}
		if after := contactOf(); after != "new.foi@homeoffice.example" {
			t.Errorf("consulted %s after the contact became new.foi@homeoffice.example (was %s)", after, before)
		}
		if _, err := other.Exec(`UPDATE assets SET code = 'renamed-asset' WHERE code = $1`, withHOAsset(foi.NewCase{}).AssetCodes[0]); err != nil {
			t.Fatal(err)
		}
		_, err := d.CreateCase(w.officerCtx, withHOAsset(newCaseInput("2026-02-20T16:30:00Z")), foi.Idempotency{})
		if foi.ErrorCode(err) != foi.EINVALID {
			t.Errorf("an asset code renamed by another instance is still accepted: %v", err)
		}
	})
}

func TestWithRequestState_OneRequestReadsTheVersionsOnce(t *testing.T) {
	runWithSQL(t, func(t *testing.T, d *store.DB, other *sql.DB) {
		mustSeed(t, d)
		officer := mustCreateUser(t, d, "o@dfe.test", foi.RoleOfficer, "DFE")
		tok, err := d.CreateToken(cliCtx(), officer.Email, "api")
		if err != nil {
			t.Fatal(err)
		}
		request := store.WithRequestState(context.Background())
		if _, err := d.UserByToken(request, tok); err != nil {
			t.Fatal(err)
		}
		if _, err := other.Exec(`UPDATE api_tokens SET revoked_at = created_at`); err != nil {
			t.Fatal(err)
		}
		// The request that already read the versions goes on with what it read; the next request does not.
		if _, err := d.UserByToken(request, tok); err != nil {
			t.Errorf("within the request that checked it: %v", err)
		}
		if _, err := d.UserByToken(store.WithRequestState(context.Background()), tok); foi.ErrorCode(err) != foi.EUNAUTHORIZED {
			t.Errorf("the next request accepts a revoked token: %v", err)
		}
	})
}
