package foi

import (
	"context"
	"slices"
	"strings"

	"foidesk/internal/calendar"
)

// DisputeSide says who raised a dispute: foidesk itself (NeedsDispute after a consideration), the party that
// owns the case, or the consulted party.
type DisputeSide string

// The sides.
const (
	DisputeRaisedAutomatically DisputeSide = "automatic"
	DisputeRaisedByOwner       DisputeSide = "owner"
	DisputeRaisedByConsulted   DisputeSide = "consulted"
)

// DisputeSideOf returns the side the actor speaks for on a consultation of scope: the owner for the owning
// party's officers and decision-makers, the consulted party for its liaisons, "" for anyone else.
func DisputeSideOf(actor *User, scope Scope) DisputeSide {
	switch {
	case actor == nil:
		return ""
	case ownParty(actor, scope.OwnerPartyID) && hasRole(actor, RoleOfficer, RoleDecisionMaker):
		return DisputeRaisedByOwner
	case ownParty(actor, scope.ConsultedPartyID) && actor.Role == RoleLiaison:
		return DisputeRaisedByConsulted
	}
	return ""
}

// DisputeOutcome is how a dispute ended.
type DisputeOutcome string

// The dispute outcomes.
const (
	DisputeOutcomeDisclose       DisputeOutcome = "disclose"         // the information goes out as decided
	DisputeOutcomeDiscloseInPart DisputeOutcome = "disclose_in_part" // agreed redactions or exemptions applied
	DisputeOutcomeWithhold       DisputeOutcome = "withhold"         // the authority agreed to withhold it
	DisputeOutcomeWithdrawn      DisputeOutcome = "withdrawn"        // the side that raised it withdrew it
)

// DisputeOutcomes lists every outcome in display order.
var DisputeOutcomes = []DisputeOutcome{DisputeOutcomeDisclose, DisputeOutcomeDiscloseInPart, DisputeOutcomeWithhold,
	DisputeOutcomeWithdrawn}

// Valid reports whether o is a known outcome.
func (o DisputeOutcome) Valid() bool { return slices.Contains(DisputeOutcomes, o) }

// MaxDisputeReasons is the longest reason or explanation recorded with a dispute step, in characters.
const MaxDisputeReasons = 20000

// DecisionDiscloses reports whether a case's recorded outcome releases information, so that an objection the
// authority did not accept turns into a dispute: granted in full and partially withheld do; so does no
// outcome yet, since not accepting an objection to disclosure means disclosure is intended. Every other
// outcome withholds everything or answers otherwise.
func DecisionDiscloses(o Outcome) bool {
	return o == "" || o == OutcomeGrantedInFull || o == OutcomePartiallyWithheld
}

// CheckRaiseDispute checks that a party may raise a dispute on consultation k with reasons: the consultation
// must have been sent (ECONFLICT for a draft, with Detail["status"]) and the reasons are required (EINVALID,
// field "reasons"). The caller checks Can with ActionDispute and that no dispute is open on k.
func CheckRaiseDispute(k *Consultation, reasons string) error {
	if k.Status == ConsultationDraft {
		return &Error{Code: ECONFLICT, Message: "This consultation has not been sent yet, so there is nothing to dispute.",
			Detail: map[string]any{"status": string(k.Status)}}
	}
	return checkDisputeReasons(reasons, "Say what the parties disagree about")
}

// checkDisputeReasons returns EINVALID for field "reasons" when reasons is empty (with message) or too long.
func checkDisputeReasons(reasons, message string) error {
	var v Validation
	reasons = strings.TrimSpace(reasons)
	v.Check(reasons != "", "reasons", message)
	checkLength(&v, "reasons", reasons, MaxDisputeReasons)
	return v.Err()
}

// EscalateWithReasons is Escalate with the explanation MoU 8.3 asks for, recorded on the new step. Errors: those
// of Escalate (ECONFLICT first), then EINVALID (field "reasons") for an empty explanation.
func (d *Dispute) EscalateWithReasons(reasons string, on calendar.Date, cal *calendar.Calendar, caseDue calendar.Date) (string, error) {
	if err := d.checkMove(DisputeEscalation); err != nil {
		return "", err
	}
	if err := checkDisputeReasons(reasons, "Explain why the dispute goes to senior management"); err != nil {
		return "", err
	}
	warning, err := d.Escalate(on, cal, caseDue)
	if err == nil {
		d.History[len(d.History)-1].Note = strings.TrimSpace(reasons)
	}
	return warning, err
}

// FormalNotificationWithReasons is FormalNotification with the reasons for giving it, recorded on the new step.
// Errors: those of FormalNotification (ECONFLICT first), then EINVALID (field "reasons") for empty reasons.
func (d *Dispute) FormalNotificationWithReasons(reasons string, on calendar.Date, cal *calendar.Calendar, caseDue calendar.Date) (string, error) {
	if err := d.checkMove(DisputeFormal); err != nil {
		return "", err
	}
	if err := checkDisputeReasons(reasons, "Say why formal notification is given"); err != nil {
		return "", err
	}
	warning, err := d.FormalNotification(on, cal, caseDue)
	if err == nil {
		d.History[len(d.History)-1].Note = strings.TrimSpace(reasons)
	}
	return warning, err
}

// Settle resolves the dispute with a known outcome and its reasons on the given date. Errors: ECONFLICT when
// already resolved (Detail["allowed"] is empty); EINVALID naming "outcome" (unknown) and "reasons" (empty or
// too long), and "resolved_on" for a date before the current step started.
func (d *Dispute) Settle(outcome DisputeOutcome, reasons string, on calendar.Date) error {
	if err := d.checkMove(DisputeResolved); err != nil {
		return err
	}
	var v Validation
	reasons = strings.TrimSpace(reasons)
	v.Check(outcome.Valid(), "outcome", "Select disclose, disclose_in_part, withhold or withdrawn")
	v.Check(reasons != "", "reasons", "Say how the dispute was resolved")
	checkLength(&v, "reasons", reasons, MaxDisputeReasons)
	if err := v.Err(); err != nil {
		return err
	}
	if err := d.Resolve(string(outcome), on); err != nil {
		return err
	}
	d.OutcomeReasons = reasons
	d.History[len(d.History)-1].Note = reasons
	return nil
}

// DisputeRecord is a dispute as its readers see it: the ladder with the consultation's parties, the case's
// reference and deadline, and the warning that holds today for the current step.
type DisputeRecord struct {
	Dispute
	CaseID             int64
	CaseReference      string
	CaseDueOn          calendar.Date // the case's deadline as it stands now (zero while its clock is stopped)
	OwnerPartyID       int64
	OwnerPartyCode     string
	ConsultedPartyID   int64
	ConsultedPartyCode string
	RaisedBy           DisputeSide
	Reasons            string // why it was raised
	// Warning is DisputeDeadlineWarning for the current step against CaseDueOn ("" once resolved).
	Warning string
}

// Scope returns the dispute's scope for Can: the consultation's owning and consulted parties.
func (r *DisputeRecord) Scope() Scope {
	return Scope{OwnerPartyID: r.OwnerPartyID, ConsultedPartyID: r.ConsultedPartyID}
}

// Allowed returns the next stages of the dispute as strings (empty, never nil, once resolved).
func (r *DisputeRecord) Allowed() []string {
	out := []string{}
	for _, s := range DisputeNextStages(r.Step) {
		out = append(out, string(s))
	}
	return out
}

// DisputeResult is what a dispute step returns: the dispute as it now stands, the deadline warning the step
// gave ("" when none), the addresses notified and, for each party with no contact to tell, why not.
type DisputeResult struct {
	Dispute    DisputeRecord
	Warning    string
	Notified   []string
	Unnotified []string
}

// DisputeService runs the MoU section 8 dispute ladder on consultations. Every method checks the caller with
// Can (ENOTFOUND for whoever may not read the consultation; EFORBIDDEN for a reader without the role), runs in
// one transaction, audits what it does or shows and writes the notifications to the outbox in that
// transaction: the business-as-usual FOI contacts of both parties when a dispute opens, their escalation
// contacts on escalation and formal notification. Emails carry a notice and a link only.
type DisputeService interface {
	// RaiseDispute opens a dispute on a consultation at the business-as-usual step (ActionDispute: the owning
	// party's officers and decision-makers, the consulted party's liaisons). ECONFLICT when one is already
	// open (Detail["dispute_id"]) or the consultation is a draft; EINVALID for empty reasons.
	RaiseDispute(ctx context.Context, consultationID int64, reasons string) (DisputeResult, error)
	// EscalateDispute moves a dispute to the escalation contacts (MoU 8.3) with an explanation. ECONFLICT with
	// Detail["allowed"] unless it is at the business-as-usual step.
	EscalateDispute(ctx context.Context, id int64, reasons string) (DisputeResult, error)
	// GiveFormalNotification starts the 20-working-day formal-notification step (MoU 8.4). ECONFLICT with
	// Detail["allowed"] unless the dispute is at the escalation step.
	GiveFormalNotification(ctx context.Context, id int64, reasons string) (DisputeResult, error)
	// ResolveDispute records the outcome (ActionResolveDispute: the owning party's decision-makers, the
	// consulted party's liaisons). ECONFLICT once resolved; EINVALID for an unknown outcome or empty reasons.
	ResolveDispute(ctx context.Context, id int64, outcome DisputeOutcome, reasons string) (DisputeResult, error)
	// FindDispute returns one dispute with its steps.
	FindDispute(ctx context.Context, id int64) (DisputeRecord, error)
	// ConsultationDisputes returns a consultation's disputes, oldest first.
	ConsultationDisputes(ctx context.Context, consultationID int64) ([]DisputeRecord, error)
	// CaseDisputes returns the disputes on every consultation of a case, oldest first (ENOTFOUND unless the
	// caller may read the case).
	CaseDisputes(ctx context.Context, caseID int64) ([]DisputeRecord, error)
}

// DisputeClockReminder returns the reminder kind the daily scan records when a dispute step at stage reaches
// the end of its clock: "dispute_bau_ends", "dispute_escalation_ends", "dispute_formal_ends".
func DisputeClockReminder(stage DisputeStage) ReminderKind {
	return ReminderKind("dispute_" + string(stage) + "_ends")
}
