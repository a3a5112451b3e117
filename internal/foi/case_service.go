package foi

import (
	"context"

	"foidesk/internal/calendar"
)

// CaseAsset is an information asset a case touches, as the case shows it.
type CaseAsset struct {
	Code          string
	Name          string
	ProviderParty string // the party that provided it
	Confirmed     bool   // an officer confirmed the request touches it (suggestions are not confirmed)
}

// CaseFilter narrows a queue of cases. Zero fields do not filter.
type CaseFilter struct {
	Status     Status
	Open       *bool
	AssigneeID int64 // 0: anyone
	Unassigned bool  // only cases nobody is assigned to (the team queue)
	Regime     calendar.Regime
	DueBefore  calendar.Date // due on or before
	Overdue    bool          // open and due before today
	Query      string        // words to find in the subject or request text
	Party      string        // a party code; only the caller's own party is ever listed
	Limit      int           // 1 to MaxPageSize; 0 means DefaultPageSize
	Cursor     string        // from the previous page's NextCursor
	Sort       CaseSort      // the order of the whole list, across its pages; "" is SortDue
	Descending bool          // the reverse order
}

// CaseSort is an order the case list can be read in, page after page.
type CaseSort string

// The orders of the case list: by the queue's own deadline order (the date each case next needs attention),
// or by the date the request was received. Both walk an index, so every page of a long list is as quick.
const (
	SortDue      CaseSort = "due"
	SortReceived CaseSort = "received"
)

// Valid reports whether s is an order the list knows ("" is the deadline order).
func (s CaseSort) Valid() bool { return s == "" || s == SortDue || s == SortReceived }

// Page sizes for lists.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// CaseSummary is one row of a queue.
type CaseSummary struct {
	ID           int64
	Reference    string
	Regime       calendar.Regime
	ReceivedOn   calendar.Date
	Subject      string
	Status       Status
	AssigneeID   int64
	DueOn        calendar.Date
	Provisional  bool
	DeadlineFlag string
	Version      int64
}

// CasePage is one page of a queue and the cursor of the next ("" on the last page).
type CasePage struct {
	Cases      []CaseSummary
	NextCursor string
}

// CaseUpdate changes a case's details. Nil fields are left as they are.
type CaseUpdate struct {
	Subject     *string
	RequestText *string
	AssigneeID  *int64 // 0 unassigns
	AssetCodes  *[]string
	// HoldConsultations keeps the consultations newly required assets open as drafts, instead of sending them.
	HoldConsultations bool
}

// Idempotency makes a create safe to retry: the same key with the same request hash returns the record the
// first attempt created; the same key with another request is refused.
type Idempotency struct {
	Key         string
	RequestHash string
}

// CaseCreated is what logging a request returns.
type CaseCreated struct {
	Case     *Case
	Warnings []string // e.g. a possible duplicate of an earlier request (s.12 aggregation, s.14(2))
	Replayed bool     // an earlier attempt with the same idempotency key created it
}

// CaseService runs cases. Every method checks the caller with Can and audits what it does or shows.
type CaseService interface {
	// CreateCase logs a request for the caller's party: EINVALID naming each bad field, ECONFLICT for an
	// idempotency key reused with another request, EFORBIDDEN for roles that may not log requests.
	CreateCase(ctx context.Context, in NewCase, idem Idempotency) (CaseCreated, error)
	// FindCaseByID returns a case with its events and assets; ENOTFOUND when the caller may not see it.
	FindCaseByID(ctx context.Context, id int64) (*Case, error)
	// FindCases returns a page of the caller's party's cases in deadline order; EINVALID for a bad filter.
	FindCases(ctx context.Context, f CaseFilter) (CasePage, error)
	// UpdateCase changes details; ifVersion, when not 0, must be the current version (EPRECONDITION).
	UpdateCase(ctx context.Context, id, ifVersion int64, u CaseUpdate) (*Case, error)
	// TransitionCase moves a case along its lifecycle: ECONFLICT with the allowed moves when it may not.
	TransitionCase(ctx context.Context, id, ifVersion int64, to Status, note string) (*Case, error)
	// AddClockEvent records a clarification, fee or extension and recomputes the deadline; it returns an
	// alert for people when the event needs attention.
	AddClockEvent(ctx context.Context, id, ifVersion int64, e ClockEvent, considered []string) (*Case, string, error)
	// CaseDeadline returns the deadline with its explanation.
	CaseDeadline(ctx context.Context, id int64) (calendar.Deadline, error)
}

// ManualTransitions are the moves a person makes directly; the others follow from clock events (clarification,
// fees), consultations (awaiting representations) and the response (pending approval, responded).
var ManualTransitions = []Status{StatusInProgress, StatusWithdrawn, StatusLapsed, StatusClosed}

// CheckManualTransition is CheckTransition for a move made directly: ECONFLICT naming the way to reach a status
// that follows from an event, and the allowed manual moves otherwise.
func CheckManualTransition(from, to Status) error {
	switch to {
	case StatusAwaitingClarification, StatusOnHoldFee:
		return Errorf(ECONFLICT, "Record a clarification sought or a fee notice as a clock event: the status follows from it.")
	case StatusPendingApproval, StatusResponded:
		return Errorf(ECONFLICT, "Record the response: the case waits for approval or is responded from there.")
	case StatusAwaitingRepresentations:
		return Errorf(ECONFLICT, "The case awaits representations while a consultation is open.")
	}
	return CheckTransition(from, to)
}
