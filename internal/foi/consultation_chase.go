package foi

import (
	"context"

	"foidesk/internal/calendar"
)

// ChaseKind is what the case's party sends by hand to chase a consultation still awaiting representations,
// besides the daily scan's chasers (ConsultationChaser): useful when the consulted party needs a nudge early,
// and needed when the scan could not send a chaser before respond-by (the server was down, or the
// consultation was sent the day before respond-by), since a consultation can be closed without
// representations only once a reminder and the escalation were sent.
type ChaseKind string

// The chase kinds.
const (
	ChaseReminder   ChaseKind = "reminder"   // to the consulted party's BAU FOI contact, at any time
	ChaseEscalation ChaseKind = "escalation" // to its escalation contact, once respond-by has passed
)

// ChaserManual is the reminder kind of a reminder sent by hand (ChaseReminder).
const ChaserManual ReminderKind = "chaser_manual"

// Chase records a chase sent by hand today and returns the reminder kind of the email to send: ChaserManual
// for ChaseReminder (at most one a day), ChaserEscalation for ChaseEscalation (only after respond-by, and only
// once). Errors: EINVALID (field "kind") for another kind; ECONFLICT unless the consultation is sent and still
// awaiting representations, for a second reminder on one day, for an escalation on or before respond-by and for
// a second escalation.
func (c *Consultation) Chase(kind ChaseKind, today calendar.Date) (ReminderKind, error) {
	if kind != ChaseReminder && kind != ChaseEscalation {
		return "", invalidField("kind", "Choose whether to send a reminder or the escalation")
	}
	if c.Status != ConsultationSent {
		return "", c.conflict(c.stateMessage("chased"))
	}
	if kind == ChaseReminder {
		if c.LastReminderOn == today {
			return "", c.conflict("A reminder was already sent today.")
		}
		return ChaserManual, c.RecordReminder(today)
	}
	if !today.After(c.RespondBy) {
		return "", c.conflict("The escalation can be sent only after the respond-by date, " + c.RespondBy.String() + ".")
	}
	if !c.EscalatedOn.IsZero() {
		return "", c.conflict("The escalation was already sent on " + c.EscalatedOn.String() + ".")
	}
	return ChaserEscalation, c.RecordEscalation(today)
}

// ChaseWords returns the words a chaser email uses of the representations on the given day: "are overdue"
// once respond-by has passed, otherwise ChaserPhrase's words for the kind ("are awaited" for a reminder sent by
// hand).
func ChaseWords(kind ReminderKind, today, respondBy calendar.Date) string {
	if today.After(respondBy) {
		return ChaserPhrase(ChaserEscalation)
	}
	if kind == ChaserManual {
		return "are awaited"
	}
	return ChaserPhrase(kind)
}

// ConsultationChaseService lets the case's party chase a consultation by hand.
type ConsultationChaseService interface {
	// ChaseConsultation sends a reminder or the escalation now (Consultation.Chase), exactly as the daily scan
	// would, and returns the consultation. The caller must be an officer or decision-maker of the case's party
	// (ActionWorkCase): others get ENOTFOUND or EFORBIDDEN. EPRECONDITION when the consulted party has no
	// active contact to send it to; the other errors are Chase's.
	ChaseConsultation(ctx context.Context, id int64, kind ChaseKind) (*Consultation, error)
}
