package foi

import (
	"fmt"
	"slices"
	"strings"

	"foidesk/internal/calendar"
)

// DisputeStage is a rung of the MoU section 8 dispute ladder.
type DisputeStage string

// The dispute stages, in ladder order.
const (
	DisputeBAU        DisputeStage = "bau"        // 8.1-8.2: the designated (BAU) contacts try to resolve it
	DisputeEscalation DisputeStage = "escalation" // 8.3: each partner's senior management (escalation contacts)
	DisputeFormal     DisputeStage = "formal"     // 8.4: negotiation after a formal notification
	DisputeResolved   DisputeStage = "resolved"
)

// DisputeStages lists every stage in ladder order.
var DisputeStages = []DisputeStage{DisputeBAU, DisputeEscalation, DisputeFormal, DisputeResolved}

// Valid reports whether s is a known stage.
func (s DisputeStage) Valid() bool { return slices.Contains(DisputeStages, s) }

// Label returns the stage for people ("Formal notification"); an unknown stage is returned as is.
func (s DisputeStage) Label() string {
	switch s {
	case DisputeBAU:
		return "Business as usual"
	case DisputeEscalation:
		return "Escalation"
	case DisputeFormal:
		return "Formal notification"
	case DisputeResolved:
		return "Resolved"
	}
	return string(s)
}

// period names the stage's clock in a sentence.
func (s DisputeStage) period() string {
	switch s {
	case DisputeBAU:
		return "business-as-usual period"
	case DisputeEscalation:
		return "escalation period"
	case DisputeFormal:
		return "formal-notification period"
	}
	return string(s) + " period"
}

// disputeMoves is the ladder: the stages each stage may move to.
var disputeMoves = map[DisputeStage][]DisputeStage{
	DisputeBAU:        {DisputeEscalation, DisputeResolved},
	DisputeEscalation: {DisputeFormal, DisputeResolved},
	DisputeFormal:     {DisputeResolved},
	DisputeResolved:   nil,
}

// DisputeNextStages returns a copy of the stages a dispute at stage s may move to (nil when resolved or unknown).
func DisputeNextStages(s DisputeStage) []DisputeStage { return slices.Clone(disputeMoves[s]) }

// The dispute clocks, in working days.
const (
	// DisputeBAUWorkingDays is the MoU 8.2 time for the designated contacts to resolve a dispute.
	DisputeBAUWorkingDays = 2
	// DefaultDisputeEscalationWorkingDays is how long the senior-management escalation runs before a formal
	// notification is due. MoU 8.3 sets no time; foidesk uses this default unless Dispute.EscalationWorkingDays
	// says otherwise (set it from configuration before calling Escalate).
	DefaultDisputeEscalationWorkingDays = 2
	// DisputeFormalWorkingDays is the MoU 8.4 time to negotiate a settlement after a formal notification.
	DisputeFormalWorkingDays = 20
	// MaxDisputeOutcomeLength is the longest recorded outcome, in characters.
	MaxDisputeOutcomeLength = 20000
)

// DisputeStep is one rung the dispute stood on, with its clock.
type DisputeStep struct {
	Stage     DisputeStage
	StartedOn calendar.Date
	EndsOn    calendar.Date // zero for the resolved entry
	Warning   string        // the deadline warning given when the step started, "" when none
	Note      string        // why the step was taken (the explanation MoU 8.3 asks for), or the outcome's reasons
	By        int64         // the user who took the step; 0 for foidesk itself (the automatic opening)
}

// Dispute is a disagreement between the authority and a consulted party about disclosure, run through the MoU
// section 8 ladder inside the statutory clock: the ladder never pauses or extends the case's deadline, and every
// step warns when its clock would end after it.
type Dispute struct {
	ID              int64
	ConsultationID  int64
	RaisedByPartyID int64 // the party that raised it; 0 when opened automatically (NeedsDispute)
	Step            DisputeStage
	OpenedOn        calendar.Date
	StepEndsOn      calendar.Date // when the current step's clock runs out; zero once resolved
	Outcome         string
	OutcomeReasons  string // why the dispute ended as it did (Settle)
	ResolvedOn      calendar.Date
	History         []DisputeStep // every step, oldest first, the current one last
	// EscalationWorkingDays is the escalation step's clock; 0 means DefaultDisputeEscalationWorkingDays.
	EscalationWorkingDays int
	Version               int64
}

// OpenDispute opens a dispute on the consultation on the given date at the business-as-usual step, whose clock
// ends DisputeBAUWorkingDays working days later. It returns a warning when that is after caseDue (the case's
// statutory deadline; no check when zero). Errors: EINVALID for a zero date or one outside the calendar's range.
func OpenDispute(consultationID int64, on calendar.Date, cal *calendar.Calendar, caseDue calendar.Date) (Dispute, string, error) {
	d := Dispute{ConsultationID: consultationID, OpenedOn: on}
	warning, err := d.enter(DisputeBAU, DisputeBAUWorkingDays, on, cal, caseDue)
	if err != nil {
		return Dispute{}, "", err
	}
	return d, warning, nil
}

// Escalate moves the dispute from business as usual to the escalation contacts (MoU 8.3) on the given date; the
// step's clock runs EscalationWorkingDays (default DefaultDisputeEscalationWorkingDays) working days. It may be
// called before the BAU clock runs out, since the statute does not wait. It returns a warning when the step ends
// after caseDue. Errors: ECONFLICT unless the dispute is at the BAU step (Detail["allowed"] lists the next
// stages); EINVALID for a zero date, a date before the current step started, a negative EscalationWorkingDays or
// a date outside the calendar's range.
func (d *Dispute) Escalate(on calendar.Date, cal *calendar.Calendar, caseDue calendar.Date) (string, error) {
	if err := d.checkMove(DisputeEscalation); err != nil {
		return "", err
	}
	days := d.EscalationWorkingDays
	if days < 0 {
		return "", invalidField("escalation_working_days", "The escalation period must be 0 or more working days")
	}
	if days == 0 {
		days = DefaultDisputeEscalationWorkingDays
	}
	return d.enter(DisputeEscalation, days, on, cal, caseDue)
}

// FormalNotification moves the dispute from escalation to a formal notification (MoU 8.4) on the given date,
// starting DisputeFormalWorkingDays working days to negotiate. It returns a warning when that ends after caseDue.
// Errors: ECONFLICT unless the dispute is at the escalation step (Detail["allowed"] lists the next stages);
// EINVALID for a zero date, a date before the current step started or a date outside the calendar's range.
func (d *Dispute) FormalNotification(on calendar.Date, cal *calendar.Calendar, caseDue calendar.Date) (string, error) {
	if err := d.checkMove(DisputeFormal); err != nil {
		return "", err
	}
	return d.enter(DisputeFormal, DisputeFormalWorkingDays, on, cal, caseDue)
}

// Resolve records the dispute's outcome on the given date, from any open step. Errors: ECONFLICT when already
// resolved; EINVALID for an empty outcome (field "outcome") or a zero date or one before the current step
// started (field "resolved_on").
func (d *Dispute) Resolve(outcome string, on calendar.Date) error {
	if err := d.checkMove(DisputeResolved); err != nil {
		return err
	}
	var v Validation
	outcome = strings.TrimSpace(outcome)
	v.Check(outcome != "", "outcome", "Enter the outcome of the dispute")
	checkLength(&v, "outcome", outcome, MaxDisputeOutcomeLength)
	d.checkDate(&v, "resolved_on", on)
	if err := v.Err(); err != nil {
		return err
	}
	d.Step = DisputeResolved
	d.StepEndsOn = calendar.Date{}
	d.Outcome = outcome
	d.ResolvedOn = on
	d.History = append(d.History, DisputeStep{Stage: DisputeResolved, StartedOn: on})
	return nil
}

// Overdue reports whether the current step's clock ran out before today without the dispute moving on: the
// signal to escalate (after BAU), to give formal notification (after escalation) or to chase a settlement.
func (d *Dispute) Overdue(today calendar.Date) bool {
	return d.Step != DisputeResolved && !d.StepEndsOn.IsZero() && today.After(d.StepEndsOn)
}

// checkMove returns ECONFLICT unless the dispute may move to the stage, with Detail["step"] and
// Detail["allowed"] (the next stages, a []string, possibly empty).
func (d *Dispute) checkMove(to DisputeStage) error {
	allowed := disputeMoves[d.Step]
	if slices.Contains(allowed, to) {
		return nil
	}
	names := make([]string, len(allowed))
	for i, s := range allowed {
		names[i] = string(s)
	}
	msg := "A dispute at the " + lowerInitial(d.Step.Label()) + " step cannot move to " + lowerInitial(to.Label()) + "."
	if len(allowed) == 0 {
		msg = "This dispute is " + lowerInitial(d.Step.Label()) + " and cannot move on."
	} else {
		msg += " It can move to " + joinOrStages(allowed) + "."
	}
	return &Error{Code: ECONFLICT, Message: msg, Detail: map[string]any{"step": string(d.Step), "allowed": names}}
}

// joinOrStages joins stage labels as "a" or "a or b", lower-cased.
func joinOrStages(ss []DisputeStage) string {
	words := make([]string, len(ss))
	for i, s := range ss {
		words[i] = lowerInitial(s.Label())
	}
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// checkDate records an error for field when on is zero or before the current step started.
func (d *Dispute) checkDate(v *Validation, field string, on calendar.Date) {
	if on.IsZero() {
		v.Add(field, "Enter the date")
		return
	}
	if n := len(d.History); n > 0 && on.Before(d.History[n-1].StartedOn) {
		v.Add(field, "The date must not be before the current step started ("+d.History[n-1].StartedOn.String()+")")
	}
}

// enter starts the stage on the given date with a clock of days working days and returns its deadline warning.
func (d *Dispute) enter(stage DisputeStage, days int, on calendar.Date, cal *calendar.Calendar, caseDue calendar.Date) (string, error) {
	var v Validation
	d.checkDate(&v, "on", on)
	if err := v.Err(); err != nil {
		return "", err
	}
	ends, err := cal.AddWorkingDays(on, days)
	if err != nil {
		return "", fromCalendarErr(err)
	}
	warning := DisputeDeadlineWarning(stage, ends, caseDue)
	d.Step = stage
	d.StepEndsOn = ends
	d.History = append(d.History, DisputeStep{Stage: stage, StartedOn: on, EndsOn: ends, Warning: warning})
	return warning, nil
}

// DisputeDeadlineWarning returns the warning for a dispute step at stage whose clock ends on ends, when that is
// after the case's statutory deadline caseDue ("" otherwise, or when caseDue is zero): the statute does not wait
// for the MoU ladder.
func DisputeDeadlineWarning(stage DisputeStage, ends, caseDue calendar.Date) string {
	if caseDue.IsZero() || !ends.After(caseDue) {
		return ""
	}
	return fmt.Sprintf("The %s ends %s, after the statutory deadline %s: the response must not wait for it.",
		stage.period(), ends, caseDue)
}
