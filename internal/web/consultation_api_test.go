package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

type apiConsultation struct {
	ID              int64   `json:"id"`
	CaseID          int64   `json:"case_id"`
	ConsultedParty  string  `json:"consulted_party"`
	Status          string  `json:"status"`
	RespondBy       *string `json:"respond_by"`
	ContactEmail    string  `json:"contact_email"`
	Version         int64   `json:"version"`
	Representations []struct {
		Version  int    `json:"version"`
		Position string `json:"position"`
	} `json:"representations"`
	Consideration *struct {
		Outcome               string `json:"outcome"`
		RepresentationVersion int    `json:"representation_version"`
	} `json:"consideration"`
	Pack *struct {
		Question    string `json:"question"`
		RequestText string `json:"request_text"`
	} `json:"pack"`
}

type apiCaseConsultations struct {
	Consultations []apiConsultation `json:"consultations"`
	Blockers      []foi.Blocker     `json:"disclosure_blockers"`
}

type apiBlocked struct {
	Code     string        `json:"code"`
	Blockers []foi.Blocker `json:"blockers"`
}

// addLiaison gives the site a token for a DFE liaison: a liaison of a party that is not the consulted one.
func (s *apiSite) addLiaison(name, email, party string) {
	s.t.Helper()
	cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
	if _, _, err := s.db.CreateUser(cli, foi.NewUser{Email: email, Name: "Third Liaison", Role: foi.RoleLiaison,
		PartyCode: party, Password: testPassword}); err != nil {
		s.t.Fatal(err)
	}
	s.tokens[name] = s.mustToken(email)
}

// raw sends a request as who and returns the status and the body as text.
func (s *apiSite) raw(who, method, path string) (int, string) {
	s.t.Helper()
	res, text := s.do(method, path, strings.NewReader(""), map[string]string{"Authorization": "Bearer " + s.tokens[who]})
	return res.StatusCode, text
}

func TestConsultationAPI_TheIssueFlowFromLoggingToRelease(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		s.addLiaison("dfe-liaison", "liaison@dfe.test", "DFE")
		// The DFE officer logs a case touching HO's cid-person-records: an HO consultation is sent at once.
		var c apiCase
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBodyTouching("cid-person-records"), &c); res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", res.StatusCode)
		}
		if c.Status != "awaiting_representations" {
			t.Errorf("case status %s, want awaiting_representations", c.Status)
		}
		var cc apiCaseConsultations
		if res := s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d/consultations", c.ID), nil, &cc); res.StatusCode != http.StatusOK {
			t.Fatalf("case consultations: %d", res.StatusCode)
		}
		if len(cc.Consultations) != 1 || len(cc.Blockers) != 1 {
			t.Fatalf("consultations %+v blockers %+v", cc.Consultations, cc.Blockers)
		}
		k := cc.Consultations[0]
		// Sent Mon 2 March 2026: 5 working days is Mon 9 March, well before the case's due date (23 March) less 5.
		if k.ConsultedParty != "HO" || k.Status != "sent" || k.RespondBy == nil || *k.RespondBy != "2026-03-09" ||
			k.ContactEmail != "foi.requests@homeoffice.example" {
			t.Fatalf("consultation %+v", k)
		}
		if b := cc.Blockers[0]; b.ConsultationID != k.ID || b.ConsultedParty != "HO" || !strings.Contains(b.WaitsFor, "2026-03-09") {
			t.Errorf("blocker %+v", b)
		}
		cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
		queued, err := d.ListOutbox(cli, foi.OutboxPending)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, m := range queued {
			if m.Template == foi.TmplConsultationSent && m.To == "foi.requests@homeoffice.example" &&
				m.Link == fmt.Sprintf("/consultations/%d", k.ID) && m.Data["respond_by"] == "2026-03-09" {
				found = true
			}
		}
		if !found {
			t.Errorf("no consultation_sent email to HO's FOI contact in %+v", queued)
		}

		// The draft goes for approval; approving it is blocked with the blockers, and nothing changes.
		path := fmt.Sprintf("/api/v1/cases/%d/response", c.ID)
		var r apiResponse
		if res := s.call("dfe-officer", http.MethodPost, path, partialBody(), &r); res.StatusCode != http.StatusOK || r.CaseStatus != "pending_approval" {
			t.Fatalf("draft: %d %+v", res.StatusCode, r)
		}
		assertBlocked := func(when string) {
			t.Helper()
			var p apiBlocked
			if res := s.call("dfe-dm", http.MethodPost, path+"/approve", nil, &p); res.StatusCode != http.StatusConflict ||
				p.Code != "conflict" || len(p.Blockers) != 1 || p.Blockers[0].ConsultationID != k.ID {
				t.Fatalf("%s: approve answered %d %+v", when, res.StatusCode, p)
			}
			var after apiResponse
			if res := s.call("dfe-officer", http.MethodGet, path, nil, &after); res.StatusCode != http.StatusOK ||
				after.Status != "pending_approval" || after.RespondedOn != nil {
				t.Fatalf("%s: the response after the refusal %d %+v", when, res.StatusCode, after)
			}
			var kase apiCase
			if res := s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d", c.ID), nil, &kase); res.StatusCode != http.StatusOK ||
				kase.Status != "pending_approval" || kase.Version != r.CaseVersion {
				t.Fatalf("%s: the case after the refusal %d %+v (version was %d)", when, res.StatusCode, kase, r.CaseVersion)
			}
		}
		assertBlocked("before representations")

		// The HO liaison sees the consultation in the inbox and reads the pack: never the requester.
		var inbox struct{ Items []apiConsultation }
		if res := s.call("ho-liaison", http.MethodGet, "/api/v1/consultations?status=open", nil, &inbox); res.StatusCode != http.StatusOK ||
			len(inbox.Items) != 1 || inbox.Items[0].ID != k.ID {
			t.Fatalf("HO inbox: %d %+v", res.StatusCode, inbox)
		}
		if res := s.call("dfe-officer", http.MethodGet, "/api/v1/consultations?status=open", nil, &inbox); res.StatusCode != http.StatusOK ||
			len(inbox.Items) != 1 {
			t.Fatalf("DFE list: %d %+v", res.StatusCode, inbox)
		}
		if res := s.call("dfe-liaison", http.MethodGet, "/api/v1/consultations?status=open", nil, &inbox); res.StatusCode != http.StatusOK ||
			len(inbox.Items) != 0 {
			t.Fatalf("another party's liaison's inbox: %d %+v", res.StatusCode, inbox)
		}
		kpath := fmt.Sprintf("/api/v1/consultations/%d", k.ID)
		var pack apiConsultation
		if res := s.call("ho-liaison", http.MethodGet, kpath, nil, &pack); res.StatusCode != http.StatusOK || pack.Pack == nil ||
			!strings.Contains(pack.Pack.RequestText, "pupil data") || pack.Pack.Question == "" {
			t.Fatalf("pack: %d %+v", res.StatusCode, pack)
		}
		status, body := s.raw("ho-liaison", http.MethodGet, kpath)
		if status != http.StatusOK {
			t.Fatalf("pack raw: %d", status)
		}
		for _, secret := range []string{"Ada Requester", "ada@example.org", "requester\""} {
			if strings.Contains(body, secret) {
				t.Errorf("the pack carries %q: %s", secret, body)
			}
		}
		// A liaison cannot read the case; another party's liaison and an HO officer cannot know the consultation.
		if status, _ := s.raw("ho-liaison", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d", c.ID)); status != http.StatusNotFound {
			t.Errorf("liaison reads the case: %d", status)
		}
		for _, who := range []string{"dfe-liaison", "ho-officer"} {
			if status, _ := s.raw(who, http.MethodGet, kpath); status != http.StatusNotFound {
				t.Errorf("%s reads the pack: %d", who, status)
			}
		}

		// Refusals, each naming why and changing nothing.
		objection := map[string]any{"position": "object_in_part", "summary": "Disclosure would reveal enforcement methods.",
			"harm":                "Prejudice to immigration controls.",
			"proposed_exemptions": []map[string]any{{"section": "31(1)(e)", "reasons": "Immigration controls."}}}
		var p apiProblem
		if res := s.call("dfe-liaison", http.MethodPost, kpath+"/representations", objection, &p); res.StatusCode != http.StatusNotFound {
			t.Errorf("another party's liaison represents: %d", res.StatusCode)
		}
		if res := s.call("dfe-officer", http.MethodPost, kpath+"/representations", objection, &p); res.StatusCode != http.StatusForbidden {
			t.Errorf("the owner's officer represents: %d %+v", res.StatusCode, p)
		}
		unknown := map[string]any{"position": "object_in_part", "summary": "x",
			"proposed_exemptions": []map[string]any{{"section": "99(9)", "reasons": "y"}}}
		if res := s.call("ho-liaison", http.MethodPost, kpath+"/representations", unknown, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			len(p.Errors) == 0 || p.Errors[0].Field != "proposed_exemptions[0].section" {
			t.Errorf("unknown section: %d %+v", res.StatusCode, p)
		}
		consider := map[string]any{"outcome": "partly_accepted", "reasons": "Redact the methods; the numbers go out."}
		if res := s.call("dfe-dm", http.MethodPost, kpath+"/consideration", consider, &p); res.StatusCode != http.StatusConflict {
			t.Errorf("consideration before representations: %d %+v", res.StatusCode, p)
		}
		if res := s.call("dfe-dm", http.MethodPost, kpath+"/waiver", map[string]any{"reasons": "  "}, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			len(p.Errors) != 1 || p.Errors[0].Field != "reasons" {
			t.Errorf("waiver without reasons: %d %+v", res.StatusCode, p)
		}
		if res := s.call("dfe-dm", http.MethodPost, kpath+"/close", map[string]any{"reasons": "No answer."}, &p); res.StatusCode != http.StatusConflict ||
			!strings.Contains(p.Detail, "respond-by") {
			t.Errorf("close before respond-by: %d %+v", res.StatusCode, p)
		}
		var same apiConsultation
		if s.call("ho-liaison", http.MethodGet, kpath, nil, &same); same.Status != "sent" || same.Version != k.Version || len(same.Representations) != 0 {
			t.Fatalf("the refusals changed the consultation: %+v", same)
		}

		// HO objects in part: still blocked.
		var got apiConsultation
		if res := s.call("ho-liaison", http.MethodPost, kpath+"/representations", objection, &got); res.StatusCode != http.StatusOK ||
			got.Status != "representations_received" || len(got.Representations) != 1 || got.Representations[0].Position != "object_in_part" {
			t.Fatalf("representations: %d %+v", res.StatusCode, got)
		}
		assertBlocked("after representations")
		// The consulted party's liaison cannot consider its own representations.
		if res := s.call("ho-liaison", http.MethodPost, kpath+"/consideration", consider, &p); res.StatusCode != http.StatusNotFound {
			t.Errorf("liaison considers: %d", res.StatusCode)
		}
		if res := s.call("dfe-officer", http.MethodPost, kpath+"/consideration", consider, &p); res.StatusCode != http.StatusForbidden {
			t.Errorf("officer considers: %d", res.StatusCode)
		}
		// The DFE decision-maker weighs them; the response then goes through.
		if res := s.call("dfe-dm", http.MethodPost, kpath+"/consideration", consider, &got); res.StatusCode != http.StatusOK ||
			got.Status != "considered" || got.Consideration == nil || got.Consideration.RepresentationVersion != 1 {
			t.Fatalf("consideration: %d %+v", res.StatusCode, got)
		}
		if res := s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d/consultations", c.ID), nil, &cc); res.StatusCode != http.StatusOK ||
			len(cc.Blockers) != 0 {
			t.Fatalf("blockers after consideration: %+v", cc.Blockers)
		}
		if res := s.call("dfe-dm", http.MethodPost, path+"/approve", nil, &r); res.StatusCode != http.StatusOK || r.CaseStatus != "responded" {
			t.Fatalf("approve after consideration: %d %+v", res.StatusCode, r)
		}
		// HO gets advance notice of the release: Mon 2 March plus 2 working days.
		queued, err = d.ListOutbox(cli, foi.OutboxPending)
		if err != nil {
			t.Fatal(err)
		}
		notices := 0
		for _, m := range queued {
			if m.Template == foi.TmplDisclosureNotice {
				notices++
				if m.To != "foi.requests@homeoffice.example" || m.Data["release_on"] != "2026-03-04" ||
					m.Link != fmt.Sprintf("/consultations/%d", k.ID) {
					t.Errorf("advance notice %+v", m)
				}
			}
		}
		if notices != 1 {
			t.Errorf("%d advance notices, want 1", notices)
		}
	})
}

func TestConsultationAPI_AssetsAddedLaterAndTheWaiver(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		body := newCaseBody()
		var c apiCase
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", body, &c); res.StatusCode != http.StatusCreated || c.Status != "received" {
			t.Fatalf("create: %d %+v", res.StatusCode, c)
		}
		var cc apiCaseConsultations
		cpath := fmt.Sprintf("/api/v1/cases/%d/consultations", c.ID)
		if s.call("dfe-officer", http.MethodGet, cpath, nil, &cc); len(cc.Consultations) != 0 || len(cc.Blockers) != 0 {
			t.Fatalf("a case touching nobody else's information has consultations: %+v", cc)
		}
		patch := map[string]any{"asset_codes": []string{"cid-person-records"}}
		if res := s.call("dfe-officer", http.MethodPatch, fmt.Sprintf("/api/v1/cases/%d", c.ID), patch, &c); res.StatusCode != http.StatusOK ||
			c.Status != "awaiting_representations" {
			t.Fatalf("patch: %d %+v", res.StatusCode, c)
		}
		// A second PATCH with the same asset adds nothing.
		if res := s.call("dfe-officer", http.MethodPatch, fmt.Sprintf("/api/v1/cases/%d", c.ID), patch, &c); res.StatusCode != http.StatusOK {
			t.Fatalf("patch again: %d", res.StatusCode)
		}
		if s.call("dfe-officer", http.MethodGet, cpath, nil, &cc); len(cc.Consultations) != 1 || cc.Consultations[0].Status != "sent" {
			t.Fatalf("consultations after PATCH: %+v", cc)
		}
		kpath := fmt.Sprintf("/api/v1/consultations/%d", cc.Consultations[0].ID)
		var p apiProblem
		if res := s.call("dfe-officer", http.MethodPost, kpath+"/waiver", map[string]any{"reasons": "Already published."}, &p); res.StatusCode != http.StatusForbidden {
			t.Errorf("officer waives: %d", res.StatusCode)
		}
		if res := s.call("dfe-dm", http.MethodPost, kpath+"/waiver", map[string]any{"reasons": "Unknown field.", "extra": 1}, &p); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("unknown field: %d", res.StatusCode)
		}
		var got apiConsultation
		if res := s.call("dfe-dm", http.MethodPost, kpath+"/waiver", map[string]any{"reasons": "The figures are already published."}, &got); res.StatusCode != http.StatusOK ||
			got.Status != "waived" {
			t.Fatalf("waiver: %d %+v", res.StatusCode, got)
		}
		if res := s.call("dfe-dm", http.MethodPost, kpath+"/waiver", map[string]any{"reasons": "Again."}, &p); res.StatusCode != http.StatusConflict {
			t.Errorf("waive twice: %d", res.StatusCode)
		}
		if res := s.call("ho-liaison", http.MethodPost, kpath+"/representations",
			map[string]any{"position": "no_objection", "summary": "Fine."}, &p); res.StatusCode != http.StatusConflict {
			t.Errorf("representations after the waiver: %d", res.StatusCode)
		}
		if s.call("dfe-officer", http.MethodGet, cpath, nil, &cc); len(cc.Blockers) != 0 {
			t.Fatalf("blockers after the waiver: %+v", cc.Blockers)
		}
	})
}
