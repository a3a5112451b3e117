package web_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func TestConsultationAPI_ChaseSendsAReminderNowAndTheEscalationOnlyAfterRespondBy(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		var c apiCase
		if res := s.call("dfe-officer", http.MethodPost, "/api/v1/cases", newCaseBodyTouching("cid-person-records"), &c); res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d", res.StatusCode)
		}
		k, _ := s.onlyCaseConsultation(c.ID)
		path := fmt.Sprintf("/api/v1/consultations/%d/chase", k.ID)

		var got apiConsultation
		if res := s.call("dfe-officer", http.MethodPost, path, map[string]any{"kind": "reminder"}, &got); res.StatusCode != http.StatusOK {
			t.Fatalf("reminder: %d", res.StatusCode)
		}
		if got.ID != k.ID || got.Status != "sent" {
			t.Errorf("after the reminder: %+v", got)
		}
		for _, tc := range []struct {
			who  string
			body map[string]any
			want int
		}{
			{"dfe-officer", map[string]any{"kind": "reminder"}, http.StatusConflict},   // one a day
			{"dfe-officer", map[string]any{"kind": "escalation"}, http.StatusConflict}, // respond-by not passed
			{"dfe-officer", map[string]any{"kind": "shout"}, http.StatusUnprocessableEntity},
			{"ho-liaison", map[string]any{"kind": "reminder"}, http.StatusNotFound}, // the consulted party does not chase itself
			{"dfe-auditor", map[string]any{"kind": "reminder"}, http.StatusForbidden},
		} {
			if res := s.call(tc.who, http.MethodPost, path, tc.body, nil); res.StatusCode != tc.want {
				t.Errorf("%s %v: %d, want %d", tc.who, tc.body, res.StatusCode, tc.want)
			}
		}

		d.Now = func() time.Time { return time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC) } // after respond-by
		if res := s.call("dfe-dm", http.MethodPost, path, map[string]any{"kind": "escalation"}, &got); res.StatusCode != http.StatusOK {
			t.Fatalf("escalation: %d", res.StatusCode)
		}
		if res := s.call("dfe-dm", http.MethodPost, fmt.Sprintf("/api/v1/consultations/%d/close", k.ID),
			map[string]any{"reasons": "No answer after a reminder and the escalation."}, &got); res.StatusCode != http.StatusOK ||
			got.Status != "closed_without_representations" {
			t.Fatalf("close after chasing by hand: %d %+v", res.StatusCode, got)
		}
	})
}
