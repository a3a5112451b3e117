package foi

import (
	"testing"

	"foidesk/internal/calendar"
)

func TestDeadlineReminder_WindowsBeforeAndAfterTheDeadline(t *testing.T) {
	cal := calendar.Default()
	d := func(s string) calendar.Date {
		t.Helper()
		v, err := calendar.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Friday 12 June 2026 is due; Friday 5 June is 5 working days before it.
	due := d("2026-06-12")
	cases := []struct {
		today string
		want  ReminderKind
	}{
		{"2026-06-01", ""},                // 9 working days
		{"2026-06-04", ""},                // 6 working days
		{"2026-06-05", ReminderDeadline5}, // 5
		{"2026-06-06", ReminderDeadline5}, // Saturday: still 5
		{"2026-06-08", ReminderDeadline5}, // 4
		{"2026-06-10", ReminderDeadline2}, // 2
		{"2026-06-11", ReminderDeadline2}, // 1
		{"2026-06-12", ReminderDeadline0}, // the day
		{"2026-06-13", ReminderOverdue},   // past
		{"2026-07-30", ReminderOverdue},   // long past
	}
	for _, c := range cases {
		got, err := DeadlineReminder(cal, d(c.today), due)
		if err != nil || got != c.want {
			t.Errorf("today %s: got %q, %v; want %q", c.today, got, err, c.want)
		}
	}
	if got, err := DeadlineReminder(cal, d("2026-06-12"), calendar.Date{}); got != "" || err != nil {
		t.Errorf("paused clock: got %q, %v", got, err)
	}
	// Due on a Saturday seen from the Friday before: no working day left, so it is due "today".
	if got, _ := DeadlineReminder(cal, d("2026-06-12"), d("2026-06-13")); got != ReminderDeadline0 {
		t.Errorf("weekend deadline: got %q", got)
	}
	// A bank holiday does not count: Monday 31 August 2026 is the summer bank holiday in England.
	if got, _ := DeadlineReminder(cal, d("2026-08-28"), d("2026-09-02")); got != ReminderDeadline2 {
		t.Errorf("across a bank holiday: got %q, want deadline_2", got)
	}
	if _, err := DeadlineReminder(cal, d("2026-06-01"), d("2150-01-01")); err == nil {
		t.Error("a date outside the calendar gave no error")
	}
}

func TestReviewReminder_TwentyWorkingDaysAndOverdue(t *testing.T) {
	cal := calendar.Default()
	today, _ := calendar.ParseDate("2026-06-01")
	in20, _ := cal.AddWorkingDays(today, 20)
	in21, _ := cal.AddWorkingDays(today, 21)
	for _, c := range []struct {
		on   calendar.Date
		want ReminderKind
	}{
		{calendar.Date{}, ""},
		{in21, ""},
		{in20, ReminderReviewDue},
		{today, ReminderReviewDue},
		{today.AddDays(-1), ReminderReviewOverdue},
	} {
		got, err := ReviewReminder(cal, today, c.on)
		if err != nil || got != c.want {
			t.Errorf("review on %s: got %q, %v; want %q", c.on, got, err, c.want)
		}
	}
}

func TestReminderKeys_AreStablePerKindRecordAndDate(t *testing.T) {
	on, _ := calendar.ParseDate("2026-06-12")
	if got := ReminderDedupeKey(ReminderDeadline5, 12, on, ""); got != "reminder:deadline_5:12:2026-06-12" {
		t.Errorf("case key = %q", got)
	}
	if got := ReminderDedupeKey(ReminderReviewDue, 3, on, "a@x.gov.uk"); got != "reminder:review_due:3:2026-06-12:a@x.gov.uk" {
		t.Errorf("agreement key = %q", got)
	}
	if got := DigestDedupeKey(7, on); got != "digest:7:2026-06-12" {
		t.Errorf("digest key = %q", got)
	}
	for _, k := range []ReminderKind{ReminderDeadline5, ReminderDeadline2, ReminderDeadline0, ReminderOverdue,
		ReminderReviewDue, ReminderReviewOverdue} {
		if k.Phrase() == string(k) {
			t.Errorf("%s has no phrase", k)
		}
	}
}
