package foi

import (
	"testing"

	"foidesk/internal/calendar"
)

func TestConsultationChaser_WindowsAroundRespondBy(t *testing.T) {
	cal := calendar.Default()
	d := func(s string) calendar.Date {
		t.Helper()
		v, err := calendar.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Sent Monday 2 March 2026, respond by Monday 9 March (5 working days).
	sent, by := d("2026-03-02"), d("2026-03-09")
	cases := []struct {
		today string
		want  ReminderKind
	}{
		{"2026-03-02", ""},               // the day it was sent
		{"2026-03-04", ""},               // 3 working days before
		{"2026-03-05", ChaserBefore2},    // Thursday: 2 working days before
		{"2026-03-06", ChaserBefore2},    // Friday: 1
		{"2026-03-07", ChaserBefore2},    // Saturday: still 1
		{"2026-03-09", ChaserDay0},       // respond-by
		{"2026-03-10", ChaserEscalation}, // the first working day after
		{"2026-03-20", ChaserEscalation}, // and later (the store sends it once)
	}
	for _, c := range cases {
		got, err := ConsultationChaser(cal, d(c.today), sent, by)
		if err != nil || got != c.want {
			t.Errorf("%s: got %q, %v; want %q", c.today, got, err, c.want)
		}
	}
	// Respond-by on a Friday: the weekend after it owes nothing; Monday escalates.
	fri := d("2026-03-13")
	for today, want := range map[string]ReminderKind{"2026-03-13": ChaserDay0, "2026-03-14": "", "2026-03-15": "",
		"2026-03-16": ChaserEscalation} {
		if got, err := ConsultationChaser(cal, d(today), sent, fri); err != nil || got != want {
			t.Errorf("respond-by Friday, %s: got %q, %v; want %q", today, got, err, want)
		}
	}
	// Around a bank holiday: respond-by Thursday 2 April 2026; Good Friday and Easter Monday are not working
	// days, so the escalation waits for Tuesday 7 April.
	thu := d("2026-04-02")
	for today, want := range map[string]ReminderKind{"2026-03-31": ChaserBefore2, "2026-04-03": "",
		"2026-04-06": "", "2026-04-07": ChaserEscalation} {
		if got, err := ConsultationChaser(cal, d(today), d("2026-03-26"), thu); err != nil || got != want {
			t.Errorf("Easter, %s: got %q, %v; want %q", today, got, err, want)
		}
	}
	// A consultation squeezed to respond by the day after sending is not chased on the day it went.
	if got, _ := ConsultationChaser(cal, sent, sent, d("2026-03-03")); got != "" {
		t.Errorf("chased on the day of sending: %q", got)
	}
	if got, _ := ConsultationChaser(cal, d("2026-03-03"), sent, d("2026-03-03")); got != ChaserDay0 {
		t.Errorf("squeezed, on respond-by: %q", got)
	}
	if got, err := ConsultationChaser(cal, d("2026-03-05"), sent, calendar.Date{}); got != "" || err != nil {
		t.Errorf("zero respond-by: %q, %v", got, err)
	}
	if _, err := ConsultationChaser(cal, d("2026-03-05"), sent, calendar.NewDate(2200, 1, 1)); err == nil {
		t.Errorf("no error outside the calendar")
	}
	if k := ChaserDedupeKey(ChaserBefore2, 7, by, ""); k != "consultation:chaser_2:7:2026-03-09" {
		t.Errorf("dedupe key %q", k)
	}
	if k := ChaserDedupeKey(ChaserEscalation, 7, by, "officer"); k != "consultation:escalation:7:2026-03-09:officer" {
		t.Errorf("dedupe key %q", k)
	}
}
