package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func newCaseForm() url.Values {
	return merge(date("received_at", "20", "2", "2026"), url.Values{"regime": {"foia"}, "received_time": {"4:30pm"},
		"channel": {"email"}, "subject": {"Pupil data shared with the Home Office"},
		"request_text":   {"How many requests did the Home Office make for National Pupil Database records in 2025?"},
		"requester_name": {"Ada Requester"}, "requester_email": {"ada@example.org"}, "requester_type": {"media"},
		"requester_address": {""}, "action": {"create"}})
}

// caseCount returns how many cases the DFE officer's queue holds.
func (s *apiSite) caseCount() int {
	s.t.Helper()
	var page struct{ Items []apiCase }
	if res := s.call("dfe-officer", http.MethodGet, "/api/v1/cases", nil, &page); res.StatusCode != http.StatusOK {
		s.t.Fatalf("list: %d", res.StatusCode)
	}
	return len(page.Items)
}

func TestCaseNew_LogsARequestWithTheAssetsItMentions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		s.as("officer@test.example")
		res, page := s.get("/cases/new")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /cases/new: %d", res.StatusCode)
		}
		for _, id := range []string{"regime", "received_at-day", "received_time", "channel", "subject", "request_text",
			"requester_name", "requester_email", "requester_address", "requester_type", "asset_codes", "check-shared", "log-request"} {
			if !strings.Contains(page, `id="`+id+`"`) {
				t.Errorf("the form has no element with id %s", id)
			}
		}

		// "Check for shared information" ticks the assets the request mentions, without JavaScript.
		form := newCaseForm()
		form.Set("action", "suggest")
		res, page = s.submit("/cases/new", form)
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `id="asset-suggestions"`) ||
			!regexp.MustCompile(`value="npd-pupil-matches" checked`).MatchString(page) ||
			strings.Contains(page, `value="cid-person-records" checked`) {
			t.Fatalf("suggest: %d\n%s", res.StatusCode, errorSummary(page))
		}
		if !strings.Contains(page, "National Pupil Database") || !strings.Contains(page, `value="Ada Requester"`) {
			t.Error("the suggestion page lost what was typed")
		}
		if n := s.caseCount(); n != 0 {
			t.Fatalf("checking for shared information logged %d cases", n)
		}

		// Logging it: the same form posted twice (a double click) logs one case.
		_, page = s.get("/cases/new")
		hidden := url.Values{}
		for _, m := range hiddenRE.FindAllStringSubmatch(page, -1) {
			hidden.Set(m[1], m[2])
		}
		post := merge(hidden, newCaseForm(), url.Values{"asset_codes": {"npd-pupil-matches"}})
		res, _ = s.post("/cases/new", post)
		again, _ := s.post("/cases/new", post)
		if res.StatusCode != http.StatusSeeOther || again.Header.Get("Location") != res.Header.Get("Location") {
			t.Fatalf("create: %d %s, again %s", res.StatusCode, res.Header.Get("Location"), again.Header.Get("Location"))
		}
		res, page = s.get(res.Header.Get("Location"))
		if res.StatusCode != http.StatusOK || !strings.Contains(page, "Request logged as DFE-FOI-2026-") ||
			!strings.Contains(page, "NPD pupil matches") || !strings.Contains(page, "20 February 2026 at 4:30pm by Email") {
			t.Fatalf("the new case: %d\n%s", res.StatusCode, bannerOf(page))
		}
		if n := s.caseCount(); n != 1 {
			t.Errorf("%d cases, want 1", n)
		}

		// The same requester asking the same thing again gets the duplicate warning.
		res, _ = s.submit("/cases/new", newCaseForm())
		_, page = s.get(res.Header.Get("Location"))
		if !strings.Contains(strings.ToLower(page), "duplicate") && !strings.Contains(page, "same requester") {
			t.Errorf("no duplicate warning:\n%s", bannerOf(page))
		}
	})
}

func TestCaseNew_BadInputShowsEveryErrorKeepsTheInputAndLogsNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		s.as("officer@test.example")
		bad := merge(newCaseForm(), date("received_at", "31", "2", "2026"), url.Values{"subject": {""},
			"requester_email": {"not-an-email"}, "request_text": {"Kept <request>"}})
		s.mustRefuse("/cases/new", bad, http.StatusUnprocessableEntity, []string{"received_at-day"},
			`value="31"`, "Kept &lt;request&gt;", `value="not-an-email"`)
		bad.Set("received_at-day", "20")
		bad.Set("received_time", "25:99")
		s.mustRefuse("/cases/new", bad, http.StatusUnprocessableEntity, []string{"received_time"})
		bad.Set("received_time", "")
		body := s.mustRefuse("/cases/new", bad, http.StatusUnprocessableEntity, []string{"subject", "requester_email"},
			`value="not-an-email"`)
		if !strings.Contains(body, `class="govuk-form-group govuk-form-group--error"`) || !strings.Contains(body, `id="subject-error"`) {
			t.Error("no inline error")
		}
		s.mustRefuse("/cases/new", merge(newCaseForm(), url.Values{"asset_codes": {"no-such-asset"}}),
			http.StatusUnprocessableEntity, []string{"asset_codes"})
		future := merge(newCaseForm(), date("received_at", "1", "1", "2027"))
		s.mustRefuse("/cases/new", future, http.StatusUnprocessableEntity, []string{"received_at-day"})
		if n := s.caseCount(); n != 0 {
			t.Errorf("bad input logged %d cases", n)
		}
	})
}

func TestCaseNew_OnlyOfficersAndDecisionMakersLogRequests(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		for _, who := range []string{"liaison@test.example", "aud@dfe.test"} {
			s.as(who)
			if res, _ := s.get("/cases/new"); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s GET /cases/new: %d", who, res.StatusCode)
			}
			if res, _ := s.post("/cases/new", merge(newCaseForm(), url.Values{"csrf_token": {s.csrf("/")}})); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s POST /cases/new: %d", who, res.StatusCode)
			}
		}
		s.as("dm@dfe.test")
		if res, _ := s.submit("/cases/new", newCaseForm()); res.StatusCode != http.StatusSeeOther {
			t.Errorf("decision-maker logs: %d", res.StatusCode)
		}
	})
}
