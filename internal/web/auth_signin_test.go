package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
	"foidesk/internal/web"

	"github.com/pquerna/otp/totp"
)

// withConfig points the site at a second server on the same database, built from the default test
// configuration changed by edit.
func (s *site) withConfig(edit func(*web.Config)) *site {
	s.t.Helper()
	cfg := web.Config{Auth: s.db, Registers: s.db, Cases: s.db, Ping: s.db.Ping, Now: s.db.Time, Log: quietLog}
	edit(&cfg)
	srv, err := web.New(cfg)
	if err != nil {
		s.t.Fatal(err)
	}
	s.srv = httptest.NewServer(srv.Handler())
	s.t.Cleanup(s.srv.Close)
	return s
}

// addUser creates a user with the test password.
func addUser(t *testing.T, d *store.DB, email string, role foi.Role, party string) foi.User {
	t.Helper()
	u, _, err := d.CreateUser(foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI}),
		foi.NewUser{Email: email, Name: "Test " + string(role), Role: role, PartyCode: party, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// auditCount returns how many audit events have this action.
func auditCount(t *testing.T, d *store.DB, action string) int {
	t.Helper()
	page, err := d.ListAudit(foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI}),
		foi.AuditFilter{Action: action, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Events)
}

// passwordStep posts the sign-in form and returns the response.
func (s *site) passwordStep(email, password string) (*http.Response, string) {
	s.t.Helper()
	return s.post("/", url.Values{"csrf_token": {s.csrf("/")}, "email": {email}, "password": {password}})
}

func TestSignIn_ThrottledAttemptsGet429AndThePageSaysWhenAndTokensStillWork(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newSite(t, d)
		for i := range 5 {
			if res, _ := s.passwordStep("officer@test.example", "wrong password "+strconv.Itoa(i)); res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d", i+1, res.StatusCode)
			}
		}
		res, body := s.passwordStep("officer@test.example", testPassword)
		if res.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("sixth attempt: %d", res.StatusCode)
		}
		for _, want := range []string{"Too many sign-in attempts", "You can try to sign in again in 15 minutes."} {
			if !strings.Contains(body, want) {
				t.Errorf("429 page lacks %q", want)
			}
		}
		if ra, _ := strconv.Atoi(res.Header.Get("Retry-After")); ra < 14*60 || ra > 15*60 {
			t.Errorf("Retry-After %q", res.Header.Get("Retry-After"))
		}
		if sessionCookie(s) != "" {
			t.Fatal("a throttled attempt got a session")
		}
		// Another account from this address is still let in; the API's tokens are not throttled.
		s.signIn("liaison@test.example")
		token, err := d.CreateToken(foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI}), "officer@test.example", "ci")
		if err != nil {
			t.Fatal(err)
		}
		if res, _ := s.do(http.MethodGet, "/api/v1/me", nil, map[string]string{"Authorization": "Bearer " + token}); res.StatusCode != http.StatusOK {
			t.Fatalf("API token of a throttled account: %d", res.StatusCode)
		}
		if n := auditCount(t, d, "signin.throttled"); n != 1 {
			t.Fatalf("throttled attempts audited %d times", n)
		}
	})
}

func TestSessions_IdleTimeoutSignOutEverywhereAndAdminRevocation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		now := time.Now()
		d.Now = func() time.Time { return now }
		d.SetSessionLimits(30*time.Minute, 12*time.Hour)
		s := newSite(t, d)
		addUser(t, d, "admin@test.example", foi.RoleAdmin, "")

		// Idle: a session unused for 31 minutes has ended.
		s.signIn("officer@test.example")
		now = now.Add(31 * time.Minute)
		if _, body := s.get("/"); !strings.Contains(body, "Sign in to foidesk") {
			t.Fatal("an idle session still works")
		}

		// Sign out everywhere: the officer's two browsers are both signed out.
		laptop, phone := s, &site{t: t, db: d, srv: s.srv, client: newClient()}
		laptop.signIn("officer@test.example")
		phone.signIn("officer@test.example")
		if _, body := laptop.get("/account/security"); !strings.Contains(body, "Sign out everywhere") {
			t.Fatal("the security page lacks the sign out everywhere button")
		}
		res, _ := laptop.post("/sign-out-everywhere", url.Values{"csrf_token": {laptop.csrf("/account/security")}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign out everywhere: %d", res.StatusCode)
		}
		for name, b := range map[string]*site{"laptop": laptop, "phone": phone} {
			if _, body := b.get("/"); !strings.Contains(body, "Sign in to foidesk") {
				t.Errorf("%s still signed in after sign out everywhere", name)
			}
		}

		// An admin signs a user out of every session; nobody else may.
		phone.signIn("officer@test.example")
		officer, _ := d.Authenticate(context.Background(), "officer@test.example", testPassword)
		revoke := "/admin/users/" + strconv.FormatInt(officer.ID, 10) + "/sessions/revoke"
		liaison := &site{t: t, db: d, srv: s.srv, client: newClient()}
		liaison.signIn("liaison@test.example")
		if res, _ := liaison.post(revoke, url.Values{"csrf_token": {liaison.csrf("/")}}); res.StatusCode != http.StatusNotFound {
			t.Fatalf("a liaison revoking: %d", res.StatusCode)
		}
		if _, body := phone.get("/"); strings.Contains(body, "Sign in to foidesk") {
			t.Fatal("a liaison's attempt revoked the session")
		}
		admin := &site{t: t, db: d, srv: s.srv, client: newClient()}
		admin.signIn("admin@test.example")
		if res, _ := admin.post(revoke, url.Values{"csrf_token": {admin.csrf("/")}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("admin revoking: %d", res.StatusCode)
		}
		if _, body := phone.get("/"); !strings.Contains(body, "Sign in to foidesk") {
			t.Fatal("the admin's revocation left the session")
		}
		if n := auditCount(t, d, "session.revoke_all"); n != 2 {
			t.Fatalf("revocations audited %d times", n)
		}
	})
}

var (
	secretRE   = regexp.MustCompile(`id="secret">([A-Z2-7]+)<`)
	recoveryRE = regexp.MustCompile(`<code class="app-secret">([a-z2-7]{5}-[a-z2-7]{5})</code>`)
)

func TestMFA_ForcedEnrolmentThenCodeOrRecoveryCodeAtEachSignIn(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newSite(t, d).withConfig(func(c *web.Config) { c.MFARequiredRoles = foi.DefaultMFARoles })
		addUser(t, d, "dm@test.example", foi.RoleDecisionMaker, "DFE")

		// A password alone is not enough: the decision-maker must enrol before anything else.
		res, body := s.passwordStep("dm@test.example", testPassword)
		m := secretRE.FindStringSubmatch(body)
		if res.StatusCode != http.StatusOK || m == nil || !strings.Contains(body, `<img src="data:image/png;base64,iVBOR`) ||
			!strings.Contains(body, `action="/sign-in/enrol"`) || sessionCookie(s) != "" {
			t.Fatalf("password step: %d, secret %v, signed in %v", res.StatusCode, m, sessionCookie(s) != "")
		}
		secret := m[1]
		if res, _ := s.get("/cases"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/?next=") {
			t.Fatalf("cases before enrolling: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		res, body = s.post("/sign-in/enrol", url.Values{"csrf_token": {s.csrf("/")}, "code": {"000000"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "govuk-error-summary") ||
			!strings.Contains(body, secret) {
			t.Fatalf("wrong code: %d (the same secret shown again: %v)", res.StatusCode, strings.Contains(body, secret))
		}
		code, _ := totp.GenerateCode(secret, time.Now())
		res, body = s.post("/sign-in/enrol", url.Values{"csrf_token": {s.csrf("/")}, "code": {code}})
		codes := recoveryRE.FindAllStringSubmatch(body, -1)
		if res.StatusCode != http.StatusOK || len(codes) != foi.RecoveryCodeCount || !strings.Contains(res.Header.Get("Cache-Control"), "no-store") {
			t.Fatalf("confirm: %d with %d recovery codes", res.StatusCode, len(codes))
		}
		if res, body := s.get("/"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Dashboard") {
			t.Fatal("not signed in after enrolling")
		}

		// Next sign-in: password, then a recovery code (used once), then the app's next code.
		for i, second := range []string{codes[0][1], codes[0][1], "next TOTP"} {
			s.client = newClient()
			if res, body := s.passwordStep("dm@test.example", testPassword); res.StatusCode != http.StatusOK ||
				!strings.Contains(body, `action="/sign-in/code"`) || sessionCookie(s) != "" {
				t.Fatalf("sign-in %d: %d without the code form", i, res.StatusCode)
			}
			if second == "next TOTP" {
				second, _ = totp.GenerateCode(secret, time.Now().Add(30*time.Second))
			}
			res, _ := s.post("/sign-in/code", url.Values{"csrf_token": {s.csrf("/")}, "code": {second}})
			want := http.StatusSeeOther
			if i == 1 {
				want = http.StatusUnauthorized // the recovery code was used up
			}
			if res.StatusCode != want {
				t.Fatalf("second factor %d: %d, want %d", i, res.StatusCode, want)
			}
			if signedIn := sessionCookie(s) != ""; signedIn != (want == http.StatusSeeOther) {
				t.Fatalf("second factor %d: signed in %v", i, signedIn)
			}
		}
		for _, a := range []string{"mfa.enrol", "mfa.recovery_used"} {
			if auditCount(t, d, a) != 1 {
				t.Errorf("%s not audited once", a)
			}
		}
		// A role that does not require it signs in with a password alone.
		s.client = newClient()
		s.signIn("officer@test.example")
	})
}

func TestMFA_OptionalEnrolmentFromTheSecurityPageAndTurningItOff(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newSite(t, d).withConfig(func(c *web.Config) { c.MFARequiredRoles = foi.DefaultMFARoles })
		s.signIn("officer@test.example")
		_, body := s.get("/account/security/mfa")
		m := secretRE.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no secret on the enrolment page")
		}
		code, _ := totp.GenerateCode(m[1], time.Now())
		res, body := s.post("/account/security/mfa", url.Values{"csrf_token": {s.csrf("/account/security")}, "code": {code}})
		if res.StatusCode != http.StatusOK || len(recoveryRE.FindAllString(body, -1)) != foi.RecoveryCodeCount {
			t.Fatalf("confirm: %d", res.StatusCode)
		}
		if _, body := s.get("/account/security"); !strings.Contains(body, "10 unused recovery codes") {
			t.Fatal("security page does not show the authenticator app")
		}
		// The officer now needs the code at sign-in.
		s.client = newClient()
		if res, body := s.passwordStep("officer@test.example", testPassword); !strings.Contains(body, `action="/sign-in/code"`) {
			t.Fatalf("sign-in: %d without the code form", res.StatusCode)
		}
		s.client = newClient()
		s.passwordStep("officer@test.example", testPassword)
		next, _ := totp.GenerateCode(m[1], time.Now().Add(30*time.Second))
		if res, _ := s.post("/sign-in/code", url.Values{"csrf_token": {s.csrf("/")}, "code": {next}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("second factor: %d", res.StatusCode)
		}
		if res, _ := s.post("/account/security/mfa/disable", url.Values{"csrf_token": {s.csrf("/account/security")}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("turn off: %d", res.StatusCode)
		}
		if _, body := s.get("/account/security"); !strings.Contains(body, "You sign in with your password only.") {
			t.Fatal("still enrolled after turning it off")
		}
		if auditCount(t, d, "mfa.disable") != 1 {
			t.Fatal("turning off not audited")
		}
	})
}
