package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

type apiIncident struct {
	ID              int64   `json:"id"`
	Reference       string  `json:"reference"`
	ReportingParty  string  `json:"reporting_party"`
	Status          string  `json:"status"`
	Description     string  `json:"description"`
	DueAt           string  `json:"due_at"`
	ICODueAt        string  `json:"ico_due_at"`
	Overdue         bool    `json:"overdue"`
	ICOOverdue      bool    `json:"ico_overdue"`
	CaseReference   string  `json:"case_reference"`
	CaseID          *int64  `json:"case_id"`
	ConsultationID  *int64  `json:"consultation_id"`
	ICODecision     *string `json:"ico_decision"`
	AffectedParties []struct {
		Party      string   `json:"party"`
		NotifiedAt *string  `json:"notified_at"`
		Notified   []string `json:"notified"`
	} `json:"affected_parties"`
	Actions []struct {
		Note string `json:"note"`
		By   string `json:"by"`
	} `json:"actions"`
	Unnotified []string `json:"unnotified"`
	Version    int64    `json:"version"`
}

// incidentRecipients returns the sorted recipients of the pending emails of tmpl linking to incident id.
func incidentRecipients(t *testing.T, d *store.DB, tmpl string, id int64) []string {
	t.Helper()
	msgs, err := d.ListOutbox(foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI}), foi.OutboxPending)
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, m := range msgs {
		if m.Template == tmpl && m.Link == fmt.Sprintf("/incidents/%d", id) {
			for k, v := range m.Data {
				if v == "A spreadsheet of HO pupil matches went to the wrong requester." {
					t.Errorf("%s carries the description in %s", tmpl, k)
				}
			}
			to = append(to, m.To)
		}
	}
	slices.Sort(to)
	return to
}

func TestIncidentAPI_ReportNotifyDecideAndClose(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		c := s.mustCreateCase("dfe-officer")
		report := map[string]any{"kind": "wrongful_disclosure", "aware_at": "2026-03-02T08:00:00Z",
			"description":      "A spreadsheet of HO pupil matches went to the wrong requester.",
			"affected_parties": []string{"HO"}, "case_id": c.ID}

		// Bad input is a 422 naming the fields; a liaison may not report; neither may an HO officer for DFE's case.
		var p apiProblem
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/incidents", map[string]any{"kind": "leak"}, &p); res.StatusCode != http.StatusUnprocessableEntity ||
			len(p.Errors) != 4 || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("bad input: %d %+v %s", res.StatusCode, p, res.Header.Get("Content-Type"))
		}
		if res := s.call("ho-liaison", http.MethodPost, "/api/v1/incidents", report, &p); res.StatusCode != http.StatusForbidden {
			t.Fatalf("liaison reports: %d", res.StatusCode)
		}
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/incidents", `{"kind":"data_loss","surprise":1}`, &p); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("unknown field: %d", res.StatusCode)
		}

		var inc apiIncident
		res := s.call("dfe-officer", http.MethodPost, "/api/v1/incidents", report, &inc)
		if res.StatusCode != http.StatusCreated || res.Header.Get("Location") != fmt.Sprintf("/api/v1/incidents/%d", inc.ID) {
			t.Fatalf("report: %d %+v", res.StatusCode, inc)
		}
		if inc.ReportingParty != "DFE" || inc.DueAt != "2026-03-03T08:00:00Z" || inc.ICODueAt != "2026-03-05T08:00:00Z" ||
			inc.Overdue || len(inc.AffectedParties) != 1 || inc.AffectedParties[0].NotifiedAt == nil ||
			inc.CaseReference != c.Reference || len(inc.Unnotified) != 0 {
			t.Fatalf("incident %+v", inc)
		}
		want := []string{"dso@homeoffice.example", "security.incidents@homeoffice.example"}
		if got := incidentRecipients(t, d, foi.TmplIncidentReported, inc.ID); !slices.Equal(got, want) {
			t.Errorf("notified %v, want %v", got, want)
		}

		// HO's liaison reads it (their information); HO's officer does not know it exists.
		path := fmt.Sprintf("/api/v1/incidents/%d", inc.ID)
		var got apiIncident
		if res := s.call("ho-liaison", http.MethodGet, path, nil, &got); res.StatusCode != http.StatusOK || got.ID != inc.ID {
			t.Fatalf("liaison read: %d", res.StatusCode)
		}
		if res := s.call("ho-officer", http.MethodGet, path, nil, &p); res.StatusCode != http.StatusNotFound {
			t.Fatalf("HO officer read: %d", res.StatusCode)
		}
		var list struct{ Items []apiIncident }
		if res := s.call("dfe-auditor", http.MethodGet, "/api/v1/incidents?status=open", nil, &list); res.StatusCode != http.StatusOK || len(list.Items) != 1 {
			t.Fatalf("auditor list: %d %d", res.StatusCode, len(list.Items))
		}
		if res := s.call("ho-officer", http.MethodGet, "/api/v1/incidents", nil, &list); res.StatusCode != http.StatusOK || len(list.Items) != 0 {
			t.Fatalf("HO officer list: %d %d", res.StatusCode, len(list.Items))
		}

		// The actions log, the ICO decision (decision-makers) and the closure.
		if res := s.call("dfe-officer", http.MethodPost, path+"/actions", map[string]any{"note": "Recipient asked to delete."}, &got); res.StatusCode != http.StatusOK ||
			len(got.Actions) != 1 || got.Actions[0].By != "officer@test.example" {
			t.Fatalf("action: %d %+v", res.StatusCode, got)
		}
		if res := s.call("dfe-officer", http.MethodPost, path+"/close", map[string]any{"summary": "Done."}, &p); res.StatusCode != http.StatusConflict {
			t.Fatalf("close before decision: %d", res.StatusCode)
		}
		if res := s.call("dfe-officer", http.MethodPost, path+"/ico-decision", map[string]any{"decision": "not_notify", "reasons": "Low risk."}, &p); res.StatusCode != http.StatusForbidden {
			t.Fatalf("officer decides: %d", res.StatusCode)
		}
		if res := s.call("dfe-dm", http.MethodPost, path+"/ico-decision", map[string]any{"decision": "perhaps", "reasons": ""}, &p); res.StatusCode != http.StatusUnprocessableEntity || len(p.Errors) != 2 {
			t.Fatalf("bad decision: %d %+v", res.StatusCode, p)
		}
		if res := s.call("dfe-dm", http.MethodPost, path+"/ico-decision", map[string]any{"decision": "notify", "reasons": "Children's data.",
			"notified_at": "2026-03-02T09:00:00Z"}, &got); res.StatusCode != http.StatusOK || got.ICODecision == nil || *got.ICODecision != "notify" {
			t.Fatalf("decision: %d %+v", res.StatusCode, got)
		}
		if res := s.call("dfe-officer", http.MethodPost, path+"/close", map[string]any{"summary": "Deleted and confirmed."}, &got); res.StatusCode != http.StatusOK || got.Status != "closed" {
			t.Fatalf("close: %d %+v", res.StatusCode, got)
		}
		if res := s.call("dfe-officer", http.MethodPost, path+"/actions", map[string]any{"note": "Late."}, &p); res.StatusCode != http.StatusConflict {
			t.Fatalf("action after close: %d", res.StatusCode)
		}
		if res := s.call("dfe-officer", http.MethodGet, "/api/v1/incidents/99999", nil, &p); res.StatusCode != http.StatusNotFound {
			t.Fatalf("missing: %d", res.StatusCode)
		}
	})
}

func TestIncidentAPI_TheICOClockShowsOverdueAfter72HoursAndTheScanReminds(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		cli := foi.WithActor(context.Background(), foi.Actor{Label: foi.ActorCLI})
		var inc apiIncident
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/incidents", map[string]any{"kind": "data_loss",
			"aware_at": "2026-03-02T08:00:00Z", "description": "A laptop was lost.", "affected_parties": []string{"HO"}}, &inc); res.StatusCode != http.StatusCreated ||
			inc.Overdue || inc.ICOOverdue {
			t.Fatalf("report: %d %+v", res.StatusCode, inc)
		}
		d.Now = func() time.Time { return time.Date(2026, 3, 5, 8, 30, 0, 0, time.UTC) }
		var got apiIncident
		s.call("dfe-officer", http.MethodGet, fmt.Sprintf("/api/v1/incidents/%d", inc.ID), nil, &got)
		if got.Overdue || !got.ICOOverdue {
			t.Fatalf("after 72h30: %+v", got)
		}
		if _, err := d.RunReminderScan(cli, calendar.NewDate(2026, 3, 5)); err != nil {
			t.Fatal(err)
		}
		want := []string{"dso@education.example", "security.incidents@education.example"}
		if got := incidentRecipients(t, d, foi.TmplIncidentOverdue, inc.ID); !slices.Equal(got, want) {
			t.Errorf("reminded %v, want %v", got, want)
		}
	})
}
