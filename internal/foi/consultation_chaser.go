package foi

import (
	"fmt"

	"foidesk/internal/calendar"
)

// Consultation chasers. The daily reminder scan asks ConsultationChaser which chaser, if any, a sent
// consultation still awaiting representations owes today: the consulted party's BAU FOI contact is chased 2
// working days before respond-by and on the day; from the first working day after respond-by the consultation
// is escalated to the party's escalation contact and the case officer is told. Like the deadline reminders
// the kinds are windows, so a scan that missed a day catches up with the chaser that matters now.

// The consultation chaser kinds. They are reminder kinds, so the scan report counts them with the rest.
const (
	ChaserBefore2    ReminderKind = "chaser_2"   // respond-by is 2 working days away or fewer
	ChaserDay0       ReminderKind = "chaser_0"   // respond-by is today
	ChaserEscalation ReminderKind = "escalation" // respond-by has passed: escalate and tell the officer
)

// ChaserWorkingDays is how many working days before respond-by the first chaser goes.
const ChaserWorkingDays = 2

// ConsultationChaser returns the chaser a consultation sent on sentOn and due by respondBy owes today:
// chaser_2 while respond-by is ChaserWorkingDays working days away or fewer, chaser_0 on respond-by itself
// (or on a non-working day just before a non-working respond-by), escalation from the first working day after
// respond-by, and "" otherwise: more than 2 working days before, on or before the day it was sent (a
// consultation squeezed by its case's deadline is not chased the day it goes), on the non-working days between
// respond-by and the next working day, or for a zero respond-by. The caller asks only of consultations still
// awaiting representations. The error is the calendar's, for a date outside its range.
func ConsultationChaser(cal *calendar.Calendar, today, sentOn, respondBy calendar.Date) (ReminderKind, error) {
	if respondBy.IsZero() || today.IsZero() {
		return "", nil
	}
	if !sentOn.IsZero() && !today.After(sentOn) {
		return "", nil
	}
	if today.After(respondBy) {
		first, err := cal.AddWorkingDays(respondBy, 1)
		if err != nil {
			return "", err
		}
		if today.Before(first) {
			return "", nil
		}
		return ChaserEscalation, nil
	}
	n, err := cal.WorkingDaysBetween(today, respondBy)
	if err != nil {
		return "", err
	}
	switch {
	case today == respondBy || n <= 0:
		return ChaserDay0, nil
	case n <= ChaserWorkingDays:
		return ChaserBefore2, nil
	}
	return "", nil
}

// ChaserPhrase returns a chaser kind as the words the chaser email uses of the representations ("are due in 2
// working days or fewer", "are due today").
func ChaserPhrase(k ReminderKind) string {
	switch k {
	case ChaserBefore2:
		return "are due in 2 working days or fewer"
	case ChaserDay0:
		return "are due today"
	case ChaserEscalation:
		return "are overdue"
	}
	return string(k)
}

// ChaserDedupeKey returns the outbox dedupe key of a consultation chaser: one per kind, consultation and
// respond-by date, e.g. "consultation:chaser_2:7:2026-03-09". A second recipient of the same chaser (the case
// officer told of an escalation) is appended, so each gets one.
func ChaserDedupeKey(kind ReminderKind, consultationID int64, respondBy calendar.Date, recipient string) string {
	key := fmt.Sprintf("consultation:%s:%d:%s", kind, consultationID, respondBy)
	if recipient != "" {
		key += ":" + recipient
	}
	return key
}
