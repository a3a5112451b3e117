package store_test

import (
	"fmt"
	"testing"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// The scan did not run before respond-by (the server was down): its first run escalates, but no reminder was
// ever sent, so the consultation could never be closed without representations. A reminder sent by hand
// closes that gap.
func TestChaseConsultation_AReminderByHandMakesClosureReachableWhenTheScanMissedTheChasers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, withHOAsset(newCaseInput("2026-02-20T16:30:00Z")))
		k := onlyConsultation(t, w, c.ID)
		flushOtherReminders(t, d)

		at(d, escalationDay)
		if r := mustScan(t, d, escalationDay); r.Reminders[foi.ChaserEscalation] != 1 {
			t.Fatalf("first scan after respond-by: %+v", r)
		}
		_, err := d.CloseConsultation(w.dmCtx, k.ID, "No answer from HO.")
		wantCode(t, err, foi.ECONFLICT)

		got, err := d.ChaseConsultation(w.officerCtx, k.ID, foi.ChaseReminder)
		if err != nil || got.RemindersSent != 1 || got.LastReminderOn != escalationDay {
			t.Fatalf("reminder by hand: %+v %v", got, err)
		}
		key := fmt.Sprintf("consultation:chaser_manual:%d:2026-03-09:2026-03-10", k.ID)
		e, ok := byKey(t, d)[key]
		if !ok || e.Template != foi.TmplConsultationChaser || e.To != "foi.requests@homeoffice.example" ||
			e.Data["when"] != "are overdue" {
			t.Fatalf("manual chaser row %+v", e)
		}
		// One a day: a second is refused and sends nothing.
		_, err = d.ChaseConsultation(w.officerCtx, k.ID, foi.ChaseReminder)
		wantCode(t, err, foi.ECONFLICT)
		if n := countTemplate(t, d, foi.TmplConsultationChaser, ""); n != 1 {
			t.Errorf("%d chasers after a refused second reminder, want 1", n)
		}
		// The escalation went already: by hand it is refused too.
		_, err = d.ChaseConsultation(w.officerCtx, k.ID, foi.ChaseEscalation)
		wantCode(t, err, foi.ECONFLICT)

		if _, err := d.CloseConsultation(w.dmCtx, k.ID, "No answer from HO after a reminder and the escalation."); err != nil {
			t.Fatalf("close after the reminder by hand: %v", err)
		}
		if n := countAudit(t, d, "consultation.chase"); n != 2 {
			t.Errorf("consultation.chase audited %d times, want 2", n)
		}
	})
}

func TestChaseConsultation_EscalationByHandOnlyAfterRespondByAndTheScanDoesNotRepeatIt(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, withHOAsset(newCaseInput("2026-02-20T16:30:00Z")))
		k := onlyConsultation(t, w, c.ID)
		flushOtherReminders(t, d)

		at(d, chaserRespondBy)
		_, err := d.ChaseConsultation(w.officerCtx, k.ID, foi.ChaseEscalation)
		wantCode(t, err, foi.ECONFLICT)

		// Saturday 14 March, after respond-by: the decision-maker escalates without waiting for the scan.
		saturday := calendar.NewDate(2026, 3, 14)
		at(d, saturday)
		got, err := d.ChaseConsultation(w.dmCtx, k.ID, foi.ChaseEscalation)
		if err != nil || got.EscalatedOn != saturday {
			t.Fatalf("escalation by hand: %+v %v", got, err)
		}
		rows := byKey(t, d)
		if e, ok := rows[fmt.Sprintf("consultation:escalation:%d:2026-03-09", k.ID)]; !ok ||
			e.To != "head.information.rights@homeoffice.example" {
			t.Fatalf("escalation row %+v", e)
		}
		if _, ok := rows[fmt.Sprintf("consultation:escalation:%d:2026-03-09:officer", k.ID)]; !ok {
			t.Errorf("the case officer was not told")
		}
		if r := mustScan(t, d, calendar.NewDate(2026, 3, 16)); r.Reminders[foi.ChaserEscalation] != 0 {
			t.Errorf("the scan escalated again: %+v", r)
		}
		if n := countTemplate(t, d, foi.TmplConsultationEscalation, ""); n != 1 {
			t.Errorf("%d escalation emails, want 1", n)
		}
	})
}

func TestChaseConsultation_OnlyTheCasePartysWorkersMayChase(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, withHOAsset(newCaseInput("2026-02-20T16:30:00Z")))
		k := onlyConsultation(t, w, c.ID)
		_, err := d.ChaseConsultation(w.hoCtx, k.ID, foi.ChaseReminder)
		wantCode(t, err, foi.ENOTFOUND)
		_, err = d.ChaseConsultation(w.auditorCtx, k.ID, foi.ChaseReminder)
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.ChaseConsultation(w.officerCtx, k.ID, "nudge")
		wantCode(t, err, foi.EINVALID)
		if n := countAudit(t, d, "consultation.chase"); n != 0 {
			t.Errorf("refused chases audited %d times", n)
		}
		if got := onlyConsultation(t, w, c.ID); got.RemindersSent != 0 {
			t.Errorf("refused chases changed the consultation: %+v", got)
		}
	})
}
