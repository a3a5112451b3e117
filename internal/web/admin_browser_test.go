package web_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"foidesk/internal/store/storetest"
)

// TestBrowser_AdminAndAuditPagesPassAxe opens every admin and audit page in Chromium, runs axe-core on each and
// keeps a screenshot, and submits a form with bad input to check its error summary and inline errors.
func TestBrowser_AdminAndAuditPagesPassAxe(t *testing.T) {
	d := storetest.OpenSQLite(t)
	s := newAdminSite(t, d)
	s.mustCreateCase("dfe-officer")
	if _, err := d.EnqueueTestMessage(cliContext(), "someone@example.org"); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, s.srv.URL)
	b.signIn("admin@test.example")
	paths := []string{"/audit", "/audit/verify", "/audit?action=user", "/admin/users/" + itoa(userID(t, d, "officer@test.example"))}
	for p := range adminGetPages {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if status := b.visit(p); status != http.StatusOK {
			t.Errorf("admin visiting %s: %d", p, status)
			continue
		}
		b.axe(p)
		b.screenshot("admin" + strings.ReplaceAll(p, "/", "_"))
	}

	b.visit("/admin/contacts/new")
	b.fill("#name", "Kept Name")
	b.fill("#email", "not an email")
	if status := b.submit("#save-contact"); status != http.StatusUnprocessableEntity {
		t.Fatalf("bad contact: %d", status)
	}
	if !b.has(".govuk-error-summary a[href='#email']") || !b.has("#email-error") || !strings.HasPrefix(b.title(), "Error:") {
		t.Error("a bad contact shows no error summary linking to the email field")
	}
	b.axe("contact form with errors")
	b.screenshot("admin_contact-error")

	b.visit("/audit?from-day=31&from-month=2&from-year=2026")
	if !b.has(".govuk-error-summary a[href='#from-day']") {
		t.Error("a bad date on the audit log shows no error summary")
	}
	b.axe("audit log with errors")

	b.signIn("aud@dfe.test")
	for _, p := range []string{"/audit", "/audit/verify"} {
		if status := b.visit(p); status != http.StatusOK {
			t.Errorf("auditor visiting %s: %d", p, status)
		}
		b.axe("auditor " + p)
	}
	b.screenshot("auditor_audit")
}
