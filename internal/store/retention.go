package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// Retention and destruction. The schedules of package foi say when each closed case's requester details and
// file fall due; a run (the daily scan, `foidesk retention run`) destroys what is due and not held, in one
// transaction: it blanks the contents in place (documents, requester data, request text, letters, pack texts,
// representations, attachments, notes and reasons) and keeps every row and column the statistics count (the
// case's regime, dates, status and outcome, the exemption sections, reviews, appeals, consultations and their
// dates), then writes a tombstone and an audit event saying what went, when and under which schedule.

var _ foi.RetentionService = (*DB)(nil)

// destroyedSubject replaces a destroyed case's subject, so lists still show what happened to it.
const destroyedSubject = "Destroyed under the retention schedule"

// emptySHA256 is the SHA-256 of no bytes: the digest of a destroyed document or attachment.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// retentionSchedules returns every schedule: the configured ones over the defaults, in display order.
func retentionSchedules(ctx context.Context, q *db.Queries) ([]foi.RetentionSchedule, error) {
	rows, err := q.RetentionScheduleList(ctx)
	if err != nil {
		return nil, err
	}
	out := foi.DefaultRetentionSchedules()
	for _, r := range rows {
		for i := range out {
			if string(out[i].RecordType) == r.RecordType {
				at := r.UpdatedAt
				out[i] = foi.RetentionSchedule{RecordType: out[i].RecordType, Months: int(r.Months), Enabled: r.Enabled,
					UpdatedBy: r.UpdatedBy, UpdatedAt: &at}
			}
		}
	}
	return out, nil
}

// RetentionSchedules returns every schedule (admins, auditors, decision-makers).
func (d *DB) RetentionSchedules(ctx context.Context) ([]foi.RetentionSchedule, error) {
	if err := canCtx(ctx, foi.ActionReadRetention, foi.Scope{}); err != nil {
		return nil, err
	}
	var out []foi.RetentionSchedule
	err := d.readTx(ctx, func(q *db.Queries) error {
		var err error
		out, err = retentionSchedules(ctx, q)
		return err
	})
	return out, err
}

// SetRetentionSchedule changes one schedule (admins, the command line), audited with its old and new values.
func (d *DB) SetRetentionSchedule(ctx context.Context, s foi.RetentionSchedule) (foi.RetentionSchedule, error) {
	if err := canCtx(ctx, foi.ActionManageRetention, foi.Scope{}); err != nil {
		return foi.RetentionSchedule{}, err
	}
	if err := s.Validate(); err != nil {
		return foi.RetentionSchedule{}, err
	}
	var out foi.RetentionSchedule
	err := d.inTx(ctx, func(tx *Tx) error {
		before, err := retentionSchedules(ctx, tx.Queries)
		if err != nil {
			return err
		}
		if err := tx.RetentionScheduleUpsert(ctx, db.RetentionScheduleUpsertParams{RecordType: string(s.RecordType),
			Months: int64(s.Months), Enabled: s.Enabled, UpdatedBy: tx.actor.AuditLabel(), Now: tx.now}); err != nil {
			return err
		}
		now := tx.now
		out = foi.RetentionSchedule{RecordType: s.RecordType, Months: s.Months, Enabled: s.Enabled,
			UpdatedBy: tx.actor.AuditLabel(), UpdatedAt: &now}
		var old foi.RetentionSchedule
		for _, b := range before {
			if b.RecordType == s.RecordType {
				old = b
			}
		}
		tx.audit("retention.schedule", "retention_schedule", 0, 0, map[string]any{"record_type": s.RecordType,
			"months": s.Months, "enabled": s.Enabled, "was_months": old.Months, "was_enabled": old.Enabled})
		return nil
	})
	return out, err
}

// toLegalHold returns the domain's view of a hold row.
func toLegalHold(r db.LegalHoldActiveRow) foi.LegalHold {
	return foi.LegalHold{ID: r.ID, CaseID: r.CaseID, CaseReference: r.CaseReference, Reasons: r.Reasons,
		PlacedByLabel: r.PlacedBy, PlacedAt: r.PlacedAt, ReleasedAt: r.ReleasedAt, ReleaseReasons: r.ReleaseReasons}
}

// PlaceLegalHold holds a case: nothing of it is destroyed until the hold is released. The case's party's
// officers and decision-makers and admins may; ENOTFOUND for a case the caller may not know of.
func (d *DB) PlaceLegalHold(ctx context.Context, caseID int64, reasons string) (foi.LegalHold, error) {
	var out foi.LegalHold
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.CaseGet(ctx, caseID)
		if errors.Is(err, sql.ErrNoRows) {
			return caseNotFound(caseID)
		}
		if err != nil {
			return err
		}
		if err := tx.can(foi.ActionHoldCase, foi.Scope{OwnerPartyID: c.PartyID}); err != nil {
			if foi.ErrorCode(err) == foi.ENOTFOUND {
				return caseNotFound(caseID)
			}
			return err
		}
		reasons, err := foi.CheckHoldReasons(reasons)
		if err != nil {
			return err
		}
		id, err := tx.LegalHoldInsert(ctx, db.LegalHoldInsertParams{CaseID: c.ID, Reasons: reasons,
			PlacedBy: tx.actor.AuditLabel(), Now: tx.now})
		if err != nil {
			return err
		}
		out = foi.LegalHold{ID: id, CaseID: c.ID, CaseReference: c.Reference, Reasons: reasons,
			PlacedByLabel: tx.actor.AuditLabel(), PlacedAt: tx.now}
		tx.audit("retention.hold", "case", c.ID, c.PartyID, map[string]any{"hold_id": id, "reasons": reasons})
		return nil
	})
	return out, err
}

// ReleaseLegalHold releases a manual hold with reasons. ENOTFOUND for a hold the caller may not know of,
// ECONFLICT when already released, EINVALID for empty reasons.
func (d *DB) ReleaseLegalHold(ctx context.Context, holdID int64, reasons string) (foi.LegalHold, error) {
	var out foi.LegalHold
	err := d.inTx(ctx, func(tx *Tx) error {
		h, err := tx.LegalHoldGet(ctx, holdID)
		notFound := foi.Errorf(foi.ENOTFOUND, "There is no legal hold %d.", holdID)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound
		}
		if err != nil {
			return err
		}
		if err := tx.can(foi.ActionHoldCase, foi.Scope{OwnerPartyID: h.PartyID}); err != nil {
			if foi.ErrorCode(err) == foi.ENOTFOUND {
				return notFound
			}
			return err
		}
		reasons, err := foi.CheckHoldReasons(reasons)
		if err != nil {
			return err
		}
		now := tx.now
		n, err := tx.LegalHoldRelease(ctx, db.LegalHoldReleaseParams{ReleasedBy: tx.actor.AuditLabel(), Now: &now,
			ReleaseReasons: reasons, ID: h.ID})
		if err != nil {
			return err
		}
		if n == 0 {
			return foi.Errorf(foi.ECONFLICT, "Legal hold %d was released already.", holdID)
		}
		out = toLegalHold(db.LegalHoldActiveRow(h))
		out.ReleasedAt, out.ReleaseReasons = &now, reasons
		tx.audit("retention.hold_release", "case", h.CaseID, h.PartyID, map[string]any{"hold_id": h.ID,
			"reasons": reasons})
		return nil
	})
	return out, err
}

// retentionParty returns the party whose cases a retention reader sees: nil for admins and the command line
// (every party), the user's own otherwise.
func retentionParty(a foi.Actor) *int64 {
	if a.User == nil || a.User.Role == foi.RoleAdmin || a.User.PartyID == 0 {
		return nil
	}
	id := a.User.PartyID
	return &id
}

// LegalHolds returns the active manual holds the caller may see, newest first.
func (d *DB) LegalHolds(ctx context.Context) ([]foi.LegalHold, error) {
	if err := canCtx(ctx, foi.ActionReadRetention, foi.Scope{}); err != nil {
		return nil, err
	}
	out := []foi.LegalHold{}
	err := d.readTx(ctx, func(q *db.Queries) error {
		rows, err := q.LegalHoldActive(ctx, retentionParty(foi.ActorFrom(ctx)))
		for _, r := range rows {
			out = append(out, toLegalHold(r))
		}
		return err
	})
	return out, err
}

// retentionDue returns the destructions due on or before upTo that have not happened, of every party or of
// one, with the holds that apply, by due date.
func retentionDue(ctx context.Context, q *db.Queries, upTo calendar.Date, party *int64) ([]foi.RetentionDue, error) {
	schedules, err := retentionSchedules(ctx, q)
	if err != nil {
		return nil, err
	}
	shortest := 0
	for _, s := range schedules {
		if s.Enabled && (shortest == 0 || s.Months < shortest) {
			shortest = s.Months
		}
	}
	out := []foi.RetentionDue{}
	if shortest == 0 {
		return out, nil
	}
	// Closed on or before the end of the month shortest months ago: AddMonths clamps to a month's end, so any
	// case closed later in that month may still fall due by upTo.
	back := foi.AddMonths(upTo, -shortest)
	closedBy := calendar.NewDate(back.Year(), back.Month()+1, 1).AddDays(-1)
	rows, err := q.RetentionClosedCases(ctx, db.RetentionClosedCasesParams{ClosedBy: closedBy, IsOpen: false, PartyID: party})
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		c := foi.RetentionCase{CaseID: r.ID, Reference: r.Reference, PartyID: r.PartyID, PartyCode: r.PartyCode,
			ClosedOn: r.ClosedOn, ReviewOpen: r.ReviewOpen != 0, ReviewDecidedOn: r.ReviewDecidedOn,
			AppealExists: r.AppealExists != 0, AppealOpen: r.AppealOpen != 0, AppealDecidedOn: r.AppealDecidedOn,
			RequesterDestroyed: r.RequesterDestroyed != 0}
		if c.OpenIncidents, err = q.IncidentOpenForCase(ctx, &r.ID); err != nil {
			return nil, err
		}
		holds, err := q.LegalHoldActiveForCase(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		for _, h := range holds {
			c.Holds = append(c.Holds, toLegalHold(db.LegalHoldActiveRow(h)))
		}
		for _, due := range foi.RetentionDueFor(c, schedules) {
			if !due.DueOn.After(upTo) {
				out = append(out, due)
			}
		}
	}
	return out, nil
}

// RetentionDueBetween returns the destructions due from from to to inclusive, and those due earlier that a
// hold stops, by due date: "what will be destroyed next month". EINVALID for a range that ends before it
// starts. The listing is audited.
func (d *DB) RetentionDueBetween(ctx context.Context, from, to calendar.Date) ([]foi.RetentionDue, error) {
	if err := canCtx(ctx, foi.ActionReadRetention, foi.Scope{}); err != nil {
		return nil, err
	}
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return nil, incidentInvalid("month", "Give a period that ends on or after it starts")
	}
	var out []foi.RetentionDue
	err := d.inTx(ctx, func(tx *Tx) error {
		all, err := retentionDue(ctx, tx.Queries, to, retentionParty(tx.actor))
		if err != nil {
			return err
		}
		out = []foi.RetentionDue{}
		for _, due := range all {
			if !due.DueOn.Before(from) || due.Held() {
				out = append(out, due)
			}
		}
		sortDue(out)
		tx.audit("retention.due", "retention", 0, 0, map[string]any{"from": from.String(), "to": to.String(),
			"shown": len(out)})
		return nil
	})
	return out, err
}

// sortDue orders destructions by due date, then case, requester details before the case file.
func sortDue(ds []foi.RetentionDue) {
	slices.SortStableFunc(ds, func(a, b foi.RetentionDue) int {
		if c := a.DueOn.Compare(b.DueOn); c != 0 {
			return c
		}
		if c := cmp.Compare(a.CaseID, b.CaseID); c != 0 {
			return c
		}
		return cmp.Compare(scopeOrder(a.Scope), scopeOrder(b.Scope))
	})
}

// scopeOrder puts requester details before the case file.
func scopeOrder(s foi.RetentionScope) int {
	if s == foi.DestroyRequesterDetails {
		return 0
	}
	return 1
}

// Tombstones returns the destructions done, newest first (at most 500); a party's users see their party's.
func (d *DB) Tombstones(ctx context.Context) ([]foi.Tombstone, error) {
	if err := canCtx(ctx, foi.ActionReadRetention, foi.Scope{}); err != nil {
		return nil, err
	}
	out := []foi.Tombstone{}
	err := d.readTx(ctx, func(q *db.Queries) error {
		rows, err := q.RetentionTombstoneList(ctx, retentionParty(foi.ActorFrom(ctx)))
		if err != nil {
			return err
		}
		for _, r := range rows {
			t := foi.Tombstone{ID: r.ID, CaseID: r.CaseID, CaseReference: r.CaseReference,
				Scope: foi.RetentionScope(r.Scope), Schedule: foi.RetentionRecordType(r.Schedule), Months: int(r.Months),
				DueOn: r.DueOn, DestroyedAt: r.DestroyedAt, DestroyedBy: r.DestroyedBy}
			if err := json.Unmarshal([]byte(r.Destroyed), &t.Destroyed); err != nil {
				return fmt.Errorf("tombstone %d: %w", r.ID, err)
			}
			out = append(out, t)
		}
		return nil
	})
	return out, err
}

// RunRetention destroys what is due today (the London date) and not held; a dry run changes nothing and
// reports the same. Admins and the command line only.
func (d *DB) RunRetention(ctx context.Context, dryRun bool) (foi.RetentionRun, error) {
	if err := canCtx(ctx, foi.ActionManageRetention, foi.Scope{}); err != nil {
		return foi.RetentionRun{}, err
	}
	var out foi.RetentionRun
	err := d.inTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.runRetention(ctx, calendar.LondonDate(tx.now), dryRun)
		return err
	})
	return out, err
}

// runRetention destroys, in tx, every destruction due on or before today that no hold stops, writing a
// tombstone and an audit event for each and one "retention.run" event with the totals (a dry run writes
// nothing but that event).
func (tx *Tx) runRetention(ctx context.Context, today calendar.Date, dryRun bool) (foi.RetentionRun, error) {
	run := foi.RetentionRun{Today: today, DryRun: dryRun, Destroyed: []foi.Tombstone{}, Held: []foi.RetentionDue{}}
	due, err := retentionDue(ctx, tx.Queries, today, nil)
	if err != nil {
		return run, err
	}
	sortDue(due)
	for _, item := range due {
		if item.Held() {
			run.Held = append(run.Held, item)
			continue
		}
		t := foi.Tombstone{CaseID: item.CaseID, CaseReference: item.Reference, Scope: item.Scope,
			Schedule: item.Schedule, Months: item.Months, DueOn: item.DueOn, DestroyedAt: tx.now,
			DestroyedBy: tx.actor.AuditLabel()}
		if !dryRun {
			if t, err = tx.destroy(ctx, item, t); err != nil {
				return run, err
			}
		}
		run.Destroyed = append(run.Destroyed, t)
	}
	held := make([]string, 0, len(run.Held))
	for _, h := range run.Held {
		held = append(held, fmt.Sprintf("%s %s", h.Reference, h.Scope))
	}
	tx.audit("retention.run", "retention", 0, 0, map[string]any{"date": today.String(), "dry_run": dryRun,
		"destroyed": len(run.Destroyed), "held": held})
	return run, nil
}

// destroy carries out one destruction and returns its tombstone, written and audited.
func (tx *Tx) destroy(ctx context.Context, item foi.RetentionDue, t foi.Tombstone) (foi.Tombstone, error) {
	counts, err := tx.erase(ctx, item.CaseID, item.Scope)
	if err != nil {
		return t, err
	}
	b, err := json.Marshal(counts)
	if err != nil {
		return t, err
	}
	t.Destroyed = counts
	t.ID, err = tx.RetentionTombstoneInsert(ctx, db.RetentionTombstoneInsertParams{CaseID: item.CaseID,
		Scope: string(item.Scope), Schedule: string(item.Schedule), Months: int64(item.Months), DueOn: item.DueOn,
		Destroyed: string(b), DestroyedBy: t.DestroyedBy, Now: tx.now})
	if err != nil {
		return t, err
	}
	tx.audit("retention.destroy", "case", item.CaseID, item.PartyID, map[string]any{"tombstone_id": t.ID,
		"reference": item.Reference, "scope": item.Scope, "schedule": item.Schedule, "months": item.Months,
		"due_on": item.DueOn.String(), "destroyed": counts})
	return t, nil
}

// erase blanks what scope covers of the case and returns how many rows of each kind it touched.
func (tx *Tx) erase(ctx context.Context, caseID int64, scope foi.RetentionScope) (map[string]int64, error) {
	counts := map[string]int64{}
	steps := []struct {
		name string
		run  func() (int64, error)
	}{
		{"requester", func() (int64, error) { return tx.RetentionEraseRequester(ctx, caseID) }},
		{"response_email", func() (int64, error) {
			key := "response_sent:" + strconv.FormatInt(caseID, 10) // the response email's dedupe key (response.go)
			return tx.RetentionEraseResponseEmail(ctx, &key)
		}},
	}
	if scope == foi.DestroyCaseFile {
		empty := []byte{}
		steps = append(steps, []struct {
			name string
			run  func() (int64, error)
		}{
			{"request", func() (int64, error) {
				return tx.RetentionEraseCase(ctx, db.RetentionEraseCaseParams{Subject: destroyedSubject, Now: tx.now, CaseID: caseID})
			}},
			{"case_event_notes", func() (int64, error) { return tx.RetentionEraseCaseEvents(ctx, caseID) }},
			{"documents", func() (int64, error) {
				return tx.RetentionEraseDocuments(ctx, db.RetentionEraseDocumentsParams{Content: empty, Sha256: emptySHA256, CaseID: caseID})
			}},
			{"response_letter", func() (int64, error) { return tx.RetentionEraseResponse(ctx, caseID) }},
			{"exemption_reasons", func() (int64, error) { return tx.RetentionEraseExemptionReasons(ctx, caseID) }},
			{"consultation_packs", func() (int64, error) { return tx.RetentionEraseConsultations(ctx, caseID) }},
			{"representations", func() (int64, error) { return tx.RetentionEraseRepresentations(ctx, caseID) }},
			{"considerations", func() (int64, error) { return tx.RetentionEraseConsiderations(ctx, caseID) }},
			{"attachments", func() (int64, error) {
				return tx.RetentionEraseAttachments(ctx, db.RetentionEraseAttachmentsParams{Content: empty, Sha256: emptySHA256, CaseID: caseID})
			}},
			{"disputes", func() (int64, error) { return tx.RetentionEraseDisputes(ctx, caseID) }},
			{"dispute_steps", func() (int64, error) { return tx.RetentionEraseDisputeSteps(ctx, caseID) }},
		}...)
	}
	for _, s := range steps {
		n, err := s.run()
		if err != nil {
			return nil, fmt.Errorf("erase %s: %w", s.name, err)
		}
		counts[s.name] = n
	}
	return counts, nil
}

// scanIncidentsAndRetention is the daily scan's part for MoU 4.5: the incident clocks (scanIncidents) and the
// destruction of what is due today (runRetention).
func (tx *Tx) scanIncidentsAndRetention(ctx context.Context, today calendar.Date, r *ScanReport) error {
	if err := tx.scanIncidents(ctx, r); err != nil {
		return err
	}
	_, err := tx.runRetention(ctx, today, false)
	return err
}

// CaseLegalHolds returns the active manual holds of one case, oldest first, to those who may read the case.
// ENOTFOUND for a case the caller may not read.
func (d *DB) CaseLegalHolds(ctx context.Context, caseID int64) ([]foi.LegalHold, error) {
	out := []foi.LegalHold{}
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.readableCase(ctx, caseID)
		if err != nil {
			return err
		}
		rows, err := tx.LegalHoldActiveForCase(ctx, c.ID)
		for _, r := range rows {
			out = append(out, toLegalHold(db.LegalHoldActiveRow(r)))
		}
		return err
	})
	return out, err
}
