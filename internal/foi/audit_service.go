package foi

import (
	"context"

	"foidesk/internal/calendar"
)

// AuditFilter selects audit events for the audit log page. Empty fields do not filter.
type AuditFilter struct {
	Actor      string        // the actor's label (an email, "system" or "cli"), any case
	Action     string        // an action ("case.read") or a prefix of one before a dot ("case")
	RecordType string        // e.g. "case"
	RecordID   string        // e.g. "42"
	PartyCode  string        // the party whose records the events are about
	From, To   calendar.Date // London dates, both included
	Before     int64         // only events with a smaller sequence number (the next page's cursor); 0 for the newest
	Limit      int           // at most this many events (DefaultAuditPage when 0, at most MaxAuditPage)
}

// The audit log's page sizes.
const (
	DefaultAuditPage = 50
	MaxAuditPage     = 200
)

// AuditPage is one page of the audit log, newest first, and the cursor of the next (older) page: 0 when this is
// the last.
type AuditPage struct {
	Events     []AuditEvent
	NextBefore int64
}

// AuditReport is the result of verifying the audit chain: how many events it holds and the last sequence
// number.
type AuditReport struct {
	Events  int64
	LastSeq int64
}

// AuditService reads the audit log for auditors and admins.
type AuditService interface {
	// ListAudit returns a page of audit events matching the filter, newest first, within the events the actor
	// may read (see AuditScope). EUNAUTHORIZED without an actor, EFORBIDDEN for a role that may not read the
	// log, EINVALID naming "party" for an unknown party code or "to" for a range that ends before it starts.
	ListAudit(ctx context.Context, f AuditFilter) (AuditPage, error)
	// VerifyAudit walks the whole chain and returns how many events it checked, or an ECONFLICT error naming
	// the first broken row.
	VerifyAudit(ctx context.Context) (AuditReport, error)
}

// AuditScope returns the party whose audit events actor may read: 0 for every event (an admin, or an auditor
// who belongs to no party, who audits the whole instance), or the auditor's party, in which case only events
// about that party's records are theirs to read (instance-wide events, such as sign-ins of admins, are not).
// It returns Can's error for anyone who may not read the audit log at all.
func AuditScope(actor Actor) (partyID int64, err error) {
	if err := CanActor(actor, ActionReadAudit, Scope{}); err != nil {
		return 0, err
	}
	if actor.User == nil || actor.User.Role == RoleAdmin {
		return 0, nil
	}
	return actor.User.PartyID, nil
}
