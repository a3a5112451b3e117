package foi

import (
	"testing"
	"time"

	"foidesk/internal/calendar"
)

func sentConsultation() Consultation {
	return Consultation{ID: 7, Status: ConsultationSent, SentOn: calendar.NewDate(2026, time.March, 2),
		RespondBy: calendar.NewDate(2026, time.March, 9), ConsultedPartyCode: "HO"}
}

func TestChase_AReminderAtMostOnceADay(t *testing.T) {
	k := sentConsultation()
	day := calendar.NewDate(2026, time.March, 3)
	kind, err := k.Chase(ChaseReminder, day)
	if err != nil || kind != ChaserManual || k.RemindersSent != 1 || k.LastReminderOn != day {
		t.Fatalf("first reminder: %s %v %+v", kind, err, k)
	}
	if _, err := k.Chase(ChaseReminder, day); ErrorCode(err) != ECONFLICT || k.RemindersSent != 1 {
		t.Errorf("second reminder the same day: %v, %d sent", err, k.RemindersSent)
	}
	if _, err := k.Chase(ChaseReminder, day.AddDays(1)); err != nil || k.RemindersSent != 2 {
		t.Errorf("a reminder the next day: %v, %d sent", err, k.RemindersSent)
	}
}

func TestChase_EscalationOnlyAfterRespondByAndOnce(t *testing.T) {
	k := sentConsultation()
	if _, err := k.Chase(ChaseEscalation, k.RespondBy); ErrorCode(err) != ECONFLICT || !k.EscalatedOn.IsZero() {
		t.Fatalf("escalation on respond-by: %v %+v", err, k)
	}
	after := k.RespondBy.AddDays(1)
	if kind, err := k.Chase(ChaseEscalation, after); err != nil || kind != ChaserEscalation || k.EscalatedOn != after {
		t.Fatalf("escalation after respond-by: %s %v %+v", kind, err, k)
	}
	if _, err := k.Chase(ChaseEscalation, after.AddDays(1)); ErrorCode(err) != ECONFLICT || k.EscalatedOn != after {
		t.Errorf("second escalation: %v %+v", err, k)
	}
}

func TestChase_RefusesUnknownKindsAndConsultationsNotAwaitingRepresentations(t *testing.T) {
	k := sentConsultation()
	if _, err := k.Chase("nudge", k.SentOn); ErrorCode(err) != EINVALID {
		t.Errorf("unknown kind: %v", err)
	}
	for _, st := range []ConsultationStatus{ConsultationDraft, ConsultationRepresentationsReceived, ConsultationWaived} {
		k := sentConsultation()
		k.Status = st
		if _, err := k.Chase(ChaseReminder, k.SentOn.AddDays(1)); ErrorCode(err) != ECONFLICT || k.RemindersSent != 0 {
			t.Errorf("%s: %v", st, err)
		}
	}
}

func TestChaseWords_SayOverdueOnceRespondByHasPassed(t *testing.T) {
	by := calendar.NewDate(2026, time.March, 9)
	for _, tc := range []struct {
		kind  ReminderKind
		today calendar.Date
		want  string
	}{
		{ChaserManual, by.AddDays(-3), "are awaited"},
		{ChaserManual, by.AddDays(1), "are overdue"},
		{ChaserDay0, by, "are due today"},
		{ChaserBefore2, by.AddDays(-2), "are due in 2 working days or fewer"},
	} {
		if got := ChaseWords(tc.kind, tc.today, by); got != tc.want {
			t.Errorf("ChaseWords(%s, %s) = %q, want %q", tc.kind, tc.today, got, tc.want)
		}
	}
}
