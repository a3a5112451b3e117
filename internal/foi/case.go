package foi

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"foidesk/internal/calendar"
)

// Case is one FOI or EIR request received by a party.
type Case struct {
	ID          int64
	PartyID     int64  // the receiving party, which owns the case and its deadline
	PartyCode   string // "DFE"
	Reference   string // "DFE-FOI-2026-000123" (FormatReference)
	Regime      calendar.Regime
	ReceivedAt  time.Time     // the instant of arrival
	ReceivedOn  calendar.Date // its Europe/London date: day 0
	Channel     Channel
	Subject     string
	RequestText string
	// Requester is kept apart from the rest of the case (requests are applicant-blind): nil when the viewer may
	// not see who asked.
	Requester      *Requester
	Status         Status
	AssigneeID     int64 // 0 when unassigned
	Events         []ClockEvent
	AssetCodes     []string
	Assets         []CaseAsset // the assets with their names and providers, when loaded
	DeadlineFlag   string      // why the deadline needs another look ("" when none), e.g. the holidays changed
	Outcome        Outcome     // "" until decided
	Exemptions     []string    // canonical sections applied ("40(2)"), with Outcome
	DueOn          calendar.Date
	StatutoryDueOn calendar.Date // day 20; with an extension, the date the s.17 / reg 7(3) notice was due
	Provisional    bool          // the deadline uses a year past the published bank-holiday data
	Version        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// ClockEventKind is an event that moves a case's statutory clock.
type ClockEventKind string

// The clock events.
const (
	EventClarificationSought   ClockEventKind = "clarification_sought"   // s.1(3) / reg 9(1)
	EventClarificationReceived ClockEventKind = "clarification_received" // new date of receipt (s.10(6)(b), reg 9(4))
	EventFeeNotice             ClockEventKind = "fee_notice"             // s.9 / reg 8: the clock stops
	EventFeePaid               ClockEventKind = "fee_paid"               // the clock restarts
	EventPITExtension          ClockEventKind = "pit_extension"          // FOIA s.10(3): day 40, or the s.17(2) estimate
	EventEIRExtension          ClockEventKind = "eir_extension"          // EIR reg 7(1): day 40
)

// ClockEventKinds lists every clock event kind in display order.
var ClockEventKinds = []ClockEventKind{EventClarificationSought, EventClarificationReceived, EventFeeNotice,
	EventFeePaid, EventPITExtension, EventEIRExtension}

// Valid reports whether k is a known clock event kind.
func (k ClockEventKind) Valid() bool { return slices.Contains(ClockEventKinds, k) }

// Label returns the kind's name for people ("Fee notice given"); an unknown kind is returned as is.
func (k ClockEventKind) Label() string {
	switch k {
	case EventClarificationSought:
		return "Clarification sought"
	case EventClarificationReceived:
		return "Clarification received"
	case EventFeeNotice:
		return "Fee notice given"
	case EventFeePaid:
		return "Fee received"
	case EventPITExtension:
		return "Public interest extension"
	case EventEIRExtension:
		return "Extension for complex and voluminous request"
	}
	return string(k)
}

// ClockEvent is one event on a case's statutory clock.
type ClockEvent struct {
	Kind ClockEventKind
	On   calendar.Date // the day it happened (for an extension, the day the notice claiming it was given)
	// Until is, for a pit_extension only, the s.17(2) estimate of the date of the public interest decision when it
	// is not the ICO-normal 40th working day; zero otherwise.
	Until calendar.Date
	Note  string
}

// MaxNoteLength is the longest clock event note foidesk accepts, in bytes.
const MaxNoteLength = 2000

// fromCalendarErr turns a calendar error into a domain error: EINVALID with the calendar's message (written for
// people) for bad input or a date out of range, anything else wrapped as internal.
func fromCalendarErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, calendar.ErrInvalid) {
		return &Error{Code: EINVALID, Message: upperInitial(err.Error()) + "."}
	}
	return fmt.Errorf("calendar: %w", err)
}

func upperInitial(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// sortedEvents returns the case's events ordered by date, keeping the recorded order within a day.
func (c *Case) sortedEvents() []ClockEvent {
	evs := slices.Clone(c.Events)
	slices.SortStableFunc(evs, func(a, b ClockEvent) int { return a.On.Compare(b.On) })
	return evs
}

// DeadlineInput maps the case's receipt and clock events to the calendar's input: the latest
// clarification_received is the new date of receipt; fee_notice and fee_paid events pair up in date order into
// fee pauses, an unpaid notice leaving its pause open; pit_extension gives ExtensionPIT and eir_extension
// ExtensionEIRComplex. It returns EINVALID when the case has no date of receipt, an event has an unknown kind,
// a fee is paid with no fee notice waiting, or a second fee notice is given while one is unpaid.
func (c *Case) DeadlineInput() (calendar.DeadlineInput, error) {
	if c.ReceivedOn.IsZero() {
		return calendar.DeadlineInput{}, Errorf(EINVALID, "The case has no date of receipt.")
	}
	in := calendar.DeadlineInput{Regime: c.Regime, Received: c.ReceivedOn}
	open := -1
	for _, e := range c.sortedEvents() {
		switch e.Kind {
		case EventClarificationSought:
		case EventClarificationReceived:
			if e.On.After(in.Clarified) {
				in.Clarified = e.On
			}
		case EventFeeNotice:
			if open >= 0 {
				return calendar.DeadlineInput{}, Errorf(EINVALID,
					"A fee notice was given on %s while the one of %s was unpaid.", e.On, in.Fees[open].Notice)
			}
			in.Fees = append(in.Fees, calendar.FeePause{Notice: e.On})
			open = len(in.Fees) - 1
		case EventFeePaid:
			if open < 0 {
				return calendar.DeadlineInput{}, Errorf(EINVALID, "A fee was received on %s with no fee notice waiting.", e.On)
			}
			in.Fees[open].Paid = e.On
			open = -1
		case EventPITExtension:
			in.Extension = calendar.ExtensionPIT
		case EventEIRExtension:
			in.Extension = calendar.ExtensionEIRComplex
		default:
			return calendar.DeadlineInput{}, Errorf(EINVALID, "Unknown clock event %q.", string(e.Kind))
		}
	}
	return in, nil
}

// PITEstimate returns the latest s.17(2) estimate recorded with a pit_extension (its Until), or the zero Date
// when every extension took the ICO-normal 40th working day or there is none.
func (c *Case) PITEstimate() calendar.Date {
	var est calendar.Date
	for _, e := range c.Events {
		if e.Kind == EventPITExtension && e.Until.After(est) {
			est = e.Until
		}
	}
	return est
}

// clockState is the case's clock replayed from its events.
type clockState struct {
	sought        *ClockEvent // a clarification sought and not yet received
	lastClarified calendar.Date
	feeNotice     *ClockEvent // a fee notice not yet paid
	pits          []ClockEvent
	eirExtended   bool
}

func (c *Case) clockState() clockState {
	var s clockState
	for _, e := range c.sortedEvents() {
		switch e.Kind {
		case EventClarificationSought:
			s.sought = &e
		case EventClarificationReceived:
			s.sought, s.lastClarified = nil, e.On
		case EventFeeNotice:
			s.feeNotice = &e
		case EventFeePaid:
			s.feeNotice = nil
		case EventPITExtension:
			s.pits = append(s.pits, e)
		case EventEIRExtension:
			s.eirExtended = true
		}
	}
	return s
}

// ApplyDeadline stores a deadline computed by calendar.Deadline from DeadlineInput on the case: StatutoryDueOn,
// DueOn and Provisional. DueOn is the s.17(2) estimate instead of day 40 when a pit_extension recorded one, and
// both dates are zero while the clock is stopped: a fee notice is unpaid, or a clarification has been sought and
// not received (the clock restarts from the clarification, so the old deadline no longer binds).
func (c *Case) ApplyDeadline(d calendar.Deadline) {
	c.StatutoryDueOn, c.DueOn, c.Provisional = d.StatutoryDue, d.Due, d.Provisional
	if est := c.PITEstimate(); !est.IsZero() && !d.Paused {
		c.DueOn = est
	}
	if c.clockState().sought != nil {
		c.StatutoryDueOn, c.DueOn = calendar.Date{}, calendar.Date{}
	}
}

// Recompute computes the case's deadline with cal (nil means calendar.Default()) from DeadlineInput, stores it
// with ApplyDeadline and returns it, trace included. It returns EINVALID when the events cannot be mapped or the
// calendar rejects them (for example a date outside its range).
func (c *Case) Recompute(cal *calendar.Calendar) (calendar.Deadline, error) {
	if cal == nil {
		cal = calendar.Default()
	}
	in, err := c.DeadlineInput()
	if err != nil {
		return calendar.Deadline{}, err
	}
	d, err := cal.Deadline(in)
	if err != nil {
		return calendar.Deadline{}, fromCalendarErr(err)
	}
	c.ApplyDeadline(d)
	return d, nil
}

// eirChargeDays is how long, in working days from the notice, a requester has to pay an EIR advance charge
// (reg 8(5)).
const eirChargeDays = 60

// extensionStatuses are the statuses in which an extension may be claimed: the case is being worked and the
// clock is running.
var extensionStatuses = []Status{StatusReceived, StatusInProgress, StatusAwaitingRepresentations, StatusPendingApproval}

// ApplyClockEvent validates a clock event against the case and, when it is sound, appends it to c.Events
// (normalised: note trimmed) and sets c.Status to the status it leads to, which it also returns:
// clarification_sought leads to awaiting_clarification, clarification_received and fee_paid to in_progress,
// fee_notice to on_hold_fee; extensions keep the status. The caller then recomputes the deadline (Recompute, or
// cal.Deadline on DeadlineInput and ApplyDeadline). actor is the user recording the event (nil is treated as not a
// decision-maker); consideredExemptions are the sections under consideration, needed for a pit_extension; cal nil
// means calendar.Default().
//
// alert is a warning for people, "" when none: a clarification sought or fee notice given after day 20, a fee paid
// after the FOIA three-month limit (s.9(2)) or an EIR charge paid over 60 working days after its notice
// (reg 8(5)), or a public interest decision estimated beyond the 40th working day.
//
// Errors, leaving the case unchanged:
//   - EINVALID naming the field: "kind" unknown, or an extension of the other regime (pit_extension is FOIA only,
//     eir_extension EIR only); "on" missing, before the date of receipt, before the clarification sought or the
//     fee notice it answers, or an extension notice after day 20 (s.17(1), reg 7(3)); "until" given for anything
//     but a pit_extension, or not after day 20; "note" too long; "exemptions" with no qualified FOIA exemption
//     under consideration for a pit_extension, "exemptions[i]" for an unknown one;
//   - ECONFLICT: the case is not open; clarification received with none sought, or sought while already awaited;
//     a fee paid with no notice waiting, or a second notice while one is unpaid; an extension while the case is
//     not being worked or the clock is stopped; an eir_extension twice; a second pit_extension without a later
//     estimate beyond the 40th working day; or a status move the lifecycle forbids (Detail["allowed"] as in
//     CheckTransition);
//   - EFORBIDDEN: a public interest decision estimated beyond the 40th working day by anyone but a
//     decision-maker.
func (c *Case) ApplyClockEvent(e ClockEvent, actor *User, consideredExemptions []string,
	cal *calendar.Calendar) (newStatus Status, alert string, err error) {
	if cal == nil {
		cal = calendar.Default()
	}
	if !c.Status.Open() {
		return "", "", Errorf(ECONFLICT, "The case is %s: its clock can no longer change.", lowerInitial(c.Status.Label()))
	}
	e.Note = strings.TrimSpace(e.Note)
	var v Validation
	if !e.Kind.Valid() {
		v.Add("kind", "Select the clock event")
	}
	switch {
	case e.On.IsZero():
		v.Add("on", "Enter the date of the event")
	case e.On.Before(c.ReceivedOn):
		v.Add("on", fmt.Sprintf("The date must be on or after the date the request was received (%s)", govDate(c.ReceivedOn)))
	}
	if !e.Until.IsZero() && e.Kind != EventPITExtension {
		v.Add("until", "Only a public interest extension has an estimated decision date")
	}
	v.Check(len(e.Note) <= MaxNoteLength, "note", fmt.Sprintf("Note must be %d characters or fewer", MaxNoteLength))
	if err := v.Err(); err != nil {
		return "", "", err
	}

	st := c.clockState()
	// The deadline as it stands before this event; some checks and alerts need it.
	current := func() (calendar.Deadline, error) {
		in, err := c.DeadlineInput()
		if err != nil {
			return calendar.Deadline{}, err
		}
		d, err := cal.Deadline(in)
		return d, fromCalendarErr(err)
	}

	newStatus = c.Status
	switch e.Kind {
	case EventClarificationSought:
		if st.sought != nil {
			return "", "", Errorf(ECONFLICT, "Clarification was sought on %s and has not been received yet.", govDate(st.sought.On))
		}
		if e.On.Before(st.lastClarified) {
			return "", "", invalidField("on", fmt.Sprintf("The date must be on or after the last clarification was received (%s)",
				govDate(st.lastClarified)))
		}
		newStatus = StatusAwaitingClarification
		if d, err := current(); err == nil && !d.Paused && e.On.After(d.StatutoryDue) {
			alert = fmt.Sprintf("Clarification is being sought after the 20th working day (%s): it should be sought as soon as "+
				"possible, and within 20 working days of receipt.", govDate(d.StatutoryDue))
		}
	case EventClarificationReceived:
		if st.sought == nil {
			return "", "", Errorf(ECONFLICT, "No clarification has been sought on this case: record the request for clarification first.")
		}
		if e.On.Before(st.sought.On) {
			return "", "", invalidField("on", fmt.Sprintf("The clarification cannot arrive before it was sought (%s)", govDate(st.sought.On)))
		}
		newStatus = StatusInProgress
	case EventFeeNotice:
		if st.feeNotice != nil {
			return "", "", Errorf(ECONFLICT, "The fee notice of %s has not been paid yet.", govDate(st.feeNotice.On))
		}
		newStatus = StatusOnHoldFee
		if d, err := current(); err == nil && !d.Paused && e.On.After(d.StatutoryDue) {
			alert = fmt.Sprintf("The fee notice is dated after the 20th working day (%s): it does not stop the clock.",
				govDate(d.StatutoryDue))
		}
	case EventFeePaid:
		if st.feeNotice == nil {
			return "", "", Errorf(ECONFLICT, "No fee notice is waiting for payment.")
		}
		if e.On.Before(st.feeNotice.On) {
			return "", "", invalidField("on", fmt.Sprintf("The fee cannot be received before the fee notice was given (%s)",
				govDate(st.feeNotice.On)))
		}
		newStatus = StatusInProgress
		if c.Regime == calendar.RegimeEIR {
			if n, err := cal.WorkingDaysBetween(st.feeNotice.On, e.On); err == nil && n > eirChargeDays {
				alert = fmt.Sprintf("The charge was paid %d working days after the notice, more than the %d allowed "+
					"(regulation 8(5)): the information need not be made available.", n, eirChargeDays)
			}
		} else {
			y, m, d := st.feeNotice.On.Date()
			if last := calendar.NewDate(y, m+3, d-1); e.On.After(last) {
				alert = fmt.Sprintf("The fee was received after the three months that began with the fee notice (ended %s): "+
					"the request need not be answered (section 9(2)).", govDate(last))
			}
		}
	case EventPITExtension, EventEIRExtension:
		if !slices.Contains(extensionStatuses, c.Status) {
			return "", "", Errorf(ECONFLICT, "A case that is %s cannot be extended.", lowerInitial(c.Status.Label()))
		}
		var err error
		if e.Kind == EventPITExtension {
			alert, err = c.checkPIT(e, st, actor, consideredExemptions, cal, current)
		} else {
			err = c.checkEIRExtension(e, st, current)
		}
		if err != nil {
			return "", "", err
		}
	}
	if newStatus != c.Status {
		if err := CheckTransition(c.Status, newStatus); err != nil {
			return "", "", err
		}
	}
	c.Events = append(c.Events, e)
	c.Status = newStatus
	return newStatus, alert, nil
}

// invalidField returns an EINVALID error for one field.
func invalidField(field, message string) error {
	var v Validation
	v.Add(field, message)
	return v.Err()
}

// checkPIT validates a pit_extension (see ApplyClockEvent) and returns its alert.
func (c *Case) checkPIT(e ClockEvent, st clockState, actor *User, considered []string, cal *calendar.Calendar,
	current func() (calendar.Deadline, error)) (string, error) {
	if c.Regime == calendar.RegimeEIR {
		return "", invalidField("kind", "There is no public interest extension under the EIR: use the regulation 7 extension "+
			"for a complex and voluminous request")
	}
	var v Validation
	hasQualified := false
	for i, s := range considered {
		ex, err := LookupExemption(calendar.RegimeFOIA, s)
		if err != nil {
			v.Add(fmt.Sprintf("exemptions[%d]", i), ErrorMessage(err))
			continue
		}
		hasQualified = hasQualified || ex.Qualified
	}
	if err := v.Err(); err != nil {
		return "", err
	}
	if !hasQualified {
		return "", invalidField("exemptions", "Choose the qualified exemption whose public interest test needs more time: "+
			"the extension is only for that test (section 10(3))")
	}
	d, err := current()
	if err != nil {
		return "", err
	}
	if d.Paused {
		return "", Errorf(ECONFLICT, "The clock is stopped until the fee is paid: there is no deadline to extend.")
	}
	in, err := c.DeadlineInput()
	if err != nil {
		return "", err
	}
	in.Extension = calendar.ExtensionPIT
	ext, err := cal.Deadline(in)
	if err != nil {
		return "", fromCalendarErr(err)
	}
	day40 := ext.Due
	beyond := func() (string, error) {
		if actor == nil || actor.Role != RoleDecisionMaker {
			return "", Errorf(EFORBIDDEN, "Only a decision-maker can extend the public interest decision beyond the 40th working day (%s).",
				govDate(day40))
		}
		return fmt.Sprintf("The public interest decision is now estimated for %s, beyond the 40th working day (%s). The ICO "+
			"expects no more than 20 extra working days except in exceptional circumstances: record why.",
			govDate(e.Until), govDate(day40)), nil
	}

	if len(st.pits) == 0 {
		if e.On.After(d.StatutoryDue) {
			return "", invalidField("on", fmt.Sprintf("The extension must be claimed in the refusal notice by the 20th working day (%s)",
				govDate(d.StatutoryDue)))
		}
		switch {
		case e.Until.IsZero():
			return "", nil
		case !e.Until.After(d.StatutoryDue):
			return "", invalidField("until", fmt.Sprintf("The estimated decision date must be after the 20th working day (%s)",
				govDate(d.StatutoryDue)))
		case e.Until.After(day40):
			return beyond()
		}
		return "", nil
	}

	last := st.pits[len(st.pits)-1]
	target := day40
	if est := c.PITEstimate(); est.After(target) {
		target = est
	}
	if e.Until.IsZero() || !e.Until.After(target) {
		return "", Errorf(ECONFLICT, "The case already has a public interest extension (to %s): it can be extended only once, "+
			"unless a decision-maker records a later estimated decision date.", govDate(target))
	}
	if e.On.Before(last.On) {
		return "", invalidField("on", fmt.Sprintf("The date must be on or after the previous extension (%s)", govDate(last.On)))
	}
	return beyond()
}

// checkEIRExtension validates an eir_extension (see ApplyClockEvent).
func (c *Case) checkEIRExtension(e ClockEvent, st clockState, current func() (calendar.Deadline, error)) error {
	if c.Regime != calendar.RegimeEIR {
		return invalidField("kind", "The regulation 7 extension applies only under the EIR: under FOIA, use the public interest extension")
	}
	if st.eirExtended {
		return Errorf(ECONFLICT, "The case already has the regulation 7 extension: it can be extended only once.")
	}
	d, err := current()
	if err != nil {
		return err
	}
	if d.Paused {
		return Errorf(ECONFLICT, "The clock is stopped until the charge is paid: there is no deadline to extend.")
	}
	if e.On.After(d.StatutoryDue) {
		return invalidField("on", fmt.Sprintf("The extension notice must be given within 20 working days, by %s (regulation 7(3))",
			govDate(d.StatutoryDue)))
	}
	return nil
}
