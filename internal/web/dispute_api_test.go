package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

type apiDispute struct {
	ID             int64    `json:"id"`
	ConsultationID int64    `json:"consultation_id"`
	CaseID         int64    `json:"case_id"`
	RaisedBy       string   `json:"raised_by"`
	Stage          string   `json:"stage"`
	StepEndsOn     *string  `json:"step_ends_on"`
	CaseDueOn      *string  `json:"case_due_on"`
	Warning        string   `json:"warning"`
	Outcome        *string  `json:"outcome"`
	AllowedSteps   []string `json:"allowed_steps"`
	Notified       []string `json:"notified"`
	Unnotified     []string `json:"unnotified"`
	Steps          []struct {
		Stage   string  `json:"stage"`
		EndsOn  *string `json:"ends_on"`
		Warning string  `json:"warning"`
		Note    string  `json:"note"`
	} `json:"steps"`
}

type apiDisputeProblem struct {
	apiProblem
	DisputeID int64 `json:"dispute_id"`
}

// The contacts the MoU names for a DFE case consulting HO, from the seed.
var (
	webDisputeBAU        = []string{"foi.requests@education.example", "foi.requests@homeoffice.example"}
	webDisputeEscalation = []string{"head.foi@education.example", "head.information.rights@homeoffice.example"}
)

// disputeMail returns the sorted recipients of the pending emails of template tmpl about dispute id, failing
// when one carries anything of the case beyond its reference.
func disputeMail(t *testing.T, d *store.DB, tmpl string, id int64) []string {
	t.Helper()
	cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
	msgs, err := d.ListOutbox(cli, foi.OutboxPending)
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, m := range msgs {
		if m.Template != tmpl || m.Link != fmt.Sprintf("/disputes/%d", id) {
			continue
		}
		for k, v := range m.Data {
			if strings.Contains(v, "pupil data") || strings.Contains(v, "Ada") || strings.Contains(v, "methods") {
				t.Errorf("%s carries case content in %s: %q", tmpl, k, v)
			}
		}
		to = append(to, m.To)
	}
	sort.Strings(to)
	return to
}

func TestDisputeAPI_TheLadderWithAControllableClock(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		s.addLiaison("dfe-liaison", "liaison@dfe.test", "DFE")
		var c apiCase
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBodyTouching("cid-person-records"), &c); res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", res.StatusCode)
		}
		var cc apiCaseConsultations
		s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d/consultations", c.ID), nil, &cc)
		if len(cc.Consultations) != 1 {
			t.Fatalf("consultations %+v", cc)
		}
		kpath := fmt.Sprintf("/api/v1/consultations/%d", cc.Consultations[0].ID)
		var r apiResponse
		if res := s.call("dfe-officer", http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/response", c.ID), partialBody(), &r); res.StatusCode != http.StatusOK {
			t.Fatalf("draft: %d", res.StatusCode)
		}
		objection := map[string]any{"position": "object_in_full", "summary": "Disclosure would reveal enforcement methods.",
			"harm": "Prejudice to immigration controls."}
		var k apiConsultation
		if res := s.call("ho-liaison", http.MethodPost, kpath+"/representations", objection, &k); res.StatusCode != http.StatusOK {
			t.Fatalf("representations: %d", res.StatusCode)
		}
		// Not accepted while the draft discloses: the dispute opens with the consideration.
		if res := s.call("dfe-dm", http.MethodPost, kpath+"/consideration",
			map[string]any{"outcome": "not_accepted", "reasons": "The public interest favours disclosure."}, &k); res.StatusCode != http.StatusOK {
			t.Fatalf("consideration: %d", res.StatusCode)
		}
		var list struct{ Items []apiDispute }
		if res := s.call("ho-liaison", http.MethodGet, kpath+"/disputes", nil, &list); res.StatusCode != http.StatusOK || len(list.Items) != 1 {
			t.Fatalf("disputes: %d %+v", res.StatusCode, list)
		}
		dis := list.Items[0]
		if dis.Stage != "bau" || dis.RaisedBy != "automatic" || dis.StepEndsOn == nil || *dis.StepEndsOn != "2026-03-04" ||
			dis.Warning != "" || !slices.Equal(dis.AllowedSteps, []string{"escalation", "resolved"}) || *dis.CaseDueOn != "2026-03-23" {
			t.Fatalf("opened %+v", dis)
		}
		if got := disputeMail(t, d, foi.TmplDisputeStep, dis.ID); !slices.Equal(got, webDisputeBAU) {
			t.Errorf("opening told %v, want %v", got, webDisputeBAU)
		}
		dpath := fmt.Sprintf("/api/v1/disputes/%d", dis.ID)

		// Refusals, each naming why and changing nothing.
		var dp apiDisputeProblem
		if res := s.call("ho-liaison", http.MethodPost, kpath+"/disputes", map[string]any{"reasons": "Still object."}, &dp); res.StatusCode != http.StatusConflict ||
			dp.DisputeID != dis.ID {
			t.Errorf("a second open dispute: %d %+v", res.StatusCode, dp)
		}
		var p apiProblem
		if res := s.call("ho-liaison", http.MethodPost, dpath+"/escalate", map[string]any{"reasons": " "}, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			len(p.Errors) != 1 || p.Errors[0].Field != "reasons" {
			t.Errorf("escalation without reasons: %d %+v", res.StatusCode, p)
		}
		if res := s.call("ho-liaison", http.MethodPost, dpath+"/escalate", map[string]any{"reasons": "x", "when": "now"}, &p); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("unknown field: %d", res.StatusCode)
		}
		for _, who := range []string{"dfe-liaison", "ho-officer"} {
			if res := s.call(who, http.MethodPost, dpath+"/escalate", map[string]any{"reasons": "x"}, &p); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s escalates: %d", who, res.StatusCode)
			}
			if status, _ := s.raw(who, http.MethodGet, dpath); status != http.StatusNotFound {
				t.Errorf("%s reads the dispute: %d", who, status)
			}
		}
		if res := s.call("dfe-auditor", http.MethodPost, dpath+"/escalate", map[string]any{"reasons": "x"}, &p); res.StatusCode != http.StatusForbidden {
			t.Errorf("auditor escalates: %d", res.StatusCode)
		}
		if res := s.call("dfe-officer", http.MethodPost, dpath+"/resolve", map[string]any{"outcome": "disclose", "reasons": "x"}, &p); res.StatusCode != http.StatusForbidden {
			t.Errorf("officer resolves: %d", res.StatusCode)
		}
		if res := s.call("dfe-officer", http.MethodPost, dpath+"/formal-notification", map[string]any{"reasons": "x"}, &p); res.StatusCode != http.StatusConflict ||
			!slices.Equal(p.Allowed, []string{"escalation", "resolved"}) {
			t.Errorf("formal notification at BAU: %d %+v", res.StatusCode, p)
		}
		var same apiDispute
		if s.call("dfe-officer", http.MethodGet, dpath, nil, &same); same.Stage != "bau" || len(same.Steps) != 1 {
			t.Fatalf("the refusals changed the dispute: %+v", same)
		}

		// Tuesday 10 March, after the BAU clock: the DFE officer escalates; the escalation contacts hear.
		d.Now = func() time.Time { return time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC) }
		var got apiDispute
		if res := s.call("dfe-officer", http.MethodPost, dpath+"/escalate", map[string]any{"reasons": "No agreement at working level."}, &got); res.StatusCode != http.StatusOK ||
			got.Stage != "escalation" || *got.StepEndsOn != "2026-03-12" || got.Warning != "" ||
			!slices.Equal(got.AllowedSteps, []string{"formal", "resolved"}) {
			t.Fatalf("escalate: %d %+v", res.StatusCode, got)
		}
		sort.Strings(got.Notified)
		if !slices.Equal(got.Notified, webDisputeEscalation) || len(got.Unnotified) != 0 {
			t.Errorf("escalation told %v (%v)", got.Notified, got.Unnotified)
		}

		// Thursday 19 March: HO gives formal notification; 20 working days end after the case's deadline.
		d.Now = func() time.Time { return time.Date(2026, 3, 19, 10, 0, 0, 0, time.UTC) }
		ends, err := calendar.Default().AddWorkingDays(calendar.NewDate(2026, 3, 19), foi.DisputeFormalWorkingDays)
		if err != nil {
			t.Fatal(err)
		}
		want := foi.DisputeDeadlineWarning(foi.DisputeFormal, ends, calendar.NewDate(2026, 3, 23))
		if res := s.call("ho-liaison", http.MethodPost, dpath+"/formal-notification", map[string]any{"reasons": "Senior management could not agree."}, &got); res.StatusCode != http.StatusOK ||
			got.Stage != "formal" || *got.StepEndsOn != ends.String() || want == "" || got.Warning != want ||
			got.Steps[2].Warning != want {
			t.Fatalf("formal notification: %d %+v, want warning %q", res.StatusCode, got, want)
		}
		// The case shows the dispute and its warning.
		var kase struct {
			Disputes []apiDispute `json:"disputes"`
			Warnings []string     `json:"warnings"`
		}
		if res := s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d", c.ID), nil, &kase); res.StatusCode != http.StatusOK ||
			len(kase.Disputes) != 1 || kase.Disputes[0].Warning != want || !slices.Contains(kase.Warnings, want) {
			t.Fatalf("case: %d %+v", res.StatusCode, kase)
		}

		// The outcome, by the DFE decision-maker.
		if res := s.call("dfe-dm", http.MethodPost, dpath+"/resolve", map[string]any{"outcome": "maybe", "reasons": ""}, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			len(p.Errors) != 2 {
			t.Errorf("bad outcome: %d %+v", res.StatusCode, p)
		}
		if res := s.call("dfe-dm", http.MethodPost, dpath+"/resolve", map[string]any{"outcome": "disclose_in_part", "reasons": "Agreed redactions."}, &got); res.StatusCode != http.StatusOK ||
			got.Stage != "resolved" || got.Outcome == nil || *got.Outcome != "disclose_in_part" || got.StepEndsOn != nil ||
			len(got.AllowedSteps) != 0 || got.Warning != "" {
			t.Fatalf("resolve: %d %+v", res.StatusCode, got)
		}
		if res := s.call("dfe-dm", http.MethodPost, dpath+"/resolve", map[string]any{"outcome": "disclose", "reasons": "Again."}, &p); res.StatusCode != http.StatusConflict {
			t.Errorf("resolve twice: %d", res.StatusCode)
		}
		steps := disputeMail(t, d, foi.TmplDisputeStep, dis.ID)
		wantSteps := append(append(append([]string{}, webDisputeBAU...), webDisputeEscalation...), webDisputeEscalation...)
		sort.Strings(wantSteps)
		if !slices.Equal(steps, wantSteps) {
			t.Errorf("step emails %v, want %v", steps, wantSteps)
		}
		if got := disputeMail(t, d, foi.TmplDisputeResolved, dis.ID); !slices.Equal(got, webDisputeEscalation) {
			t.Errorf("resolution told %v", got)
		}
	})
}

func TestDisputeAPI_RaisedByHandAndTheAdvanceNoticeIsShortenedWithReasons(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		var c apiCase
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBodyTouching("cid-person-records"), &c); res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", res.StatusCode)
		}
		var cc apiCaseConsultations
		s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/cases/%d/consultations", c.ID), nil, &cc)
		kpath := fmt.Sprintf("/api/v1/consultations/%d", cc.Consultations[0].ID)
		// The consulted party raises a dispute itself; 201 with where it lives.
		var p apiProblem
		if res := s.call("ho-liaison", http.MethodPost, kpath+"/disputes", map[string]any{}, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			len(p.Errors) != 1 || p.Errors[0].Field != "reasons" {
			t.Errorf("raise without reasons: %d %+v", res.StatusCode, p)
		}
		var dis apiDispute
		res := s.call("ho-liaison", http.MethodPost, kpath+"/disputes", map[string]any{"reasons": "The pack misstates the exchange."}, &dis)
		if res.StatusCode != http.StatusCreated || res.Header.Get("Location") != fmt.Sprintf("/api/v1/disputes/%d", dis.ID) ||
			dis.RaisedBy != "consulted" || dis.Stage != "bau" {
			t.Fatalf("raise: %d %+v", res.StatusCode, dis)
		}
		sort.Strings(dis.Notified)
		if !slices.Equal(dis.Notified, webDisputeBAU) {
			t.Errorf("raising told %v", dis.Notified)
		}

		// The consultation is waived; the decision-maker approves with one working day's notice, with reasons.
		if res := s.call("dfe-dm", http.MethodPost, kpath+"/waiver", map[string]any{"reasons": "Already published."}, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("waiver: %d", res.StatusCode)
		}
		path := fmt.Sprintf("/api/v1/cases/%d/response", c.ID)
		var r apiResponse
		if res := s.call("dfe-officer", http.MethodPost, path, partialBody(), &r); res.StatusCode != http.StatusOK {
			t.Fatalf("draft: %d", res.StatusCode)
		}
		if res := s.call("dfe-dm", http.MethodPost, path+"/approve", map[string]any{"advance_notice_working_days": 1}, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			len(p.Errors) != 1 || p.Errors[0].Field != "advance_notice_reasons" {
			t.Errorf("shortened without reasons: %d %+v", res.StatusCode, p)
		}
		var approved struct {
			apiResponse
			ReleaseOn                *string `json:"release_on"`
			AdvanceNoticeWorkingDays int     `json:"advance_notice_working_days"`
			AdvanceNoticeReasons     string  `json:"advance_notice_reasons"`
		}
		body := map[string]any{"advance_notice_working_days": 1, "advance_notice_reasons": "HO agreed to one day by phone."}
		if res := s.call("dfe-dm", http.MethodPost, path+"/approve", body, &approved); res.StatusCode != http.StatusOK ||
			approved.CaseStatus != "responded" || approved.ReleaseOn == nil || *approved.ReleaseOn != "2026-03-03" ||
			approved.AdvanceNoticeWorkingDays != 1 || approved.AdvanceNoticeReasons != "HO agreed to one day by phone." ||
			!strings.Contains(approved.DeliveryNote, "2026-03-03") {
			t.Fatalf("approve: %d %+v", res.StatusCode, approved)
		}
		// The response email waits in the outbox for the release date; the advance notice does not.
		cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
		msgs, err := d.ListOutbox(cli, foi.OutboxPending)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			switch m.Template {
			case foi.TmplResponseSent:
				if !m.NextAttemptAt.Equal(time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("response email due %s", m.NextAttemptAt)
				}
			case foi.TmplDisclosureNotice:
				if m.Data["release_on"] != "2026-03-03" || m.NextAttemptAt.After(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) {
					t.Errorf("advance notice %+v", m)
				}
			}
		}
	})
}
