package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

var hiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// as signs in as email with a fresh browser and returns the site.
func (s *apiSite) as(email string) *apiSite {
	s.t.Helper()
	s.client = newClient()
	s.signIn(email)
	return s
}

// submit fetches the form page at path, keeps its hidden fields (CSRF token, version, idempotency key), adds
// values and posts it to the same path. It returns the response and its body.
func (s *site) submit(path string, values url.Values) (*http.Response, string) {
	s.t.Helper()
	res, page := s.get(path)
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	form := url.Values{}
	for _, m := range hiddenRE.FindAllStringSubmatch(page, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	for k, v := range values {
		form[k] = v
	}
	return s.post(path, form)
}

// mustSubmit submits a form that must succeed: 303 back to the case page, which shows the success banner.
func (s *site) mustSubmit(path string, values url.Values, wantFlash string) string {
	s.t.Helper()
	res, body := s.submit(path, values)
	if res.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("POST %s: %d, want 303\n%s", path, res.StatusCode, errorSummary(body))
	}
	res, page := s.get(res.Header.Get("Location"))
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "govuk-notification-banner--success") ||
		!strings.Contains(html.UnescapeString(page), wantFlash) {
		s.t.Fatalf("after POST %s: %d, no banner %q\n%s", path, res.StatusCode, wantFlash, bannerOf(page))
	}
	return page
}

var summaryRE = regexp.MustCompile(`(?s)<div class="govuk-error-summary".*?</ul>`)
var bannerRE = regexp.MustCompile(`(?s)<div class="govuk-notification-banner.*?</div>\s*</div>`)

func errorSummary(body string) string { return summaryRE.FindString(body) }
func bannerOf(body string) string     { return bannerRE.FindString(body) }

// mustRefuse submits a form that must fail with status, an error summary linking to each of links, and the
// page showing each of kept (what the user typed).
func (s *site) mustRefuse(path string, values url.Values, status int, links []string, kept ...string) string {
	s.t.Helper()
	res, body := s.submit(path, values)
	if res.StatusCode != status {
		s.t.Fatalf("POST %s: %d, want %d\n%s", path, res.StatusCode, status, errorSummary(body))
	}
	sum := errorSummary(body)
	if sum == "" || !strings.HasPrefix(body[strings.Index(body, "<title>"):], "<title>Error: ") {
		s.t.Fatalf("POST %s: no error summary or title prefix", path)
	}
	for _, l := range links {
		if !strings.Contains(sum, `href="#`+l+`"`) {
			s.t.Errorf("POST %s: the error summary has no link to #%s\n%s", path, l, sum)
		}
		if !strings.Contains(body, `id="`+l+`"`) {
			s.t.Errorf("POST %s: no input with id %s", path, l)
		}
	}
	for _, k := range kept {
		if !strings.Contains(body, k) {
			s.t.Errorf("POST %s: what was typed is lost: %s", path, k)
		}
	}
	return body
}

// caseVersion returns the case's version through the API.
func (s *apiSite) caseVersion(id int64) (string, int64) {
	s.t.Helper()
	var c apiCase
	if res := s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d", id), nil, &c); res.StatusCode != http.StatusOK {
		s.t.Fatalf("get case: %d", res.StatusCode)
	}
	return c.Status, c.Version
}

func date(prefix, day, month, year string) url.Values {
	return url.Values{prefix + "-day": {day}, prefix + "-month": {month}, prefix + "-year": {year}}
}

func merge(vs ...url.Values) url.Values {
	out := url.Values{}
	for _, v := range vs {
		for k, x := range v {
			out[k] = x
		}
	}
	return out
}

func TestCaseForms_ClockEventsTransitionsAssignmentAndEdits(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		s.as("officer@test.example")
		base := fmt.Sprintf("/cases/%d/", c.ID)

		_, page := s.get(base[:len(base)-1])
		for _, want := range []string{`href="` + base + `assign"`, `href="` + base + `clarification-sought"`,
			`href="` + base + `fee-notice"`, `href="` + base + `pit-extension"`, `href="` + base + `response"`,
			`href="` + base + `status"`, `class="moj-timeline"`, "Request logged"} {
			if !strings.Contains(page, want) {
				t.Errorf("case page lacks %s", want)
			}
		}

		page = s.mustSubmit(base+"status", url.Values{"to": {"in_progress"}, "note": {"Started"}}, "The case is now in progress.")
		if !strings.Contains(page, "Received to In progress: Started") {
			t.Error("the timeline does not show the status change")
		}
		page = s.mustSubmit(base+"clarification-sought", merge(date("on", "23", "2", "2026"), url.Values{"note": {"Which years?"}}),
			"Clarification sought recorded. The clock is stopped.")
		if !strings.Contains(page, "Awaiting clarification") || !strings.Contains(page, "Which years?") {
			t.Error("the case page does not show the clarification sought")
		}
		s.mustSubmit(base+"clarification-received", date("on", "24", "2", "2026"), "Clarification received recorded. The deadline is 25 March 2026.")
		s.mustSubmit(base+"fee-notice", date("on", "25", "2", "2026"), "Fee notice given recorded.")
		if st, _ := s.caseVersion(c.ID); st != "on_hold_fee" {
			t.Errorf("after the fee notice: %s", st)
		}
		s.mustSubmit(base+"fee-paid", date("on", "26", "2", "2026"), "Fee received recorded.")
		s.mustSubmit(base+"pit-extension", merge(date("on", "2", "3", "2026"), url.Values{"exemptions": {"43(2)"}}),
			"Public interest extension recorded.")

		page = s.mustSubmit(base+"assign", url.Values{"assignee": {fmt.Sprint(userID(t, d, "dm@dfe.test"))}}, "Case assigned to Dee Decider.")
		if !strings.Contains(page, `id="case-assignee">Dee Decider<`) {
			t.Error("the case page does not show the assignee")
		}
		s.mustSubmit(base+"assign", url.Values{"assignee": {"none"}}, "The case is in the team queue.")
		page = s.mustSubmit(base+"edit", url.Values{"subject": {"Pupil data, 2025"}, "request_text": {"How many?"},
			"asset_codes": {"npd-pupil-matches"}}, "Case details saved.")
		if !strings.Contains(page, "Pupil data, 2025") || !strings.Contains(page, "NPD pupil matches") {
			t.Error("the edit did not show")
		}
		s.mustSubmit(base+"status", url.Values{"to": {"withdrawn"}}, "The case is now withdrawn.")
		if st, _ := s.caseVersion(c.ID); st != "withdrawn" {
			t.Errorf("after withdrawal: %s", st)
		}
		// A withdrawn case offers no more work.
		if _, page := s.get(base[:len(base)-1]); strings.Contains(page, `href="`+base+`assign"`) {
			t.Error("a withdrawn case still offers assignment")
		}
	})
}

func TestCaseForms_BadInputShowsTheErrorsKeepsTheInputAndChangesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		s.as("officer@test.example")
		base := fmt.Sprintf("/cases/%d/", c.ID)
		_, before := s.caseVersion(c.ID)

		s.mustRefuse(base+"clarification-sought", merge(date("on", "30", "2", "2026"), url.Values{"note": {"Kept <note>"}}),
			http.StatusUnprocessableEntity, []string{"on-day"}, `value="30"`, "Kept &lt;note&gt;", "The date must be a real date")
		s.mustRefuse(base+"fee-notice", date("on", "2", "3", "2027"), http.StatusUnprocessableEntity, []string{"on-day"},
			"The date must be today or in the past", `value="2027"`)
		s.mustRefuse(base+"clarification-received", date("on", "25", "2", "2026"), http.StatusConflict, nil)
		s.mustRefuse(base+"status", nil, http.StatusUnprocessableEntity, []string{"to"})
		s.mustRefuse(base+"assign", url.Values{"assignee": {"999999"}}, http.StatusUnprocessableEntity, []string{"assignee"})
		s.mustRefuse(base+"edit", url.Values{"subject": {"  "}, "request_text": {"Kept request"}}, http.StatusUnprocessableEntity,
			[]string{"subject"}, "Kept request")
		s.mustRefuse(base+"pit-extension", date("on", "2", "3", "2026"), http.StatusUnprocessableEntity, []string{"exemptions"})
		s.mustRefuse(base+"response", url.Values{"outcome": {"withheld_in_full"}, "exemptions": {"43(2)"}, "letter": {"Kept letter"}},
			http.StatusUnprocessableEntity, []string{"pit_43_2_conclusion"}, "Kept letter", `value="43(2)" checked`)
		if _, after := s.caseVersion(c.ID); after != before {
			t.Errorf("bad input changed the case: version %d to %d", before, after)
		}

		// A form posted after someone else changed the case is refused, and changes nothing.
		res, page := s.get(base + "status")
		if res.StatusCode != http.StatusOK {
			t.Fatal(res.StatusCode)
		}
		form := url.Values{"to": {"in_progress"}}
		for _, m := range hiddenRE.FindAllStringSubmatch(page, -1) {
			form.Set(m[1], m[2])
		}
		s.mustSubmit(base+"assign", url.Values{"assignee": {"none"}}, "team queue")
		res, body := s.post(base+"status", form)
		if res.StatusCode != http.StatusPreconditionFailed || !strings.Contains(errorSummary(body), "Someone else changed this while") {
			t.Errorf("stale form: %d\n%s", res.StatusCode, errorSummary(body))
		}
		if st, _ := s.caseVersion(c.ID); st != "received" {
			t.Errorf("the stale form moved the case to %s", st)
		}
	})
}

func TestCaseForms_ResponseApprovalReviewAndAppeal(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		base := fmt.Sprintf("/cases/%d/", c.ID)
		s.as("officer@test.example")

		// Without JavaScript, "Add public interest tests" shows the fields for the ticked qualified exemptions.
		res, page := s.submit(base+"response", url.Values{"action": {"refresh"}, "outcome": {"partially_withheld"},
			"exemptions": {"40(2)", "31(1)(e)"}})
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `id="pit_31_1_e_conclusion"`) || strings.Contains(page, "pit_40_2") {
			t.Fatalf("refresh: %d", res.StatusCode)
		}
		s.mustSubmit(base+"response", url.Values{"outcome": {"partially_withheld"}, "exemptions": {"40(2)", "31(1)(e)"},
			"pit_31_1_e_favour_disclosure": {"Transparency."}, "pit_31_1_e_favour_withholding": {"Immigration controls."},
			"pit_31_1_e_conclusion": {"Withhold."}}, "Response recorded: it waits for a decision-maker's approval.")
		if st, _ := s.caseVersion(c.ID); st != "pending_approval" {
			t.Fatalf("after the draft: %s", st)
		}
		// An officer may not approve: the form does not exist for them.
		for _, p := range []string{"response/approve", "response/return", "internal-review/decision"} {
			if res, _ := s.get(base + p); res.StatusCode != http.StatusNotFound {
				t.Errorf("officer GET %s: %d", p, res.StatusCode)
			}
		}
		res, _ = s.post(base+"response/approve", url.Values{"csrf_token": {s.csrf("/cases")}})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("officer POST approve: %d", res.StatusCode)
		}

		s.as("dm@dfe.test")
		s.mustRefuse(base+"response/return", nil, http.StatusUnprocessableEntity, []string{"reason"})
		_, page = s.get(base[:len(base)-1])
		if !strings.Contains(page, `href="`+base+`response/approve"`) || !strings.Contains(page, "Waiting for approval") {
			t.Error("the decision-maker is not offered the approval")
		}
		s.mustSubmit(base+"response/approve", nil, "Response approved. The letter is being emailed to the requester.")
		if st, _ := s.caseVersion(c.ID); st != "responded" {
			t.Fatalf("after approval: %s", st)
		}

		s.as("officer@test.example")
		s.mustRefuse(base+"internal-review", nil, http.StatusUnprocessableEntity, []string{"requested_on-day"})
		s.mustSubmit(base+"internal-review", date("requested_on", "2", "3", "2026"), "Internal review recorded, due 31 March 2026.")
		s.mustSubmit(base+"ico-appeal", date("complaint_on", "2", "3", "2026"), "Complaint to the ICO recorded.")
		s.mustRefuse(base+"ico-appeal/decision", date("decision_notice_on", "2", "3", "2026"), http.StatusUnprocessableEntity, []string{"outcome"})
		page = s.mustSubmit(base+"ico-appeal/decision", merge(date("decision_notice_on", "2", "3", "2026"),
			url.Values{"outcome": {"upheld"}, "tribunal": {"true"}}), "ICO decision recorded. Comply by 6 April 2026.")
		if !strings.Contains(page, "Appealed to the First-tier Tribunal") || !strings.Contains(page, "Comply by</dt>") {
			t.Error("the case page does not show the ICO decision")
		}

		s.as("dm@dfe.test")
		page = s.mustSubmit(base+"internal-review/decision", merge(date("decided_on", "2", "3", "2026"), url.Values{"outcome": {"upheld"}}),
			"Internal review decision recorded.")
		for _, want := range []string{"Response approved", "Internal review requested", "Complaint to the ICO recorded", "Upheld on"} {
			if !strings.Contains(page, want) {
				t.Errorf("case page lacks %q", want)
			}
		}
	})
}

func TestCaseForms_DocumentsUploadListAndDownload(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		s.as("officer@test.example")
		path := fmt.Sprintf("/cases/%d/documents", c.ID)
		upload := func(name string, content []byte) (*http.Response, string) {
			var buf bytes.Buffer
			w := multipart.NewWriter(&buf)
			_ = w.WriteField("csrf_token", s.csrf(path))
			fw, _ := w.CreateFormFile("file", name)
			fw.Write(content)
			w.Close()
			return s.do(http.MethodPost, path, &buf, map[string]string{"Content-Type": w.FormDataContentType()})
		}
		res, body := upload("notes.txt", nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(errorSummary(body), `href="#file"`) {
			t.Fatalf("empty file: %d\n%s", res.StatusCode, errorSummary(body))
		}
		res, _ = upload("notes.txt", []byte("Search notes for the request.\n"))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d", res.StatusCode)
		}
		_, page := s.get(res.Header.Get("Location"))
		if !strings.Contains(page, "notes.txt uploaded (version 1).") || !strings.Contains(page, `id="document-list"`) {
			t.Fatalf("case page after upload:\n%s", bannerOf(page))
		}
		link := regexp.MustCompile(`href="(/cases/\d+/documents/\d+)" download`).FindStringSubmatch(page)
		if link == nil {
			t.Fatal("no download link")
		}
		res, content := s.get(link[1])
		if res.StatusCode != http.StatusOK || content != "Search notes for the request.\n" ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "notes.txt") {
			t.Fatalf("download: %d %q", res.StatusCode, content)
		}
		s.as("o@ho.test")
		if res, _ := s.get(link[1]); res.StatusCode != http.StatusNotFound {
			t.Errorf("another party downloads: %d", res.StatusCode)
		}
	})
}

func TestCaseForms_OtherPartiesAndRolesGetTheGOVUK404(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		base := fmt.Sprintf("/cases/%d", c.ID)
		forms := []string{"/assign", "/edit", "/status", "/fee-notice", "/response", "/documents", "/letters", "/letters/acknowledgement"}
		for _, who := range []string{"o@ho.test", "liaison@test.example"} {
			s.as(who)
			for _, p := range append([]string{""}, forms...) {
				res, body := s.get(base + p)
				if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") || strings.Contains(body, c.Reference) {
					t.Errorf("%s GET %s: %d", who, base+p, res.StatusCode)
				}
			}
			res, _ := s.post(base+"/status", url.Values{"csrf_token": {s.csrf("/")}, "to": {"withdrawn"}})
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s POST status: %d", who, res.StatusCode)
			}
		}
		// The auditor reads the case but no form to change it.
		s.as("aud@dfe.test")
		if res, page := s.get(base); res.StatusCode != http.StatusOK || strings.Contains(page, base+"/assign") {
			t.Errorf("auditor case page: %d", res.StatusCode)
		}
		for _, p := range forms {
			if res, _ := s.get(base + p); res.StatusCode != http.StatusNotFound {
				t.Errorf("auditor GET %s: %d", p, res.StatusCode)
			}
		}
		if res, _ := s.get("/cases/new"); res.StatusCode != http.StatusNotFound {
			t.Errorf("auditor GET /cases/new: %d", res.StatusCode)
		}
		if st, _ := s.caseVersion(c.ID); st != "received" {
			t.Errorf("the case changed: %s", st)
		}
	})
}

func TestCaseForms_LettersRenderForTheCase(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		s.as("officer@test.example")
		res, page := s.get(fmt.Sprintf("/cases/%d/letters", c.ID))
		if res.StatusCode != http.StatusOK || !strings.Contains(page, fmt.Sprintf(`href="/cases/%d/letters/acknowledgement"`, c.ID)) {
			t.Fatalf("letters: %d", res.StatusCode)
		}
		res, page = s.get(fmt.Sprintf("/cases/%d/letters/acknowledgement", c.ID))
		if res.StatusCode != http.StatusOK || !strings.Contains(page, c.Reference) || !strings.Contains(page, `id="letter-text"`) {
			t.Fatalf("acknowledgement: %d", res.StatusCode)
		}
		if res, _ := s.get(fmt.Sprintf("/cases/%d/letters/nonsense", c.ID)); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown letter: %d", res.StatusCode)
		}
	})
}

// userID returns the id of the user with this email.
func userID(t *testing.T, d *store.DB, email string) int64 {
	t.Helper()
	users, err := d.ListUsers(foi.WithActor(context.Background(), foi.Actor{User: &foi.User{ID: 1, Role: foi.RoleAdmin, Active: true}}))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Email == email {
			return u.ID
		}
	}
	t.Fatalf("no user %s", email)
	return 0
}

func TestCaseForms_TheDisclosureGateBlocksTheResponseAndSaysWhy(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		var c apiCase
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBodyTouching("cid-person-records"), &c); res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", res.StatusCode)
		}
		base := fmt.Sprintf("/cases/%d/", c.ID)
		s.as("dm@dfe.test")
		_, page := s.get(base[:len(base)-1])
		if !strings.Contains(page, `id="disclosure-blocked"`) || !strings.Contains(page, "representations from HO") {
			t.Error("the case page does not say what blocks disclosure")
		}
		_, before := s.caseVersion(c.ID)
		body := s.mustRefuse(base+"response", url.Values{"outcome": {"granted_in_full"}, "letter": {"Kept letter"}},
			http.StatusConflict, nil, "Kept letter")
		if sum := errorSummary(body); !strings.Contains(sum, "Disclosure is blocked") || !strings.Contains(sum, "Waiting for representations from HO") {
			t.Errorf("the error summary does not list the blockers:\n%s", sum)
		}
		if st, after := s.caseVersion(c.ID); after != before || st == "responded" {
			t.Errorf("the blocked response changed the case: %s, version %d to %d", st, before, after)
		}
	})
}

func TestCasePage_ShowsHeldConsultationsAndDisputes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		s.as("officer@test.example")
		// Logging with "keep the consultations as drafts" holds the consultation with HO.
		res, _ := s.submit("/cases/new", merge(newCaseForm(), url.Values{"asset_codes": {"cid-person-records"}, "hold_consultations": {"true"}}))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", res.StatusCode)
		}
		casePath := res.Header.Get("Location")
		_, page := s.get(casePath)
		if !strings.Contains(page, `id="consultation-list"`) || !strings.Contains(page, ">Draft</strong>") {
			t.Fatalf("the held consultation is not a draft on the case page")
		}
		var id int64
		fmt.Sscanf(casePath, "/cases/%d", &id)
		var cc apiCaseConsultations
		s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d/consultations", id), nil, &cc)
		if res := s.call("dfe-officer", http.MethodPost, fmt.Sprintf("/api/v1/consultations/%d/send", cc.Consultations[0].ID), "{}", nil); res.StatusCode != http.StatusOK {
			t.Fatalf("send: %d", res.StatusCode)
		}
		var dis struct{ ID int64 }
		kpath := fmt.Sprintf("/api/v1/consultations/%d/disputes", cc.Consultations[0].ID)
		if res := s.call("ho-liaison", http.MethodPost, kpath, map[string]any{"reasons": "The pack misstates the exchange."}, &dis); res.StatusCode != http.StatusCreated {
			t.Fatalf("raise: %d", res.StatusCode)
		}
		_, page = s.get(casePath)
		if !strings.Contains(page, `id="dispute-list"`) || !strings.Contains(page, fmt.Sprintf(`href="/disputes/%d">With HO</a>`, dis.ID)) {
			t.Error("the case page does not list the dispute")
		}
	})
}
