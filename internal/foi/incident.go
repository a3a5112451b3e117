package foi

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Incidents (MoU 4.5): a data loss, wrongful disclosure or security breach touching another party's
// information is reported to that party's designated security-incidents contacts within 24 hours of
// awareness. Under UK GDPR (Art. 33) the controller decides within 72 hours of awareness whether the ICO must
// be told. foidesk records the incident, notifies the affected parties at once, runs both clocks, and keeps
// the actions taken and the closure; everything is audited.

// IncidentKind is what happened.
type IncidentKind string

// The incident kinds of MoU 4.5.
const (
	IncidentDataLoss           IncidentKind = "data_loss"
	IncidentWrongfulDisclosure IncidentKind = "wrongful_disclosure"
	IncidentSecurityBreach     IncidentKind = "security_breach"
)

// IncidentKinds lists every kind in display order.
var IncidentKinds = []IncidentKind{IncidentDataLoss, IncidentWrongfulDisclosure, IncidentSecurityBreach}

// Valid reports whether k is a known kind.
func (k IncidentKind) Valid() bool { return slices.Contains(IncidentKinds, k) }

// Label returns the kind for people ("Wrongful disclosure").
func (k IncidentKind) Label() string {
	switch k {
	case IncidentDataLoss:
		return "Data loss"
	case IncidentWrongfulDisclosure:
		return "Wrongful disclosure"
	case IncidentSecurityBreach:
		return "Security breach"
	}
	return string(k)
}

// IncidentStatus is where an incident stands: open until closed with a summary.
type IncidentStatus string

// The incident statuses.
const (
	IncidentOpen   IncidentStatus = "open"
	IncidentClosed IncidentStatus = "closed"
)

// ICODecision is the decision whether to notify the Information Commissioner (UK GDPR Art. 33).
type ICODecision string

// The ICO decisions; "" while none is recorded.
const (
	ICONotify    ICODecision = "notify"
	ICONotNotify ICODecision = "not_notify"
)

// Valid reports whether d is a recorded decision.
func (d ICODecision) Valid() bool { return d == ICONotify || d == ICONotNotify }

// The incident clocks, from the moment the reporting party became aware.
const (
	IncidentNotifyWithin = 24 * time.Hour // MoU 4.5: report to the designated contacts
	ICODecisionWithin    = 72 * time.Hour // UK GDPR Art. 33: notify the ICO, or record why not
)

// Limits on incident text, in characters.
const (
	MaxIncidentText       = 20000
	MaxIncidentAffected   = 20
	maxIncidentAwareDrift = 5 * time.Minute // an aware_at this far in the future is a clock skew, not a typo
)

// IncidentActions: who may do what with an incident (see canIncident).
const (
	ActionRecordIncident Action = "incident.record" // report one, record actions, close it
	ActionReadIncident   Action = "incident.read"
	ActionDecideIncident Action = "incident.decide_ico" // the ICO notification decision
)

// canIncident decides the incident actions for Can. scope.OwnerPartyID is the reporting party,
// scope.ConsultedPartyID one affected party (Can is asked once per affected party). Reading: the reporting
// party's officers, decision-makers and auditors, an affected party's liaisons and auditors, and admins.
// Recording, actions and closure: the reporting party's officers and decision-makers, and admins. The ICO
// decision: the reporting party's decision-makers and admins. Whoever may not read gets ENOTFOUND.
func canIncident(actor *User, action Action, scope Scope) error {
	owner := ownParty(actor, scope.OwnerPartyID)
	reads := actor.Role == RoleAdmin ||
		(owner && hasRole(actor, RoleOfficer, RoleDecisionMaker, RoleAuditor)) ||
		(ownParty(actor, scope.ConsultedPartyID) && hasRole(actor, RoleLiaison, RoleAuditor))
	if !reads {
		return notFound()
	}
	switch action {
	case ActionReadIncident:
		return nil
	case ActionRecordIncident:
		if actor.Role == RoleAdmin || (owner && hasRole(actor, RoleOfficer, RoleDecisionMaker)) {
			return nil
		}
		return Errorf(EFORBIDDEN, "Only the reporting party's FOI officers, decision-makers and admins can do this.")
	case ActionDecideIncident:
		if actor.Role == RoleAdmin || (owner && actor.Role == RoleDecisionMaker) {
			return nil
		}
		return Errorf(EFORBIDDEN, "Only a decision-maker of the reporting party can record the ICO decision.")
	}
	return Errorf(EFORBIDDEN, "You cannot do this.")
}

// CanIncident is Can for an incident with several affected parties: it returns nil as soon as one scope
// (reporting party, one affected party) allows the action, otherwise the most telling refusal (EFORBIDDEN
// over ENOTFOUND). With no affected party it asks for the reporting party alone.
func CanIncident(a Actor, action Action, ownerPartyID int64, affected []int64) error {
	if len(affected) == 0 {
		return CanActor(a, action, Scope{OwnerPartyID: ownerPartyID})
	}
	var refusal error
	for _, p := range affected {
		err := CanActor(a, action, Scope{OwnerPartyID: ownerPartyID, ConsultedPartyID: p})
		if err == nil {
			return nil
		}
		if refusal == nil || ErrorCode(err) != ENOTFOUND {
			refusal = err
		}
	}
	return refusal
}

// NewIncident is the input for reporting an incident.
type NewIncident struct {
	Kind        IncidentKind
	Description string // what happened; stays in foidesk, never in an email
	AwareAt     string // RFC 3339: when the reporting party became aware
	// ReportingParty is the party reporting, by code; empty means the caller's own party (admins without a
	// party and the command line must name it).
	ReportingParty  string
	AffectedParties []string // codes of the parties whose information it touched (at least one)
	CaseID          int64    // the case concerned, 0 for none
	ConsultationID  int64    // the consultation concerned, 0 for none
	AssetCode       string   // the information asset concerned, "" for none
}

// Validate normalises the input and checks its shape against now: it returns the parsed awareness time, or
// an EINVALID error naming each bad field (kind, description, aware_at, affected_parties).
func (n *NewIncident) Validate(now time.Time) (time.Time, error) {
	var v Validation
	n.Description = strings.TrimSpace(n.Description)
	n.ReportingParty = strings.ToUpper(strings.TrimSpace(n.ReportingParty))
	n.AssetCode = strings.TrimSpace(n.AssetCode)
	v.Check(n.Kind.Valid(), "kind", "Select data_loss, wrongful_disclosure or security_breach")
	v.Check(n.Description != "", "description", "Describe what happened")
	checkLength(&v, "description", n.Description, MaxIncidentText)
	aware, err := time.Parse(time.RFC3339, strings.TrimSpace(n.AwareAt))
	switch {
	case strings.TrimSpace(n.AwareAt) == "":
		v.Add("aware_at", "Enter when you became aware of the incident")
	case err != nil:
		v.Add("aware_at", "Enter the time you became aware as an RFC 3339 timestamp, like 2026-03-02T09:30:00Z")
	case aware.After(now.Add(maxIncidentAwareDrift)):
		v.Add("aware_at", "The time you became aware cannot be in the future")
	}
	codes := make([]string, 0, len(n.AffectedParties))
	for _, c := range n.AffectedParties {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c != "" && !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	n.AffectedParties = codes
	v.Check(len(codes) > 0, "affected_parties", "Name at least one party whose information the incident touched")
	v.Check(len(codes) <= MaxIncidentAffected, "affected_parties", "Name 20 parties or fewer")
	for _, c := range codes {
		if !ValidPartyCode(c) {
			v.Add("affected_parties", "Unknown party code "+quoteShort(c))
			break
		}
	}
	if n.ReportingParty != "" && slices.Contains(codes, n.ReportingParty) {
		v.Add("affected_parties", "The affected parties are the other parties, not the one reporting")
	}
	if err := v.Err(); err != nil {
		return time.Time{}, err
	}
	return aware.UTC().Truncate(time.Microsecond), nil
}

// IncidentParty is one affected party and when its security-incidents contacts were told.
type IncidentParty struct {
	PartyID    int64
	PartyCode  string
	NotifiedAt *time.Time // nil while nobody of the party has been told (no active contact)
	Notified   []string   // the addresses told
}

// IncidentAction is one entry of an incident's actions log.
type IncidentAction struct {
	Seq     int64
	Note    string
	By      int64  // 0 for the command line or foidesk
	ByLabel string // the actor's email or "cli"/"system"
	TakenAt time.Time
}

// Incident is a recorded incident with its clocks, affected parties, actions, ICO decision and closure.
type Incident struct {
	ID              int64
	PartyID         int64 // the reporting party
	PartyCode       string
	Kind            IncidentKind
	Description     string
	AwareAt         time.Time
	CaseID          int64
	CaseReference   string
	ConsultationID  int64
	AssetID         int64
	AssetCode       string
	ReportedBy      int64
	ReportedByLabel string
	ReportedAt      time.Time
	Status          IncidentStatus
	Affected        []IncidentParty
	Actions         []IncidentAction
	ICODecision     ICODecision
	ICOReasons      string
	ICODecidedAt    *time.Time
	ICONotifiedAt   *time.Time
	ClosureSummary  string
	ClosedAt        *time.Time
	Version         int64
	NotifyOverdue   bool // set by Clocks: 24 hours passed with an affected party not told
	ICODecisionLate bool // set by Clocks: 72 hours passed with no ICO decision
	AllNotified     bool // set by Clocks: every affected party was told
}

// IncidentReference returns the incident's reference for people and emails: "INC-000042".
func IncidentReference(id int64) string { return fmt.Sprintf("INC-%06d", id) }

// NotifyDueAt returns when the affected parties must have been told: awareness plus 24 hours.
func (i *Incident) NotifyDueAt() time.Time { return i.AwareAt.Add(IncidentNotifyWithin) }

// ICODueAt returns when the ICO decision is due: awareness plus 72 hours.
func (i *Incident) ICODueAt() time.Time { return i.AwareAt.Add(ICODecisionWithin) }

// AffectedIDs returns the ids of the affected parties.
func (i *Incident) AffectedIDs() []int64 {
	out := make([]int64, 0, len(i.Affected))
	for _, p := range i.Affected {
		out = append(out, p.PartyID)
	}
	return out
}

// Clocks sets the overdue flags as they stand at now: NotifyOverdue when the 24 hours have passed and an
// affected party has not been told; ICODecisionLate when the 72 hours have passed with no decision (a
// closed incident is never late).
func (i *Incident) Clocks(now time.Time) {
	i.AllNotified = true
	for _, p := range i.Affected {
		if p.NotifiedAt == nil {
			i.AllNotified = false
		}
	}
	i.NotifyOverdue = !i.AllNotified && now.After(i.NotifyDueAt())
	i.ICODecisionLate = i.Status == IncidentOpen && i.ICODecision == "" && now.After(i.ICODueAt())
}

// checkOpen returns ECONFLICT (Detail["status"]) unless the incident is open.
func (i *Incident) checkOpen() error {
	if i.Status != IncidentOpen {
		return &Error{Code: ECONFLICT, Message: "This incident is closed.", Detail: map[string]any{"status": string(i.Status)}}
	}
	return nil
}

// CheckIncidentAction checks an action note for an open incident: ECONFLICT when closed, EINVALID (field
// "note") when empty or too long. It returns the trimmed note.
func (i *Incident) CheckIncidentAction(note string) (string, error) {
	if err := i.checkOpen(); err != nil {
		return "", err
	}
	return requiredText("note", note, "Say what was done")
}

// ICODecisionInput is the ICO notification decision as recorded.
type ICODecisionInput struct {
	Decision ICODecision
	Reasons  string
	// NotifiedAt is when the ICO was told (RFC 3339), for a notify decision; empty when not yet.
	NotifiedAt string
}

// DecideICO applies the ICO decision at now: ECONFLICT when closed; EINVALID naming "decision" (unknown),
// "reasons" (empty or too long) and "notified_at" (unparsable, in the future, before awareness, or given
// with not_notify). A decision may be revised while the incident is open (the ICO may be told later).
func (i *Incident) DecideICO(in ICODecisionInput, now time.Time) error {
	if err := i.checkOpen(); err != nil {
		return err
	}
	var v Validation
	in.Reasons = strings.TrimSpace(in.Reasons)
	v.Check(in.Decision.Valid(), "decision", "Select notify or not_notify")
	v.Check(in.Reasons != "", "reasons", "Give the reasons for the decision")
	checkLength(&v, "reasons", in.Reasons, MaxIncidentText)
	var notified *time.Time
	if s := strings.TrimSpace(in.NotifiedAt); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		switch {
		case err != nil:
			v.Add("notified_at", "Enter when the ICO was told as an RFC 3339 timestamp, like 2026-03-03T09:30:00Z")
		case in.Decision == ICONotNotify:
			v.Add("notified_at", "The ICO is not told under a not_notify decision")
		case t.After(now.Add(maxIncidentAwareDrift)) || t.Before(i.AwareAt):
			v.Add("notified_at", "The ICO was told after you became aware and not in the future")
		default:
			t = t.UTC().Truncate(time.Microsecond)
			notified = &t
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	i.ICODecision, i.ICOReasons, i.ICONotifiedAt = in.Decision, in.Reasons, notified
	decided := now
	i.ICODecidedAt = &decided
	return nil
}

// Close closes the incident with a summary at now: ECONFLICT when already closed or when no ICO decision was
// recorded (Detail["missing"] = "ico_decision"); EINVALID (field "summary") for an empty summary.
func (i *Incident) Close(summary string, now time.Time) error {
	if err := i.checkOpen(); err != nil {
		return err
	}
	if i.ICODecision == "" {
		return &Error{Code: ECONFLICT, Message: "Record the ICO notification decision before closing the incident.",
			Detail: map[string]any{"missing": "ico_decision"}}
	}
	s, err := requiredText("summary", summary, "Summarise how the incident was handled")
	if err != nil {
		return err
	}
	i.Status, i.ClosureSummary = IncidentClosed, s
	closed := now
	i.ClosedAt = &closed
	return nil
}

// requiredText trims s and returns EINVALID for field when it is empty (with message) or too long.
func requiredText(field, s, message string) (string, error) {
	var v Validation
	s = strings.TrimSpace(s)
	v.Check(s != "", field, message)
	checkLength(&v, field, s, MaxIncidentText)
	return s, v.Err()
}

// IncidentFilter selects incidents to list.
type IncidentFilter struct {
	Status IncidentStatus // "" for all
	CaseID int64          // 0 for all
}

// IncidentResult is what reporting an incident returns: the incident, the addresses told and, for each
// affected party with nobody to tell, why not.
type IncidentResult struct {
	Incident   Incident
	Unnotified []string
}

// Incident email templates: a notice, the parties, the kind and the times, and a link; never the description.
const (
	TmplIncidentReported = "incident_reported" // to each affected party's security-incidents contacts
	TmplIncidentOverdue  = "incident_overdue"  // to the reporting party's contacts: a clock ran out
)

// Reminder kinds of the daily scan for incidents.
const (
	ReminderIncidentNotify ReminderKind = "incident_notify_overdue" // 24 hours passed, a party not told
	ReminderIncidentICO    ReminderKind = "incident_ico_overdue"    // 72 hours passed, no ICO decision
)

// IncidentService records incidents (MoU 4.5). Every method checks the caller with CanIncident, runs in one
// transaction and audits what it does or shows; reporting writes the notifications to the outbox in that
// transaction.
type IncidentService interface {
	// ReportIncident records an incident and notifies the security-incidents contacts of each affected party
	// at once. EINVALID for bad input (unknown party, case, consultation or asset named by its field);
	// EFORBIDDEN/ENOTFOUND for a caller who may not report for the party.
	ReportIncident(ctx context.Context, in NewIncident) (IncidentResult, error)
	// FindIncident returns one incident with its clocks at now; ENOTFOUND unless the caller may read it.
	FindIncident(ctx context.Context, id int64) (Incident, error)
	// ListIncidents returns the incidents the caller may read, newest first (at most 500).
	ListIncidents(ctx context.Context, f IncidentFilter) ([]Incident, error)
	// RecordIncidentAction appends a note to the actions log. ECONFLICT when closed; EINVALID for an empty note.
	RecordIncidentAction(ctx context.Context, id int64, note string) (Incident, error)
	// DecideICONotification records the ICO decision (decision-makers and admins). See Incident.DecideICO.
	DecideICONotification(ctx context.Context, id int64, in ICODecisionInput) (Incident, error)
	// CloseIncident closes it with a summary. See Incident.Close.
	CloseIncident(ctx context.Context, id int64, summary string) (Incident, error)
}
