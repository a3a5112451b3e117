package foi

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"foidesk/internal/calendar"
)

// ConsultationStatus is where a consultation stands.
type ConsultationStatus string

// The consultation statuses. Draft, sent and representations_received are open and block disclosure;
// considered, closed_without_representations and waived resolve the consultation and are final.
const (
	ConsultationDraft                        ConsultationStatus = "draft"
	ConsultationSent                         ConsultationStatus = "sent"
	ConsultationRepresentationsReceived      ConsultationStatus = "representations_received"
	ConsultationConsidered                   ConsultationStatus = "considered"
	ConsultationClosedWithoutRepresentations ConsultationStatus = "closed_without_representations"
	ConsultationWaived                       ConsultationStatus = "waived"
)

// ConsultationStatuses lists every consultation status in lifecycle order.
var ConsultationStatuses = []ConsultationStatus{ConsultationDraft, ConsultationSent,
	ConsultationRepresentationsReceived, ConsultationConsidered, ConsultationClosedWithoutRepresentations,
	ConsultationWaived}

// Valid reports whether s is a known consultation status.
func (s ConsultationStatus) Valid() bool { return slices.Contains(ConsultationStatuses, s) }

// Open reports whether the consultation still blocks disclosure: true for draft, sent and
// representations_received; false for the resolved statuses and for unknown ones.
func (s ConsultationStatus) Open() bool {
	switch s {
	case ConsultationDraft, ConsultationSent, ConsultationRepresentationsReceived:
		return true
	}
	return false
}

// Resolved reports whether the consultation no longer blocks disclosure: considered,
// closed_without_representations or waived. An unknown status is neither open nor resolved, and blocks.
func (s ConsultationStatus) Resolved() bool {
	switch s {
	case ConsultationConsidered, ConsultationClosedWithoutRepresentations, ConsultationWaived:
		return true
	}
	return false
}

// Label returns the status's name for people ("Representations received"); an unknown status is returned as is.
func (s ConsultationStatus) Label() string {
	switch s {
	case ConsultationDraft:
		return "Draft"
	case ConsultationSent:
		return "Sent"
	case ConsultationRepresentationsReceived:
		return "Representations received"
	case ConsultationConsidered:
		return "Considered"
	case ConsultationClosedWithoutRepresentations:
		return "Closed without representations"
	case ConsultationWaived:
		return "Waived"
	}
	return string(s)
}

// The consultation actions, as named in ECONFLICT errors' Detail["allowed"].
const (
	ConsultationActionSend        = "send"
	ConsultationActionRepresent   = "submit_representation"
	ConsultationActionRemind      = "remind"
	ConsultationActionEscalate    = "escalate"
	ConsultationActionConsider    = "consider"
	ConsultationActionCloseNoReps = "close_without_representations"
	ConsultationActionWaive       = "waive"
	ConsultationActionEditDraft   = "edit"   // a draft's pack, before it is sent
	ConsultationActionAttach      = "attach" // a file to the latest representations
)

// ConsultationActions returns the actions a consultation in status s allows, in display order (nil for a
// resolved or unknown status). An action may still need more than the status: closing without representations
// needs the respond-by date passed, a reminder and the escalation.
func ConsultationActions(s ConsultationStatus) []string {
	switch s {
	case ConsultationDraft:
		return []string{ConsultationActionSend, ConsultationActionEditDraft, ConsultationActionWaive}
	case ConsultationSent:
		return []string{ConsultationActionRepresent, ConsultationActionRemind, ConsultationActionEscalate,
			ConsultationActionCloseNoReps, ConsultationActionWaive}
	case ConsultationRepresentationsReceived:
		return []string{ConsultationActionRepresent, ConsultationActionAttach, ConsultationActionConsider,
			ConsultationActionWaive}
	}
	return nil
}

// Defaults and limits for consultations.
const (
	// DefaultConsultationWorkingDays is how long a consulted party has to answer, in working days after sending.
	DefaultConsultationWorkingDays = 5
	// DefaultDecisionMarginWorkingDays is the time kept back before the case's deadline for the authority to
	// decide: respond-by is never later than the deadline minus this many working days.
	DefaultDecisionMarginWorkingDays = 5
	// MaxConsultationText is the longest question, information at issue, summary, harm or set of reasons
	// foidesk accepts, in characters.
	MaxConsultationText = 20000
	// MaxPassageLength is the longest passage (or page reference) a proposed redaction may quote, in characters.
	MaxPassageLength = 5000
)

// DefaultConsultationQuestion is the question a consultation created automatically asks; the officer may edit
// it while the consultation is a draft.
const DefaultConsultationQuestion = "We have received a request for information that relates to information " +
	"shared under our agreement. Please tell us whether you object to disclosure of the information at issue, " +
	"what harm you foresee, and any exemptions or redactions you propose."

// Consultation is one case's request to one other party for representations before disclosure (MoU 3.2, s.45
// Code Part 3). The receiving authority owns the case, the deadline and the decision; the consulted party has no
// veto.
type Consultation struct {
	ID                 int64
	CaseID             int64
	Regime             calendar.Regime // the case's regime, used to check proposed exemptions
	OwnerPartyID       int64           // the party that received the request and owns the case
	ConsultedPartyID   int64
	ConsultedPartyCode string   // "HO", for people; blockers fall back to the id when empty
	AssetCodes         []string // the confirmed assets that made the consultation required
	Status             ConsultationStatus
	Question           string
	InformationAtIssue string
	ContactEmail       string        // the consulted party's BAU FOI contact it went to
	SentOn             calendar.Date // zero while a draft
	RespondBy          calendar.Date // zero while a draft
	RemindersSent      int
	LastReminderOn     calendar.Date
	EscalatedOn        calendar.Date // when the escalation contacts were told; zero if never
	// Representations holds every version the consulted party submitted, oldest first (Version 1, 2, ...).
	Representations []Representation
	Consideration   *Consideration // nil until considered
	ClosureReasons  string         // why the authority proceeds without representations
	WaiverReasons   string         // why the consultation was waived
	ResolvedOn      calendar.Date  // when it was considered, closed or waived
	Version         int64
}

// NewConsultation returns a draft consultation of case caseID (owned by ownerParty, under regime) with
// consultedParty, asking DefaultConsultationQuestion.
func NewConsultation(caseID int64, regime calendar.Regime, ownerParty, consultedParty int64) Consultation {
	return Consultation{CaseID: caseID, Regime: regime, OwnerPartyID: ownerParty, ConsultedPartyID: consultedParty,
		Status: ConsultationDraft, Question: DefaultConsultationQuestion}
}

// Scope returns the consultation's scope for Can: the owning party and the consulted party.
func (c *Consultation) Scope() Scope {
	return Scope{OwnerPartyID: c.OwnerPartyID, ConsultedPartyID: c.ConsultedPartyID}
}

// partyLabel returns the consulted party's code, or "party <id>" when the code is not loaded.
func (c *Consultation) partyLabel() string {
	if c.ConsultedPartyCode != "" {
		return c.ConsultedPartyCode
	}
	return fmt.Sprintf("party %d", c.ConsultedPartyID)
}

// Validate trims and checks what an officer edits on a consultation and returns EINVALID naming each bad field:
// question (required), information_at_issue, contact_email (a valid address when given) and consulted_party (not
// the owning party).
func (c *Consultation) Validate() error {
	var v Validation
	c.Question = strings.TrimSpace(c.Question)
	c.InformationAtIssue = strings.TrimSpace(c.InformationAtIssue)
	v.Check(c.Question != "", "question", "Enter the question for the consulted party")
	checkLength(&v, "question", c.Question, MaxConsultationText)
	checkLength(&v, "information_at_issue", c.InformationAtIssue, MaxConsultationText)
	if c.ContactEmail != "" {
		c.ContactEmail = NormalizeEmail(c.ContactEmail)
		v.Check(ValidEmail(c.ContactEmail), "contact_email",
			"Enter an email address in the correct format, like foi@example.gov.uk")
	}
	v.Check(c.ConsultedPartyID != 0 && c.ConsultedPartyID != c.OwnerPartyID, "consulted_party",
		"Select a party other than the one that received the request")
	return v.Err()
}

// checkLength records an error for field when s is longer than max characters.
func checkLength(v *Validation, field, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		v.Add(field, fmt.Sprintf("Must be %d characters or fewer", max))
	}
}

// conflict returns the ECONFLICT error for doing what in status, with Detail["status"] and Detail["allowed"]
// (the actions the status allows, a []string, possibly empty).
func (c *Consultation) conflict(message string) error {
	allowed := ConsultationActions(c.Status)
	if allowed == nil {
		allowed = []string{}
	}
	return &Error{Code: ECONFLICT, Message: message,
		Detail: map[string]any{"status": string(c.Status), "allowed": allowed}}
}

// stateMessage says, for an ECONFLICT, that a consultation in its status cannot do what.
func (c *Consultation) stateMessage(what string) string {
	return "A consultation that is " + lowerInitial(c.Status.Label()) + " cannot be " + what + "."
}

// Send records that a draft consultation went to its contact on the given date and sets RespondBy with
// cal.RespondBy: workingDays working days after on (0 means DefaultConsultationWorkingDays), but never later
// than marginWorkingDays working days before caseDue (ignored when zero) and never before on. A RespondBy the
// officer chose on the draft (EditDraft) is kept when it is still after on and within that bound (EINVALID on
// respond_by otherwise). It returns a
// warning for people when the deadline squeezed respond-by below the working days asked for ("" otherwise).
// Errors: ECONFLICT unless the consultation is a draft; EINVALID for a zero date, negative counts, a missing
// contact_email, or a date outside the calendar's range.
func (c *Consultation) Send(on calendar.Date, cal *calendar.Calendar, caseDue calendar.Date, workingDays, marginWorkingDays int) (string, error) {
	if c.Status != ConsultationDraft {
		return "", c.conflict(c.stateMessage("sent again"))
	}
	var v Validation
	v.Check(!on.IsZero(), "sent_on", "Enter the date the consultation is sent")
	v.Check(workingDays >= 0, "working_days", "Working days must be 0 (the default) or more")
	v.Check(marginWorkingDays >= 0, "margin_working_days", "The decision margin must be 0 or more working days")
	v.Check(strings.TrimSpace(c.ContactEmail) != "", "contact_email",
		"The consulted party has no business-as-usual FOI contact to send to")
	if err := v.Err(); err != nil {
		return "", err
	}
	if workingDays == 0 {
		workingDays = DefaultConsultationWorkingDays
	}
	if !c.RespondBy.IsZero() { // chosen on the draft (EditDraft): still within the bounds on the day it is sent
		if err := checkRespondBy(c.RespondBy, on, cal, caseDue, marginWorkingDays); err != nil {
			return "", err
		}
		c.Status, c.SentOn = ConsultationSent, on
		return "", nil
	}
	by, err := cal.RespondBy(on, workingDays, caseDue, marginWorkingDays)
	if err != nil {
		return "", fromCalendarErr(err)
	}
	full, err := cal.AddWorkingDays(on, workingDays)
	if err != nil {
		return "", fromCalendarErr(err)
	}
	c.Status = ConsultationSent
	c.SentOn = on
	c.RespondBy = by
	if by.Before(full) {
		got, _ := cal.WorkingDaysBetween(on, by)
		if got <= 0 {
			return fmt.Sprintf("The case is due %s: keeping %d working days to decide leaves no time for "+
				"representations, so %s is asked to respond by %s.", caseDue, marginWorkingDays, c.partyLabel(), by), nil
		}
		return fmt.Sprintf("The case is due %s: %s is asked to respond by %s, %d working days after sending "+
			"instead of %d, to leave %d working days to decide.", caseDue, c.partyLabel(), by, got, workingDays,
			marginWorkingDays), nil
	}
	return "", nil
}

// RecordReminder records a reminder sent on the given date to the consulted party. Errors: ECONFLICT unless the
// consultation is sent and still awaiting representations; EINVALID for a zero date.
func (c *Consultation) RecordReminder(on calendar.Date) error {
	if c.Status != ConsultationSent {
		return c.conflict(c.stateMessage("reminded"))
	}
	if on.IsZero() {
		return invalidField("reminded_on", "Enter the date of the reminder")
	}
	c.RemindersSent++
	c.LastReminderOn = on
	return nil
}

// RecordEscalation records that the consulted party's escalation contacts were told on the given date. Only the
// first escalation date is kept; recording it again changes nothing and succeeds, so a retried delivery is
// harmless. Errors: ECONFLICT unless the consultation is sent and still awaiting representations; EINVALID for a
// zero date.
func (c *Consultation) RecordEscalation(on calendar.Date) error {
	if c.Status != ConsultationSent {
		return c.conflict(c.stateMessage("escalated"))
	}
	if on.IsZero() {
		return invalidField("escalated_on", "Enter the date of the escalation")
	}
	if c.EscalatedOn.IsZero() {
		c.EscalatedOn = on
	}
	return nil
}

// SubmitRepresentation validates r against the consultation's regime and records it at the given instant as the
// next version (1, 2, ...): every earlier version is kept, and the consultation becomes representations_received.
// Representations can be revised until the consultation is considered, closed or waived, including after
// respond-by. The caller checks Can(actor, ActionRepresent, c.Scope()). Errors: ECONFLICT unless the
// consultation is sent or representations_received; EINVALID naming each bad field (see
// Representation.Validate).
func (c *Consultation) SubmitRepresentation(r Representation, at time.Time) error {
	switch c.Status {
	case ConsultationSent, ConsultationRepresentationsReceived:
	case ConsultationDraft:
		return c.conflict("This consultation has not been sent yet, so it cannot take representations.")
	default:
		return c.conflict(c.stateMessage("given representations any more"))
	}
	r = r.clone()
	if err := r.Validate(c.Regime); err != nil {
		return err
	}
	r.Version = len(c.Representations) + 1
	r.SubmittedAt = at
	c.Representations = append(c.Representations, r)
	c.Status = ConsultationRepresentationsReceived
	return nil
}

// Latest returns the latest version of the representations and true, or the zero Representation and false when
// none was submitted.
func (c *Consultation) Latest() (Representation, bool) {
	if len(c.Representations) == 0 {
		return Representation{}, false
	}
	return c.Representations[len(c.Representations)-1], true
}

// Consider records a decision-maker's consideration of the latest representations (k.RepresentationVersion is
// set to its version) and resolves the consultation. The caller checks Can(actor, ActionConsider, c.Scope()).
// Errors: ECONFLICT unless representations were received and not yet considered; EINVALID for an unknown
// outcome or empty reasons.
func (c *Consultation) Consider(k Consideration) error {
	switch c.Status {
	case ConsultationRepresentationsReceived:
	case ConsultationDraft, ConsultationSent:
		return c.conflict("There are no representations to consider yet. After the respond-by date, with a " +
			"reminder and the escalation sent, a decision-maker can close the consultation without them.")
	default:
		return c.conflict(c.stateMessage("considered"))
	}
	if err := k.Validate(); err != nil {
		return err
	}
	latest, _ := c.Latest()
	k.RepresentationVersion = latest.Version
	c.Consideration = &k
	c.Status = ConsultationConsidered
	if !k.ConsideredAt.IsZero() {
		c.ResolvedOn = calendar.LondonDate(k.ConsideredAt)
	}
	return nil
}

// The preconditions of CloseWithoutRepresentations, as listed in its ECONFLICT error's Detail["missing"].
const (
	MissingRespondByPassed = "respond_by_passed"
	MissingReminder        = "reminder"
	MissingEscalation      = "escalation"
)

// CloseWithoutRepresentations records that the authority proceeds without representations (s.45 Code: with no
// response by the deadline the authority makes its own decision). It is allowed only when today is after
// RespondBy and at least one reminder and the escalation were sent. The caller checks that the actor is a
// decision-maker of the owning party (Can with ActionDecideCase). Errors: ECONFLICT when the consultation is not
// awaiting representations (a draft is waived instead; received representations are considered instead), and
// ECONFLICT naming what is missing, with Detail["missing"] listing MissingRespondByPassed, MissingReminder and
// MissingEscalation as they apply; EINVALID (field "reasons") for empty reasons or a zero date.
func (c *Consultation) CloseWithoutRepresentations(reasons string, today calendar.Date) error {
	switch c.Status {
	case ConsultationSent:
	case ConsultationDraft:
		return c.conflict("This consultation was never sent, so it cannot time out: a decision-maker can waive it with reasons.")
	case ConsultationRepresentationsReceived:
		return c.conflict("Representations were received: record a consideration of them instead.")
	default:
		return c.conflict(c.stateMessage("closed without representations"))
	}
	if today.IsZero() {
		return invalidField("closed_on", "Enter the date")
	}
	var missing, words []string
	if !today.After(c.RespondBy) {
		missing = append(missing, MissingRespondByPassed)
		words = append(words, "the respond-by date ("+c.RespondBy.String()+") has passed")
	}
	if c.RemindersSent == 0 {
		missing = append(missing, MissingReminder)
		words = append(words, "a reminder was sent")
	}
	if c.EscalatedOn.IsZero() {
		missing = append(missing, MissingEscalation)
		words = append(words, "the escalation was sent")
	}
	if len(missing) > 0 {
		err := c.conflict("This consultation can be closed without representations only once " + joinAnd(words) + ".")
		err.(*Error).Detail["missing"] = missing
		return err
	}
	reasons = strings.TrimSpace(reasons)
	if err := checkReasons(reasons, "Say why the authority proceeds without representations"); err != nil {
		return err
	}
	c.Status = ConsultationClosedWithoutRepresentations
	c.ClosureReasons = reasons
	c.ResolvedOn = today
	return nil
}

// Waive records a decision-maker's waiver of the consultation with reasons (for example: the information is
// already published), before it is considered, closed or waived. The caller checks that the actor is a
// decision-maker of the owning party (Can with ActionDecideCase). Errors: ECONFLICT once the consultation is
// resolved; EINVALID (field "reasons") for empty reasons.
func (c *Consultation) Waive(reasons string, on calendar.Date) error {
	if !c.Status.Open() {
		return c.conflict(c.stateMessage("waived"))
	}
	reasons = strings.TrimSpace(reasons)
	if err := checkReasons(reasons, "Say why the consultation is waived, for example that the information is already published"); err != nil {
		return err
	}
	c.Status = ConsultationWaived
	c.WaiverReasons = reasons
	c.ResolvedOn = on
	return nil
}

// checkReasons returns EINVALID for field "reasons" when reasons is empty (with the given message) or too long.
func checkReasons(reasons, message string) error {
	var v Validation
	v.Check(reasons != "", "reasons", message)
	checkLength(&v, "reasons", reasons, MaxConsultationText)
	return v.Err()
}

// joinAnd joins phrases as "a", "a and b" or "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// NeedsDispute reports whether the MoU section 8 dispute ladder must start for the consultation: the consulted
// party objected (in part or in full, in its latest representations), the authority did not accept the
// objection in full (not_accepted or partly_accepted), and the decision is to disclose. Either party may also
// raise a dispute in other cases; this is only the automatic trigger.
func NeedsDispute(c Consultation, decisionDiscloses bool) bool {
	if !decisionDiscloses || c.Status != ConsultationConsidered || c.Consideration == nil {
		return false
	}
	latest, ok := c.Latest()
	return ok && latest.Position.Objects() && c.Consideration.Outcome != ConsiderationAccepted
}

// Position is the consulted party's stance on disclosure.
type Position string

// The positions.
const (
	PositionNoObjection  Position = "no_objection"
	PositionObjectInPart Position = "object_in_part"
	PositionObjectInFull Position = "object_in_full"
)

// Positions lists every position in display order.
var Positions = []Position{PositionNoObjection, PositionObjectInPart, PositionObjectInFull}

// Valid reports whether p is a known position.
func (p Position) Valid() bool { return slices.Contains(Positions, p) }

// Objects reports whether p objects to disclosure, in part or in full.
func (p Position) Objects() bool { return p == PositionObjectInPart || p == PositionObjectInFull }

// Label returns the position for people ("Objects in part"); an unknown position is returned as is.
func (p Position) Label() string {
	switch p {
	case PositionNoObjection:
		return "No objection"
	case PositionObjectInPart:
		return "Objects in part"
	case PositionObjectInFull:
		return "Objects in full"
	}
	return string(p)
}

// ProposedExemption is an exemption the consulted party asks the authority to apply, with its reasons.
type ProposedExemption struct {
	Section string // canonical after Validate: "31(1)(e)"
	Reasons string
}

// ProposedRedaction is a passage (or page) of a document the consulted party asks the authority to redact.
type ProposedRedaction struct {
	DocumentID int64
	Passage    string // the words to redact, or where they are ("page 3, paragraph 2")
	Reasons    string
}

// Representation is one version of the consulted party's answer to a consultation.
type Representation struct {
	Version            int // set by SubmitRepresentation: 1, 2, ...
	Position           Position
	Summary            string
	Harm               string // the harm disclosure would cause, "" when none is claimed
	ProposedExemptions []ProposedExemption
	ProposedRedactions []ProposedRedaction
	AttachmentIDs      []int64 // files submitted with the representations
	SubmittedBy        int64   // user id
	SubmittedAt        time.Time
	// Attachments are the files attached to this version (RepresentationAttachmentService), as stored.
	Attachments []RepresentationAttachment
}

// clone returns a copy of r that shares no slices with it.
func (r Representation) clone() Representation {
	r.ProposedExemptions = slices.Clone(r.ProposedExemptions)
	r.ProposedRedactions = slices.Clone(r.ProposedRedactions)
	r.AttachmentIDs = slices.Clone(r.AttachmentIDs)
	r.Attachments = slices.Clone(r.Attachments)
	return r
}

// Validate trims r's text, writes each proposed section in its canonical form, and returns EINVALID naming each
// bad field: position (unknown, or no_objection while proposing exemptions or redactions), summary (required),
// harm (an objection needs the harm or at least one proposed exemption), proposed_exemptions[i].section (not in
// the regime's catalogue, a refusal ground rather than an exemption, or proposed twice),
// proposed_exemptions[i].reasons, proposed_redactions[i].document_id, proposed_redactions[i].passage,
// proposed_redactions[i].reasons (all required) and attachments[i]. An unknown regime returns EINVALID.
func (r *Representation) Validate(regime calendar.Regime) error {
	if regime != "" && regime != calendar.RegimeFOIA && regime != calendar.RegimeEIR {
		return Errorf(EINVALID, "Unknown regime %q: select FOIA or EIR.", string(regime))
	}
	var v Validation
	r.Summary = strings.TrimSpace(r.Summary)
	r.Harm = strings.TrimSpace(r.Harm)
	if !r.Position.Valid() {
		v.Add("position", "Select no objection, objects in part or objects in full")
	} else if r.Position == PositionNoObjection && (len(r.ProposedExemptions) > 0 || len(r.ProposedRedactions) > 0) {
		v.Add("position", "You proposed exemptions or redactions: select objects in part or objects in full")
	}
	v.Check(r.Summary != "", "summary", "Enter a summary of your representations")
	checkLength(&v, "summary", r.Summary, MaxConsultationText)
	checkLength(&v, "harm", r.Harm, MaxConsultationText)
	if r.Position.Objects() && r.Harm == "" && len(r.ProposedExemptions) == 0 {
		v.Add("harm", "Say what harm disclosure would cause, or propose an exemption")
	}
	var seen []string
	for i := range r.ProposedExemptions {
		e := &r.ProposedExemptions[i]
		f := fmt.Sprintf("proposed_exemptions[%d]", i)
		e.Reasons = strings.TrimSpace(e.Reasons)
		switch ex, err := LookupExemption(regime, e.Section); {
		case err != nil:
			v.Add(f+".section", ErrorMessage(err))
		case ex.Procedural:
			v.Add(f+".section", ex.Citation()+" is a refusal ground for the authority that received the request, "+
				"not an exemption to propose")
		case slices.Contains(seen, ex.Section):
			v.Add(f+".section", ex.Citation()+" is proposed more than once")
		default:
			e.Section = ex.Section
			seen = append(seen, ex.Section)
		}
		v.Check(e.Reasons != "", f+".reasons", "Say why the exemption applies")
		checkLength(&v, f+".reasons", e.Reasons, MaxConsultationText)
	}
	for i := range r.ProposedRedactions {
		d := &r.ProposedRedactions[i]
		f := fmt.Sprintf("proposed_redactions[%d]", i)
		d.Passage = strings.TrimSpace(d.Passage)
		d.Reasons = strings.TrimSpace(d.Reasons)
		v.Check(d.DocumentID > 0, f+".document_id", "Select the document")
		v.Check(d.Passage != "", f+".passage", "Enter the passage or page to redact")
		checkLength(&v, f+".passage", d.Passage, MaxPassageLength)
		v.Check(d.Reasons != "", f+".reasons", "Say why the passage should be redacted")
		checkLength(&v, f+".reasons", d.Reasons, MaxConsultationText)
	}
	for i, id := range r.AttachmentIDs {
		v.Check(id > 0, fmt.Sprintf("attachments[%d]", i), "Select a valid attachment")
	}
	return v.Err()
}

// ConsiderationOutcome is how a decision-maker weighed the consulted party's representations.
type ConsiderationOutcome string

// The consideration outcomes.
const (
	ConsiderationAccepted       ConsiderationOutcome = "accepted"
	ConsiderationPartlyAccepted ConsiderationOutcome = "partly_accepted"
	ConsiderationNotAccepted    ConsiderationOutcome = "not_accepted"
)

// ConsiderationOutcomes lists every outcome in display order.
var ConsiderationOutcomes = []ConsiderationOutcome{ConsiderationAccepted, ConsiderationPartlyAccepted,
	ConsiderationNotAccepted}

// Valid reports whether o is a known outcome.
func (o ConsiderationOutcome) Valid() bool { return slices.Contains(ConsiderationOutcomes, o) }

// Label returns the outcome for people ("Partly accepted"); an unknown outcome is returned as is.
func (o ConsiderationOutcome) Label() string {
	switch o {
	case ConsiderationAccepted:
		return "Accepted"
	case ConsiderationPartlyAccepted:
		return "Partly accepted"
	case ConsiderationNotAccepted:
		return "Not accepted"
	}
	return string(o)
}

// Consideration is a decision-maker's record of how the representations were weighed. The authority decides;
// the consulted party has no veto.
type Consideration struct {
	Outcome               ConsiderationOutcome
	Reasons               string
	RepresentationVersion int   // the version considered; set by Consultation.Consider
	ConsideredBy          int64 // user id
	ConsideredAt          time.Time
}

// Validate trims the reasons and returns EINVALID naming each bad field: outcome (unknown) and reasons
// (required).
func (k *Consideration) Validate() error {
	var v Validation
	k.Reasons = strings.TrimSpace(k.Reasons)
	v.Check(k.Outcome.Valid(), "outcome", "Select accepted, partly accepted or not accepted")
	v.Check(k.Reasons != "", "reasons", "Say how the representations were weighed")
	checkLength(&v, "reasons", k.Reasons, MaxConsultationText)
	return v.Err()
}

// PackDocument is a document sent in a consultation pack, with the redactions the authority proposes.
type PackDocument struct {
	DocumentID         int64
	Name               string
	Version            int64
	ProposedRedactions []ProposedRedaction
}

// ConsultationPack is what the consulted party's liaison sees: the question, the request text, the information
// at issue, the draft response and the documents with proposed redactions. By construction it has no field for
// the requester (requests are applicant-blind) and nothing else of the owning party's case; the request text
// is passed as written, so an officer who finds the requester named in it redacts it in the draft before
// sending.
type ConsultationPack struct {
	ConsultationID     int64
	OwnerPartyID       int64
	ConsultedPartyID   int64
	Regime             calendar.Regime
	AssetCodes         []string
	Question           string
	RequestText        string
	InformationAtIssue string
	DraftResponse      string
	Documents          []PackDocument
	SentOn             calendar.Date
	RespondBy          calendar.Date
}

// Pack returns the consultation's pack for the consulted party from the case's request text, the draft response
// and the documents with proposed redactions. It copies every slice, so the pack shares nothing with c.
func (c Consultation) Pack(caseRequestText, draftResponse string, documents ...PackDocument) ConsultationPack {
	docs := make([]PackDocument, len(documents))
	for i, d := range documents {
		d.ProposedRedactions = slices.Clone(d.ProposedRedactions)
		docs[i] = d
	}
	return ConsultationPack{
		ConsultationID:     c.ID,
		OwnerPartyID:       c.OwnerPartyID,
		ConsultedPartyID:   c.ConsultedPartyID,
		Regime:             c.Regime,
		AssetCodes:         slices.Clone(c.AssetCodes),
		Question:           c.Question,
		RequestText:        caseRequestText,
		InformationAtIssue: c.InformationAtIssue,
		DraftResponse:      draftResponse,
		Documents:          docs,
		SentOn:             c.SentOn,
		RespondBy:          c.RespondBy,
	}
}
