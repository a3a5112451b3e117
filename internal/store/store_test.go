package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// cliCtx returns a context acting as the command line, which may do anything.
func cliCtx() context.Context {
	return foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
}

func userCtx(u *foi.User) context.Context {
	return foi.WithActor(context.Background(), foi.Actor{User: u, IP: "192.0.2.1"})
}

func mustSeed(t *testing.T, d *store.DB) {
	t.Helper()
	if _, err := d.SeedDemo(cliCtx()); err != nil {
		t.Fatalf("seed demo: %v", err)
	}
}

func mustCreateUser(t *testing.T, d *store.DB, email string, role foi.Role, party string) *foi.User {
	t.Helper()
	u, _, err := d.CreateUser(cliCtx(), foi.NewUser{Email: email, Name: "Test " + string(role), Role: role,
		PartyCode: party, Password: "correct horse battery"})
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return &u
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := foi.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func TestParseDSN_NamesEngineOrRejects(t *testing.T) {
	for dsn, want := range map[string]store.Engine{
		"./foidesk.db":                     store.SQLite,
		"/var/lib/foidesk/foidesk.db":      store.SQLite,
		"postgres://u:p@db:5432/foidesk":   store.Postgres,
		"postgresql://u@localhost/foidesk": store.Postgres,
	} {
		if got, err := store.ParseDSN(dsn); err != nil || got != want {
			t.Errorf("ParseDSN(%q) = %q, %v; want %q", dsn, got, err, want)
		}
	}
	for _, dsn := range []string{"", "mysql://u@h/db", "postgres://", "x.db?mode=memory"} {
		_, err := store.ParseDSN(dsn)
		wantCode(t, err, foi.EINVALID)
	}
}

func TestOpen_FailsClearlyWhenUnreachable(t *testing.T) {
	ctx := context.Background()
	_, err := store.Open(ctx, "/no/such/dir/foidesk.db")
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("Open on a missing directory: %v", err)
	}
	_, err = store.Open(ctx, "postgres://nobody:secretpw@127.0.0.1:1/none?connect_timeout=2")
	if err == nil || !strings.Contains(err.Error(), "cannot reach") {
		t.Fatalf("Open on a closed port: %v", err)
	}
	if strings.Contains(err.Error(), "secretpw") {
		t.Fatalf("error leaks the password: %v", err)
	}
}

func TestMigrate_IsIdempotentOnBothEngines(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		ctx := context.Background()
		if err := d.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		v, err := d.SchemaVersion(ctx)
		if err != nil || v < 1 {
			t.Fatalf("schema version = %d, %v", v, err)
		}
	})
}

func TestSeedDemo_LoadsTheMoUAndIsIdempotent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		first, err := d.SeedDemo(cliCtx())
		if err != nil {
			t.Fatal(err)
		}
		if len(first) != 10 {
			t.Fatalf("demo users = %d, want 10 (5 roles x 2 parties)", len(first))
		}
		for _, u := range first {
			if u.Password == "" {
				t.Fatalf("first seed did not give %s a password", u.Email)
			}
		}
		again, err := d.SeedDemo(cliCtx())
		if err != nil {
			t.Fatalf("second seed: %v", err)
		}
		for _, u := range again {
			if u.Password != "" {
				t.Fatalf("second seed reset %s's password", u.Email)
			}
		}
		// A password from the first seed still signs in.
		if _, err := d.Authenticate(context.Background(), first[0].Email, first[0].Password); err != nil {
			t.Fatalf("sign in as %s: %v", first[0].Email, err)
		}
		reg, err := d.Registers(cliCtx())
		if err != nil {
			t.Fatal(err)
		}
		if len(reg.Parties) != 2 || len(reg.Agreements) != 1 || len(reg.Exchanges) != 2 || len(reg.Assets) != 2 {
			t.Fatalf("registers: %d parties, %d agreements, %d exchanges, %d assets",
				len(reg.Parties), len(reg.Agreements), len(reg.Exchanges), len(reg.Assets))
		}
		if got := len(reg.Agreements[0].Versions); got != 6 {
			t.Fatalf("agreement versions = %d, want 6 (0.1 to 1.2)", got)
		}
		assets := map[string]foi.Asset{}
		for _, a := range reg.Assets {
			assets[a.Code] = a
		}
		npd, cid := assets["npd-pupil-matches"], assets["cid-person-records"]
		if reg.PartyCode(npd.ProviderPartyID) != "DFE" || reg.PartyCode(cid.ProviderPartyID) != "HO" {
			t.Fatalf("providers: npd by %s, cid by %s", reg.PartyCode(npd.ProviderPartyID), reg.PartyCode(cid.ProviderPartyID))
		}
		if len(npd.Aliases) == 0 || len(cid.Aliases) == 0 {
			t.Fatal("assets have no aliases")
		}
	})
}

func TestCreateUser(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		ctx := cliCtx()
		u, pw, err := d.CreateUser(ctx, foi.NewUser{Email: " New.Officer@Education.Example ", Name: "New Officer",
			Role: foi.RoleOfficer, PartyCode: "dfe"})
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "new.officer@education.example" || u.PartyCode != "DFE" || len(pw) < foi.MinPasswordLength {
			t.Fatalf("created %+v with password %q", u, pw)
		}
		t.Run("duplicate email conflicts", func(t *testing.T) {
			_, _, err := d.CreateUser(ctx, foi.NewUser{Email: "new.officer@education.example", Name: "X",
				Role: foi.RoleOfficer, PartyCode: "DFE"})
			wantCode(t, err, foi.ECONFLICT)
		})
		t.Run("unknown party is invalid", func(t *testing.T) {
			_, _, err := d.CreateUser(ctx, foi.NewUser{Email: "x@y.example", Name: "X", Role: foi.RoleOfficer, PartyCode: "MOD"})
			wantCode(t, err, foi.EINVALID)
		})
		t.Run("bad fields are each named", func(t *testing.T) {
			_, _, err := d.CreateUser(ctx, foi.NewUser{Email: "not-an-email", Role: "boss", PartyCode: "DFE"})
			wantCode(t, err, foi.EINVALID)
			fields := map[string]bool{}
			for _, f := range foi.ErrorFields(err) {
				fields[f.Field] = true
			}
			if !fields["email"] || !fields["name"] || !fields["role"] {
				t.Fatalf("field errors = %v", foi.ErrorFields(err))
			}
		})
		t.Run("an officer may not create users", func(t *testing.T) {
			_, _, err := d.CreateUser(userCtx(&u), foi.NewUser{Email: "y@y.example", Name: "Y", Role: foi.RoleOfficer, PartyCode: "DFE"})
			wantCode(t, err, foi.EFORBIDDEN)
		})
		t.Run("anonymous may not create users", func(t *testing.T) {
			_, _, err := d.CreateUser(context.Background(), foi.NewUser{Email: "z@y.example", Name: "Z", Role: foi.RoleOfficer, PartyCode: "DFE"})
			wantCode(t, err, foi.EUNAUTHORIZED)
		})
		users, err := d.ListUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 11 {
			t.Fatalf("users = %d, want 11: rejected creations must write nothing", len(users))
		}
	})
}

func TestAuthenticateSessionsAndTokens(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		ctx := context.Background()
		officer := mustCreateUser(t, d, "officer@test.example", foi.RoleOfficer, "HO")
		if _, err := d.Authenticate(ctx, "officer@test.example", "wrong password!!"); foi.ErrorCode(err) != foi.EUNAUTHORIZED {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := d.Authenticate(ctx, "nobody@test.example", "correct horse battery"); foi.ErrorCode(err) != foi.EUNAUTHORIZED {
			t.Fatalf("unknown email: %v", err)
		}
		u, err := d.Authenticate(ctx, "OFFICER@test.example", "correct horse battery")
		if err != nil || u.ID != officer.ID || u.PartyCode != "HO" {
			t.Fatalf("authenticate = %+v, %v", u, err)
		}

		secret, sess, err := d.CreateSession(foi.WithActor(ctx, foi.Actor{IP: "192.0.2.7"}), u, "test-agent")
		if err != nil || secret == "" || sess.CSRFToken == "" {
			t.Fatalf("create session: %q %+v %v", secret, sess, err)
		}
		got, err := d.SessionBySecret(ctx, secret)
		if err != nil || got.User.ID != u.ID || got.CSRFToken != sess.CSRFToken {
			t.Fatalf("session by secret = %+v, %v", got, err)
		}
		if _, err := d.SessionBySecret(ctx, secret+"x"); foi.ErrorCode(err) != foi.EUNAUTHORIZED {
			t.Fatalf("wrong secret: %v", err)
		}
		// Expiry: a session unused for longer than its lifetime is gone.
		real := d.Now
		d.Now = func() time.Time { return real().Add(store.SessionLifetime + time.Minute) }
		if _, err := d.SessionBySecret(ctx, secret); foi.ErrorCode(err) != foi.EUNAUTHORIZED {
			t.Fatalf("expired session: %v", err)
		}
		d.Now = real
		if err := d.EndSession(userCtx(u), secret); err != nil {
			t.Fatal(err)
		}
		if _, err := d.SessionBySecret(ctx, secret); foi.ErrorCode(err) != foi.EUNAUTHORIZED {
			t.Fatalf("ended session: %v", err)
		}

		token, err := d.CreateToken(cliCtx(), "officer@test.example", "ci")
		if err != nil || !strings.HasPrefix(token, store.TokenPrefix) {
			t.Fatalf("create token = %q, %v", token, err)
		}
		tu, err := d.UserByToken(ctx, token)
		if err != nil || tu.ID != u.ID {
			t.Fatalf("user by token = %+v, %v", tu, err)
		}
		if _, err := d.UserByToken(ctx, token[:len(token)-1]); foi.ErrorCode(err) != foi.EUNAUTHORIZED {
			t.Fatalf("bad token: %v", err)
		}
		if _, err := d.CreateToken(cliCtx(), "nobody@test.example", ""); foi.ErrorCode(err) != foi.ENOTFOUND {
			t.Fatalf("token for unknown user: %v", err)
		}
		other := mustCreateUser(t, d, "other@test.example", foi.RoleOfficer, "HO")
		if _, err := d.CreateToken(userCtx(other), "officer@test.example", ""); foi.ErrorCode(err) != foi.EFORBIDDEN {
			t.Fatalf("officer issuing a token for someone else: %v", err)
		}
	})
}

func TestAudit_ChainVerifiesAndCatchesTampering(t *testing.T) {
	cases := []struct {
		name   string
		tamper string
		want   string
	}{
		{"changed row", "UPDATE audit_events SET actor_label = 'mallory' WHERE seq = 3", "seq 3"},
		{"removed row", "DELETE FROM audit_events WHERE seq = 2", "seq 3"},
		{"removed newest row", "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)", "removed from the end"},
		{"rehashed row", "UPDATE audit_events SET detail = '{}', hash = 'abc' WHERE seq = 2", "seq 2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, d *store.DB) {
				mustSeed(t, d)
				mustCreateUser(t, d, "a@test.example", foi.RoleAuditor, "DFE")
				rep, err := d.VerifyAudit(context.Background())
				if err != nil {
					t.Fatalf("untouched chain: %v", err)
				}
				if rep.Events < 5 {
					t.Fatalf("audit events = %d, want every change audited", rep.Events)
				}
				if _, err := store.RawDB(d).Exec(tc.tamper); err != nil {
					t.Fatal(err)
				}
				_, err = d.VerifyAudit(context.Background())
				wantCode(t, err, foi.ECONFLICT)
				if !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("verify error %q does not name %q", err, tc.want)
				}
			})
		})
	}
}

func TestTimestamps_RoundTripExactlyOnBothEngines(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		at := time.Date(2026, 3, 29, 0, 59, 59, 123456000, time.UTC)
		d.Now = func() time.Time { return at.Add(789) } // nanoseconds are truncated
		u := mustCreateUser(t, d, "t@test.example", foi.RoleAdmin, "")
		if !u.CreatedAt.Equal(at) {
			t.Fatalf("created at = %v, want %v", u.CreatedAt, at)
		}
		users, err := d.ListUsers(cliCtx())
		if err != nil {
			t.Fatal(err)
		}
		if !users[0].CreatedAt.Equal(at) {
			t.Fatalf("read back %v, want %v", users[0].CreatedAt, at)
		}
		if _, err := d.VerifyAudit(context.Background()); err != nil {
			t.Fatalf("the audit hash depends on timestamps round-tripping: %v", err)
		}
	})
}
