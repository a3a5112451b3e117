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

func TestConsultationChasePage_TheCasePartySendsAReminderThenTheEscalation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		s := newAPISite(t, d)
		k := s.consultedCase()
		pack := fmt.Sprintf("/consultations/%d", k.ID)
		chase := pack + "/chase"

		// The consulted party does not chase itself; an auditor and another party's officer may not chase.
		s.as("liaison@test.example")
		if _, page := s.get(pack); strings.Contains(page, `href="`+chase+`"`) {
			t.Error("the liaison's pack offers to chase")
		}
		s.mustNotFind("ho-liaison", chase)
		s.as("aud@dfe.test").mustNotFind("dfe-auditor", chase)
		s.as("o@ho.test").mustNotFind("ho-officer", chase)

		s.as("officer@test.example")
		_, page := s.get(pack)
		if !strings.Contains(page, `href="`+chase+`"`) || !strings.Contains(page, "Chase HO") {
			t.Fatal("the officer's pack has no chase button")
		}
		_, form := s.get(chase)
		if !strings.Contains(form, `value="reminder"`) || strings.Contains(form, `value="escalation"`) ||
			!strings.Contains(form, "The escalation can be sent only after the respond-by date, 2026-03-09.") {
			t.Errorf("before respond-by the form offers the reminder only, and says why:\n%s", form)
		}

		// Nothing chosen, or the escalation too early: the error summary, and nothing sent.
		s.mustRefuse(chase, nil, http.StatusUnprocessableEntity, []string{"kind"})
		s.mustRefuse(chase, url.Values{"kind": {"escalation"}}, http.StatusConflict, nil, "only after the respond-by date")
		if got := s.consultationNow(k.ID); got.RemindersSent != 0 || got.EscalatedOn != nil {
			t.Fatalf("a refused chase changed the consultation: %+v", got)
		}

		page = s.mustSubmit(chase, url.Values{"kind": {"reminder"}}, "A reminder was sent to HO.")
		if !strings.Contains(page, "1 (the last on 2 March 2026)") {
			t.Error("the pack does not say when the last reminder went")
		}
		if got := s.consultationNow(k.ID); got.RemindersSent != 1 {
			t.Fatalf("after the reminder: %+v", got)
		}
		// One reminder a day: the form now says nothing can be sent, and a second post is refused.
		_, form = s.get(chase)
		if strings.Contains(form, `value="reminder"`) || !strings.Contains(form, "A reminder was already sent today.") ||
			!strings.Contains(form, "Nothing can be sent today.") {
			t.Error("the form still offers a second reminder today")
		}
		res, body := s.post(chase, url.Values{"csrf_token": {s.csrf(pack)}, "kind": {"reminder"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(errorSummary(body), "A reminder was already sent today.") {
			t.Errorf("a second reminder: %d", res.StatusCode)
		}

		// After respond-by, the escalation.
		d.Now = func() time.Time { return time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC) }
		s.as("dm@dfe.test")
		page = s.mustSubmit(chase, url.Values{"kind": {"escalation"}}, "The escalation was sent to HO's escalation contact.")
		if !strings.Contains(page, "escalated on 10 March 2026") {
			t.Error("the pack does not show the escalation")
		}
		if got := s.consultationNow(k.ID); got.EscalatedOn == nil || *got.EscalatedOn != "2026-03-10" || got.RemindersSent != 1 {
			t.Fatalf("after the escalation: %+v", got)
		}
	})
}
