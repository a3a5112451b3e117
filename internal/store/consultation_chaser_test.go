package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// The chaser tests' consultation is sent on Monday 2 March 2026 (fixedNow) and due by Monday 9 March.
var (
	chaserRespondBy = calendar.NewDate(2026, time.March, 9)
	chaser2Day      = calendar.NewDate(2026, time.March, 5)  // Thursday: 2 working days before
	escalationDay   = calendar.NewDate(2026, time.March, 10) // Tuesday: the first working day after
)

// onlyConsultation returns the one consultation of case caseID.
func onlyConsultation(t *testing.T, w *caseWorld, caseID int64) foi.Consultation {
	t.Helper()
	got, err := w.d.CaseConsultations(w.officerCtx, caseID)
	if err != nil || len(got.Consultations) != 1 {
		t.Fatalf("consultations %+v %v", got, err)
	}
	return got.Consultations[0]
}

// flushOtherReminders scans on the day the consultation was sent, which owes it no chaser, so that the seeded
// agreements' review reminders are out of the way of the counts that follow.
func flushOtherReminders(t *testing.T, d *store.DB) {
	t.Helper()
	if r := mustScan(t, d, calendar.LondonDate(fixedNow)); r.Reminders[foi.ChaserBefore2]+r.Reminders[foi.ChaserDay0]+
		r.Reminders[foi.ChaserEscalation] != 0 {
		t.Fatalf("chased on the day of sending: %+v", r)
	}
}

// at moves the store's clock to 10:00 on day.
func at(d *store.DB, day calendar.Date) {
	d.Now = func() time.Time { return day.Time().Add(10 * time.Hour) }
}

func TestConsultationChasers_ChaseRemindEscalateOnceThenTheConsultationCanBeClosed(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, withHOAsset(newCaseInput("2026-02-20T16:30:00Z")))
		k := onlyConsultation(t, w, c.ID)
		flushOtherReminders(t, d)
		if k.Status != foi.ConsultationSent || k.RespondBy != chaserRespondBy {
			t.Fatalf("consultation %+v", k)
		}
		const bau, esc = "foi.requests@homeoffice.example", "head.information.rights@homeoffice.example"
		checkData := func(e foi.OutboxEntry, want ...string) {
			t.Helper()
			if len(e.Data) != len(want) {
				t.Errorf("%s data %v, want fields %v", e.Template, e.Data, want)
			}
			for _, f := range want {
				if _, ok := e.Data[f]; !ok {
					t.Errorf("%s data %v lacks %q", e.Template, e.Data, f)
				}
			}
			for _, v := range e.Data {
				for _, forbidden := range []string{"Ada", "example.org", "Pupil", "pupil data"} {
					if strings.Contains(v, forbidden) {
						t.Errorf("%s data %v carries %q", e.Template, e.Data, forbidden)
					}
				}
			}
			if e.Data["case_reference"] != c.Reference {
				t.Errorf("%s case_reference %q", e.Template, e.Data["case_reference"])
			}
		}

		// Three working days before: nothing.
		if r := mustScan(t, d, calendar.NewDate(2026, time.March, 4)); r.Consultations != 1 || len(r.Reminders) != 0 {
			t.Errorf("3 days before: %+v", r)
		}
		// Two working days before: chaser_2 to the BAU contact, once however often the scan runs.
		at(d, chaser2Day)
		r := mustScan(t, d, chaser2Day)
		if r.Reminders[foi.ChaserBefore2] != 1 || r.Emails != 1 || len(r.Unsent) != 0 {
			t.Fatalf("chaser_2 scan: %+v", r)
		}
		if again := mustScan(t, d, chaser2Day); len(again.Reminders) != 0 || again.Emails != 0 {
			t.Errorf("second scan of the day chased again: %+v", again)
		}
		if again := mustScan(t, d, chaser2Day.AddDays(1)); len(again.Reminders) != 0 || again.Emails != 0 {
			t.Errorf("the next day chased again: %+v", again)
		}
		rows := byKey(t, d)
		key2 := fmt.Sprintf("consultation:chaser_2:%d:2026-03-09", k.ID)
		e, ok := rows[key2]
		if !ok || e.Template != foi.TmplConsultationChaser || e.To != bau || e.Link != fmt.Sprintf("/consultations/%d", k.ID) {
			t.Fatalf("chaser_2 row %+v (keys %v)", e, keys(rows))
		}
		checkData(e, "case_reference", "from_party", "respond_by", "when")
		if e.Data["from_party"] != "DFE" || e.Data["respond_by"] != "Monday 9 March 2026" {
			t.Errorf("chaser_2 data %v", e.Data)
		}
		k = onlyConsultation(t, w, c.ID)
		if k.RemindersSent != 1 || k.LastReminderOn != chaser2Day || !k.EscalatedOn.IsZero() {
			t.Errorf("after chaser_2: %+v", k)
		}
		if n := countTemplate(t, d, foi.TmplConsultationChaser, ""); n != 1 {
			t.Errorf("%d chasers after chaser_2 day", n)
		}

		// On respond-by: chaser_0. Closing without representations is still refused.
		at(d, chaserRespondBy)
		if r := mustScan(t, d, chaserRespondBy); r.Reminders[foi.ChaserDay0] != 1 || r.Emails != 1 {
			t.Fatalf("chaser_0 scan: %+v", r)
		}
		mustScan(t, d, chaserRespondBy)
		if _, ok := byKey(t, d)[fmt.Sprintf("consultation:chaser_0:%d:2026-03-09", k.ID)]; !ok {
			t.Errorf("no chaser_0 row")
		}
		k = onlyConsultation(t, w, c.ID)
		if k.RemindersSent != 2 || k.LastReminderOn != chaserRespondBy {
			t.Errorf("after chaser_0: %+v", k)
		}
		_, err := d.CloseConsultation(w.dmCtx, k.ID, "No answer from HO.")
		var fe *foi.Error
		if foi.ErrorCode(err) != foi.ECONFLICT || !asDomainError(err, &fe) {
			t.Fatalf("close on respond-by: %v", err)
		}
		if missing, _ := fe.Detail["missing"].([]string); len(missing) != 2 {
			t.Errorf("missing on respond-by: %v", fe.Detail["missing"])
		}

		// The first working day after: the escalation to HO's escalation contact, and DFE's officer is told.
		at(d, escalationDay)
		r = mustScan(t, d, escalationDay)
		if r.Reminders[foi.ChaserEscalation] != 1 || r.Emails != 2 || len(r.Unsent) != 0 {
			t.Fatalf("escalation scan: %+v", r)
		}
		if again := mustScan(t, d, escalationDay); len(again.Reminders) != 0 || again.Emails != 0 {
			t.Errorf("second escalation scan: %+v", again)
		}
		if later := mustScan(t, d, escalationDay.AddDays(1)); len(later.Reminders) != 0 || later.Emails != 0 {
			t.Errorf("escalated again the next day: %+v", later)
		}
		rows = byKey(t, d)
		e, ok = rows[fmt.Sprintf("consultation:escalation:%d:2026-03-09", k.ID)]
		if !ok || e.Template != foi.TmplConsultationEscalation || e.To != esc || e.Link != fmt.Sprintf("/consultations/%d", k.ID) {
			t.Fatalf("escalation row %+v (keys %v)", e, keys(rows))
		}
		checkData(e, "case_reference", "from_party", "respond_by")
		e, ok = rows[fmt.Sprintf("consultation:escalation:%d:2026-03-09:officer", k.ID)]
		if !ok || e.Template != foi.TmplConsultationOverdueOfficer || e.To != w.dfeOfficer.Email ||
			e.Link != fmt.Sprintf("/cases/%d", c.ID) {
			t.Fatalf("officer row %+v (keys %v)", e, keys(rows))
		}
		checkData(e, "case_reference", "consulted_party", "respond_by")
		if e.Data["consulted_party"] != "HO" {
			t.Errorf("officer data %v", e.Data)
		}
		if n := countTemplate(t, d, foi.TmplConsultationChaser, ""); n != 2 {
			t.Errorf("%d chasers in all, want 2", n)
		}
		k = onlyConsultation(t, w, c.ID)
		if k.EscalatedOn != escalationDay || k.RemindersSent != 2 || k.Status != foi.ConsultationSent {
			t.Errorf("after the escalation: %+v", k)
		}
		if n := countAudit(t, d, "consultation.chase"); n != 3 {
			t.Errorf("consultation.chase audited %d times, want 3", n)
		}

		// Now a DFE decision-maker may proceed without representations.
		closed, err := d.CloseConsultation(w.dmCtx, k.ID, "No answer from HO after a reminder and the escalation.")
		if err != nil || closed.Status != foi.ConsultationClosedWithoutRepresentations || closed.ResolvedOn != escalationDay {
			t.Fatalf("close after the escalation: %+v %v", closed, err)
		}
		if r := mustScan(t, d, escalationDay.AddDays(2)); r.Consultations != 0 || len(r.Reminders) != 0 {
			t.Errorf("scan after closing: %+v", r)
		}
	})
}

func TestConsultationChasers_NoneOnceRepresentationsArrive(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, withHOAsset(newCaseInput("2026-02-20T16:30:00Z")))
		k := onlyConsultation(t, w, c.ID)
		if _, err := d.SubmitRepresentation(w.liaisonCtx, k.ID, foi.Representation{Position: foi.PositionNoObjection,
			Summary: "No objection."}); err != nil {
			t.Fatal(err)
		}
		flushOtherReminders(t, d)
		for _, day := range []calendar.Date{chaser2Day, chaserRespondBy, escalationDay} {
			at(d, day)
			if r := mustScan(t, d, day); r.Consultations != 0 || len(r.Reminders) != 0 || r.Emails != 0 {
				t.Errorf("%s: %+v", day, r)
			}
		}
		for _, tmpl := range []string{foi.TmplConsultationChaser, foi.TmplConsultationEscalation, foi.TmplConsultationOverdueOfficer} {
			if n := countTemplate(t, d, tmpl, ""); n != 0 {
				t.Errorf("%d %s emails", n, tmpl)
			}
		}
		if k := onlyConsultation(t, w, c.ID); k.RemindersSent != 0 || !k.EscalatedOn.IsZero() {
			t.Errorf("consultation %+v", k)
		}
	})
}

func TestConsultationChasers_EscalationOfAnUnassignedCaseSaysNoOfficerWasTold(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		// A decision-maker logging a request puts it in the team queue, unassigned.
		c := w.mustCreate(t, w.dmCtx, withHOAsset(newCaseInput("2026-02-20T16:30:00Z")))
		if c.AssigneeID != 0 {
			t.Fatalf("assignee %d", c.AssigneeID)
		}
		k := onlyConsultation(t, w, c.ID)
		flushOtherReminders(t, d)
		at(d, escalationDay)
		r := mustScan(t, d, escalationDay) // missed the chasers: catches up with the escalation
		if r.Reminders[foi.ChaserEscalation] != 1 || r.Emails != 1 || len(r.Unsent) != 1 ||
			!strings.Contains(r.Unsent[0], "no active assignee") {
			t.Fatalf("report %+v", r)
		}
		if n := countTemplate(t, d, foi.TmplConsultationOverdueOfficer, ""); n != 0 {
			t.Errorf("%d officer emails", n)
		}
		if k = onlyConsultation(t, w, c.ID); k.EscalatedOn != escalationDay {
			t.Errorf("consultation %+v", k)
		}
		var detail string
		if err := store.RawDB(d).QueryRow("SELECT detail FROM audit_events WHERE action = 'reminders.scan' ORDER BY seq DESC LIMIT 1").Scan(&detail); err != nil ||
			!strings.Contains(detail, "no active assignee") {
			t.Errorf("scan audit detail %q, %v", detail, err)
		}
	})
}
