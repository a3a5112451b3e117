package foi

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"foidesk/internal/calendar"
)

// The response: the decision on a request (outcome, exemptions applied, the public interest test for each
// qualified one) and the letter that carries it to the requester.
//
// Lifecycle. A response is recorded in one of two ways, and the case walks its lifecycle (CheckTransition) one
// legal hop at a time, never jumping:
//
//   - drafted by an officer: the case moves to pending_approval from in_progress or awaiting_representations;
//     from received it first moves to in_progress (received -> in_progress -> pending_approval); a case already
//     pending approval keeps its status and the new draft replaces the old. A case whose clock is stopped
//     (awaiting_clarification, on_hold_fee) cannot take a draft: record the clarification or fee first.
//   - approved at once by a decision-maker, from any open status: received, awaiting_clarification and
//     on_hold_fee pass through in_progress, every status then through pending_approval, and the case ends
//     responded. A decision-maker deciding while the clock is stopped is a deliberate act (for example a
//     refusal under s.14), so it is allowed and the path is audited.
//
// A pending draft is approved (-> responded) or returned (-> in_progress, with a reason) by a decision-maker.

// ResponseStatus is where a recorded response stands.
type ResponseStatus string

// The response statuses. The database keeps pending_approval and approved; returned is derived: a draft that
// is no longer with a decision-maker because one sent it back.
const (
	ResponsePendingApproval ResponseStatus = "pending_approval"
	ResponseApproved        ResponseStatus = "approved"
	ResponseReturned        ResponseStatus = "returned"
)

// Delivery is how an approved response reaches the requester.
type Delivery string

// The deliveries: by email through the outbox when the requester gave an address, otherwise by post (an
// officer prints and posts the letter; foidesk sends nothing).
const (
	DeliveryEmail Delivery = "email"
	DeliveryPost  Delivery = "post"
)

// DeliveryFor returns how a response to this requester is delivered: email when there is an address, post
// otherwise (a request made by post or phone with no email address).
func DeliveryFor(r *Requester) Delivery {
	if r != nil && strings.TrimSpace(r.Email) != "" {
		return DeliveryEmail
	}
	return DeliveryPost
}

// MaxLetterLength is the longest response letter foidesk accepts, in characters.
const MaxLetterLength = 100000

// MaxReturnReasonLength is the longest reason for returning a draft, in characters.
const MaxReturnReasonLength = 2000

// ResponseDraft is a response as an officer or decision-maker submits it.
type ResponseDraft struct {
	Outcome    Outcome
	Exemptions []string // sections in any spelling LookupExemption accepts
	// PublicInterest holds the public interest test for each qualified exemption, keyed by section.
	PublicInterest map[string]PublicInterestTest
	// Letter is the letter to send; when empty it is rendered from Template.
	Letter string
	// Template is the letter template to render when Letter is empty; "" means DefaultResponseTemplate(Outcome).
	Template string
	// Notice is the advance notice a decision-maker approving at once gives the consulted parties.
	Notice AdvanceNotice
}

// AppliedExemption is one exemption (or EIR exception) a response applies, with its public interest test.
type AppliedExemption struct {
	Exemption
	// PIT is the recorded public interest test; nil for an absolute exemption or procedural ground.
	PIT *PublicInterestTest
}

// Response is a recorded response.
type Response struct {
	CaseID      int64
	Outcome     Outcome
	Exemptions  []AppliedExemption // in catalogue (statutory) order
	Letter      string
	Status      ResponseStatus
	DraftedBy   int64
	DraftedAt   time.Time
	ApprovedBy  int64      // 0 until approved
	ApprovedAt  *time.Time // nil until approved
	RespondedOn calendar.Date
	// Delivery is how the approved letter goes (or went) to the requester.
	Delivery Delivery
	// ReleaseOn is when the approved letter goes to the requester: RespondedOn, or later when the consulted
	// parties get advance notice (PlanRelease). Zero until approved.
	ReleaseOn calendar.Date
	// AdvanceNoticeWorkingDays and AdvanceNoticeReasons record the notice the consulted parties were given
	// (0 and "" when nobody was consulted).
	AdvanceNoticeWorkingDays int
	AdvanceNoticeReasons     string
	// ReturnReason, ReturnedAt and ReturnedBy say why a returned draft was sent back ("" / zero otherwise).
	ReturnReason string
	ReturnedAt   *time.Time
	ReturnedBy   string
}

// ResponseResult is what recording, approving or returning a response returns: the response and the case as
// it now stands. EmailQueued is true when the approval wrote the response email to the outbox; Warnings say
// what needs attention (a release after the deadline).
type ResponseResult struct {
	Response    *Response
	Case        *Case
	EmailQueued bool
	Warnings    []string
}

// Withholds reports whether the outcome withholds information, so that the response is a refusal notice
// (FOIA s.17, EIR reg 14): partially withheld, withheld in full, NCND and the s.12 and s.14 refusals.
func (o Outcome) Withholds() bool {
	switch o {
	case OutcomePartiallyWithheld, OutcomeWithheldInFull, OutcomeNCND, OutcomeRefusedCost, OutcomeRefusedVexatious:
		return true
	}
	return false
}

// DefaultResponseTemplate returns the letter template a response with this outcome is rendered from when
// neither a letter nor a template is given: refusal_notice when anything is withheld, full_response otherwise.
func DefaultResponseTemplate(o Outcome) string {
	if o.Withholds() {
		return LetterRefusalNotice
	}
	return LetterFullResponse
}

// Decision is a validated decision: the outcome and the applied exemptions in statutory order.
type Decision struct {
	Outcome    Outcome
	Exemptions []AppliedExemption
}

// Sections returns the canonical sections of the applied exemptions.
func (d Decision) Sections() []string {
	out := make([]string, len(d.Exemptions))
	for i, e := range d.Exemptions {
		out[i] = e.Section
	}
	return out
}

// CheckResponseDraft validates a draft for case c and returns the decision it records. It returns EINVALID
// naming each bad field: those of ValidateDecision ("outcome", "exemptions", "exemptions[i]",
// "public_interest.<section>"); "outcome" also for withdrawn and lapsed, which are not answered with a response
// (move the case to that status instead); "letter" for a letter over MaxLetterLength characters or not UTF-8;
// "template" for an unknown letter template.
func CheckResponseDraft(c *Case, d ResponseDraft) (Decision, error) {
	if d.Outcome == OutcomeWithdrawn || d.Outcome == OutcomeLapsed {
		return Decision{}, invalidField("outcome", "A "+lowerInitial(d.Outcome.Label())+" request is not answered with a response: "+
			"move the case to "+string(d.Outcome)+" instead")
	}
	var v Validation
	if err := ValidateDecision(c.Regime, d.Outcome, d.Exemptions, d.PublicInterest); err != nil {
		var de *Error
		if !errors.As(err, &de) || len(de.Fields) == 0 {
			return Decision{}, err
		}
		for _, f := range de.Fields {
			v.Add(f.Field, f.Message)
		}
	}
	if !utf8.ValidString(d.Letter) || utf8.RuneCountInString(d.Letter) > MaxLetterLength {
		v.Add("letter", "The letter must be UTF-8 text of 100,000 characters or fewer")
	}
	if d.Template != "" && !IsLetterKey(d.Template) {
		v.Add("template", "Choose one of the letter templates: "+strings.Join(LetterKeys, ", "))
	}
	if err := v.Err(); err != nil {
		return Decision{}, err
	}
	tests := map[string]PublicInterestTest{}
	for k, t := range d.PublicInterest {
		if e, err := LookupExemption(c.Regime, k); err == nil {
			tests[e.Section] = t
		}
	}
	dec := Decision{Outcome: d.Outcome}
	for _, s := range d.Exemptions {
		e, _ := LookupExemption(c.Regime, s) // ValidateDecision accepted every one
		ae := AppliedExemption{Exemption: e}
		if t, ok := tests[e.Section]; ok && e.Qualified {
			t := PublicInterestTest{FavourDisclosure: strings.TrimSpace(t.FavourDisclosure),
				FavourWithholding: strings.TrimSpace(t.FavourWithholding), Conclusion: strings.TrimSpace(t.Conclusion)}
			ae.PIT = &t
		}
		dec.Exemptions = append(dec.Exemptions, ae)
	}
	SortExemptions(c.Regime, dec.Exemptions)
	return dec, nil
}

// SortExemptions orders applied exemptions as the catalogue lists them (statutory order).
func SortExemptions(regime calendar.Regime, es []AppliedExemption) {
	cat, _ := exemptionCatalogue(regime)
	pos := func(section string) int {
		return slices.IndexFunc(cat, func(e Exemption) bool { return e.Section == section })
	}
	slices.SortStableFunc(es, func(a, b AppliedExemption) int { return pos(a.Section) - pos(b.Section) })
}

// ResponsePath returns the statuses a case in status from passes through when a response is recorded: by a
// drafter (approve false) it ends pending_approval, approved at once by a decision-maker (approve true) it ends
// responded. Each hop is checked with CheckTransition. It returns ECONFLICT when the case is not open, or for
// a draft while the clock is stopped (awaiting clarification, on hold for a fee). An empty path means the case
// stays where it is (a new draft replacing one pending approval).
func ResponsePath(from Status, approve bool) ([]Status, error) {
	if !from.Open() {
		return nil, Errorf(ECONFLICT, "The case is %s: it already has its response.", lowerInitial(from.Label()))
	}
	var path []Status
	cur := from
	switch from {
	case StatusAwaitingClarification, StatusOnHoldFee:
		if !approve {
			return nil, Errorf(ECONFLICT, "The case is %s and its clock is stopped: record the clarification or fee "+
				"received first, or ask a decision-maker to respond at once.", lowerInitial(from.Label()))
		}
		fallthrough
	case StatusReceived:
		path, cur = append(path, StatusInProgress), StatusInProgress
	}
	if cur != StatusPendingApproval {
		path, cur = append(path, StatusPendingApproval), StatusPendingApproval
	}
	if approve {
		path = append(path, StatusResponded)
	}
	prev := from
	for _, to := range path {
		if err := CheckTransition(prev, to); err != nil {
			return nil, err
		}
		prev = to
	}
	return path, nil
}

// CheckApproval returns nil when a recorded response may be approved: the case is pending approval with a
// draft. It returns ECONFLICT otherwise.
func CheckApproval(c *Case, r *Response) error {
	switch {
	case r == nil:
		return Errorf(ECONFLICT, "There is no draft response to approve: record one first.")
	case r.Status == ResponseApproved:
		return Errorf(ECONFLICT, "The response was already approved.")
	case c.Status != StatusPendingApproval:
		return Errorf(ECONFLICT, "Only a draft pending approval can be approved; the case is %s.", lowerInitial(c.Status.Label()))
	}
	return CheckTransition(c.Status, StatusResponded)
}

// CheckReturn validates returning a draft to its officer: the case must be pending approval (ECONFLICT) and a
// reason is required (EINVALID naming "reason"). It returns the trimmed reason.
func CheckReturn(c *Case, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if c.Status != StatusPendingApproval {
		return "", Errorf(ECONFLICT, "Only a draft pending approval can be returned; the case is %s.", lowerInitial(c.Status.Label()))
	}
	switch {
	case reason == "":
		return "", invalidField("reason", "Say why the draft goes back, so the officer knows what to change")
	case utf8.RuneCountInString(reason) > MaxReturnReasonLength:
		return "", invalidField("reason", "The reason must be 2,000 characters or fewer")
	}
	return reason, CheckTransition(c.Status, StatusInProgress)
}

// placeholderRE finds the bracketed notes the default letters leave for the officer: "[amount]".
var placeholderRE = regexp.MustCompile(`\[[A-Za-z][^\]\n]{2,}\]`)

// LetterPlaceholders returns the bracketed notes still in a letter ("[amount]"), in order, at most five.
func LetterPlaceholders(letter string) []string {
	return placeholderRE.FindAllString(letter, 5)
}

// CheckLetterComplete returns nil when a letter may go to the requester: it is not empty and has no bracketed
// note left to complete. Otherwise EINVALID naming "letter".
func CheckLetterComplete(letter string) error {
	if strings.TrimSpace(letter) == "" {
		return invalidField("letter", "Enter the letter to send to the requester")
	}
	if ph := LetterPlaceholders(letter); len(ph) > 0 {
		return invalidField("letter", "Complete the letter before it is sent: replace "+strings.Join(ph, ", "))
	}
	return nil
}

// NewICOAppeal opens a complaint to the ICO received on complaintOn about a response sent on respondedOn. It
// returns EINVALID naming "complaint_on" for a missing date or one before the response.
func NewICOAppeal(respondedOn, complaintOn calendar.Date) (ICOAppeal, error) {
	switch {
	case complaintOn.IsZero():
		return ICOAppeal{}, invalidField("complaint_on", "Enter the date of the complaint to the ICO")
	case !respondedOn.IsZero() && complaintOn.Before(respondedOn):
		return ICOAppeal{}, invalidField("complaint_on", "The complaint cannot come before the response was sent ("+govDate(respondedOn)+")")
	}
	return ICOAppeal{ComplaintOn: complaintOn}, nil
}

// ReviewBy returns the last day for asking for an internal review of a response sent on respondedOn: 40
// working days later (ReviewRequestWindow; cal nil means calendar.Default()).
func ReviewBy(cal *calendar.Calendar, respondedOn calendar.Date) (calendar.Date, error) {
	if cal == nil {
		cal = calendar.Default()
	}
	d, err := cal.AddWorkingDays(respondedOn, ReviewRequestWindow)
	return d, fromCalendarErr(err)
}

// CheckReviewable returns nil when an internal review or ICO complaint can be recorded on a case: it has been
// responded to (or closed after its response). ECONFLICT otherwise.
func CheckReviewable(c *Case, what string) error {
	if c.Status != StatusResponded && c.Status != StatusClosed {
		return Errorf(ECONFLICT, "%s can be recorded only once the request has been responded to; the case is %s.",
			what, lowerInitial(c.Status.Label()))
	}
	return nil
}

// ICOComplaintWarnings returns warnings for people about a complaint to the ICO received on complaintOn: when
// the complaints procedure was not exhausted (no internal review decided, and under 40 working days since one
// was requested), and when it came after the six weeks the ICO asks for since the final response (the review
// decision, or the response when there was no review).
func ICOComplaintWarnings(cal *calendar.Calendar, respondedOn calendar.Date, review *InternalReview, complaintOn calendar.Date) []string {
	if cal == nil {
		cal = calendar.Default()
	}
	var out []string
	final := respondedOn
	switch {
	case review == nil:
		out = append(out, "There was no internal review: the ICO usually expects the complaints procedure to be used first (s.50(2)(a)).")
	case review.DecidedOn.IsZero():
		if n, err := cal.WorkingDaysBetween(review.RequestedOn, complaintOn); err == nil && n <= 40 {
			out = append(out, "The internal review is still open: the ICO usually waits for its outcome, or for 40 working days.")
		}
	default:
		final = review.DecidedOn
	}
	if !final.IsZero() && complaintOn.After(ICOComplaintWindowEnd(final)) {
		out = append(out, "The complaint came more than six weeks after the final response ("+govDate(final)+
			"): the ICO may decline it for undue delay (s.50(2)(b)).")
	}
	return out
}

// ReviewResult is what recording an internal review returns.
type ReviewResult struct {
	Review   InternalReview
	Case     *Case
	Warnings []string
}

// AppealResult is what recording an ICO complaint or decision returns.
type AppealResult struct {
	Appeal   ICOAppeal
	Case     *Case
	Warnings []string
}

// MaxAdvanceNoticeWorkingDays is the longest advance notice foidesk accepts: the whole statutory period.
const MaxAdvanceNoticeWorkingDays = 20

// AdvanceNotice is what a decision-maker asks for when approving a response on a case with consultations:
// how many working days before release the consulted parties are told (nil means
// DefaultAdvanceNoticeWorkingDays) and, to give less than the default, why.
type AdvanceNotice struct {
	WorkingDays *int
	Reasons     string
}

// ReleasePlan is when an approved response is released and the advance notice the consulted parties get.
type ReleasePlan struct {
	ReleaseOn         calendar.Date
	NoticeWorkingDays int    // 0 when nobody was consulted
	Reasons           string // why the notice is shorter than the default ("" otherwise)
	Shortened         bool   // the notice is shorter than DefaultAdvanceNoticeWorkingDays
	// Warning says when the release falls after the case's deadline ("" otherwise): the statute does not wait.
	Warning string
}

// PlanRelease returns when a response the actor approves today on a case due on caseDue is released. With
// consulted parties each gets advance notice of what will be released and when (MoU 4.5): the release is
// n.WorkingDays working days after today (default DefaultAdvanceNoticeWorkingDays; 0 releases today). Without
// consulted parties the release is today and n is only checked. Errors: EINVALID (field
// advance_notice_working_days) for a count below 0 or above MaxAdvanceNoticeWorkingDays, and those of
// CheckAdvanceNotice: EFORBIDDEN when someone other than a decision-maker shortens the notice, EINVALID (field
// advance_notice_reasons) for a shortened notice without reasons.
func PlanRelease(cal *calendar.Calendar, actor *User, today, caseDue calendar.Date, consulted bool, n AdvanceNotice) (ReleasePlan, error) {
	days := DefaultAdvanceNoticeWorkingDays
	if n.WorkingDays != nil {
		days = *n.WorkingDays
	}
	reasons := strings.TrimSpace(n.Reasons)
	if days > MaxAdvanceNoticeWorkingDays {
		return ReleasePlan{}, invalidField("advance_notice_working_days",
			"Advance notice must be 20 working days or fewer")
	}
	if err := CheckAdvanceNotice(actor, days, reasons); err != nil {
		var e *Error
		if errors.As(err, &e) && len(e.Fields) == 1 && e.Fields[0].Field == "reasons" {
			return ReleasePlan{}, invalidField("advance_notice_reasons", e.Fields[0].Message)
		}
		return ReleasePlan{}, err
	}
	if utf8.RuneCountInString(reasons) > MaxReturnReasonLength {
		return ReleasePlan{}, invalidField("advance_notice_reasons", "The reasons must be 2,000 characters or fewer")
	}
	if !consulted {
		return ReleasePlan{ReleaseOn: today}, nil
	}
	on, err := cal.AddWorkingDays(today, days)
	if err != nil {
		return ReleasePlan{}, fromCalendarErr(err)
	}
	p := ReleasePlan{ReleaseOn: on, NoticeWorkingDays: days, Shortened: days < DefaultAdvanceNoticeWorkingDays}
	if p.Shortened {
		p.Reasons = reasons
	}
	if !caseDue.IsZero() && on.After(caseDue) {
		p.Warning = "The release on " + on.String() + " is after the case's deadline " + caseDue.String() +
			": a decision-maker may shorten the advance notice, with reasons."
	}
	return p, nil
}

// ResponseService records responses, internal reviews and ICO complaints. Every method checks the caller with
// Can (other parties' cases are ENOTFOUND), honours ifVersion (when not 0, the case's current version, else
// EPRECONDITION) and audits what it does or shows.
type ResponseService interface {
	// RecordResponse records a response: an officer's draft goes to pending_approval; a decision-maker's is
	// approved at once (the case ends responded and the response email is queued when the requester gave an
	// address). EINVALID naming each bad field; ECONFLICT for a case that cannot take a response now.
	RecordResponse(ctx context.Context, caseID, ifVersion int64, d ResponseDraft) (ResponseResult, error)
	// ApproveResponse approves the pending draft (decision-makers only: EFORBIDDEN otherwise) with the default
	// advance notice.
	ApproveResponse(ctx context.Context, caseID, ifVersion int64) (ResponseResult, error)
	// ApproveResponseWithNotice approves the pending draft giving the consulted parties the advance notice n
	// (PlanRelease): the response email waits for the release date.
	ApproveResponseWithNotice(ctx context.Context, caseID, ifVersion int64, n AdvanceNotice) (ResponseResult, error)
	// ReturnResponse sends the pending draft back to in_progress with a reason (decision-makers only).
	ReturnResponse(ctx context.Context, caseID, ifVersion int64, reason string) (ResponseResult, error)
	// FindResponse returns the case's response, draft or approved; ENOTFOUND when there is none.
	FindResponse(ctx context.Context, caseID int64) (*Response, error)

	// RequestInternalReview records that the requester asked for an internal review on requestedOn.
	RequestInternalReview(ctx context.Context, caseID, ifVersion int64, requestedOn calendar.Date) (ReviewResult, error)
	// DecideInternalReview records the review's outcome (decision-makers only).
	DecideInternalReview(ctx context.Context, caseID, ifVersion int64, decidedOn calendar.Date, outcome string) (ReviewResult, error)
	// FindInternalReview returns the case's internal review; ENOTFOUND when there is none.
	FindInternalReview(ctx context.Context, caseID int64) (InternalReview, error)

	// RecordICOComplaint records that the requester complained to the ICO on complaintOn.
	RecordICOComplaint(ctx context.Context, caseID, ifVersion int64, complaintOn calendar.Date) (AppealResult, error)
	// RecordICODecision records the ICO's decision notice and whether it went to the tribunal.
	RecordICODecision(ctx context.Context, caseID, ifVersion int64, noticeOn calendar.Date, outcome string, tribunal bool) (AppealResult, error)
	// FindICOAppeal returns the case's ICO complaint; ENOTFOUND when there is none.
	FindICOAppeal(ctx context.Context, caseID int64) (ICOAppeal, error)
}
