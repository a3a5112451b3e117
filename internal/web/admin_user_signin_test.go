package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"

	"github.com/pquerna/otp/totp"
)

// enrolMFA gives u a confirmed authenticator app through the store, as the security page would.
func enrolMFA(t *testing.T, d *store.DB, u *foi.User) {
	t.Helper()
	ctx := foi.WithActor(context.Background(), foi.Actor{User: u})
	en, err := d.MFAEnrolStart(ctx, "foidesk")
	if err != nil {
		t.Fatal(err)
	}
	code, err := totp.GenerateCode(en.Secret, d.Time())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.MFAEnrolConfirm(ctx, code); err != nil {
		t.Fatal(err)
	}
}

func TestAdminUserPage_SignOutEverywhereAndResetSecondFactorButtonsWork(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		now := time.Now()
		d.Now = func() time.Time { return now }
		s := newSite(t, d)
		addUser(t, d, "admin@test.example", foi.RoleAdmin, "")
		officer, err := d.Authenticate(context.Background(), "officer@test.example", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		phone := &site{t: t, db: d, srv: s.srv, client: newClient()}
		phone.signIn("officer@test.example")
		enrolMFA(t, d, officer)

		admin := &site{t: t, db: d, srv: s.srv, client: newClient()}
		admin.signIn("admin@test.example")
		page := "/admin/users/" + strconv.FormatInt(officer.ID, 10)
		_, body := admin.get(page)
		revoke, reset := page+"/sessions/revoke", page+"/mfa/reset"
		for _, want := range []string{`action="` + revoke + `"`, `action="` + reset + `"`, "govuk-warning-text",
			`id="revoke-sessions"`, `id="mfa-reset"`} {
			if !strings.Contains(body, want) {
				t.Fatalf("the user page lacks %s", want)
			}
		}

		// The buttons post with the page's CSRF token; without it nothing happens.
		if res, _ := admin.post(revoke, url.Values{}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("revoke without CSRF: %d", res.StatusCode)
		}
		if _, home := phone.get("/"); strings.Contains(home, "Sign in to foidesk") {
			t.Fatal("a post without CSRF signed the officer out")
		}
		admin.mustSend(page, revoke, nil, "Signed the user out of 1 session.")
		if _, home := phone.get("/"); !strings.Contains(home, "Sign in to foidesk") {
			t.Fatal("the sign-out button left the officer's session")
		}

		ctx := foi.WithActor(context.Background(), foi.Actor{User: officer})
		if st, err := d.MFAStatus(ctx); err != nil || !st.Enabled {
			t.Fatalf("before reset: %+v %v", st, err)
		}
		admin.mustSend(page, reset, nil, "The user's authenticator app and recovery codes were removed.")
		if st, err := d.MFAStatus(ctx); err != nil || st.Enabled || st.RecoveryCodesLeft != 0 {
			t.Fatalf("after reset: %+v %v", st, err)
		}
		if n := auditCount(t, d, "mfa.disable"); n != 1 {
			t.Fatalf("reset audited %d times", n)
		}
	})
}
