package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// digestVia returns who's digest preference as GET /api/v1/me/preferences answers it.
func (s *apiSite) digestVia(who string) bool {
	s.t.Helper()
	var p struct{ Digest bool }
	if res := s.call(who, http.MethodGet, "/api/v1/me/preferences", nil, &p); res.StatusCode != http.StatusOK {
		s.t.Fatalf("GET preferences as %s: %d", who, res.StatusCode)
	}
	return p.Digest
}

// chosen reports whether the email preferences page has the radio with this value ticked.
func chosen(page, value string) bool {
	return strings.Contains(page, `name="digest" type="radio" value="`+value+`" checked`)
}

func TestPreferencesPage_AUserChoosesTheDailyDigestAndBackAgain(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		s.as("officer@test.example")

		// The account page leads to the email preferences, which show the current choice: one email each.
		if _, page := s.get("/account/security"); !strings.Contains(page, `href="/account/email"`) {
			t.Fatal("the sign-in and security page has no link to the email preferences")
		}
		res, page := s.get("/account/email")
		if res.StatusCode != http.StatusOK || !strings.Contains(page, "<h1") || !strings.Contains(page, "Email preferences") {
			t.Fatalf("GET /account/email: %d", res.StatusCode)
		}
		if !chosen(page, "no") || chosen(page, "yes") {
			t.Error("a user who never chose is not shown one email per reminder")
		}
		if !strings.Contains(page, "Every other email still arrives on its own as it happens") {
			t.Error("the page does not say which emails stay out of the digest")
		}

		page = s.mustSubmit("/account/email", url.Values{"digest": {"yes"}},
			"You will get your deadline reminders in one daily digest.")
		if !chosen(page, "yes") || chosen(page, "no") {
			t.Error("after choosing the digest the page does not show it chosen")
		}
		if !s.digestVia("dfe-officer") {
			t.Fatal("the API does not see the digest chosen in the browser")
		}
		if s.digestVia("dfe-dm") {
			t.Error("another user's preference changed")
		}

		// Another role may choose too, and back again.
		s.as("aud@dfe.test")
		s.mustSubmit("/account/email", url.Values{"digest": {"yes"}}, "one daily digest")
		page = s.mustSubmit("/account/email", url.Values{"digest": {"no"}}, "You will get an email for each deadline reminder.")
		if !chosen(page, "no") || s.digestVia("dfe-auditor") {
			t.Error("the auditor could not go back to one email per reminder")
		}
		if !s.digestVia("dfe-officer") {
			t.Error("the auditor's choice changed the officer's")
		}
	})
}

func TestPreferencesPage_ABadChoiceShowsTheErrorSummaryAndChangesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		s.as("officer@test.example")
		s.mustSubmit("/account/email", url.Values{"digest": {"yes"}}, "one daily digest")

		for _, bad := range []url.Values{nil, {"digest": {"weekly"}}, {"digest": {""}}} {
			body := s.mustRefuse("/account/email", bad, http.StatusUnprocessableEntity, []string{"digest"})
			if !strings.Contains(errorSummary(body), "Select how you want to get your deadline reminders") {
				t.Errorf("%v: the error summary does not say what to do\n%s", bad, errorSummary(body))
			}
			if !s.digestVia("dfe-officer") {
				t.Fatalf("%v: a refused choice changed the preference", bad)
			}
		}

		// Without the CSRF token nothing changes either.
		if res, _ := s.post("/account/email", url.Values{"digest": {"no"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("POST without a CSRF token: %d, want 403", res.StatusCode)
		}
		if !s.digestVia("dfe-officer") {
			t.Error("a post without a CSRF token changed the preference")
		}
	})
}

func TestPreferencesPage_SignedOutUsersAreSentToSignIn(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		res, _ := s.get("/account/email")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/?next=/account/email" {
			t.Errorf("GET signed out: %d to %q, want 303 to sign in", res.StatusCode, res.Header.Get("Location"))
		}
		res, _ = s.post("/account/email", url.Values{"csrf_token": {s.csrf("/")}, "digest": {"yes"}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/?next=") {
			t.Errorf("POST signed out: %d to %q, want 303 to sign in", res.StatusCode, res.Header.Get("Location"))
		}
		if s.digestVia("dfe-officer") {
			t.Error("a signed-out post changed a preference")
		}
	})
}
