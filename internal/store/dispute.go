package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// Disputes (MoU section 8). A dispute opens on a consultation when the consulted party objected and the
// decision-maker did not accept the objection while the decision discloses (ConsiderRepresentations calls
// openDisputeAfterConsideration), or when either side raises one. It runs the ladder of package foi (business
// as usual, escalation, formal notification, resolved) inside the statutory clock: every step warns when its
// clock ends after the case's deadline. Each step is one transaction that writes the dispute and its step,
// audits it and writes the emails to the contacts the MoU names for the step: the business-as-usual FOI
// contacts of both parties when it opens, their escalation contacts for escalation and formal notification.

var _ foi.DisputeService = (*DB)(nil)

func disputeNotFound(id int64) error { return foi.Errorf(foi.ENOTFOUND, "There is no dispute %d.", id) }

// loadDispute reads a dispute with its steps and the case and parties it concerns; ENOTFOUND when missing.
func (tx *Tx) loadDispute(ctx context.Context, id int64) (*foi.DisputeRecord, error) {
	r, err := tx.DisputeGet(ctx, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, disputeNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	steps, err := tx.DisputeStepList(ctx, id)
	if err != nil {
		return nil, err
	}
	rec := &foi.DisputeRecord{
		Dispute: foi.Dispute{ID: r.ID, ConsultationID: r.ConsultationID, RaisedByPartyID: deref(r.RaisedByPartyID),
			Step: foi.DisputeStage(r.Stage), OpenedOn: r.OpenedOn, StepEndsOn: r.StepEndsOn, Outcome: r.Outcome,
			OutcomeReasons: r.OutcomeReasons, ResolvedOn: r.ResolvedOn,
			EscalationWorkingDays: int(r.EscalationWorkingDays), Version: r.Version},
		CaseID: r.CaseID, CaseReference: r.CaseReference, CaseDueOn: r.CaseDueOn, OwnerPartyID: r.OwnerPartyID,
		OwnerPartyCode: r.OwnerPartyCode, ConsultedPartyID: r.ConsultedPartyID, ConsultedPartyCode: r.ConsultedPartyCode,
		RaisedBy: foi.DisputeSide(r.RaisedBy), Reasons: r.Reasons,
	}
	for _, s := range steps {
		rec.History = append(rec.History, foi.DisputeStep{Stage: foi.DisputeStage(s.Stage), StartedOn: s.StartedOn,
			EndsOn: s.EndsOn, Warning: s.Warning, Note: s.Note, By: deref(s.TakenBy)})
	}
	if rec.Step != foi.DisputeResolved {
		rec.Warning = foi.DisputeDeadlineWarning(rec.Step, rec.StepEndsOn, rec.CaseDueOn)
	}
	return rec, nil
}

// readableDispute loads a dispute the actor may read (Can with ActionReadConsultation on its consultation's
// parties), or returns ENOTFOUND.
func (tx *Tx) readableDispute(ctx context.Context, id int64) (*foi.DisputeRecord, error) {
	rec, err := tx.loadDispute(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := tx.can(foi.ActionReadConsultation, rec.Scope()); err != nil {
		if foi.ErrorCode(err) == foi.ENOTFOUND {
			return nil, disputeNotFound(id)
		}
		return nil, err
	}
	return rec, nil
}

// insertDisputeSteps writes the steps of rec from index from on (the ones the current change added).
func (tx *Tx) insertDisputeSteps(ctx context.Context, rec *foi.DisputeRecord, from int) error {
	for i := from; i < len(rec.History); i++ {
		s := rec.History[i]
		var by *int64
		if s.By != 0 {
			by = &s.By
		}
		if err := tx.DisputeStepInsert(ctx, db.DisputeStepInsertParams{DisputeID: rec.ID, Seq: int64(i + 1),
			Stage: string(s.Stage), StartedOn: s.StartedOn, EndsOn: s.EndsOn, Warning: s.Warning, Note: s.Note,
			TakenBy: by, Now: tx.now}); err != nil {
			return err
		}
	}
	return nil
}

// openDispute opens a dispute on consultation k at the business-as-usual step today, raised by side with
// reasons, and tells the BAU FOI contacts of both parties. It returns ECONFLICT (Detail["dispute_id"]) when a
// dispute is already open on k.
func (tx *Tx) openDispute(ctx context.Context, k *foi.Consultation, side foi.DisputeSide, reasons string) (foi.DisputeResult, error) {
	if open, err := tx.DisputeOpenForConsultation(ctx, k.ID); err == nil {
		return foi.DisputeResult{}, &foi.Error{Code: foi.ECONFLICT,
			Message: fmt.Sprintf("Dispute %d is already open on this consultation: take its next step instead.", open),
			Detail:  map[string]any{"dispute_id": open}}
	} else if !errors.Is(err, sql.ErrNoRows) {
		return foi.DisputeResult{}, err
	}
	cal, err := calendarIn(ctx, tx.Queries)
	if err != nil {
		return foi.DisputeResult{}, err
	}
	kase, err := tx.CaseGet(ctx, k.CaseID)
	if err != nil {
		return foi.DisputeResult{}, err
	}
	dis, warning, err := foi.OpenDispute(k.ID, calendar.LondonDate(tx.now), cal, kase.DueOn)
	if err != nil {
		return foi.DisputeResult{}, err
	}
	reasons = strings.TrimSpace(reasons)
	var raisedBy *int64
	if side != foi.DisputeRaisedAutomatically {
		dis.History[0].By = tx.actor.AuditID()
		party := k.OwnerPartyID
		if side == foi.DisputeRaisedByConsulted {
			party = k.ConsultedPartyID
		}
		raisedBy, dis.RaisedByPartyID = &party, party
	}
	dis.History[0].Note = reasons
	id, err := tx.DisputeInsert(ctx, db.DisputeInsertParams{ConsultationID: k.ID, CaseID: k.CaseID,
		OwnerPartyID: k.OwnerPartyID, ConsultedPartyID: k.ConsultedPartyID, RaisedBy: string(side),
		RaisedByPartyID: raisedBy, Reasons: reasons, Stage: string(dis.Step), OpenedOn: dis.OpenedOn,
		StepEndsOn: dis.StepEndsOn, EscalationWorkingDays: int64(dis.EscalationWorkingDays), Now: tx.now})
	if err != nil {
		return foi.DisputeResult{}, err
	}
	dis.ID = id
	rec := &foi.DisputeRecord{Dispute: dis, CaseID: k.CaseID, OwnerPartyID: k.OwnerPartyID,
		ConsultedPartyID: k.ConsultedPartyID}
	if err := tx.insertDisputeSteps(ctx, rec, 0); err != nil {
		return foi.DisputeResult{}, err
	}
	if rec, err = tx.loadDispute(ctx, id); err != nil {
		return foi.DisputeResult{}, err
	}
	out := foi.DisputeResult{Dispute: *rec, Warning: warning}
	if err := tx.notifyDisputeStep(ctx, rec, &out); err != nil {
		return foi.DisputeResult{}, err
	}
	tx.audit("dispute.open", "dispute", id, k.OwnerPartyID, map[string]any{"consultation_id": k.ID,
		"case_id": k.CaseID, "raised_by": side, "reasons": reasons, "step_ends_on": dis.StepEndsOn,
		"warning": warning, "notified": out.Notified, "unnotified": out.Unnotified})
	return out, nil
}

// openDisputeAfterConsideration opens a dispute, in the consideration's transaction, when foi.NeedsDispute
// says the ladder must start: the consulted party objected, the objection was not accepted in full and the
// case's decision discloses. It returns the open dispute's id (an existing one is kept), or 0.
func (tx *Tx) openDisputeAfterConsideration(ctx context.Context, k *foi.Consultation) (int64, error) {
	kase, err := tx.CaseGet(ctx, k.CaseID)
	if err != nil {
		return 0, err
	}
	var outcome foi.Outcome
	if kase.Outcome != nil {
		outcome = foi.Outcome(*kase.Outcome)
	}
	if !foi.NeedsDispute(*k, foi.DecisionDiscloses(outcome)) {
		return 0, nil
	}
	if open, err := tx.DisputeOpenForConsultation(ctx, k.ID); err == nil {
		return open, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	latest, _ := k.Latest()
	reasons := fmt.Sprintf("%s %s and the objection was %s.", k.ConsultedPartyCode,
		strings.ToLower(latest.Position.Label()), strings.ToLower(k.Consideration.Outcome.Label()))
	res, err := tx.openDispute(ctx, k, foi.DisputeRaisedAutomatically, reasons)
	if err != nil {
		return 0, err
	}
	return res.Dispute.ID, nil
}

// disputeParty is one side of a dispute, for notifications.
type disputeParty struct {
	id   int64
	code string
}

// disputeContacts returns the party's active contacts of tier responsible for FOI; for the escalation tier, a
// party with none falls back to its first active escalation contact (escalationContact).
func (tx *Tx) disputeContacts(ctx context.Context, partyID int64, tier foi.Tier) ([]db.Contact, error) {
	rows, err := tx.ContactListByParty(ctx, partyID)
	if err != nil {
		return nil, err
	}
	var out []db.Contact
	for _, r := range rows {
		if r.Active && foi.Tier(r.Tier) == tier && slices.Contains(splitResponsibilities(r.Responsibilities), foi.RespFOI) {
			out = append(out, r)
		}
	}
	if len(out) == 0 && tier == foi.TierEscalation {
		c, err := tx.escalationContact(ctx, partyID)
		if err != nil || c == nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, nil
}

// disputeTier returns the contact tier the MoU names for a step at stage: business as usual for the first
// step, escalation from then on.
func disputeTier(stage foi.DisputeStage) foi.Tier {
	if stage == foi.DisputeBAU {
		return foi.TierBAU
	}
	return foi.TierEscalation
}

// notifyDispute enqueues one email of tmpl to each contact of tier of both parties of rec, with the data and a
// dedupe key of key plus the address, and records in out who was told and which party had nobody to tell.
func (tx *Tx) notifyDispute(ctx context.Context, rec *foi.DisputeRecord, tier foi.Tier, tmpl string,
	data map[string]string, key string, out *foi.DisputeResult) (int, error) {
	sent := 0
	for _, p := range []disputeParty{{rec.OwnerPartyID, rec.OwnerPartyCode}, {rec.ConsultedPartyID, rec.ConsultedPartyCode}} {
		contacts, err := tx.disputeContacts(ctx, p.id, tier)
		if err != nil {
			return sent, err
		}
		if len(contacts) == 0 {
			tierName := "business-as-usual FOI"
			if tier == foi.TierEscalation {
				tierName = "escalation"
			}
			out.Unnotified = append(out.Unnotified, p.code+" has no active "+tierName+" contact")
			continue
		}
		for _, c := range contacts {
			addr := foi.NormalizeEmail(c.Email)
			_, inserted, err := tx.enqueueMessage(ctx, foi.Notification{Template: tmpl, To: c.Email, ToName: c.Name,
				Data: data, Link: fmt.Sprintf("/disputes/%d", rec.ID), DedupeKey: key + ":" + addr})
			if err != nil {
				return sent, err
			}
			if inserted {
				sent++
			}
			out.Notified = append(out.Notified, addr)
		}
	}
	return sent, nil
}

// disputeData returns the data every dispute email carries: the case's reference and the parties' codes.
func disputeData(rec *foi.DisputeRecord) map[string]string {
	return map[string]string{"case_reference": rec.CaseReference, "owner_party": rec.OwnerPartyCode,
		"consulted_party": rec.ConsultedPartyCode}
}

// notifyDisputeStep tells the contacts the MoU names for rec's current step: dispute_step to the step's tier
// while it runs, dispute_resolved to the tier of the step it was resolved from once resolved.
func (tx *Tx) notifyDisputeStep(ctx context.Context, rec *foi.DisputeRecord, out *foi.DisputeResult) error {
	data := disputeData(rec)
	n := len(rec.History)
	key := fmt.Sprintf("dispute:%d:%d", rec.ID, n)
	if rec.Step == foi.DisputeResolved {
		from := foi.DisputeBAU
		if n >= 2 {
			from = rec.History[n-2].Stage
		}
		data["resolved_on"] = longDate(rec.ResolvedOn)
		_, err := tx.notifyDispute(ctx, rec, disputeTier(from), foi.TmplDisputeResolved, data, key, out)
		return err
	}
	data["stage"] = strings.ToLower(rec.Step.Label())
	data["ends_on"] = longDate(rec.StepEndsOn)
	_, err := tx.notifyDispute(ctx, rec, disputeTier(rec.Step), foi.TmplDisputeStep, data, key, out)
	return err
}

// changeDispute is the one way an open dispute moves on: in a transaction it loads the dispute the caller may
// read, checks action, lets step apply the domain rule (with the calendar, today and the case's deadline),
// writes the dispute with optimistic concurrency and the steps it added, notifies the contacts the new step
// names and audits auditAction.
func (d *DB) changeDispute(ctx context.Context, id int64, action foi.Action, auditAction string,
	step func(rec *foi.DisputeRecord, cal *calendar.Calendar, today calendar.Date) (string, error)) (foi.DisputeResult, error) {
	var out foi.DisputeResult
	err := d.inTx(ctx, func(tx *Tx) error {
		rec, err := tx.readableDispute(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.can(action, rec.Scope()); err != nil {
			return err
		}
		cal, err := calendarIn(ctx, tx.Queries)
		if err != nil {
			return err
		}
		from, before := rec.Step, len(rec.History)
		warning, err := step(rec, cal, calendar.LondonDate(tx.now))
		if err != nil {
			return err
		}
		for i := before; i < len(rec.History); i++ {
			rec.History[i].By = tx.actor.AuditID()
		}
		n, err := tx.DisputeUpdate(ctx, db.DisputeUpdateParams{ID: rec.ID, Version: rec.Version,
			Stage: string(rec.Step), StepEndsOn: rec.StepEndsOn, Outcome: rec.Outcome,
			OutcomeReasons: rec.OutcomeReasons, ResolvedOn: rec.ResolvedOn, Now: tx.now})
		if err != nil {
			return err
		}
		if n == 0 {
			return foi.Errorf(foi.EPRECONDITION, "The dispute changed while you were working on it: reload it and try again.")
		}
		if err := tx.insertDisputeSteps(ctx, rec, before); err != nil {
			return err
		}
		if rec, err = tx.loadDispute(ctx, rec.ID); err != nil {
			return err
		}
		out = foi.DisputeResult{Dispute: *rec, Warning: warning}
		if err := tx.notifyDisputeStep(ctx, rec, &out); err != nil {
			return err
		}
		last := rec.History[len(rec.History)-1]
		tx.audit(auditAction, "dispute", rec.ID, rec.OwnerPartyID, map[string]any{"consultation_id": rec.ConsultationID,
			"from": from, "to": rec.Step, "step_ends_on": rec.StepEndsOn, "note": last.Note, "outcome": rec.Outcome,
			"warning": warning, "notified": out.Notified, "unnotified": out.Unnotified})
		return nil
	})
	return out, err
}

// RaiseDispute opens a dispute on a consultation at the business-as-usual step, raised by the caller's side
// (the owning party's officers and decision-makers, the consulted party's liaisons: foi.ActionDispute), and
// tells the BAU FOI contacts of both parties. See foi.DisputeService.
func (d *DB) RaiseDispute(ctx context.Context, consultationID int64, reasons string) (foi.DisputeResult, error) {
	var out foi.DisputeResult
	err := d.inTx(ctx, func(tx *Tx) error {
		k, err := tx.readableConsultation(ctx, consultationID)
		if err != nil {
			return err
		}
		if err := tx.can(foi.ActionDispute, k.Scope()); err != nil {
			return err
		}
		if err := foi.CheckRaiseDispute(k, reasons); err != nil {
			return err
		}
		out, err = tx.openDispute(ctx, k, foi.DisputeSideOf(tx.actor.User, k.Scope()), reasons)
		return err
	})
	return out, err
}

// EscalateDispute moves a dispute from business as usual to the escalation contacts of both parties (MoU
// 8.3), with the caller's explanation. See foi.DisputeService.
func (d *DB) EscalateDispute(ctx context.Context, id int64, reasons string) (foi.DisputeResult, error) {
	return d.changeDispute(ctx, id, foi.ActionDispute, "dispute.escalate",
		func(rec *foi.DisputeRecord, cal *calendar.Calendar, today calendar.Date) (string, error) {
			return rec.EscalateWithReasons(reasons, today, cal, rec.CaseDueOn)
		})
}

// GiveFormalNotification moves a dispute from escalation to a formal notification (MoU 8.4) with its
// 20-working-day clock, telling the escalation contacts of both parties. See foi.DisputeService.
func (d *DB) GiveFormalNotification(ctx context.Context, id int64, reasons string) (foi.DisputeResult, error) {
	return d.changeDispute(ctx, id, foi.ActionDispute, "dispute.formal_notification",
		func(rec *foi.DisputeRecord, cal *calendar.Calendar, today calendar.Date) (string, error) {
			return rec.FormalNotificationWithReasons(reasons, today, cal, rec.CaseDueOn)
		})
}

// ResolveDispute records a dispute's outcome and reasons (foi.ActionResolveDispute) and tells the contacts of
// the step it was resolved from. See foi.DisputeService.
func (d *DB) ResolveDispute(ctx context.Context, id int64, outcome foi.DisputeOutcome, reasons string) (foi.DisputeResult, error) {
	return d.changeDispute(ctx, id, foi.ActionResolveDispute, "dispute.resolve",
		func(rec *foi.DisputeRecord, _ *calendar.Calendar, today calendar.Date) (string, error) {
			return "", rec.Settle(outcome, reasons, today)
		})
}

// FindDispute returns one dispute with its steps, auditing the view; ENOTFOUND unless the caller may read its
// consultation.
func (d *DB) FindDispute(ctx context.Context, id int64) (foi.DisputeRecord, error) {
	var out foi.DisputeRecord
	err := d.inTx(ctx, func(tx *Tx) error {
		rec, err := tx.readableDispute(ctx, id)
		if err != nil {
			return err
		}
		out = *rec
		tx.audit("dispute.read", "dispute", rec.ID, rec.OwnerPartyID, map[string]any{"consultation_id": rec.ConsultationID})
		return nil
	})
	return out, err
}

// ConsultationDisputes returns a consultation's disputes, oldest first, auditing the listing; ENOTFOUND unless
// the caller may read the consultation.
func (d *DB) ConsultationDisputes(ctx context.Context, consultationID int64) ([]foi.DisputeRecord, error) {
	var out []foi.DisputeRecord
	err := d.inTx(ctx, func(tx *Tx) error {
		k, err := tx.readableConsultation(ctx, consultationID)
		if err != nil {
			return err
		}
		ids, err := tx.DisputeIDsByConsultation(ctx, k.ID)
		if err != nil {
			return err
		}
		if out, err = tx.loadDisputes(ctx, ids); err != nil {
			return err
		}
		tx.audit("dispute.list", "consultation", k.ID, k.OwnerPartyID, map[string]any{"shown": len(out)})
		return nil
	})
	return out, err
}

// CaseDisputes returns the disputes on every consultation of a case, oldest first, auditing the listing;
// ENOTFOUND unless the caller may read the case.
func (d *DB) CaseDisputes(ctx context.Context, caseID int64) ([]foi.DisputeRecord, error) {
	var out []foi.DisputeRecord
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.readableCase(ctx, caseID)
		if err != nil {
			return err
		}
		ids, err := tx.DisputeIDsByCase(ctx, c.ID)
		if err != nil {
			return err
		}
		if out, err = tx.loadDisputes(ctx, ids); err != nil {
			return err
		}
		tx.audit("dispute.list", "case", c.ID, c.PartyID, map[string]any{"shown": len(out)})
		return nil
	})
	return out, err
}

// loadDisputes reads the disputes with the given ids, in that order (never nil).
func (tx *Tx) loadDisputes(ctx context.Context, ids []int64) ([]foi.DisputeRecord, error) {
	out := make([]foi.DisputeRecord, 0, len(ids))
	for _, id := range ids {
		rec, err := tx.loadDispute(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *rec)
	}
	return out, nil
}

// scanDisputeClocks is the reminder scan's part for disputes: each open dispute whose current step's clock
// ends today or ended before reminds the contacts the MoU names for that step (both parties), once per
// (dispute, kind, end date) in dispute_reminders, with a dispute_clock email carrying a dedupe key. A party
// with nobody to tell is listed in r.Unsent.
func (tx *Tx) scanDisputeClocks(ctx context.Context, today calendar.Date, r *ScanReport) error {
	ids, err := tx.DisputeClockList(ctx, today)
	if err != nil {
		return err
	}
	for _, id := range ids {
		rec, err := tx.loadDispute(ctx, id)
		if err != nil {
			return err
		}
		kind := foi.DisputeClockReminder(rec.Step)
		n, err := tx.DisputeReminderRecord(ctx, db.DisputeReminderRecordParams{DisputeID: rec.ID, Kind: string(kind),
			DueOn: rec.StepEndsOn, SentOn: today})
		if err != nil {
			return err
		}
		if n == 0 {
			continue // reminded before
		}
		r.Reminders[kind]++
		data := disputeData(rec)
		data["stage"], data["ends_on"] = strings.ToLower(rec.Step.Label()), longDate(rec.StepEndsOn)
		var res foi.DisputeResult
		sent, err := tx.notifyDispute(ctx, rec, disputeTier(rec.Step), foi.TmplDisputeClock, data,
			fmt.Sprintf("%s:%d:%s", kind, rec.ID, rec.StepEndsOn), &res)
		if err != nil {
			return err
		}
		r.Emails += sent
		for _, why := range res.Unnotified {
			r.Unsent = append(r.Unsent, fmt.Sprintf("dispute %d: %s: %s", rec.ID, kind, why))
		}
		tx.audit("dispute.clock", "dispute", rec.ID, rec.OwnerPartyID, map[string]any{"kind": kind,
			"step_ends_on": rec.StepEndsOn, "notified": res.Notified, "unnotified": res.Unnotified})
	}
	return nil
}
