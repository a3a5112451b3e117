package foi

import (
	"fmt"
	"slices"

	"foidesk/internal/calendar"
)

// The internal review outcomes (Cabinet Office statistics).
const (
	ReviewUpheld       = "upheld"         // the original decision stands
	ReviewUpheldInPart = "upheld_in_part" // some more information released
	ReviewOverturned   = "overturned"
)

// ReviewOutcomes lists the internal review outcomes in display order.
var ReviewOutcomes = []string{ReviewUpheld, ReviewUpheldInPart, ReviewOverturned}

// ReviewRequestWindow is how long, in working days after the response, a requester has to ask for an internal
// review: FOIA under the s.45 Code (a later request may be refused), EIR under reg 11(2).
const ReviewRequestWindow = 40

// InternalReview is a requester's internal review (FOIA, under the s.45 Code) or reconsideration (EIR reg 11).
type InternalReview struct {
	RequestedOn calendar.Date
	TargetOn    calendar.Date // FOIA: 20 working days after the request; EIR: 40
	LongstopOn  calendar.Date // 40 working days after the request
	DecidedOn   calendar.Date // zero until decided
	Outcome     string        // "" until decided; one of ReviewOutcomes
	Late        bool          // requested over ReviewRequestWindow working days after the response
}

// NewInternalReview opens an internal review requested on requestedOn of a response sent on respondedOn. The
// target is 20 working days after the request under FOIA and 40 under the EIR (reg 11(4)); the longstop is 40 in
// both (cal nil means calendar.Default(); an empty regime is FOIA). A request made more than 40 working days after
// the response is accepted but marked Late, with a warning for people. It returns EINVALID naming "regime",
// "responded_on" or "requested_on" for an unknown regime, a missing date, a request before the response, or a date
// outside the calendar's range.
func NewInternalReview(cal *calendar.Calendar, regime calendar.Regime, respondedOn, requestedOn calendar.Date) (InternalReview, string, error) {
	if cal == nil {
		cal = calendar.Default()
	}
	var v Validation
	if regime != "" && regime != calendar.RegimeFOIA && regime != calendar.RegimeEIR {
		v.Add("regime", "Select FOIA or EIR")
	}
	v.Check(!respondedOn.IsZero(), "responded_on", "Enter the date the response was sent")
	v.Check(!requestedOn.IsZero(), "requested_on", "Enter the date the internal review was requested")
	if !respondedOn.IsZero() && requestedOn.Before(respondedOn) && !requestedOn.IsZero() {
		v.Add("requested_on", fmt.Sprintf("The review cannot be requested before the response was sent (%s)", govDate(respondedOn)))
	}
	if err := v.Err(); err != nil {
		return InternalReview{}, "", err
	}
	target, longstop, err := cal.ReviewDeadline(regime, requestedOn)
	if err != nil {
		return InternalReview{}, "", invalidField("requested_on", ErrorMessage(fromCalendarErr(err)))
	}
	elapsed, err := cal.WorkingDaysBetween(respondedOn, requestedOn)
	if err != nil {
		return InternalReview{}, "", invalidField("responded_on", ErrorMessage(fromCalendarErr(err)))
	}
	r := InternalReview{RequestedOn: requestedOn, TargetOn: target, LongstopOn: longstop}
	var warning string
	if elapsed > ReviewRequestWindow {
		r.Late = true
		basis := "the s.45 Code of Practice"
		if regime == calendar.RegimeEIR {
			basis = "regulation 11(2)"
		}
		warning = fmt.Sprintf("The review was requested %d working days after the response, more than the %d allowed by %s: "+
			"you may decline it.", elapsed, ReviewRequestWindow, basis)
	}
	return r, warning, nil
}

// Decide records the review's outcome, decided on the given date. It returns a warning for people when the
// decision comes after the longstop ("" otherwise), and EINVALID naming "outcome" (not one of ReviewOutcomes) or
// "decided_on" (missing, or before the review was requested); ECONFLICT when the review is already decided.
func (r *InternalReview) Decide(on calendar.Date, outcome string) (warning string, err error) {
	if !r.DecidedOn.IsZero() {
		return "", Errorf(ECONFLICT, "The internal review was already decided on %s.", govDate(r.DecidedOn))
	}
	var v Validation
	v.Check(slices.Contains(ReviewOutcomes, outcome), "outcome", "Select the outcome: upheld, upheld in part or overturned")
	switch {
	case on.IsZero():
		v.Add("decided_on", "Enter the date the review was decided")
	case on.Before(r.RequestedOn):
		v.Add("decided_on", fmt.Sprintf("The review cannot be decided before it was requested (%s)", govDate(r.RequestedOn)))
	}
	if err := v.Err(); err != nil {
		return "", err
	}
	r.DecidedOn, r.Outcome = on, outcome
	if !r.LongstopOn.IsZero() && on.After(r.LongstopOn) {
		return fmt.Sprintf("The review was decided after the 40th working day (%s).", govDate(r.LongstopOn)), nil
	}
	return "", nil
}

// The ICO decision notice outcomes.
const (
	ICOUpheld       = "upheld"        // the complaint is upheld: the authority must act
	ICOPartlyUpheld = "partly_upheld" // upheld in part
	ICONotUpheld    = "not_upheld"    // the authority's decision stands
	ICOResolved     = "resolved"      // resolved informally, no decision notice
	ICOWithdrawn    = "withdrawn"     // the complainant withdrew
)

// ICOOutcomes lists the ICO complaint outcomes in display order.
var ICOOutcomes = []string{ICOUpheld, ICOPartlyUpheld, ICONotUpheld, ICOResolved, ICOWithdrawn}

// Calendar-day periods of the ICO and tribunal stage.
const (
	ICOComplaintWindowDays = 42 // the ICO asks for complaints within six weeks of the final response
	ICOComplianceDays      = 35 // a decision notice typically requires steps within 35 calendar days
	TribunalAppealDays     = 28 // appeal to the First-tier Tribunal within 28 days of the decision notice
)

// ICOAppeal is a complaint to the Information Commissioner (FOIA s.50, applied to the EIR by reg 18) and any
// appeal to the tribunal.
type ICOAppeal struct {
	ComplaintOn      calendar.Date
	DecisionNoticeOn calendar.Date // zero until the ICO decides
	ComplianceOn     calendar.Date // DecisionNoticeOn + 35 calendar days
	Outcome          string        // "" until decided; one of ICOOutcomes
	Tribunal         bool          // appealed to the First-tier Tribunal (Information Rights)
}

// ICOComplaintWindowEnd returns the last day of the six weeks (42 calendar days) the ICO asks complainants to
// keep to after the final response; later complaints risk "undue delay" (s.50(2)(b)).
func ICOComplaintWindowEnd(finalResponseOn calendar.Date) calendar.Date {
	return finalResponseOn.AddDays(ICOComplaintWindowDays)
}

// ComplianceDate returns the date by which a decision notice served on noticeOn must be complied with:
// 35 calendar days later.
func ComplianceDate(noticeOn calendar.Date) calendar.Date { return noticeOn.AddDays(ICOComplianceDays) }

// TribunalAppealBy returns the last day for appealing a decision notice served on noticeOn to the First-tier
// Tribunal: 28 calendar days later.
func TribunalAppealBy(noticeOn calendar.Date) calendar.Date {
	return noticeOn.AddDays(TribunalAppealDays)
}

// RecordDecision records the ICO's outcome. For upheld, partly_upheld and not_upheld, on is the date of the
// decision notice and ComplianceOn becomes ComplianceDate(on) for upheld and partly upheld (zero otherwise); for
// resolved and withdrawn, on is the date the complaint closed. It returns EINVALID naming "outcome" (not one of
// ICOOutcomes) or "decision_notice_on" (missing, or before the complaint).
func (a *ICOAppeal) RecordDecision(on calendar.Date, outcome string) error {
	var v Validation
	v.Check(slices.Contains(ICOOutcomes, outcome), "outcome",
		"Select the outcome: upheld, partly upheld, not upheld, resolved or withdrawn")
	switch {
	case on.IsZero():
		v.Add("decision_notice_on", "Enter the date of the decision notice")
	case !a.ComplaintOn.IsZero() && on.Before(a.ComplaintOn):
		v.Add("decision_notice_on", fmt.Sprintf("The decision cannot come before the complaint (%s)", govDate(a.ComplaintOn)))
	}
	if err := v.Err(); err != nil {
		return err
	}
	a.DecisionNoticeOn, a.Outcome, a.ComplianceOn = on, outcome, calendar.Date{}
	if outcome == ICOUpheld || outcome == ICOPartlyUpheld {
		a.ComplianceOn = ComplianceDate(on)
	}
	return nil
}
