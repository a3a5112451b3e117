package web_test

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// newAdminSite is an API site with an admin, admin@test.example, signed in.
func newAdminSite(t *testing.T, d *store.DB) *apiSite {
	t.Helper()
	s := newAPISite(t, d)
	if _, _, err := d.CreateUser(cliContext(), foi.NewUser{Email: "admin@test.example", Name: "Ann Admin",
		Role: foi.RoleAdmin, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	s.signIn("admin@test.example")
	return s
}

func cliContext() context.Context {
	return foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
}

// send posts values to action with the session's CSRF token (from the page at from), for pages with several
// forms that post elsewhere.
func (s *site) send(from, action string, values url.Values) (*http.Response, string) {
	s.t.Helper()
	form := url.Values{"csrf_token": {s.csrf(from)}}
	for k, v := range values {
		form[k] = v
	}
	return s.post(action, form)
}

// mustSend sends a form that must succeed: 303 to a page that shows wantFlash in the success banner.
func (s *site) mustSend(from, action string, values url.Values, wantFlash string) string {
	s.t.Helper()
	res, body := s.send(from, action, values)
	if res.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("POST %s: %d, want 303\n%s", action, res.StatusCode, errorSummary(body))
	}
	res, page := s.get(res.Header.Get("Location"))
	if res.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(bannerOf(page)), wantFlash) {
		s.t.Fatalf("after POST %s: %d, no banner %q\n%s", action, res.StatusCode, wantFlash, bannerOf(page))
	}
	return page
}

// wantRefused checks a re-rendered form: status, an error summary linking to each of links (inputs that exist
// on the page), and each of kept on the page.
func wantRefused(t *testing.T, res *http.Response, body string, status int, links []string, kept ...string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: %d, want %d\n%s", res.Request.URL.Path, res.StatusCode, status, errorSummary(body))
	}
	sum := errorSummary(body)
	if sum == "" || !strings.Contains(body, "<title>Error: ") {
		t.Fatalf("%s: no error summary or title prefix", res.Request.URL.Path)
	}
	for _, l := range links {
		if !strings.Contains(sum, `href="#`+l+`"`) || !strings.Contains(body, `id="`+l+`"`) {
			t.Errorf("%s: no summary link to an input #%s\n%s", res.Request.URL.Path, l, sum)
		}
	}
	for _, k := range kept {
		if !strings.Contains(body, k) {
			t.Errorf("%s: what was typed is lost: %s", res.Request.URL.Path, k)
		}
	}
}

// adminGetPages are the admin pages and a phrase each shows.
var adminGetPages = map[string]string{
	"/admin":                           "Information assets",
	"/admin/parties":                   "Add a party",
	"/admin/parties/new":               "It starts every case reference",
	"/admin/parties/DFE":               "Change the party",
	"/admin/contacts":                  "Parties and contacts",
	"/admin/contacts/new":              "Add a contact",
	"/admin/agreements":                "DFE-HO-MOU",
	"/admin/agreements/DFE-HO-MOU":     "Version history",
	"/admin/exchanges":                 "Add an exchange",
	"/admin/exchanges/new":             "Legal basis",
	"/admin/assets":                    "cid-person-records",
	"/admin/assets/cid-person-records": "Aliases of",
	"/admin/users":                     "officer@test.example",
	"/admin/users/new":                 "Add a user",
	"/admin/calendar":                  "Weekdays that are not working days",
	"/admin/templates":                 "acknowledgement",
	"/admin/templates/acknowledgement": "Change letter template",
	"/admin/outbox":                    "Outbox",
}

func TestAdminPages_RenderForAnAdminAndAre404ForEveryoneElse(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAdminSite(t, d)
		for path, want := range adminGetPages {
			res, body := s.get(path)
			if res.StatusCode != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("admin GET %s: %d, lacks %q", path, res.StatusCode, want)
			}
			if !strings.Contains(body, `href="/admin" aria-current="page"`) {
				t.Errorf("admin GET %s: Admin is not the current navigation item", path)
			}
		}
		for _, who := range []string{"officer@test.example", "dm@dfe.test", "aud@dfe.test", "liaison@test.example"} {
			s.as(who)
			for path := range adminGetPages {
				res, body := s.get(path)
				if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") {
					t.Errorf("%s GET %s: %d, want the 404 page", who, path, res.StatusCode)
				}
			}
			before := auditEvents(t, d)
			res, _ := s.send("/", "/admin/contacts/new", url.Values{"party": {"HO"}, "name": {"Sneaky"},
				"email": {"sneaky@ho.test"}, "tier": {"bau"}, "responsibilities": {"foi"}, "active": {"true"}})
			if res.StatusCode != http.StatusNotFound || auditEvents(t, d) != before {
				t.Errorf("%s POST a contact: %d, audit %d -> %d", who, res.StatusCode, before, auditEvents(t, d))
			}
		}
		// Signed out: sent to sign in, as for every page.
		s.client = newClient()
		if res, _ := s.get("/admin/users"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("signed out: %d", res.StatusCode)
		}
	})
}

func TestAdminContacts_AddChangeAndBadInputChangesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAdminSite(t, d)
		page := s.mustSubmit("/admin/contacts/new", url.Values{"party": {"HO"}, "name": {"Harriet Escalation"},
			"email": {"Harriet@HomeOffice.test"}, "tier": {"escalation"}, "responsibilities": {"foi", "legal"},
			"active": {"true"}}, "Contact Harriet Escalation (harriet@homeoffice.test) added for HO.")
		wantText(t, page, "harriet@homeoffice.test", "FOI requests, Legal")
		id := regexp.MustCompile(`href="/admin/contacts/(\d+)">Change<span class="govuk-visually-hidden"> Harriet`).FindStringSubmatch(page)
		if id == nil {
			t.Fatal("no change link for the new contact")
		}

		before := auditEvents(t, d)
		res, body := s.submit("/admin/contacts/new", url.Values{"party": {"HO"}, "name": {"Bad Address"},
			"email": {"not an email"}, "tier": {"bau"}, "responsibilities": nil})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"email", "responsibilities"},
			`value="Bad Address"`, `value="not an email"`)
		res, body = s.submit("/admin/contacts/new", url.Values{"party": {"HO"}, "name": {"Second Harriet"},
			"email": {"harriet@homeoffice.test"}, "tier": {"bau"}, "responsibilities": {"foi"}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"email"}, `value="Second Harriet"`)
		if auditEvents(t, d) != before {
			t.Error("a refused contact changed something")
		}

		edit := "/admin/contacts/" + id[1]
		_, form := s.get(edit)
		wantText(t, form, `value="Harriet Escalation"`, `value="legal" checked`)
		changed := url.Values{"party": {"HO"}, "name": {"Harriet E."}, "email": {"harriet@homeoffice.test"},
			"tier": {"escalation"}, "responsibilities": {"foi", "legal"}} // active unticked
		s.mustSubmit(edit, changed, "Contact Harriet E. (harriet@homeoffice.test) changed for HO.")
		ct, err := d.FindContact(cliContext(), mustAtoi(t, id[1]))
		if err != nil || ct.Active || ct.Name != "Harriet E." {
			t.Errorf("after the change: %+v, %v", ct, err)
		}
		changed.Set("name", "  ")
		res, body = s.submit(edit, changed)
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"name"}, `value="harriet@homeoffice.test"`)
		if ct2, _ := d.FindContact(cliContext(), ct.ID); ct2.Name != "Harriet E." {
			t.Error("a refused change changed the contact")
		}
	})
}

func TestAdminAgreements_AddAVersionChangeTheStatusAndRefuseBadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAdminSite(t, d)
		const path = "/admin/agreements/DFE-HO-MOU"
		page := s.mustSend(path, path+"/versions", url.Values{"version": {"9.1"}, "issued_on-day": {"31"},
			"issued_on-month": {"3"}, "issued_on-year": {"2026"}, "summary": {"Annual refresh."}}, "Version 9.1 added.")
		wantText(t, page, "9.1", "31 March 2026", "Annual refresh.")

		before := auditEvents(t, d)
		res, body := s.send(path, path+"/versions", url.Values{"version": {""}, "issued_on-day": {"31"},
			"issued_on-month": {"2"}, "issued_on-year": {"2026"}, "summary": {"Kept summary"}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"issued_on-day"}, "Kept summary")
		res, body = s.send(path, path+"/versions", url.Values{"version": {"9.1"}, "issued_on-day": {"1"},
			"issued_on-month": {"4"}, "issued_on-year": {"2026"}, "summary": {"Twice"}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"version"}, "Twice")
		if auditEvents(t, d) != before {
			t.Error("a refused version changed something")
		}

		page = s.mustSend(path, path, url.Values{"status": {"under_review"}, "review_on-day": {"1"},
			"review_on-month": {"9"}, "review_on-year": {"2026"}}, "Status and review date saved.")
		wantText(t, page, "Under review", "1 September 2026")
		res, body = s.send(path, path, url.Values{"status": {"asleep"}, "review_on-day": {"1"},
			"review_on-month": {"9"}, "review_on-year": {"2026"}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"status"})
		a, err := d.FindAgreement(cliContext(), "DFE-HO-MOU")
		if err != nil || a.Status != foi.AgreementUnderReview {
			t.Errorf("after a refused status: %+v, %v", a.Agreement.Status, err)
		}
	})
}

func TestAdminExchanges_AddChangeAndRefuseAReviewTooFarOff(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAdminSite(t, d)
		good := url.Values{"agreement": {"DFE-HO-MOU"}, "reference": {"MOU-TEST-DFE-HO"}, "title": {"Test flow"},
			"provider_party": {"DFE"}, "recipient_party": {"HO"}, "legal_basis": {"Section 20 of the Test Act"},
			"business_owner": {"Head of Data"}, "start_on-day": {"1"}, "start_on-month": {"4"}, "start_on-year": {"2026"},
			"review_on-day": {"1"}, "review_on-month": {"10"}, "review_on-year": {"2026"}}
		before := auditEvents(t, d)
		res, body := s.submit("/admin/exchanges/new", url.Values{"agreement": good["agreement"], "reference": good["reference"],
			"title": good["title"], "provider_party": good["provider_party"], "recipient_party": good["recipient_party"],
			"legal_basis": good["legal_basis"], "business_owner": good["business_owner"], "start_on-day": {"1"},
			"start_on-month": {"4"}, "start_on-year": {"2026"}, "review_on-day": {"1"}, "review_on-month": {"12"},
			"review_on-year": {"2027"}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"review_on-day"}, `value="Test flow"`, "Section 20 of the Test Act")
		if auditEvents(t, d) != before {
			t.Error("a refused exchange changed something")
		}
		page := s.mustSubmit("/admin/exchanges/new", good, "Exchange MOU-TEST-DFE-HO added.")
		wantText(t, page, "MOU-TEST-DFE-HO", "DFE to HO", "1 October 2026")

		edit := "/admin/exchanges/MOU-TEST-DFE-HO"
		changed := url.Values{"title": {"Renamed flow"}, "legal_basis": good["legal_basis"], "business_owner": good["business_owner"],
			"start_on-day": {"1"}, "start_on-month": {"4"}, "start_on-year": {"2026"},
			"reviewed_on-day": {"1"}, "reviewed_on-month": {"10"}, "reviewed_on-year": {"2026"},
			"review_on-day": {"1"}, "review_on-month": {"3"}, "review_on-year": {"2027"}}
		s.mustSubmit(edit, changed, "Exchange MOU-TEST-DFE-HO saved.")
		x, err := d.FindExchange(cliContext(), "MOU-TEST-DFE-HO")
		if err != nil || x.Title != "Renamed flow" || x.ReviewOn != calendar.NewDate(2027, time.March, 1) {
			t.Fatalf("after the change: %+v, %v", x, err)
		}
		changed.Set("title", "")
		changed.Set("business_owner", "Kept Owner")
		res, body = s.submit(edit, changed)
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"title"}, `value="Kept Owner"`)
	})
}

func TestAdminAssets_AddOneChangeItsAliasesAndRefuseBadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAdminSite(t, d)
		x := dfeExchangeRef(t, d)
		before := auditEvents(t, d)
		res, body := s.submit("/admin/assets", url.Values{"code": {"Not A Code"}, "name": {"Kept Name"},
			"provider_party": {"DFE"}, "exchange_reference": {x}, "aliases": {"first alias\nsecond alias"}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"code"}, `value="Kept Name"`, "second alias")
		if auditEvents(t, d) != before {
			t.Error("a refused asset changed something")
		}
		page := s.mustSubmit("/admin/assets", url.Values{"code": {"school-census"}, "name": {"School census"},
			"provider_party": {"DFE"}, "exchange_reference": {x}, "aliases": {"census returns\n\ncensus returns"}},
			"Information asset School census (school-census) added.")
		wantText(t, page, "school-census", "census returns")
		res, body = s.submit("/admin/assets", url.Values{"code": {"school-census"}, "name": {"Again"},
			"provider_party": {"DFE"}, "exchange_reference": {x}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"code"}, `value="Again"`)

		page = s.mustSubmit("/admin/assets/school-census", url.Values{"aliases": {"pupil census\nspring census"}},
			"Aliases of School census saved.")
		wantText(t, page, "pupil census, spring census")
		a, err := d.FindAsset(cliContext(), "school-census")
		if err != nil || strings.Join(a.Aliases, "|") != "pupil census|spring census" {
			t.Errorf("aliases: %v, %v", a.Aliases, err)
		}
		if res, _ := s.get("/admin/assets/no-such-asset"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown asset: %d", res.StatusCode)
		}
	})
}

// dfeExchangeRef returns the reference of an exchange DFE provides.
func dfeExchangeRef(t *testing.T, d *store.DB) string {
	t.Helper()
	reg, err := d.Registers(cliContext())
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range reg.Exchanges {
		if reg.PartyCode(x.ProviderPartyID) == "DFE" {
			return x.Reference
		}
	}
	t.Fatal("no DFE exchange in the demo data")
	return ""
}

func TestAdminUsers_CreateDeactivateAndIssueATokenThatWorks(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAdminSite(t, d)
		before := auditEvents(t, d)
		res, body := s.submit("/admin/users/new", url.Values{"name": {"Kept Name"}, "email": {"not-an-email"},
			"role": {"officer"}, "party": {""}, "password": {"short"}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"email", "party", "password"}, `value="Kept Name"`)
		wantText(t, errorSummary(body), "Select the party the user belongs to")
		if strings.Contains(body, `value="short"`) {
			t.Error("the password is echoed back into the page")
		}
		res, body = s.submit("/admin/users/new", url.Values{"name": {"Dup"}, "email": {"officer@test.example"},
			"role": {"officer"}, "party": {"DFE"}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"email"}, `value="Dup"`)
		if auditEvents(t, d) != before {
			t.Error("a refused user changed something")
		}

		s.mustSubmit("/admin/users/new", url.Values{"name": {"Nia New"}, "email": {"nia@dfe.test"}, "role": {"liaison"},
			"party": {"DFE"}, "password": {testPassword}}, "User nia@dfe.test added as Liaison.")
		res, body = s.submit("/admin/users/new", url.Values{"name": {"Gen Password"}, "email": {"gen@ho.test"},
			"role": {"officer"}, "party": {"HO"}})
		m := regexp.MustCompile(`<code class="app-secret" id="secret">([^<]+)</code>`).FindStringSubmatch(body)
		if res.StatusCode != http.StatusOK || m == nil || !strings.Contains(res.Header.Get("Cache-Control"), "no-store") {
			t.Fatalf("generated password page: %d %q", res.StatusCode, res.Header.Get("Cache-Control"))
		}
		if _, err := d.Authenticate(context.Background(), "gen@ho.test", html.UnescapeString(m[1])); err != nil {
			t.Errorf("the generated password does not sign in: %v", err)
		}

		nia := userID(t, d, "nia@dfe.test")
		res, body = s.send("/admin/users", "/admin/users/"+itoa(nia)+"/tokens", url.Values{"name": {"script"}})
		tok := regexp.MustCompile(`id="secret">(foi_[^<]+)<`).FindStringSubmatch(body)
		if res.StatusCode != http.StatusOK || tok == nil {
			t.Fatalf("token page: %d", res.StatusCode)
		}
		api := &apiSite{site: s.site, tokens: map[string]string{"nia": tok[1]}}
		if res := api.call("nia", http.MethodGet, "/api/v1/me", nil, nil); res.StatusCode != http.StatusOK {
			t.Errorf("the issued token: %d", res.StatusCode)
		}

		_, page := s.get("/admin/users/" + itoa(nia))
		wantText(t, page, "Nia New", "script", "Live")
		revoke := regexp.MustCompile(`action="(/admin/users/\d+/tokens/\d+/revoke)"`).FindStringSubmatch(page)
		if revoke == nil {
			t.Fatal("no revoke button for the token")
		}
		page = s.mustSend("/admin/users", revoke[1], nil, "API token revoked")
		wantText(t, page, "Revoked")
		if res := api.call("nia", http.MethodGet, "/api/v1/me", nil, nil); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("a revoked token: %d", res.StatusCode)
		}
		res, body = s.send("/admin/users", revoke[1], nil) // revoked already: nothing to revoke
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("revoking twice: %d", res.StatusCode)
		}
		res, body = s.send("/admin/users", "/admin/users/"+itoa(nia)+"/tokens", url.Values{"name": {"second"}})
		tok = regexp.MustCompile(`id="secret">(foi_[^<]+)<`).FindStringSubmatch(body)
		if res.StatusCode != http.StatusOK || tok == nil {
			t.Fatalf("second token page: %d", res.StatusCode)
		}
		api.tokens["nia"] = tok[1]

		page = s.mustSend("/admin/users", "/admin/users/"+itoa(nia)+"/active", url.Values{"active": {"false"}},
			"User nia@dfe.test deactivated")
		wantText(t, page, "Deactivated", "Reactivate<span class=\"govuk-visually-hidden\"> nia@dfe.test")
		if _, err := d.Authenticate(context.Background(), "nia@dfe.test", testPassword); foi.ErrorCode(err) != foi.EUNAUTHORIZED {
			t.Errorf("a deactivated user signs in: %v", err)
		}
		if res := api.call("nia", http.MethodGet, "/api/v1/me", nil, nil); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("a deactivated user's token: %d", res.StatusCode)
		}
		s.mustSend("/admin/users", "/admin/users/"+itoa(nia)+"/active", url.Values{"active": {"true"}}, "User nia@dfe.test reactivated.")
		s.as("officer@test.example")
		if res, _ := s.get("/admin/users/" + itoa(nia)); res.StatusCode != http.StatusNotFound {
			t.Errorf("an officer opening a user's page: %d", res.StatusCode)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAdminCalendar_OverridesAndImportAndBadInput(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAdminSite(t, d)
		_, page := s.get("/admin/calendar?year=2026")
		wantText(t, page, "gov.uk data embedded in this build", "Christmas Day", "Provisional")

		before := auditEvents(t, d)
		res, body := s.send("/admin/calendar", "/admin/calendar/overrides", url.Values{"date-day": {"31"},
			"date-month": {"2"}, "date-year": {"2026"}, "kind": {"holiday"}, "title": {"Kept title"}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"date-day"}, "Kept title")
		res, body = s.send("/admin/calendar", "/admin/calendar/overrides", url.Values{"date-day": {"6"},
			"date-month": {"6"}, "date-year": {"2026"}, "kind": {"working"}, "title": {"Kept too"}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"date-day"}, "Kept too") // a Saturday
		res, body = s.send("/admin/calendar", "/admin/calendar/overrides", url.Values{"date-day": {"8"},
			"date-month": {"6"}, "date-year": {"2026"}, "kind": {"holiday"}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"title"}, `value="8"`)
		ct, raw := multipartBody(t, "junk.json", []byte(`{"not":"holidays"}`), "csrf_token", s.csrf("/"))
		res, body2 := s.do(http.MethodPost, "/admin/calendar/import", strings.NewReader(string(raw)), map[string]string{"Content-Type": ct})
		wantRefused(t, res, body2, http.StatusUnprocessableEntity, []string{"file"})
		if auditEvents(t, d) != before {
			t.Error("a refused calendar change changed something")
		}

		page = s.mustSend("/admin/calendar", "/admin/calendar/overrides", url.Values{"date-day": {"8"},
			"date-month": {"6"}, "date-year": {"2026"}, "kind": {"holiday"}, "title": {"Test Bank Holiday"}},
			"8 June 2026 is now not a working day.")
		wantText(t, page, "Test Bank Holiday")
		cal, _ := d.Calendar(context.Background())
		if cal.IsWorkingDay(calendar.NewDate(2026, time.June, 8)) {
			t.Error("the override is not in force")
		}
		s.mustSend("/admin/calendar", "/admin/calendar/overrides/remove", url.Values{"date": {"2026-06-08"}},
			"The one-off day on 8 June 2026 was removed.")
		if cal, _ := d.Calendar(context.Background()); !cal.IsWorkingDay(calendar.NewDate(2026, time.June, 8)) {
			t.Error("the removed override is still in force")
		}

		data, err := os.ReadFile("../calendar/data/uk-bank-holidays.json")
		if err != nil {
			t.Fatal(err)
		}
		ct, raw = multipartBody(t, "bank-holidays.json", data, "csrf_token", s.csrf("/"))
		res, _ = s.do(http.MethodPost, "/admin/calendar/import", strings.NewReader(string(raw)), map[string]string{"Content-Type": ct})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("import: %d", res.StatusCode)
		}
		_, page = s.get("/admin/calendar")
		wantText(t, html.UnescapeString(page), "Imported bank-holidays.json", "bank-holidays.json (imported by admin@test.example)")
	})
}

func TestAdminTemplates_EditAndRefuseATemplateThatDoesNotParse(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAdminSite(t, d)
		const path = "/admin/templates/acknowledgement"
		before := auditEvents(t, d)
		res, body := s.submit(path, url.Values{"title": {"Kept title"}, "body": {"Dear {{.Nope"}})
		wantRefused(t, res, body, http.StatusUnprocessableEntity, []string{"body"}, `value="Kept title"`, "Dear {{.Nope")
		if auditEvents(t, d) != before {
			t.Error("a refused template changed something")
		}
		page := s.mustSubmit(path, url.Values{"title": {"We have your request"}, "body": {"Our reference: {{.Reference}}"}},
			"Letter template “We have your request” saved.")
		wantText(t, page, "We have your request", "Changed")
	})
}

func TestAdminOutbox_FiltersAndRetriesADeadLetter(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAdminSite(t, d)
		cli := cliContext()
		e, err := d.EnqueueTestMessage(cli, "dead@example.org")
		if err != nil {
			t.Fatal(err)
		}
		msgs, _, err := d.ClaimBatch(cli, time.Minute, 100)
		if err != nil {
			t.Fatal(err)
		}
		var outcomes []foi.DeliveryOutcome
		for _, m := range msgs {
			outcomes = append(outcomes, foi.DeliveryOutcome{ID: m.ID, Err: errors.New("550 5.1.1 mailbox unavailable"), Permanent: m.ID == e.ID,
				NextAttempt: time.Now().Add(time.Hour)})
		}
		if err := d.RecordOutcomes(cli, outcomes); err != nil {
			t.Fatal(err)
		}

		res, page := s.get("/admin/outbox?status=dead")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("outbox: %d", res.StatusCode)
		}
		wantText(t, page, "dead@example.org", "550 5.1.1 mailbox unavailable", "Dead letter", "/admin/outbox/"+itoa(e.ID)+"/retry")
		if res, body := s.get("/admin/outbox?status=lost"); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(errorSummary(body), `href="#status"`) {
			t.Errorf("unknown status: %d", res.StatusCode)
		}

		page = s.mustSend("/admin/outbox", "/admin/outbox/"+itoa(e.ID)+"/retry", url.Values{"status": {"dead"}},
			"Message "+itoa(e.ID)+" will be sent again")
		if strings.Contains(page, "dead@example.org") {
			t.Error("the retried message is still listed as dead")
		}
		m, err := d.OutboxMessage(cli, e.ID)
		if err != nil || m.Status != foi.OutboxPending || m.Attempts != 0 {
			t.Errorf("after retry: %+v, %v", m, err)
		}
		// A second retry (a double click) shows what happened and changes nothing.
		res, body := s.send("/admin/outbox", "/admin/outbox/"+itoa(e.ID)+"/retry", url.Values{"status": {"dead"}})
		wantRefused(t, res, body, http.StatusConflict, nil)
	})
}

// wantText checks that body has each of wants.
func wantText(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
}
