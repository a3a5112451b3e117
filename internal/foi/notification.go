package foi

import (
	"context"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// A notification is an email foidesk owes someone because of a change it recorded. It is written to the outbox
// in the same transaction as that change and delivered after commit, at least once, always with the same
// Message-ID. An email never carries case content or requester data: only references, dates and a link.

// Template names: each is one email the mail package can render.
const (
	TmplConsultationSent       = "consultation_sent"       // a consultation pack awaits the consulted party
	TmplConsultationReminder   = "consultation_reminder"   // the respond-by date is near
	TmplConsultationEscalation = "consultation_escalation" // no answer from the BAU contact: escalated
	TmplRepresentationReceived = "representation_received" // the consulted party answered
	TmplDisclosureNotice       = "disclosure_advance_notice"
	TmplSMTPTest               = "smtp_test" // an admin checks that mail is delivered
	// TmplResponseSent is the approved response to a requester, who has no foidesk account. It is the one
	// deliberate exception to "notice and link only": the letter IS the statutory response (s.1, s.17), so it
	// carries the letter text (its LongTextFields entry) and nothing else of the case.
	TmplResponseSent = "response_sent"
)

// Reminder templates (see reminder.go): a notice, a date and a link; the digest carries counts only.
const (
	TmplDeadlineReminder = "deadline_reminder" // a case assigned to the user is due soon or overdue
	TmplAgreementReview  = "agreement_review"  // an agreement's review date is near or past
	TmplDailyDigest      = "daily_digest"      // a user's reminders of the day, as counts
	// TmplConsultationChaser: a consultation's respond-by date is 2 working days away or today (to the
	// consulted party's BAU FOI contact). Past it, TmplConsultationEscalation goes to its escalation contact.
	TmplConsultationChaser = "consultation_chaser"
	// TmplConsultationOverdueOfficer tells the case's assignee that a consultation is past respond-by and
	// was escalated.
	TmplConsultationOverdueOfficer = "consultation_overdue_officer"
)

// Dispute templates (MoU section 8, see dispute_service.go): to the contacts of both parties the step names.
const (
	TmplDisputeStep     = "dispute_step"     // a dispute opened, was escalated or formally notified
	TmplDisputeClock    = "dispute_clock"    // a dispute step's clock ran out (the daily scan)
	TmplDisputeResolved = "dispute_resolved" // a dispute's outcome was recorded
)

// NotificationTemplates maps each template name to the data fields it may carry. The store refuses any other
// field, which keeps case content and requester data out of the outbox by construction.
var NotificationTemplates = map[string][]string{
	TmplConsultationSent:           {"case_reference", "from_party", "respond_by"},
	TmplConsultationReminder:       {"case_reference", "from_party", "respond_by"},
	TmplConsultationEscalation:     {"case_reference", "from_party", "respond_by"},
	TmplRepresentationReceived:     {"case_reference", "consulted_party"},
	TmplDisclosureNotice:           {"case_reference", "from_party", "release_on"},
	TmplSMTPTest:                   {},
	TmplDeadlineReminder:           {"due_on", "when"},
	TmplAgreementReview:            {"agreement", "review_on", "when"},
	TmplDailyDigest:                {"date", "due_soon", "due_today", "overdue"},
	TmplConsultationChaser:         {"case_reference", "from_party", "respond_by", "when"},
	TmplConsultationOverdueOfficer: {"case_reference", "consulted_party", "respond_by"},
	TmplResponseSent:               {"case_reference", "organisation", "letter"},
	TmplDisputeStep:                {"case_reference", "owner_party", "consulted_party", "stage", "ends_on"},
	TmplDisputeClock:               {"case_reference", "owner_party", "consulted_party", "stage", "ends_on"},
	TmplDisputeResolved:            {"case_reference", "owner_party", "consulted_party", "resolved_on"},
	TmplIncidentReported:           {"incident", "kind", "reporting_party", "affected_party", "aware_at", "notify_by"},
	TmplIncidentOverdue:            {"incident", "kind", "reporting_party", "clock", "due_at"},
}

// LongTextFields names, per template, the one data field that may hold multi-line text of up to
// maxLongTextValue characters instead of one short line: only the response letter.
var LongTextFields = map[string]string{TmplResponseSent: "letter"}

// maxLongTextValue is the longest long-text field accepted (MaxLetterLength).
const maxLongTextValue = MaxLetterLength

// TemplateNames returns the known template names, sorted.
func TemplateNames() []string {
	names := make([]string, 0, len(NotificationTemplates))
	for n := range NotificationTemplates {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Notification is the input for enqueuing one email.
type Notification struct {
	Template  string            // one of NotificationTemplates
	To        string            // the recipient's address
	ToName    string            // the recipient's name, may be empty
	Data      map[string]string // references and dates only; the keys the template allows
	Link      string            // the path in foidesk the email links to, e.g. /consultations/12 (required)
	DedupeKey string            // when set, a second notification with the same key is dropped
}

// maxDataValue is the longest data value accepted: references and dates are short.
const maxDataValue = 200

// Validate normalises the recipient and checks the notification. It returns an EINVALID error naming each bad
// field: the address, an unknown template, a data field the template does not allow, a missing link or one
// that is not a plain path, or a value with line breaks (header injection).
func (n *Notification) Validate() error {
	var v Validation
	n.To = NormalizeEmail(n.To)
	n.ToName = strings.TrimSpace(n.ToName)
	v.Check(ValidEmail(n.To), "to", "Enter the recipient's email address in the correct format, like foi@example.gov.uk")
	v.Check(!strings.ContainsAny(n.ToName, "\r\n") && utf8.RuneCountInString(n.ToName) <= 200, "to_name",
		"Recipient name must be one line of 200 characters or fewer")
	allowed, ok := NotificationTemplates[n.Template]
	if !ok {
		v.Add("template", "Unknown email template "+quoteShort(n.Template))
	}
	for k, val := range n.Data {
		if ok && !contains(allowed, k) {
			v.Add("data", "Email template "+n.Template+" does not carry the field "+quoteShort(k))
			break
		}
		if long, ok := LongTextFields[n.Template]; ok && k == long {
			if utf8.RuneCountInString(val) > maxLongTextValue || !utf8.ValidString(val) {
				v.Add("data", "Email field "+quoteShort(k)+" must be UTF-8 text of 100,000 characters or fewer")
				break
			}
			continue
		}
		if strings.ContainsAny(val, "\r\n") || utf8.RuneCountInString(val) > maxDataValue || !utf8.ValidString(val) {
			v.Add("data", "Email field "+quoteShort(k)+" must be one line of 200 characters or fewer")
			break
		}
	}
	if NoLinkTemplates[n.Template] {
		v.Check(n.Link == "", "link", "Email template "+n.Template+" goes outside the organisation and carries no link")
	} else {
		v.Check(n.Link != "" && ValidLinkPath(n.Link), "link", "Link must be a path in foidesk, like /consultations/12")
	}
	v.Check(len(n.DedupeKey) <= 200, "dedupe_key", "Dedupe key must be 200 characters or fewer")
	return v.Err()
}

// NoLinkTemplates are the emails that go to people outside the organisation (the requester), who have no
// account: they carry no link into foidesk, which may not even be reachable from outside.
var NoLinkTemplates = map[string]bool{TmplResponseSent: true}

// ValidLinkPath reports whether s is "" or an absolute path inside foidesk: it starts with one "/", and has no
// scheme, host, backslash, space or control character.
func ValidLinkPath(s string) bool {
	if s == "" {
		return true
	}
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || len(s) > 500 {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == '\\' || r == 0x7f {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func quoteShort(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return `"` + s + `"`
}

// OutboxStatus is where an outbox message stands.
type OutboxStatus string

// The outbox statuses: pending (waiting for its next attempt), sending (claimed by a worker until its lock
// expires), sent, dead (given up: a permanent failure or too many attempts; an admin may retry it).
const (
	OutboxPending OutboxStatus = "pending"
	OutboxSending OutboxStatus = "sending"
	OutboxSent    OutboxStatus = "sent"
	OutboxDead    OutboxStatus = "dead"
)

// Valid reports whether s is a known outbox status.
func (s OutboxStatus) Valid() bool {
	switch s {
	case OutboxPending, OutboxSending, OutboxSent, OutboxDead:
		return true
	}
	return false
}

// OutboundMessage is one email to deliver, as a worker claims it.
type OutboundMessage struct {
	ID        int64
	Template  string
	To        string
	ToName    string
	Data      map[string]string
	Link      string // a path; the mail package joins it to the base URL
	MessageID string // "<random@foidesk>", fixed at enqueue: every attempt sends the same one
	Attempts  int    // including the current one
	CreatedAt time.Time
}

// OutboxEntry is an outbox row as an admin lists it.
type OutboxEntry struct {
	OutboundMessage
	Status        OutboxStatus
	NextAttemptAt time.Time
	LockedUntil   *time.Time
	LastError     string
	DedupeKey     string
	SentAt        *time.Time
}

// DeliveryOutcome is the result of one attempt at a claimed message, as the worker records it.
type DeliveryOutcome struct {
	ID int64
	// Err is nil when the server accepted the message; otherwise its text becomes the row's last error.
	Err error
	// Permanent (with Err) makes the message dead; otherwise a failed message is pending again from
	// NextAttempt.
	Permanent   bool
	NextAttempt time.Time
}

// OutboxService is what the delivery worker and the admin commands need of the outbox. The worker's calls run
// as the system actor; every method checks ActionManageOutbox.
type OutboxService interface {
	// ClaimBatch marks up to max of the oldest due pending messages as sending, all locked until the
	// returned instant (now+lockFor), counts the attempt of each and returns them oldest first. It returns
	// none when no message is due. Safe with many workers: each message is claimed by one at a time.
	ClaimBatch(ctx context.Context, lockFor time.Duration, max int) (msgs []OutboundMessage, lockedUntil time.Time, err error)
	// RecordOutcomes records the outcomes of attempts at claimed messages, all or none: sent, dead, or
	// pending again. An outcome for a message that is no longer sending is a no-op.
	RecordOutcomes(ctx context.Context, outcomes []DeliveryOutcome) error
	// ReleaseClaimed returns claimed messages that were not attempted (the worker stopped, or their lock
	// would not have covered the send) to pending, due as before, and undoes the claim's attempt count. Only
	// messages still sending under the lock lockedUntil, as ClaimBatch returned it, are released.
	ReleaseClaimed(ctx context.Context, ids []int64, lockedUntil time.Time) error
	// SweepExpired returns sending messages whose lock has expired (their worker died) to pending, due now,
	// and returns how many.
	SweepExpired(ctx context.Context) (int, error)
	// ListOutbox returns up to 500 messages, newest first, with the given status ("" for all). EINVALID for
	// an unknown status, EFORBIDDEN for a user who is not an admin.
	ListOutbox(ctx context.Context, status OutboxStatus) ([]OutboxEntry, error)
	// RetryOutbox makes a dead message pending again, due now, with its attempts reset; audited. ENOTFOUND
	// for no such message, ECONFLICT for one that is not dead.
	RetryOutbox(ctx context.Context, id int64) error
}
