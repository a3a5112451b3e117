package foi

import "slices"

// Status is where a case stands in its lifecycle.
type Status string

// The case statuses. The first six are open (the statutory clock is live or stopped); responded, closed,
// withdrawn and lapsed are not.
const (
	StatusReceived                Status = "received"
	StatusAwaitingClarification   Status = "awaiting_clarification"   // s.1(3) / reg 9: the clock restarts on the reply
	StatusOnHoldFee               Status = "on_hold_fee"              // s.9 / reg 8: the clock is stopped until paid
	StatusInProgress              Status = "in_progress"              // being worked
	StatusAwaitingRepresentations Status = "awaiting_representations" // consultation open; the clock still runs
	StatusPendingApproval         Status = "pending_approval"         // draft response with a decision-maker
	StatusResponded               Status = "responded"                // response sent
	StatusClosed                  Status = "closed"
	StatusWithdrawn               Status = "withdrawn"
	StatusLapsed                  Status = "lapsed" // clarification or fee never came
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{
	StatusReceived, StatusAwaitingClarification, StatusOnHoldFee, StatusInProgress, StatusAwaitingRepresentations,
	StatusPendingApproval, StatusResponded, StatusClosed, StatusWithdrawn, StatusLapsed,
}

// statusTransitions is the lifecycle: the statuses each status may move to, in display order. Withdrawn and lapsed are
// reachable from every open status; responded, closed, withdrawn and lapsed only lead on as listed.
var statusTransitions = map[Status][]Status{
	StatusReceived: {StatusAwaitingClarification, StatusOnHoldFee, StatusInProgress, StatusAwaitingRepresentations,
		StatusWithdrawn, StatusLapsed},
	StatusAwaitingClarification: {StatusInProgress, StatusWithdrawn, StatusLapsed},
	StatusOnHoldFee:             {StatusInProgress, StatusWithdrawn, StatusLapsed},
	StatusInProgress: {StatusAwaitingClarification, StatusOnHoldFee, StatusAwaitingRepresentations,
		StatusPendingApproval, StatusWithdrawn, StatusLapsed},
	// Waiting for another party's representations does not stop the statutory clock's own events: a
	// clarification or fee can still be needed.
	StatusAwaitingRepresentations: {StatusInProgress, StatusAwaitingClarification, StatusOnHoldFee, StatusPendingApproval,
		StatusWithdrawn, StatusLapsed},
	StatusPendingApproval: {StatusInProgress, StatusResponded, StatusWithdrawn, StatusLapsed},
	StatusResponded:       {StatusClosed},
	StatusClosed:          nil,
	StatusWithdrawn:       nil,
	StatusLapsed:          nil,
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Open reports whether the case is still awaiting its response: true for received, awaiting_clarification,
// on_hold_fee, in_progress, awaiting_representations and pending_approval; false for responded, closed, withdrawn,
// lapsed and unknown statuses.
func (s Status) Open() bool {
	switch s {
	case StatusReceived, StatusAwaitingClarification, StatusOnHoldFee, StatusInProgress,
		StatusAwaitingRepresentations, StatusPendingApproval:
		return true
	}
	return false
}

// Label returns the status's name for people ("Awaiting clarification"); an unknown status is returned as is.
func (s Status) Label() string {
	switch s {
	case StatusReceived:
		return "Received"
	case StatusAwaitingClarification:
		return "Awaiting clarification"
	case StatusOnHoldFee:
		return "On hold – fee"
	case StatusInProgress:
		return "In progress"
	case StatusAwaitingRepresentations:
		return "Awaiting representations"
	case StatusPendingApproval:
		return "Pending approval"
	case StatusResponded:
		return "Responded"
	case StatusClosed:
		return "Closed"
	case StatusWithdrawn:
		return "Withdrawn"
	case StatusLapsed:
		return "Lapsed"
	}
	return string(s)
}

// Transitions returns a copy of the statuses from may move to, in display order (nil for a final or unknown
// status).
func Transitions(from Status) []Status { return slices.Clone(statusTransitions[from]) }

// CheckTransition returns nil when a case may move from one status to the other. It returns EINVALID for an
// unknown status, and ECONFLICT for a move the lifecycle forbids (including staying put), with
// Detail["allowed"] listing the statuses from may move to ([]string, possibly empty) and Detail["from"] and
// Detail["to"] naming the two.
func CheckTransition(from, to Status) error {
	if !from.Valid() {
		return Errorf(EINVALID, "Unknown case status %q.", string(from))
	}
	if !to.Valid() {
		return &Error{Code: EINVALID, Message: "Select a valid status",
			Fields: []FieldError{{Field: "status", Message: "Select a valid status"}}}
	}
	allowed := statusTransitions[from]
	if slices.Contains(allowed, to) {
		return nil
	}
	names := make([]string, len(allowed))
	for i, s := range allowed {
		names[i] = string(s)
	}
	msg := "A case that is " + lowerInitial(from.Label()) + " cannot move to " + lowerInitial(to.Label()) + "."
	if len(allowed) == 0 {
		msg = "A case that is " + lowerInitial(from.Label()) + " cannot change status."
	}
	return &Error{Code: ECONFLICT, Message: msg,
		Detail: map[string]any{"allowed": names, "from": string(from), "to": string(to)}}
}

// lower lower-cases the first letter of a label for use inside a sentence.
func lowerInitial(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}
