package foi

import (
	"context"
	"fmt"

	"foidesk/internal/calendar"
)

// Reminders and chasers. A daily scan (store.RunReminderScan, under a database lock so only one instance
// scans) asks the pure rules here which reminder, if any, a case or an agreement owes today, and enqueues at
// most one email per (record, kind, date): the reminder's kind and the deadline it is about make its
// identity, so scanning twice on the same day, or on every instance, sends once.

// ReminderKind names one reminder of a case's deadline or an agreement's review date.
type ReminderKind string

// The reminder kinds. The deadline kinds are windows, not single days: deadline_5 is owed from five working
// days before the deadline, deadline_2 from two, deadline_0 on the day itself, overdue after it. The tightest
// window reached is the one due, so a scan that missed a day (an outage, a weekend) catches up with the
// reminder that matters now instead of sending a stale one.
const (
	ReminderDeadline5 ReminderKind = "deadline_5" // the case is due in 5 working days or fewer
	ReminderDeadline2 ReminderKind = "deadline_2" // due in 2 working days or fewer
	ReminderDeadline0 ReminderKind = "deadline_0" // due today
	ReminderOverdue   ReminderKind = "overdue"    // the deadline has passed
	// ReminderReviewDue: an agreement's review date is within ReviewReminderWorkingDays working days.
	ReminderReviewDue ReminderKind = "review_due"
	// ReminderReviewOverdue: an agreement's review date has passed.
	ReminderReviewOverdue ReminderKind = "review_overdue"
)

// ReviewReminderWorkingDays is how many working days ahead of an agreement's review date its owners are
// reminded.
const ReviewReminderWorkingDays = 20

// DeadlineReminder returns the reminder a case due on due owes today: deadline_5, deadline_2 or deadline_0
// while 5, 2 or 0 working days (or fewer) remain, overdue once due is past, and "" while more than 5 working
// days remain or for a zero due date (a paused clock). The error is the calendar's, for a date outside its
// range.
func DeadlineReminder(cal *calendar.Calendar, today, due calendar.Date) (ReminderKind, error) {
	if due.IsZero() {
		return "", nil
	}
	if due.Before(today) {
		return ReminderOverdue, nil
	}
	n, err := cal.WorkingDaysBetween(today, due)
	if err != nil {
		return "", err
	}
	switch {
	case n <= 0 || due == today:
		return ReminderDeadline0, nil
	case n <= 2:
		return ReminderDeadline2, nil
	case n <= 5:
		return ReminderDeadline5, nil
	}
	return "", nil
}

// ReviewReminder returns the reminder an agreement whose review falls on reviewOn owes today: review_due
// while the date is ReviewReminderWorkingDays working days away or fewer (the day itself included),
// review_overdue once it is past, and "" otherwise or for a zero date.
func ReviewReminder(cal *calendar.Calendar, today, reviewOn calendar.Date) (ReminderKind, error) {
	if reviewOn.IsZero() {
		return "", nil
	}
	if reviewOn.Before(today) {
		return ReminderReviewOverdue, nil
	}
	n, err := cal.WorkingDaysBetween(today, reviewOn)
	if err != nil {
		return "", err
	}
	if n <= ReviewReminderWorkingDays {
		return ReminderReviewDue, nil
	}
	return "", nil
}

// Phrase returns the kind as the words a reminder email uses, e.g. "is due in 5 working days or fewer".
func (k ReminderKind) Phrase() string {
	switch k {
	case ReminderDeadline5:
		return "is due in 5 working days or fewer"
	case ReminderDeadline2:
		return "is due in 2 working days or fewer"
	case ReminderDeadline0:
		return "is due today"
	case ReminderOverdue:
		return "is overdue"
	case ReminderReviewDue:
		return "is due for review soon"
	case ReminderReviewOverdue:
		return "is past its review date"
	}
	return string(k)
}

// ReminderDedupeKey returns the outbox dedupe key of a reminder email: one per kind, record and date, e.g.
// "reminder:deadline_5:12:2026-06-12" for case 12. A recipient other than the record's single owner (an
// agreement has several contacts) is appended, so each gets one.
func ReminderDedupeKey(kind ReminderKind, recordID int64, on calendar.Date, recipient string) string {
	key := fmt.Sprintf("reminder:%s:%d:%s", kind, recordID, on)
	if recipient != "" {
		key += ":" + recipient
	}
	return key
}

// DigestDedupeKey returns the outbox dedupe key of a user's daily digest: one per user and day.
func DigestDedupeKey(userID int64, on calendar.Date) string {
	return fmt.Sprintf("digest:%d:%s", userID, on)
}

// ReminderScanReport says what one reminder scan did.
type ReminderScanReport struct {
	Date calendar.Date // the day scanned
	// Skipped is true when another instance held the scan lock (Holder): nothing was scanned.
	Skipped bool
	Holder  string
	Cases   int // open cases with an assignee and a deadline that were looked at
	// Reminders counts reminders newly due (recorded in reminders_sent) by kind.
	Reminders map[ReminderKind]int
	Emails    int // single reminder emails enqueued (case, agreement and consultation reminders)
	Digests   int // daily digests enqueued
	Failed    int // records skipped because their date was outside the calendar's range
	// Consultations counts sent consultations awaiting representations that were looked at for chasers.
	Consultations int
	// Unsent lists the consultation chasers owed today that could not go, each as "consultation <id>: <kind>:
	// <why>" (no contact, no assignee to tell); they are tried again on the next scan.
	Unsent []string
}

// PreferenceService keeps users' email preferences. A user may read and set their own; an admin anyone's.
type PreferenceService interface {
	// DigestPreference reports whether the user receives reminders as one daily digest (false when never
	// set). EFORBIDDEN for another user's, ENOTFOUND for no such user.
	DigestPreference(ctx context.Context, userID int64) (bool, error)
	// SetDigestPreference chooses the daily digest (true) or one email per reminder (false); audited.
	SetDigestPreference(ctx context.Context, userID int64, digest bool) error
}
