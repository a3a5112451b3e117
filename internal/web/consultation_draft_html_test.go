package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// consultationState is what the draft and chase tests check of a consultation through the API.
type consultationState struct {
	Status             string  `json:"status"`
	Question           string  `json:"question"`
	InformationAtIssue string  `json:"information_at_issue"`
	RespondBy          *string `json:"respond_by"`
	RemindersSent      int     `json:"reminders_sent"`
	EscalatedOn        *string `json:"escalated_on"`
	Version            int64   `json:"version"`
}

// consultationNow reads consultation id through the API as the DFE officer.
func (s *apiSite) consultationNow(id int64) consultationState {
	s.t.Helper()
	var k consultationState
	if res := s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/consultations/%d", id), nil, &k); res.StatusCode != http.StatusOK {
		s.t.Fatalf("get consultation %d: %d", id, res.StatusCode)
	}
	return k
}

// consultedCase creates, as the DFE officer, a case touching HO's cid-person-records, whose HO consultation is
// sent at once, and returns the consultation.
func (s *apiSite) consultedCase() apiConsultation {
	s.t.Helper()
	var c apiCase
	if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBodyTouching("cid-person-records"), &c); res.StatusCode != http.StatusCreated {
		s.t.Fatalf("create: %d", res.StatusCode)
	}
	k, _ := s.onlyCaseConsultation(c.ID)
	return k
}

// mustNotFind checks that each path answers the GOV.UK 404 page to the signed-in user, for GET and (with a
// valid CSRF token) POST.
func (s *apiSite) mustNotFind(who string, paths ...string) {
	s.t.Helper()
	token := s.csrf("/")
	for _, p := range paths {
		if res, body := s.get(p); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") {
			s.t.Errorf("%s GET %s: %d, want 404", who, p, res.StatusCode)
		}
		if res, body := s.post(p, url.Values{"csrf_token": {token}, "question": {"Q?"}, "kind": {"reminder"}}); res.StatusCode != http.StatusNotFound ||
			strings.Contains(body, "govuk-error-summary") {
			s.t.Errorf("%s POST %s: %d, want 404", who, p, res.StatusCode)
		}
	}
}

func TestConsultationDraftPages_TheOfficerEditsAndSendsAHeldDraft(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		// The officer logs the request in the browser, keeping the consultation it needs as a draft.
		s.as("officer@test.example")
		res, _ := s.submit("/cases/new", merge(newCaseForm(), url.Values{"asset_codes": {"cid-person-records"}, "hold_consultations": {"true"}}))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", res.StatusCode)
		}
		casePath := res.Header.Get("Location")
		var caseID int64
		fmt.Sscanf(casePath, "/cases/%d", &caseID)
		k, _ := s.onlyCaseConsultation(caseID)
		pack := fmt.Sprintf("/consultations/%d", k.ID)
		draft, send := pack+"/draft", pack+"/send"
		_, casePage := s.get(casePath)
		if !strings.Contains(casePage, `href="`+pack+`"`) || !strings.Contains(casePage, `govuk-tag--grey">Draft<`) ||
			!strings.Contains(casePage, "Not sent: a draft") {
			t.Error("the case page does not show the consultation as a draft")
		}

		// Neither the consulted party nor an auditor nor another party's officer may edit or send it.
		s.as("liaison@test.example").mustNotFind("ho-liaison", pack, draft, send)
		s.as("o@ho.test").mustNotFind("ho-officer", pack, draft, send)
		s.as("aud@dfe.test").mustNotFind("dfe-auditor", draft, send)

		s.as("officer@test.example")
		_, page := s.get(pack)
		for _, want := range []string{`id="draft-notice"`, `govuk-tag--grey" id="consultation-status">Draft<`,
			`href="` + draft + `"`, `href="` + send + `"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the draft's page lacks %s", want)
			}
		}

		// Bad input: the error summary links to each field, what was typed stays, nothing changes.
		s.mustRefuse(draft, merge(url.Values{"question": {"  "}, "information_at_issue": {"Counts of CID matches"}},
			date("respond_by", "16", "3", "2026")), http.StatusUnprocessableEntity, []string{"question", "respond_by-day"},
			"Counts of CID matches", `value="16"`, "on or before 2026-03-13")
		s.mustRefuse(draft, merge(url.Values{"question": {"Q?"}}, date("respond_by", "31", "2", "2026")),
			http.StatusUnprocessableEntity, []string{"respond_by-day"}, "must be a real date", `value="31"`)
		s.mustRefuse(draft, url.Values{"question": {"Stale?"}, "version": {"99"}}, http.StatusPreconditionFailed, nil, "Stale?")
		if got := s.consultationNow(k.ID); got.Version != k.Version || got.RespondBy != nil || got.Status != "draft" {
			t.Fatalf("refused edits changed the draft: %+v", got)
		}

		page = s.mustSubmit(draft, merge(url.Values{"question": {"Do you object to the counts?"},
			"information_at_issue": {"Counts of CID matches, 2025"}}, date("respond_by", "13", "3", "2026")),
			"The draft was saved. It has not been sent to HO yet.")
		if !strings.Contains(page, "Do you object to the counts?") || !strings.Contains(page, "13 March 2026") {
			t.Error("the pack does not show the edited draft")
		}
		got := s.consultationNow(k.ID)
		if got.Status != "draft" || got.Question != "Do you object to the counts?" ||
			got.InformationAtIssue != "Counts of CID matches, 2025" || got.RespondBy == nil || *got.RespondBy != "2026-03-13" {
			t.Fatalf("after the edit: %+v", got)
		}
		if _, form := s.get(draft); !strings.Contains(form, `value="13"`) || !strings.Contains(form, "Do you object to the counts?") {
			t.Error("the edit form does not start from the saved draft")
		}

		// Sending: a stale page, and a respond-by date the calendar has overtaken, are refused and send nothing.
		_, confirm := s.get(send)
		if !strings.Contains(confirm, "13 March 2026") || !strings.Contains(confirm, "HO's business-as-usual FOI contact") {
			t.Errorf("the send page does not say what is sent to whom")
		}
		s.mustRefuse(send, url.Values{"version": {"99"}}, http.StatusPreconditionFailed, nil, "changed while you were working on it")
		d.Now = func() time.Time { return time.Date(2026, 3, 16, 10, 0, 0, 0, time.UTC) }
		s.as("officer@test.example").mustRefuse(send, nil, http.StatusUnprocessableEntity, nil, "The respond-by date must be after 2026-03-16")
		d.Now = func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) }
		s.as("officer@test.example")
		if got := s.consultationNow(k.ID); got.Status != "draft" || s.sentEmails(k.ID) != 0 {
			t.Fatalf("a refused send changed the draft: %+v", got)
		}

		s.mustSubmit(send, nil, "The consultation was sent to HO, who are asked to respond by 13 March 2026.")
		if got := s.consultationNow(k.ID); got.Status != "sent" || s.sentEmails(k.ID) != 1 {
			t.Fatalf("after sending: %+v, %d emails", got, s.sentEmails(k.ID))
		}
		s.mustNotFind("dfe-officer", draft, send)

		// The consulted party now sees the pack, and never the requester.
		s.as("liaison@test.example")
		res, page = s.get(pack)
		if res.StatusCode != http.StatusOK || !strings.Contains(page, "Do you object to the counts?") || strings.Contains(page, `id="draft-notice"`) {
			t.Fatalf("the liaison's pack: %d", res.StatusCode)
		}
		for _, w := range requesterWords {
			if strings.Contains(page, w) {
				t.Errorf("the liaison's pack shows the requester's %q", w)
			}
		}
	})
}
