package store

import (
	"context"
	"math"
	"strings"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// ListAudit returns a page of audit events matching f, newest first, within what the actor may read
// (foi.AuditScope: an auditor of a party sees only that party's events). It returns EUNAUTHORIZED or
// EFORBIDDEN for an actor who may not read the log, and EINVALID naming "party" for an unknown party code or
// "to" for a range that ends before it starts.
func (d *DB) ListAudit(ctx context.Context, f foi.AuditFilter) (foi.AuditPage, error) {
	scope, err := foi.AuditScope(foi.ActorFrom(ctx))
	if err != nil {
		return foi.AuditPage{}, err
	}
	var v foi.Validation
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		v.Add("to", "The end of the date range must be the same as or after its start")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = foi.DefaultAuditPage
	}
	limit = min(limit, foi.MaxAuditPage)
	params := db.AuditListPageParams{BeforeSeq: math.MaxInt64, FromAt: time.Unix(0, 0).UTC(),
		ToAt: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), Actor: strings.TrimSpace(f.Actor),
		Action: strings.TrimSpace(f.Action), RecordType: strings.TrimSpace(f.RecordType),
		RecordID: strings.TrimSpace(f.RecordID), PartyID: scope, MaxRows: int32(limit + 1)} //nolint:gosec // at most MaxAuditPage+1
	if f.Before > 0 {
		params.BeforeSeq = f.Before
	}
	if !f.From.IsZero() {
		params.FromAt = londonMidnight(f.From)
	}
	if !f.To.IsZero() {
		params.ToAt = londonMidnight(f.To.AddDays(1))
	}
	q := d.readQueries()
	if code := strings.ToUpper(strings.TrimSpace(f.PartyCode)); code != "" {
		p, err := q.PartyGetByCode(ctx, code)
		switch {
		case notFoundIs(err):
			v.Add("party", "Unknown party "+code)
		case err != nil:
			return foi.AuditPage{}, d.internal("read party", err)
		case scope != 0 && p.ID != scope:
			return foi.AuditPage{}, nil // another party's events: none of them are the auditor's to read
		default:
			params.PartyID = p.ID
		}
	}
	if err := v.Err(); err != nil {
		return foi.AuditPage{}, err
	}
	var rows []db.AuditEvent
	if f.From.IsZero() && f.To.IsZero() {
		rows, err = q.AuditListPageLatest(ctx, db.AuditListPageLatestParams{BeforeSeq: params.BeforeSeq,
			Actor: params.Actor, Action: params.Action, RecordType: params.RecordType, RecordID: params.RecordID,
			PartyID: params.PartyID, MaxRows: params.MaxRows})
	} else {
		rows, err = q.AuditListPage(ctx, params)
	}
	if err != nil {
		return foi.AuditPage{}, d.internal("list audit events", err)
	}
	var page foi.AuditPage
	if len(rows) > limit {
		rows = rows[:limit]
		page.NextBefore = rows[limit-1].Seq
	}
	page.Events = make([]foi.AuditEvent, len(rows))
	for i, r := range rows {
		page.Events[i] = auditFromRow(r)
	}
	return page, nil
}
