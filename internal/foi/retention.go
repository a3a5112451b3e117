package foi

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"foidesk/internal/calendar"
)

// Retention and destruction (MoU 4.5: data is held only while there is a business need and then destroyed;
// s.46 Code of Practice on records management). Each record type has a schedule: a period in months after
// the event that starts it. A case file is destroyed 3 years after closure, or 6 years after the final outcome
// of an ICO appeal; requester details may go earlier where an admin enables it. Destruction removes the
// contents (documents, requester data, pack texts, representations, attachments, letters, notes) and keeps the
// case row's statistical fields (regime, dates, status, outcome, exemption sections) and an audited tombstone,
// so statistics still count the case. Nothing is destroyed while a legal hold applies: an internal review,
// ICO appeal or incident concerning the case is open, or someone placed a manual hold with reasons.

// RetentionRecordType names a schedule.
type RetentionRecordType string

// The schedules.
const (
	RetentionCaseFile         RetentionRecordType = "case_file"              // months after closure
	RetentionCaseFileAppealed RetentionRecordType = "case_file_after_appeal" // months after the ICO's decision
	RetentionRequesterDetails RetentionRecordType = "requester_details"      // months after closure
)

// RetentionRecordTypes lists every schedule in display order.
var RetentionRecordTypes = []RetentionRecordType{RetentionCaseFile, RetentionCaseFileAppealed, RetentionRequesterDetails}

// Valid reports whether t is a known record type.
func (t RetentionRecordType) Valid() bool { return slices.Contains(RetentionRecordTypes, t) }

// Trigger returns, for people, the event the schedule counts from.
func (t RetentionRecordType) Trigger() string {
	if t == RetentionCaseFileAppealed {
		return "the final outcome of an ICO appeal"
	}
	return "closure of the case"
}

// MaxRetentionMonths is the longest period a schedule may set: 100 years.
const MaxRetentionMonths = 1200

// RetentionSchedule is one schedule as configured (or the default when never configured).
type RetentionSchedule struct {
	RecordType RetentionRecordType
	Months     int
	Enabled    bool       // a disabled schedule destroys nothing
	UpdatedBy  string     // "" for the default
	UpdatedAt  *time.Time // nil for the default
}

// DefaultRetentionSchedules returns the schedules foidesk applies until an admin changes them: case files 3
// years after closure, 6 years after the final appeal outcome; requester details 1 year after closure but
// disabled (they then go with the case file).
func DefaultRetentionSchedules() []RetentionSchedule {
	return []RetentionSchedule{
		{RecordType: RetentionCaseFile, Months: 36, Enabled: true},
		{RecordType: RetentionCaseFileAppealed, Months: 72, Enabled: true},
		{RecordType: RetentionRequesterDetails, Months: 12, Enabled: false},
	}
}

// Validate checks a schedule: EINVALID naming "record_type" (unknown) and "months" (outside 1..1200).
func (s *RetentionSchedule) Validate() error {
	var v Validation
	v.Check(s.RecordType.Valid(), "record_type", "Unknown record type "+quoteShort(string(s.RecordType)))
	v.Check(s.Months >= 1 && s.Months <= MaxRetentionMonths, "months", "Enter a period of 1 to 1200 months")
	return v.Err()
}

// RetentionScope is what one destruction removes.
type RetentionScope string

// The destruction scopes.
const (
	DestroyRequesterDetails RetentionScope = "requester_details" // name, email and address of the requester
	DestroyCaseFile         RetentionScope = "case_file"         // everything but the statistics (and the requester)
)

// LegalHold is a manual hold on a case: nothing of it is destroyed until it is released.
type LegalHold struct {
	ID             int64
	CaseID         int64
	CaseReference  string
	Reasons        string
	PlacedByLabel  string
	PlacedAt       time.Time
	ReleasedAt     *time.Time
	ReleaseReasons string
}

// MaxHoldReasons is the longest reason for a legal hold, in characters.
const MaxHoldReasons = 5000

// CheckHoldReasons trims reasons and returns EINVALID (field "reasons") when empty or too long.
func CheckHoldReasons(reasons string) (string, error) {
	var v Validation
	reasons = strings.TrimSpace(reasons)
	v.Check(reasons != "", "reasons", "Give the reasons for the legal hold")
	checkLength(&v, "reasons", reasons, MaxHoldReasons)
	return reasons, v.Err()
}

// RetentionCase is what the store knows of one closed case for retention: the dates that start the
// schedules, what holds it, and what was destroyed already.
type RetentionCase struct {
	CaseID             int64
	Reference          string
	PartyID            int64
	PartyCode          string
	ClosedOn           calendar.Date
	ReviewOpen         bool
	ReviewDecidedOn    calendar.Date // zero without a decided review
	AppealExists       bool
	AppealOpen         bool
	AppealDecidedOn    calendar.Date // the ICO's decision notice; zero while open
	OpenIncidents      []int64
	Holds              []LegalHold // active manual holds
	RequesterDestroyed bool
	FileDestroyed      bool
}

// RetentionDue is one destruction a schedule calls for, with the holds that stop it ("" none: it goes on
// DueOn).
type RetentionDue struct {
	CaseID    int64
	Reference string
	PartyID   int64
	PartyCode string
	Scope     RetentionScope
	Schedule  RetentionRecordType
	Months    int
	DueOn     calendar.Date
	Holds     []string
}

// Held reports whether a hold stops the destruction.
func (d RetentionDue) Held() bool { return len(d.Holds) > 0 }

func laterOf(a, b calendar.Date) calendar.Date {
	if b.After(a) {
		return b
	}
	return a
}

// RetentionDueFor returns the destructions the schedules call for on case c that have not happened yet,
// requester details first: the requester details (when that schedule is enabled and ends before the case
// file's), then the case file, under case_file_after_appeal when an ICO appeal was made. The case file is
// counted from the later of closure and a decided internal review. Each carries the holds that apply today.
func RetentionDueFor(c RetentionCase, schedules []RetentionSchedule) []RetentionDue {
	byType := map[RetentionRecordType]RetentionSchedule{}
	for _, s := range DefaultRetentionSchedules() {
		byType[s.RecordType] = s
	}
	for _, s := range schedules {
		byType[s.RecordType] = s
	}
	if c.FileDestroyed || c.ClosedOn.IsZero() {
		return nil
	}
	holds := retentionHolds(c)
	base := laterOf(c.ClosedOn, c.ReviewDecidedOn)
	file := byType[RetentionCaseFile]
	if c.AppealExists {
		file = byType[RetentionCaseFileAppealed]
		base = laterOf(base, c.AppealDecidedOn)
	}
	mk := func(scope RetentionScope, s RetentionSchedule, from calendar.Date) RetentionDue {
		return RetentionDue{CaseID: c.CaseID, Reference: c.Reference, PartyID: c.PartyID, PartyCode: c.PartyCode,
			Scope: scope, Schedule: s.RecordType, Months: s.Months, DueOn: AddMonths(from, s.Months), Holds: holds}
	}
	var out []RetentionDue
	var fileDue *RetentionDue
	if file.Enabled {
		d := mk(DestroyCaseFile, file, base)
		fileDue = &d
	}
	if req := byType[RetentionRequesterDetails]; req.Enabled && !c.RequesterDestroyed {
		d := mk(DestroyRequesterDetails, req, c.ClosedOn)
		if fileDue == nil || d.DueOn.Before(fileDue.DueOn) {
			out = append(out, d)
		}
	}
	if fileDue != nil {
		out = append(out, *fileDue)
	}
	return out
}

// retentionHolds returns why c may not be destroyed today, for people ("" none).
func retentionHolds(c RetentionCase) []string {
	var holds []string
	if c.ReviewOpen {
		holds = append(holds, "an internal review is open")
	}
	if c.AppealOpen {
		holds = append(holds, "an ICO appeal is open")
	}
	for _, id := range c.OpenIncidents {
		holds = append(holds, fmt.Sprintf("incident %d is open", id))
	}
	for _, h := range c.Holds {
		holds = append(holds, fmt.Sprintf("legal hold %d: %s", h.ID, h.Reasons))
	}
	return holds
}

// Tombstone is what remains of a destruction: what was destroyed, when, under which schedule.
type Tombstone struct {
	ID            int64
	CaseID        int64
	CaseReference string
	Scope         RetentionScope
	Schedule      RetentionRecordType
	Months        int
	DueOn         calendar.Date
	DestroyedAt   time.Time
	DestroyedBy   string
	Destroyed     map[string]int64 // what was removed, counted: "documents", "attachments", "representations"...
}

// RetentionRun is the result of a retention run: what was destroyed (or, in a dry run, would be) and what is
// due but held.
type RetentionRun struct {
	Today     calendar.Date
	DryRun    bool
	Destroyed []Tombstone    // in a dry run: what would be destroyed (ID 0, counts filled)
	Held      []RetentionDue // due by today but held
}

// Retention actions (see canRetention).
const (
	ActionManageRetention Action = "retention.manage" // change schedules, run destruction: admins
	ActionReadRetention   Action = "retention.read"   // schedules, the due report, tombstones
	ActionHoldCase        Action = "retention.hold"   // place or release a manual legal hold
)

// canRetention decides the retention actions for Can. Admins manage schedules and run destruction. Schedules,
// the due report and tombstones are read by admins, auditors and decision-makers (a party's users see their
// own party's cases only: scope.OwnerPartyID, 0 for the listing). A manual legal hold is placed or released
// by the case's party's officers and decision-makers and by admins.
func canRetention(actor *User, action Action, scope Scope) error {
	switch action {
	case ActionManageRetention:
		return allowRoles(actor, "Only an admin can change retention schedules or run destruction.", RoleAdmin)
	case ActionReadRetention:
		if actor.Role == RoleAdmin {
			return nil
		}
		if scope.OwnerPartyID != 0 && !ownParty(actor, scope.OwnerPartyID) {
			return notFound()
		}
		return allowRoles(actor, "Only auditors, decision-makers and admins can read retention.", RoleAuditor,
			RoleDecisionMaker)
	case ActionHoldCase:
		if actor.Role == RoleAdmin {
			return nil
		}
		if !ownParty(actor, scope.OwnerPartyID) || !hasRole(actor, RoleOfficer, RoleDecisionMaker, RoleAuditor) {
			return notFound()
		}
		return allowRoles(actor, "Only FOI officers, decision-makers and admins can place a legal hold.",
			RoleOfficer, RoleDecisionMaker)
	}
	return Errorf(EFORBIDDEN, "You cannot do this.")
}

// RetentionService keeps the schedules, legal holds and destruction. Every method checks Can, runs in one
// transaction and audits what it changes.
type RetentionService interface {
	// RetentionSchedules returns every schedule (the default where never configured).
	RetentionSchedules(ctx context.Context) ([]RetentionSchedule, error)
	// SetRetentionSchedule changes one schedule (admins). EINVALID for an unknown type or a bad period.
	SetRetentionSchedule(ctx context.Context, s RetentionSchedule) (RetentionSchedule, error)
	// PlaceLegalHold holds a case with reasons. ENOTFOUND for a case the caller may not read; EINVALID for
	// empty reasons.
	PlaceLegalHold(ctx context.Context, caseID int64, reasons string) (LegalHold, error)
	// ReleaseLegalHold releases a hold with reasons. ECONFLICT when already released.
	ReleaseLegalHold(ctx context.Context, holdID int64, reasons string) (LegalHold, error)
	// LegalHolds returns the active manual holds the caller may see, newest first.
	LegalHolds(ctx context.Context) ([]LegalHold, error)
	// RetentionDueBetween returns the destructions due from from to to inclusive, held or not, by due date:
	// "what will be destroyed next month". A party's users see their own party's cases.
	RetentionDueBetween(ctx context.Context, from, to calendar.Date) ([]RetentionDue, error)
	// Tombstones returns the destructions done, newest first (at most 500).
	Tombstones(ctx context.Context) ([]Tombstone, error)
	// RunRetention destroys what is due today and not held (admins, the command line, the worker); dryRun
	// reports the same without changing anything.
	RunRetention(ctx context.Context, dryRun bool) (RetentionRun, error)
}

// MonthRange returns the first and last day of the month "YYYY-MM", or EINVALID (field "month").
func MonthRange(s string) (from, to calendar.Date, err error) {
	first, perr := calendar.ParseDate(strings.TrimSpace(s) + "-01")
	if perr != nil || len(strings.TrimSpace(s)) != 7 {
		msg := "Give the month as YYYY-MM, like 2026-04"
		return calendar.Date{}, calendar.Date{}, &Error{Code: EINVALID, Message: msg,
			Fields: []FieldError{{Field: "month", Message: msg}}}
	}
	return first, calendar.NewDate(first.Year(), first.Month()+1, 1).AddDays(-1), nil
}
