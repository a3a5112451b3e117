package web_test

import (
	"net/http"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
	"foidesk/internal/web"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"
)

// TestBrowser_SignInSecurityPagesPassAxe walks the second-factor pages in Chromium, which the site tour cannot
// reach by links (they answer the sign-in form), and checks each with axe.
func TestBrowser_SignInSecurityPagesPassAxe(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newSite(t, d).withConfig(func(c *web.Config) { c.MFARequiredRoles = foi.DefaultMFARoles })
		addUser(t, d, "dm@test.example", foi.RoleDecisionMaker, "DFE")
		b := newBrowser(t, s.srv.URL)
		js := func(expr string) string {
			return value(b, "evaluating "+expr, chromedp.Evaluate[string](expr))
		}
		passwordStep := func() int {
			b.signOut()
			b.visit("/")
			b.fill("#email", "dm@test.example")
			b.fill("#password", testPassword)
			return b.submit(`main button[type="submit"]`)
		}

		if status := passwordStep(); status != http.StatusOK || !b.has("img#qr") {
			t.Fatalf("forced enrolment: %d", status)
		}
		b.axe("forced enrolment")
		b.screenshot("mfa_enrol")
		secret := js(`document.getElementById("secret").textContent`)
		b.fill("#code", "000000")
		if status := b.submit(`main button[type="submit"]`); status != http.StatusUnprocessableEntity || !b.has(".govuk-error-summary a[href='#code']") {
			t.Fatalf("wrong code: %d", status)
		}
		b.axe("enrolment with errors")
		code, _ := totp.GenerateCode(secret, time.Now())
		b.fill("#code", code)
		if status := b.submit(`main button[type="submit"]`); status != http.StatusOK || !b.has("#identity-bar") {
			t.Fatalf("confirm: %d", status)
		}
		b.axe("recovery codes")
		b.screenshot("mfa_codes")
		recovery := js(`document.querySelector("#recovery-codes code").textContent`)
		b.visit("/account/security")
		b.axe("sign-in and security")

		if status := passwordStep(); status != http.StatusOK || !b.has("#code") || b.has("#identity-bar") {
			t.Fatalf("code page: %d", status)
		}
		b.axe("second factor")
		b.screenshot("mfa_code")
		b.fill("#code", recovery)
		if status := b.submit(`main button[type="submit"]`); status != http.StatusOK || !b.has("#identity-bar") {
			t.Fatalf("recovery code: %d", status)
		}

		b.signIn("officer@test.example")
		b.visit("/account/security/mfa")
		b.axe("optional enrolment")
	})
}
