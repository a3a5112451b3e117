package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// Incidents (MoU 4.5). Reporting one is one transaction that records it with its affected parties and writes
// a notice (no incident details, only its reference, kind, parties, times and a link) to every active
// security-incidents contact of each affected party; a party with nobody to tell keeps notified_at NULL and the
// daily scan tries again, and reminds the reporting party's contacts once the 24-hour clock or the 72-hour ICO
// decision clock has run out.

var _ foi.IncidentService = (*DB)(nil)

func incidentNotFound(id int64) error {
	return foi.Errorf(foi.ENOTFOUND, "There is no incident %d.", id)
}

// signedIn returns EUNAUTHORIZED unless a is an active user, the command line or foidesk itself.
func signedIn(a foi.Actor) error { return foi.CanActor(a, foi.ActionViewDashboard, foi.Scope{}) }

// maxIncidentList is the most incidents one listing returns.
const maxIncidentList = 500

// incidentTime formats an instant for an incident email: minutes, in UTC, unambiguous across parties.
func incidentTime(t time.Time) string { return t.UTC().Format("2 January 2006 15:04 UTC") }

// loadIncident reads an incident with its parties and actions, and its clocks at tx.now; ENOTFOUND when
// missing.
func (tx *Tx) loadIncident(ctx context.Context, id int64) (*foi.Incident, error) {
	r, err := tx.IncidentGet(ctx, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, incidentNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	inc := &foi.Incident{ID: r.ID, PartyID: r.PartyID, PartyCode: r.PartyCode, Kind: foi.IncidentKind(r.Kind),
		Description: r.Description, AwareAt: r.AwareAt, CaseID: deref(r.CaseID), CaseReference: r.CaseReference,
		ConsultationID: deref(r.ConsultationID), AssetID: deref(r.AssetID), AssetCode: r.AssetCode,
		ReportedBy: deref(r.ReportedBy), ReportedByLabel: r.ReportedLabel, ReportedAt: r.ReportedAt,
		Status: foi.IncidentStatus(r.Status), ICODecision: foi.ICODecision(r.IcoDecision), ICOReasons: r.IcoReasons,
		ICODecidedAt: r.IcoDecidedAt, ICONotifiedAt: r.IcoNotifiedAt, ClosureSummary: r.ClosureSummary,
		ClosedAt: r.ClosedAt, Version: r.Version}
	parties, err := tx.IncidentPartyList(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, p := range parties {
		ip := foi.IncidentParty{PartyID: p.PartyID, PartyCode: p.PartyCode, NotifiedAt: p.NotifiedAt, Notified: []string{}}
		if p.Notified != "" {
			ip.Notified = strings.Split(p.Notified, ",")
		}
		inc.Affected = append(inc.Affected, ip)
	}
	actions, err := tx.IncidentActionList(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, a := range actions {
		inc.Actions = append(inc.Actions, foi.IncidentAction{Seq: a.Seq, Note: a.Note, By: deref(a.TakenBy),
			ByLabel: a.TakenLabel, TakenAt: a.TakenAt})
	}
	inc.Clocks(tx.now)
	return inc, nil
}

// actorUserID returns the acting user's id, or nil for the command line and foidesk itself.
func (tx *Tx) actorUserID() *int64 {
	if id := tx.actor.AuditID(); id != 0 {
		return &id
	}
	return nil
}

// canIncident checks the actor against action on inc (foi.CanIncident).
func (tx *Tx) canIncident(action foi.Action, inc *foi.Incident) error {
	return foi.CanIncident(tx.actor, action, inc.PartyID, inc.AffectedIDs())
}

// readableIncident loads an incident the actor may read, or returns ENOTFOUND.
func (tx *Tx) readableIncident(ctx context.Context, id int64) (*foi.Incident, error) {
	inc, err := tx.loadIncident(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := tx.canIncident(foi.ActionReadIncident, inc); err != nil {
		if foi.ErrorCode(err) == foi.ENOTFOUND {
			return nil, incidentNotFound(id)
		}
		return nil, err
	}
	return inc, nil
}

// incidentInvalid returns an EINVALID error naming field.
func incidentInvalid(field, msg string) error {
	return &foi.Error{Code: foi.EINVALID, Message: msg, Fields: []foi.FieldError{{Field: field, Message: msg}}}
}

// reportingParty resolves the party reporting: the one named, or the actor's own. It returns EINVALID
// (field "reporting_party") when none can be found, and EFORBIDDEN when a party's user names another party.
func (tx *Tx) reportingParty(ctx context.Context, code string) (db.Party, error) {
	u := tx.actor.User
	if code == "" && u != nil {
		code = u.PartyCode
	}
	if code == "" {
		return db.Party{}, incidentInvalid("reporting_party", "Name the party reporting the incident")
	}
	p, err := tx.PartyGetByCode(ctx, code)
	if errors.Is(err, sql.ErrNoRows) {
		return db.Party{}, incidentInvalid("reporting_party", "There is no party with the code "+code)
	}
	if err != nil {
		return db.Party{}, err
	}
	if u != nil && u.Role != foi.RoleAdmin && u.PartyID != p.ID {
		return db.Party{}, foi.Errorf(foi.EFORBIDDEN, "You can report incidents only for your own party.")
	}
	return p, nil
}

// incidentSubjects checks the case, consultation and asset an incident names against the reporting party and
// returns their ids (nil for none): the case must be the party's, the consultation one it owns or was
// consulted on. EINVALID naming the field otherwise.
func (tx *Tx) incidentSubjects(ctx context.Context, in foi.NewIncident, partyID int64) (caseID, consultationID, assetID *int64, err error) {
	if in.CaseID != 0 {
		c, err := tx.CaseGet(ctx, in.CaseID)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && c.PartyID != partyID) {
			return nil, nil, nil, incidentInvalid("case_id", fmt.Sprintf("The reporting party has no case %d", in.CaseID))
		}
		if err != nil {
			return nil, nil, nil, err
		}
		caseID = &c.ID
	}
	if in.ConsultationID != 0 {
		k, err := tx.ConsultationGet(ctx, in.ConsultationID)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && k.OwnerPartyID != partyID && k.ConsultedPartyID != partyID) {
			return nil, nil, nil, incidentInvalid("consultation_id",
				fmt.Sprintf("The reporting party has no consultation %d", in.ConsultationID))
		}
		if err != nil {
			return nil, nil, nil, err
		}
		consultationID = &k.ID
	}
	if in.AssetCode != "" {
		a, err := tx.AssetGetByCode(ctx, in.AssetCode)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil, nil, incidentInvalid("asset", "There is no information asset "+in.AssetCode)
		}
		if err != nil {
			return nil, nil, nil, err
		}
		assetID = &a.ID
	}
	return caseID, consultationID, assetID, nil
}

// securityContacts returns the party's active contacts responsible for security incidents, of either tier.
func (tx *Tx) securityContacts(ctx context.Context, partyID int64) ([]db.Contact, error) {
	rows, err := tx.ContactListByParty(ctx, partyID)
	if err != nil {
		return nil, err
	}
	var out []db.Contact
	for _, r := range rows {
		if r.Active && slices.Contains(splitResponsibilities(r.Responsibilities), foi.RespSecurityIncident) {
			out = append(out, r)
		}
	}
	return out, nil
}

// incidentData returns what every incident email carries: the reference, the kind and the reporting party.
func incidentData(inc *foi.Incident) map[string]string {
	return map[string]string{"incident": foi.IncidentReference(inc.ID), "kind": strings.ToLower(inc.Kind.Label()),
		"reporting_party": inc.PartyCode}
}

// incidentLink is where an incident email leads.
func incidentLink(id int64) string { return fmt.Sprintf("/incidents/%d", id) }

// notifyIncidentParty sends the incident notice to every security-incidents contact of the affected party p
// and, when one went, records notified_at and the addresses. It returns the addresses told (none when the
// party has nobody to tell).
func (tx *Tx) notifyIncidentParty(ctx context.Context, inc *foi.Incident, p foi.IncidentParty) ([]string, error) {
	contacts, err := tx.securityContacts(ctx, p.PartyID)
	if err != nil || len(contacts) == 0 {
		return nil, err
	}
	data := incidentData(inc)
	data["affected_party"] = p.PartyCode
	data["aware_at"] = incidentTime(inc.AwareAt)
	data["notify_by"] = incidentTime(inc.NotifyDueAt())
	var told []string
	for _, c := range contacts {
		addr := foi.NormalizeEmail(c.Email)
		if _, _, err := tx.enqueueMessage(ctx, foi.Notification{Template: foi.TmplIncidentReported, To: c.Email,
			ToName: c.Name, Data: data, Link: incidentLink(inc.ID),
			DedupeKey: fmt.Sprintf("incident:%d:reported:%d:%s", inc.ID, p.PartyID, addr)}); err != nil {
			return nil, err
		}
		told = append(told, addr)
	}
	slices.Sort(told)
	now := tx.now
	if err := tx.IncidentPartyNotified(ctx, db.IncidentPartyNotifiedParams{NotifiedAt: &now,
		Notified: strings.Join(told, ","), IncidentID: inc.ID, PartyID: p.PartyID}); err != nil {
		return nil, err
	}
	return told, nil
}

// ReportIncident records an incident and notifies each affected party's security-incidents contacts in the
// same transaction. See foi.IncidentService.
func (d *DB) ReportIncident(ctx context.Context, in foi.NewIncident) (foi.IncidentResult, error) {
	var out foi.IncidentResult
	err := d.inTx(ctx, func(tx *Tx) error {
		if err := signedIn(tx.actor); err != nil {
			return err
		}
		owner, err := tx.reportingParty(ctx, strings.ToUpper(strings.TrimSpace(in.ReportingParty)))
		if err != nil {
			return err
		}
		if err := tx.can(foi.ActionRecordIncident, foi.Scope{OwnerPartyID: owner.ID}); err != nil {
			if foi.ErrorCode(err) == foi.ENOTFOUND {
				return foi.Errorf(foi.EFORBIDDEN, "Only FOI officers, decision-makers and admins can report incidents.")
			}
			return err
		}
		in.ReportingParty = owner.Code
		aware, err := in.Validate(tx.now)
		if err != nil {
			return err
		}
		var affected []db.Party
		for _, code := range in.AffectedParties {
			p, err := tx.PartyGetByCode(ctx, code)
			if errors.Is(err, sql.ErrNoRows) {
				return incidentInvalid("affected_parties", "There is no party with the code "+code)
			}
			if err != nil {
				return err
			}
			affected = append(affected, p)
		}
		caseID, consultationID, assetID, err := tx.incidentSubjects(ctx, in, owner.ID)
		if err != nil {
			return err
		}
		id, err := tx.IncidentInsert(ctx, db.IncidentInsertParams{PartyID: owner.ID, Kind: string(in.Kind),
			Description: in.Description, AwareAt: aware, CaseID: caseID, ConsultationID: consultationID,
			AssetID: assetID, ReportedBy: tx.actorUserID(), ReportedLabel: tx.actor.AuditLabel(), Now: tx.now})
		if err != nil {
			return err
		}
		for _, p := range affected {
			if err := tx.IncidentPartyInsert(ctx, db.IncidentPartyInsertParams{IncidentID: id, PartyID: p.ID}); err != nil {
				return err
			}
		}
		inc, err := tx.loadIncident(ctx, id)
		if err != nil {
			return err
		}
		notified := map[string][]string{}
		for _, p := range inc.Affected {
			told, err := tx.notifyIncidentParty(ctx, inc, p)
			if err != nil {
				return err
			}
			notified[p.PartyCode] = told
			if len(told) == 0 {
				out.Unnotified = append(out.Unnotified, p.PartyCode+" has no active security-incidents contact")
			}
		}
		if inc, err = tx.loadIncident(ctx, id); err != nil {
			return err
		}
		out.Incident = *inc
		tx.audit("incident.report", "incident", id, owner.ID, map[string]any{"kind": in.Kind,
			"aware_at": aware, "affected": in.AffectedParties, "case_id": in.CaseID,
			"consultation_id": in.ConsultationID, "asset": in.AssetCode, "notified": notified,
			"unnotified": out.Unnotified})
		return nil
	})
	return out, err
}

// FindIncident returns one incident, auditing the view. See foi.IncidentService.
func (d *DB) FindIncident(ctx context.Context, id int64) (foi.Incident, error) {
	var out foi.Incident
	err := d.inTx(ctx, func(tx *Tx) error {
		inc, err := tx.readableIncident(ctx, id)
		if err != nil {
			return err
		}
		out = *inc
		tx.audit("incident.read", "incident", id, inc.PartyID, nil)
		return nil
	})
	return out, err
}

// ListIncidents returns the incidents the caller may read, newest first, auditing the listing. EINVALID for
// an unknown status filter.
func (d *DB) ListIncidents(ctx context.Context, f foi.IncidentFilter) ([]foi.Incident, error) {
	if f.Status != "" && f.Status != foi.IncidentOpen && f.Status != foi.IncidentClosed {
		return nil, incidentInvalid("status", "Status must be open or closed")
	}
	out := []foi.Incident{}
	err := d.inTx(ctx, func(tx *Tx) error {
		if err := signedIn(tx.actor); err != nil {
			return err
		}
		p := db.IncidentIDsParams{}
		if f.Status != "" {
			s := string(f.Status)
			p.Status = &s
		}
		if f.CaseID != 0 {
			p.CaseID = &f.CaseID
		}
		ids, err := tx.IncidentIDs(ctx, p)
		if err != nil {
			return err
		}
		for _, id := range ids {
			inc, err := tx.loadIncident(ctx, id)
			if err != nil {
				return err
			}
			if tx.canIncident(foi.ActionReadIncident, inc) != nil {
				continue
			}
			out = append(out, *inc)
			if len(out) == maxIncidentList {
				break
			}
		}
		tx.audit("incident.list", "incident", 0, 0, map[string]any{"status": f.Status, "case_id": f.CaseID,
			"shown": len(out)})
		return nil
	})
	return out, err
}

// changeIncident loads an incident the caller may read, checks action, applies change (which returns the
// audit detail), writes the incident with optimistic concurrency and audits auditAction.
func (d *DB) changeIncident(ctx context.Context, id int64, action foi.Action, auditAction string,
	change func(tx *Tx, inc *foi.Incident) (map[string]any, error)) (foi.Incident, error) {
	var out foi.Incident
	err := d.inTx(ctx, func(tx *Tx) error {
		inc, err := tx.readableIncident(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.canIncident(action, inc); err != nil {
			return err
		}
		detail, err := change(tx, inc)
		if err != nil {
			return err
		}
		n, err := tx.IncidentUpdate(ctx, db.IncidentUpdateParams{Status: string(inc.Status),
			IcoDecision: string(inc.ICODecision), IcoReasons: inc.ICOReasons, IcoDecidedAt: inc.ICODecidedAt,
			IcoNotifiedAt: inc.ICONotifiedAt, ClosureSummary: inc.ClosureSummary, ClosedAt: inc.ClosedAt,
			Now: tx.now, ID: inc.ID, Version: inc.Version})
		if err != nil {
			return err
		}
		if n == 0 {
			return foi.Errorf(foi.EPRECONDITION, "The incident changed while you were working on it: reload it and try again.")
		}
		if inc, err = tx.loadIncident(ctx, id); err != nil {
			return err
		}
		out = *inc
		tx.audit(auditAction, "incident", id, inc.PartyID, detail)
		return nil
	})
	return out, err
}

// RecordIncidentAction appends a note to an open incident's actions log (the reporting party's officers,
// decision-makers and admins). See foi.IncidentService.
func (d *DB) RecordIncidentAction(ctx context.Context, id int64, note string) (foi.Incident, error) {
	return d.changeIncident(ctx, id, foi.ActionRecordIncident, "incident.action",
		func(tx *Tx, inc *foi.Incident) (map[string]any, error) {
			note, err := inc.CheckIncidentAction(note)
			if err != nil {
				return nil, err
			}
			seq := int64(len(inc.Actions) + 1)
			if err := tx.IncidentActionInsert(ctx, db.IncidentActionInsertParams{IncidentID: inc.ID, Seq: seq,
				Note: note, TakenBy: tx.actorUserID(), TakenLabel: tx.actor.AuditLabel(), Now: tx.now}); err != nil {
				return nil, err
			}
			return map[string]any{"seq": seq, "note": note}, nil
		})
}

// DecideICONotification records whether the ICO is notified, with reasons (the reporting party's
// decision-makers and admins). See foi.IncidentService.
func (d *DB) DecideICONotification(ctx context.Context, id int64, in foi.ICODecisionInput) (foi.Incident, error) {
	return d.changeIncident(ctx, id, foi.ActionDecideIncident, "incident.ico_decision",
		func(tx *Tx, inc *foi.Incident) (map[string]any, error) {
			late := tx.now.After(inc.ICODueAt())
			if err := inc.DecideICO(in, tx.now); err != nil {
				return nil, err
			}
			return map[string]any{"decision": inc.ICODecision, "reasons": inc.ICOReasons,
				"notified_at": inc.ICONotifiedAt, "after_72_hours": late}, nil
		})
}

// CloseIncident closes an incident with a summary once the ICO decision is recorded. See
// foi.IncidentService.
func (d *DB) CloseIncident(ctx context.Context, id int64, summary string) (foi.Incident, error) {
	return d.changeIncident(ctx, id, foi.ActionRecordIncident, "incident.close",
		func(tx *Tx, inc *foi.Incident) (map[string]any, error) {
			if err := inc.Close(summary, tx.now); err != nil {
				return nil, err
			}
			return map[string]any{"summary": inc.ClosureSummary}, nil
		})
}

// scanIncidents is the daily scan's part for incidents: for each open incident it tries again to notify the
// affected parties nobody was told of yet, and once a clock has run out (24 hours with a party not told; 72
// hours with no ICO decision) tells the reporting party's security-incidents contacts, once per incident and
// clock (the outbox dedupe key). A reporting party with nobody to tell is listed in r.Unsent.
func (tx *Tx) scanIncidents(ctx context.Context, r *ScanReport) error {
	ids, err := tx.IncidentOpenIDs(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		inc, err := tx.loadIncident(ctx, id)
		if err != nil {
			return err
		}
		for _, p := range inc.Affected {
			if p.NotifiedAt != nil {
				continue
			}
			told, err := tx.notifyIncidentParty(ctx, inc, p)
			if err != nil {
				return err
			}
			if len(told) > 0 {
				r.Emails += len(told)
				tx.audit("incident.notify", "incident", id, inc.PartyID, map[string]any{"party": p.PartyCode,
					"notified": told, "late": tx.now.After(inc.NotifyDueAt())})
			}
		}
		if inc, err = tx.loadIncident(ctx, id); err != nil {
			return err
		}
		if inc.NotifyOverdue {
			if err := tx.remindIncident(ctx, inc, foi.ReminderIncidentNotify, "24-hour notice to the affected parties",
				inc.NotifyDueAt(), r); err != nil {
				return err
			}
		}
		if inc.ICODecisionLate {
			if err := tx.remindIncident(ctx, inc, foi.ReminderIncidentICO, "72-hour ICO notification decision",
				inc.ICODueAt(), r); err != nil {
				return err
			}
		}
	}
	return nil
}

// remindIncident tells the reporting party's security-incidents contacts that inc's clock ran out at due,
// once per incident, kind and address.
func (tx *Tx) remindIncident(ctx context.Context, inc *foi.Incident, kind foi.ReminderKind, clock string,
	due time.Time, r *ScanReport) error {
	contacts, err := tx.securityContacts(ctx, inc.PartyID)
	if err != nil {
		return err
	}
	if len(contacts) == 0 {
		r.Unsent = append(r.Unsent, fmt.Sprintf("incident %d: %s: %s has no active security-incidents contact",
			inc.ID, kind, inc.PartyCode))
		return nil
	}
	data := incidentData(inc)
	data["clock"], data["due_at"] = clock, incidentTime(due)
	sent := 0
	for _, c := range contacts {
		_, inserted, err := tx.enqueueMessage(ctx, foi.Notification{Template: foi.TmplIncidentOverdue, To: c.Email,
			ToName: c.Name, Data: data, Link: incidentLink(inc.ID),
			DedupeKey: fmt.Sprintf("%s:%d:%s", kind, inc.ID, foi.NormalizeEmail(c.Email))})
		if err != nil {
			return err
		}
		if inserted {
			sent++
		}
	}
	if sent > 0 {
		r.Reminders[kind]++
		r.Emails += sent
		tx.audit("incident.overdue", "incident", inc.ID, inc.PartyID, map[string]any{"kind": kind,
			"due_at": due, "emails": sent})
	}
	return nil
}
