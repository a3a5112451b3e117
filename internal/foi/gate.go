package foi

import (
	"fmt"
	"strings"

	"foidesk/internal/calendar"
)

// Blocker is one consultation that still blocks disclosure, and what it waits for.
type Blocker struct {
	ConsultationID int64              `json:"consultation_id"`
	ConsultedParty string             `json:"consulted_party"` // the party's code, "HO"
	Status         ConsultationStatus `json:"status"`
	// WaitsFor says in words what must happen next: "sending (still a draft)", "representations from HO, due
	// 2026-03-10", "a decision-maker's consideration of HO's representations".
	WaitsFor string `json:"waits_for"`
}

// GateBlockedMessage is the message of the error CheckDisclosureGate returns.
const GateBlockedMessage = "Disclosure is blocked until every consultation is resolved"

// DisclosureBlockers returns one Blocker for each consultation in required that is not resolved (considered,
// closed without representations or waived), in the order given; nil when disclosure may go ahead. A
// consultation with an unknown status blocks.
func DisclosureBlockers(required []Consultation) []Blocker {
	var out []Blocker
	for i := range required {
		c := &required[i]
		if c.Status.Resolved() {
			continue
		}
		party := c.partyLabel()
		var waits string
		switch c.Status {
		case ConsultationDraft:
			waits = "sending (still a draft)"
		case ConsultationSent:
			waits = "representations from " + party
			if !c.RespondBy.IsZero() {
				waits += ", due " + c.RespondBy.String()
			}
		case ConsultationRepresentationsReceived:
			waits = "a decision-maker's consideration of " + party + "'s representations"
		default:
			waits = fmt.Sprintf("a known status (%q is not one)", string(c.Status))
		}
		out = append(out, Blocker{ConsultationID: c.ID, ConsultedParty: party, Status: c.Status, WaitsFor: waits})
	}
	return out
}

// CheckDisclosureGate enforces the disclosure gate: a response, release, scheduled release or disclosure-log
// entry of a case may proceed only when every consultation it requires is considered, closed without
// representations or waived. It returns nil when clear, and otherwise ECONFLICT with GateBlockedMessage and
// Detail["blockers"] holding the []Blocker (see DisclosureBlockers). The store calls it in the transaction that
// records the response, with every consultation of the case.
func CheckDisclosureGate(required []Consultation) error {
	blockers := DisclosureBlockers(required)
	if len(blockers) == 0 {
		return nil
	}
	return &Error{Code: ECONFLICT, Message: GateBlockedMessage, Detail: map[string]any{"blockers": blockers}}
}

// DefaultAdvanceNoticeWorkingDays is how many working days before release each consulted party is told what will
// be released and when (MoU 4.5). Shortening it needs a decision-maker and reasons (CheckAdvanceNotice).
const DefaultAdvanceNoticeWorkingDays = 2

// AdvanceNoticeDate returns the date by which the consulted parties must get advance notice of a release on
// releaseOn: the workingDays-th working day before it (pass DefaultAdvanceNoticeWorkingDays for the default; 0
// gives releaseOn itself). Errors: EINVALID for a zero release date, a negative count or a date outside the
// calendar's range.
func AdvanceNoticeDate(cal *calendar.Calendar, releaseOn calendar.Date, workingDays int) (calendar.Date, error) {
	var v Validation
	v.Check(!releaseOn.IsZero(), "release_on", "Enter the release date")
	v.Check(workingDays >= 0, "advance_notice_working_days", "Advance notice must be 0 or more working days")
	if err := v.Err(); err != nil {
		return calendar.Date{}, err
	}
	d, err := cal.SubtractWorkingDays(releaseOn, workingDays)
	if err != nil {
		return calendar.Date{}, fromCalendarErr(err)
	}
	return d, nil
}

// CheckAdvanceNotice checks who may set an advance notice of workingDays: the default of
// DefaultAdvanceNoticeWorkingDays or more needs nothing; anything shorter needs an active decision-maker and
// reasons. The caller still checks that the actor may decide the case (Can with ActionDecideCase). Errors:
// EINVALID for a negative count (field advance_notice_working_days) or missing reasons (field reasons);
// EUNAUTHORIZED for no active actor; EFORBIDDEN for an actor who is not a decision-maker.
func CheckAdvanceNotice(actor *User, workingDays int, reasons string) error {
	if workingDays < 0 {
		return invalidField("advance_notice_working_days", "Advance notice must be 0 or more working days")
	}
	if workingDays >= DefaultAdvanceNoticeWorkingDays {
		return nil
	}
	if actor == nil || !actor.Active {
		return Errorf(EUNAUTHORIZED, "Sign in to continue.")
	}
	if actor.Role != RoleDecisionMaker {
		return Errorf(EFORBIDDEN, "Only a decision-maker can give less than %d working days' advance notice.",
			DefaultAdvanceNoticeWorkingDays)
	}
	if strings.TrimSpace(reasons) == "" {
		return invalidField("reasons", fmt.Sprintf("Say why the consulted parties get less than %d working days' notice",
			DefaultAdvanceNoticeWorkingDays))
	}
	return nil
}
