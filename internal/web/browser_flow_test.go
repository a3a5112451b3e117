package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"

	"github.com/chromedp/chromedp"
)

// choose picks value in the radios, checkboxes or select called name, as a person clicking it would; it fails
// the test when the form has no such field or option.
func (b *browser) choose(name, v string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => {
		const els = document.getElementsByName(%q);
		if (!els.length) return "no field";
		if (els[0].tagName === "SELECT") { els[0].value = %q; return els[0].value === %q ? "ok" : "no option"; }
		for (const e of els) if (e.value === %q) { e.checked = true; return "ok"; }
		return "no option";
	})()`, name, v, v, v)
	if got := value(b, "choosing "+name, chromedp.Evaluate[string](js)); got != "ok" {
		b.t.Fatalf("choosing %s=%s on %s: %s", name, v, b.location(), got)
	}
}

// href returns the href attribute of the first element matching sel.
func (b *browser) href(sel string) string {
	b.t.Helper()
	return value(b, "reading the link "+sel, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).getAttribute("href")`, sel)))
}

// path returns the path of the tab's URL.
func (b *browser) path() string {
	return strings.TrimPrefix(b.location(), b.base)
}

// want fails the test unless the page's text holds every one of wants.
func (b *browser) want(what string, wants ...string) {
	b.t.Helper()
	text := b.text("main")
	for _, w := range wants {
		if !strings.Contains(text, w) {
			b.t.Errorf("%s (%s) lacks %q", what, b.location(), w)
		}
	}
}

var casePathRE = regexp.MustCompile(`^/cases/(\d+)$`)

// TestBrowser_TheIssueFlowFromLoggingToResponse drives the main flow in Chromium: the DFE officer logs a
// request touching HO's cid-person-records (after a first attempt with bad input), the HO consultation goes out,
// the HO liaison reads the pack (no requester in it) and objects in part, the DFE decision-maker finds the
// response blocked and considers the representations, the officer drafts the response and the decision-maker
// approves it from the approvals queue.
func TestBrowser_TheIssueFlowFromLoggingToResponse(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		b := newBrowser(t, s.srv.URL)

		// The officer logs the request; a first attempt with nothing filled in shows the error summary.
		b.signIn("officer@test.example")
		if status := b.visit("/cases/new"); status != http.StatusOK {
			t.Fatalf("new case page: %d", status)
		}
		if status := b.submit("#log-request"); status != http.StatusUnprocessableEntity {
			t.Fatalf("logging an empty request: %d", status)
		}
		if !b.has(".govuk-error-summary a[href='#subject']") || !b.has("#subject.govuk-input--error") || !strings.HasPrefix(b.title(), "Error:") {
			t.Error("the empty request shows no error summary linking to the subject")
		}
		b.axe("new case with errors")
		b.screenshot("flow_01_new-case-errors")
		b.choose("regime", "foia")
		b.fill("#received_at-day", "20")
		b.fill("#received_at-month", "2")
		b.fill("#received_at-year", "2026")
		b.choose("channel", "email")
		b.fill("#subject", "Pupil records shared with the Home Office")
		b.fill("#request_text", "Please send the CID person records you hold about pupil matches in 2025.")
		b.fill("#requester_name", "Ada Requester")
		b.fill("#requester_email", "ada@example.org")
		b.choose("requester_type", "media")
		b.choose("asset_codes", "cid-person-records")
		if status := b.submit("#log-request"); status != http.StatusOK {
			t.Fatalf("logging the request: %d at %s", status, b.location())
		}
		m := casePathRE.FindStringSubmatch(b.path())
		if m == nil {
			t.Fatalf("logging the request led to %s", b.location())
		}
		casePath := m[0]
		b.want("the new case", "Pupil records shared with the Home Office", "CID person records")
		b.screenshot("flow_02_case")

		// The consultation went to HO at once.
		b.visit("/consultations")
		b.want("DFE's consultations", "HO", "Sent")
		packPath := b.href("#consultations tbody a")

		// The HO liaison reads the pack, which never shows the requester, and objects in part.
		b.signIn("liaison@test.example")
		b.visit("/consultations")
		if got := b.href("#consultations tbody a"); got != packPath {
			t.Fatalf("the liaison's inbox links %q, want %q", got, packPath)
		}
		b.visit(packPath)
		b.want("the pack", "Consultation from DFE to HO", "CID person records you hold about pupil matches")
		if html := b.html(); strings.Contains(html, "Ada Requester") || strings.Contains(html, "ada@example.org") {
			t.Fatal("the consultation pack shows the requester")
		}
		if b.has(fmt.Sprintf("a[href=%q]", casePath)) {
			t.Error("the pack links the liaison to the case")
		}
		b.screenshot("flow_03_pack")
		b.visit(b.href(`a[href$="/representations/new"]`))
		b.choose("position", "object_in_part")
		b.fill("#summary", "Officer names in the records must not be released.")
		b.fill("#harm", "Officers would be exposed to harassment.")
		b.fill("#exemption-0-section", "31(1)(e)")
		b.fill("#exemption-0-reasons", "Disclosure would prejudice immigration controls.")
		if status := b.submit("#submit-representations"); status != http.StatusOK || b.path() != packPath {
			t.Fatalf("sending representations: %d at %s", status, b.location())
		}
		b.want("the pack after representing", "Your representations (version 1) were sent to DFE", "Version 1: Objects in part")

		// The DFE decision-maker cannot respond yet: the consultation blocks it.
		b.signIn("dm@dfe.test")
		b.visit(casePath + "/response")
		b.choose("outcome", "granted_in_full")
		b.fill("#letter", "Dear requester,\n\nThe information you asked for is enclosed.\n")
		if status := b.submit("#submit"); status == http.StatusOK && b.path() == casePath {
			t.Fatal("the response went out before the representations were considered")
		}
		if !b.has(".govuk-error-summary") {
			t.Errorf("the blocked response shows no error summary at %s", b.location())
		}
		b.screenshot("flow_04_response-blocked")

		// The decision-maker weighs the representations beside the draft, then responds.
		b.visit(packPath + "/consideration")
		b.axe("consideration")
		b.choose("outcome", "partly_accepted")
		b.fill("#reasons", "Officer names are redacted; the numbers are released.")
		if status := b.submit(`main form button[type="submit"]`); status != http.StatusOK || b.path() != packPath {
			t.Fatalf("recording the consideration: %d at %s", status, b.location())
		}
		b.want("the pack after consideration", "Your consideration of the representations was recorded.", "Partly accepted")
		b.screenshot("flow_05_considered")

		// The officer drafts the response; the decision-maker finds it in the approvals queue and approves it.
		b.signIn("officer@test.example")
		b.visit(casePath + "/response")
		b.choose("outcome", "granted_in_full")
		b.fill("#letter", "Dear requester,\n\nThe information you asked for is enclosed.\n")
		if status := b.submit("#submit"); status != http.StatusOK || b.path() != casePath {
			t.Fatalf("drafting the response: %d at %s", status, b.location())
		}
		b.signIn("dm@dfe.test")
		b.visit("/approvals")
		if got := b.href("#approvals tbody a"); got != casePath {
			t.Fatalf("the approvals queue links %q, want %q", got, casePath)
		}
		b.axe("approvals")
		b.screenshot("flow_06_approvals")
		b.visit(casePath + "/response/approve")
		if status := b.submit("#submit"); status != http.StatusOK || b.path() != casePath {
			t.Fatalf("approving the response: %d at %s", status, b.location())
		}
		b.want("the responded case", "Responded")
		b.axe("responded case")
		b.screenshot("flow_07_responded")
		b.visit("/approvals")
		b.want("the emptied approvals queue", "No responses are waiting for approval.")
	})
}
