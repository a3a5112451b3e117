package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"

	"github.com/pquerna/otp/totp"
)

// auditActions returns the actions of the newest audit events with this action prefix.
func auditActions(t *testing.T, d *store.DB, action string) []foi.AuditEvent {
	t.Helper()
	page, err := d.ListAudit(cliCtx(), foi.AuditFilter{Action: action, Limit: 100})
	if err != nil {
		t.Fatalf("list audit %s: %v", action, err)
	}
	return page.Events
}

func TestSessionIdleAbsoluteAndRevocation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		advance := fixedClock(d)
		start := d.Now()
		d.SetSessionLimits(30*time.Minute, 2*time.Hour)
		ctx := foi.WithActor(context.Background(), foi.Actor{IP: "192.0.2.9"})
		u := mustCreateUser(t, d, "dm@test.example", foi.RoleDecisionMaker, "HO")
		other := mustCreateUser(t, d, "other@test.example", foi.RoleOfficer, "HO")

		// Idle: used every 20 minutes it lives on; left 31 minutes it ends.
		secret, _, err := d.CreateSession(ctx, u, "ua")
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			advance(20 * time.Minute)
			if _, err := d.SessionBySecret(ctx, secret); err != nil {
				t.Fatalf("session used every 20 minutes ended: %v", err)
			}
		}
		// Absolute: 100 minutes in; at 2 hours it ends however busy.
		advance(19 * time.Minute)
		if s, err := d.SessionBySecret(ctx, secret); err != nil || !s.ExpiresAt.Equal(start.Add(2*time.Hour)) {
			t.Fatalf("near the absolute limit: %+v %v", s, err)
		}
		advance(2 * time.Minute)
		wantCode(t, errOf(d.SessionBySecret(ctx, secret)), foi.EUNAUTHORIZED)

		s2, _, _ := d.CreateSession(ctx, u, "ua")
		advance(31 * time.Minute)
		wantCode(t, errOf(d.SessionBySecret(ctx, s2)), foi.EUNAUTHORIZED)

		// Sign out everywhere: every session of the user ends, others' do not.
		a, _, _ := d.CreateSession(ctx, u, "laptop")
		b, _, _ := d.CreateSession(ctx, u, "phone")
		o, _, _ := d.CreateSession(ctx, other, "ua")
		wantCode(t, errOf(d.RevokeSessions(userCtx(other), u.ID)), foi.EFORBIDDEN)
		n, err := d.RevokeSessions(userCtx(u), u.ID)
		if err != nil || n != 2 {
			t.Fatalf("revoke = %d, %v", n, err)
		}
		for _, s := range []string{a, b} {
			wantCode(t, errOf(d.SessionBySecret(ctx, s)), foi.EUNAUTHORIZED)
		}
		if _, err := d.SessionBySecret(ctx, o); err != nil {
			t.Fatalf("another user's session ended: %v", err)
		}
		// An admin revokes another user's sessions.
		if n, err := d.RevokeSessions(cliCtx(), other.ID); err != nil || n != 1 {
			t.Fatalf("admin revoke = %d, %v", n, err)
		}
		wantCode(t, errOf(d.RevokeSessions(cliCtx(), 999999)), foi.ENOTFOUND)
		if ev := auditActions(t, d, "session.revoke_all"); len(ev) != 2 || ev[0].RecordID != itoa(other.ID) {
			t.Fatalf("revocations audited: %+v", ev)
		}
	})
}

func TestSignInThrottle(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		advance := fixedClock(d)
		start := d.Now()
		mustCreateUser(t, d, "officer@test.example", foi.RoleOfficer, "HO")
		mustCreateUser(t, d, "second@test.example", foi.RoleOfficer, "HO")
		from := func(ip string) context.Context { return foi.WithActor(context.Background(), foi.Actor{IP: ip}) }
		ctx := from("192.0.2.1")

		for range 5 {
			wantCode(t, errOf(d.PasswordSignIn(ctx, "officer@test.example", "wrong password!!")), foi.EUNAUTHORIZED)
			advance(time.Minute)
		}
		// The sixth attempt is refused even with the right password, from any address, until the first
		// failure leaves the 15-minute window.
		_, err := d.PasswordSignIn(from("198.51.100.2"), "OFFICER@test.example", "correct horse battery")
		wantCode(t, err, foi.ETOOMANY)
		if at := foi.RetryAtOf(err); !at.Equal(start.Add(15 * time.Minute)) {
			t.Fatalf("retry at %v", at)
		}
		// Another account from the same address is not throttled (5 < 20 per address).
		if _, err := d.PasswordSignIn(ctx, "second@test.example", "correct horse battery"); err != nil {
			t.Fatalf("other account: %v", err)
		}
		advance(11 * time.Minute) // 16 minutes after the first failure
		if _, err := d.PasswordSignIn(ctx, "officer@test.example", "correct horse battery"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
		// The success cleared the account: five more failures are allowed before throttling again.
		for range 4 {
			wantCode(t, errOf(d.PasswordSignIn(ctx, "officer@test.example", "wrong password!!")), foi.EUNAUTHORIZED)
		}
		if _, err := d.PasswordSignIn(ctx, "officer@test.example", "correct horse battery"); err != nil {
			t.Fatalf("after 4 failures and a success: %v", err)
		}

		// Per address: 20 failures across many (unknown) accounts throttle the address, not other addresses.
		for i := range 20 {
			wantCode(t, errOf(d.PasswordSignIn(from("203.0.113.5"), "nobody"+itoa(int64(i))+"@test.example", "x")), foi.EUNAUTHORIZED)
		}
		wantCode(t, errOf(d.PasswordSignIn(from("203.0.113.5"), "second@test.example", "correct horse battery")), foi.ETOOMANY)
		if _, err := d.PasswordSignIn(from("203.0.113.6"), "second@test.example", "correct horse battery"); err != nil {
			t.Fatalf("another address: %v", err)
		}
		ev := auditActions(t, d, "signin.throttled")
		if len(ev) != 2 || !strings.Contains(ev[0].Detail, `"by":"address"`) || !strings.Contains(ev[1].Detail, `"by":"account"`) ||
			ev[1].RecordID == "0" || ev[0].IP != "203.0.113.5" {
			t.Fatalf("throttled attempts audited: %+v", ev)
		}
	})
}

func TestMFAEnrolVerifyRecoveryAndChallenge(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		advance := fixedClock(d)
		u := mustCreateUser(t, d, "dm@test.example", foi.RoleDecisionMaker, "HO")
		ctx := userCtx(u)

		if st, err := d.MFAStatus(ctx); err != nil || st.Enabled {
			t.Fatalf("status before = %+v %v", st, err)
		}
		enr, err := d.MFAEnrolStart(ctx, "foidesk")
		if err != nil || !strings.HasPrefix(enr.URL, "otpauth://totp/foidesk:dm@test.example?") || enr.Secret == "" {
			t.Fatalf("enrol start = %+v %v", enr, err)
		}
		wantCode(t, errOf(d.MFAEnrolConfirm(ctx, "000000")), foi.EINVALID)
		code, _ := totp.GenerateCode(enr.Secret, d.Now())
		codes, err := d.MFAEnrolConfirm(ctx, code)
		if err != nil || len(codes) != foi.RecoveryCodeCount || len(codes[0]) != 11 {
			t.Fatalf("confirm = %v %v", codes, err)
		}
		wantCode(t, errOf(d.MFAEnrolStart(ctx, "foidesk")), foi.ECONFLICT)

		// The code that confirmed cannot be used again; the next step's can, once.
		wantCode(t, d.MFAVerify(ctx, code), foi.EUNAUTHORIZED)
		advance(30 * time.Second)
		next, _ := totp.GenerateCode(enr.Secret, d.Now())
		if err := d.MFAVerify(ctx, next); err != nil {
			t.Fatalf("verify: %v", err)
		}
		wantCode(t, d.MFAVerify(ctx, next), foi.EUNAUTHORIZED)

		// A recovery code works once, in any case and with spaces.
		if err := d.MFAVerify(ctx, " "+strings.ToUpper(codes[3])+" "); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		wantCode(t, d.MFAVerify(ctx, codes[3]), foi.EUNAUTHORIZED)
		if st, _ := d.MFAStatus(ctx); !st.Enabled || st.RecoveryCodesLeft != 9 {
			t.Fatalf("status after = %+v", st)
		}
		// Wrong codes count towards the account's throttle: the reused recovery code above and four more make
		// five, so even the right code is then refused.
		for _, wrong := range []string{"123456", "abcde-fghij", "12345", "not a code"} {
			wantCode(t, d.MFAVerify(ctx, wrong), foi.EUNAUTHORIZED)
		}
		advance(30 * time.Second)
		right, _ := totp.GenerateCode(enr.Secret, d.Now())
		wantCode(t, d.MFAVerify(ctx, right), foi.ETOOMANY)

		// Challenges: live for ten minutes, then gone.
		secret, err := d.StartChallenge(ctx, u, "/cases")
		if err != nil {
			t.Fatal(err)
		}
		if cu, next, err := d.Challenge(ctx, secret); err != nil || cu.ID != u.ID || next != "/cases" {
			t.Fatalf("challenge = %+v %q %v", cu, next, err)
		}
		advance(store.ChallengeLifetime)
		_, _, err = d.Challenge(ctx, secret)
		wantCode(t, err, foi.EUNAUTHORIZED)

		// Reset: only self or admin; afterwards enrolment starts again.
		other := mustCreateUser(t, d, "o@test.example", foi.RoleOfficer, "HO")
		wantCode(t, d.MFAReset(userCtx(other), u.ID), foi.EFORBIDDEN)
		if err := d.MFAReset(cliCtx(), u.ID); err != nil {
			t.Fatal(err)
		}
		if st, _ := d.MFAStatus(ctx); st.Enabled || st.RecoveryCodesLeft != 0 {
			t.Fatalf("status after reset = %+v", st)
		}
		for _, a := range []string{"mfa.enrol", "mfa.recovery_used", "mfa.disable"} {
			if len(auditActions(t, d, a)) != 1 {
				t.Errorf("%s not audited once", a)
			}
		}
	})
}

func TestSSOUser(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		u := mustCreateUser(t, d, "sso@test.example", foi.RoleOfficer, "HO")
		ctx := foi.WithActor(context.Background(), foi.Actor{IP: "192.0.2.4"})
		got, err := d.SSOUser(ctx, "SSO@test.example", "https://idp.example")
		if err != nil || got.ID != u.ID {
			t.Fatalf("sso user = %+v %v", got, err)
		}
		wantCode(t, errOf(d.SSOUser(ctx, "stranger@test.example", "https://idp.example")), foi.EUNAUTHORIZED)
		if _, err := d.SetUserActive(cliCtx(), u.ID, false); err != nil {
			t.Fatal(err)
		}
		wantCode(t, errOf(d.SSOUser(ctx, "sso@test.example", "https://idp.example")), foi.EUNAUTHORIZED)
		if len(auditActions(t, d, "signin.sso")) != 1 || len(auditActions(t, d, "signin.sso_refused")) != 2 {
			t.Fatal("sso sign-ins not audited")
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
