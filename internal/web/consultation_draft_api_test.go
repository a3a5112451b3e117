package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// sentEmails counts the consultation_sent emails queued for consultation id.
func (s *apiSite) sentEmails(id int64) int {
	s.t.Helper()
	queued, err := s.db.ListOutbox(foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI}), foi.OutboxPending)
	if err != nil {
		s.t.Fatal(err)
	}
	n := 0
	for _, m := range queued {
		if m.Template == foi.TmplConsultationSent && m.Link == fmt.Sprintf("/consultations/%d", id) {
			n++
		}
	}
	return n
}

// onlyCaseConsultation returns the one consultation of case caseID as the DFE officer sees it.
func (s *apiSite) onlyCaseConsultation(caseID int64) (apiConsultation, []foi.Blocker) {
	s.t.Helper()
	var cc apiCaseConsultations
	if res := s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d/consultations", caseID), nil, &cc); res.StatusCode != http.StatusOK ||
		len(cc.Consultations) != 1 {
		s.t.Fatalf("case consultations: %d %+v", res.StatusCode, cc)
	}
	return cc.Consultations[0], cc.Blockers
}

func TestConsultationAPI_AHeldDraftIsEditedWithinTheBoundThenSent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		body := newCaseBodyTouching("cid-person-records")
		body["hold_consultations_as_draft"] = true
		var c apiCase
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", body, &c); res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", res.StatusCode)
		}
		k, blockers := s.onlyCaseConsultation(c.ID)
		if k.Status != "draft" || k.RespondBy != nil || k.ContactEmail != "" || len(blockers) != 1 || s.sentEmails(k.ID) != 0 {
			t.Fatalf("held: %+v blockers %+v", k, blockers)
		}
		path := fmt.Sprintf("/api/v1/consultations/%d", k.ID)
		if res := s.call("ho-liaison", http.MethodGet, path, nil, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("liaison reads a draft: %d, want 404", res.StatusCode)
		}
		var inbox struct{ Items []apiConsultation }
		if s.call("ho-liaison", http.MethodGet, "/api/v1/consultations?status=open", nil, &inbox); len(inbox.Items) != 0 {
			t.Errorf("liaison's inbox holds a draft: %+v", inbox.Items)
		}

		// The case is due 23 March 2026 (17 March is a bank holiday in Northern Ireland): respond-by may be no later
		// than 5 working days before, 13 March, and must be after today (2 March).
		for _, tc := range []struct {
			name, who string
			body      any
			headers   []string
			status    int
			field     string
		}{
			{"not a date", "dfe-officer", map[string]any{"respond_by": "soon"}, nil, http.StatusUnprocessableEntity, "respond_by"},
			{"after the bound", "dfe-officer", map[string]any{"respond_by": "2026-03-16"}, nil, http.StatusUnprocessableEntity, "respond_by"},
			{"today", "dfe-officer", map[string]any{"respond_by": "2026-03-02"}, nil, http.StatusUnprocessableEntity, "respond_by"},
			{"no question", "dfe-officer", map[string]any{"question": "  "}, nil, http.StatusUnprocessableEntity, "question"},
			{"unknown field", "dfe-officer", map[string]any{"status": "sent"}, nil, http.StatusUnprocessableEntity, "status"},
			{"stale", "dfe-officer", map[string]any{"question": "Q?"}, []string{"If-Match", `"99"`}, http.StatusPreconditionFailed, ""},
			{"consulted liaison", "ho-liaison", map[string]any{"question": "Q?"}, nil, http.StatusNotFound, ""},
			{"other party's officer", "ho-officer", map[string]any{"question": "Q?"}, nil, http.StatusNotFound, ""},
			{"auditor", "dfe-auditor", map[string]any{"question": "Q?"}, nil, http.StatusForbidden, ""},
		} {
			var p apiProblem
			res := s.call(tc.who, http.MethodPatch, path, tc.body, &p, tc.headers...)
			if res.StatusCode != tc.status || (tc.field != "" && !fieldsOf(p)[tc.field]) {
				t.Errorf("%s: %d %+v, want %d naming %q", tc.name, res.StatusCode, p, tc.status, tc.field)
			}
		}
		if again, _ := s.onlyCaseConsultation(c.ID); again.Version != k.Version || again.RespondBy != nil {
			t.Fatalf("refused edits changed the draft: %+v", again)
		}

		var edited apiConsultation
		res := s.call("dfe-officer", http.MethodPatch, path, map[string]any{"question": "Do you object to the counts?",
			"information_at_issue": "Counts of CID matches, 2025", "respond_by": "2026-03-13"}, &edited,
			"If-Match", fmt.Sprintf(`"%d"`, k.Version))
		if res.StatusCode != http.StatusOK || edited.Status != "draft" || edited.RespondBy == nil || *edited.RespondBy != "2026-03-13" ||
			res.Header.Get("ETag") != fmt.Sprintf(`"%d"`, edited.Version) {
			t.Fatalf("edit: %d %+v", res.StatusCode, edited)
		}
		send := path + "/send"
		for _, tc := range []struct {
			who    string
			body   any
			status int
		}{{"dfe-auditor", nil, http.StatusForbidden}, {"ho-liaison", nil, http.StatusNotFound},
			{"dfe-officer", map[string]any{"now": true}, http.StatusUnprocessableEntity}} {
			if res := s.call(tc.who, http.MethodPost, send, tc.body, nil); res.StatusCode != tc.status {
				t.Errorf("send as %s: %d, want %d", tc.who, res.StatusCode, tc.status)
			}
		}
		if s.sentEmails(k.ID) != 0 {
			t.Fatal("a refused send queued an email")
		}
		var sent apiConsultation
		if res := s.call("dfe-dm", http.MethodPost, send, nil, &sent); res.StatusCode != http.StatusOK || sent.Status != "sent" ||
			*sent.RespondBy != "2026-03-13" || sent.ContactEmail != "foi.requests@homeoffice.example" {
			t.Fatalf("send: %d %+v", res.StatusCode, sent)
		}
		if n := s.sentEmails(k.ID); n != 1 {
			t.Errorf("send queued %d emails, want 1", n)
		}
		var p apiProblem
		if res := s.call("dfe-officer", http.MethodPost, send, map[string]any{}, &p); res.StatusCode != http.StatusConflict {
			t.Errorf("sent twice: %d %+v", res.StatusCode, p)
		}
		if res := s.call("dfe-officer", http.MethodPatch, path, map[string]any{"question": "Q?"}, nil); res.StatusCode != http.StatusConflict {
			t.Errorf("edit a sent consultation: %d, want 409", res.StatusCode)
		}
		var pack apiConsultation
		if res := s.call("ho-liaison", http.MethodGet, path, nil, &pack); res.StatusCode != http.StatusOK ||
			pack.Pack.Question != "Do you object to the counts?" {
			t.Errorf("liaison reads the sent pack: %d %+v", res.StatusCode, pack.Pack)
		}
		if s.sentEmails(k.ID) != 1 {
			t.Error("a refused second send queued an email")
		}
	})
}

func TestConsultationAPI_AssetsAddedToACaseCanBeHeldAsDrafts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		var updated apiCase
		if res := s.call("dfe-officer", http.MethodPatch, fmt.Sprintf("/api/v1/cases/%d", c.ID), map[string]any{
			"asset_codes": []string{"cid-person-records"}, "hold_consultations_as_draft": true}, &updated); res.StatusCode != http.StatusOK {
			t.Fatalf("update: %d", res.StatusCode)
		}
		k, blockers := s.onlyCaseConsultation(c.ID)
		if k.Status != "draft" || len(blockers) != 1 || s.sentEmails(k.ID) != 0 {
			t.Fatalf("held on update: %+v %+v", k, blockers)
		}
		// The draft blocks the response like any open consultation.
		path := fmt.Sprintf("/api/v1/cases/%d/response", c.ID)
		if res := s.call("dfe-officer", http.MethodPost, path, partialBody(), nil); res.StatusCode != http.StatusOK {
			t.Fatalf("draft response: %d", res.StatusCode)
		}
		var p apiBlocked
		if res := s.call("dfe-dm", http.MethodPost, path+"/approve", nil, &p); res.StatusCode != http.StatusConflict ||
			len(p.Blockers) != 1 || p.Blockers[0].ConsultationID != k.ID {
			t.Fatalf("approve with a draft consultation: %d %+v", res.StatusCode, p)
		}
	})
}
