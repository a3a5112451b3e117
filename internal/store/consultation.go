package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

var _ foi.ConsultationService = (*DB)(nil)

// ensureConsultations opens, in the caller's transaction, the consultations a case's confirmed assets now
// require (see openConsultations; held as drafts when hold is set), for a case whose assets changed; when it
// opens one and the status allows,
// the case moves to awaiting_representations, which the caller (changeCase) writes. New cases go through
// planConsultations and openConsultations directly, from data intake already holds.
func (tx *Tx) ensureConsultations(ctx context.Context, c *foi.Case, hold bool, cal *calendar.Calendar) error {
	codes := []string{}
	linked, err := tx.CaseAssetList(ctx, c.ID)
	if err != nil {
		return err
	}
	for _, l := range linked {
		if l.Confirmed {
			codes = append(codes, l.Code)
		}
	}
	refs, err := tx.lookupAssets(ctx, codes)
	if err != nil {
		return err
	}
	plan := planConsultations(c.PartyID, refs)
	plan.hold = hold
	if len(plan.parties) == 0 {
		return nil
	}
	existing, err := tx.ConsultationListByCase(ctx, c.ID)
	if err != nil {
		return err
	}
	if err := tx.openConsultations(ctx, c, plan, existing, cal); err != nil {
		return err
	}
	// The caller (changeCase) writes the case, so a status move here is saved with the rest of the change.
	if foi.CheckTransition(c.Status, foi.StatusAwaitingRepresentations) == nil && plan.opens(existing) {
		c.Status = foi.StatusAwaitingRepresentations
	}
	return nil
}

// consultationPlan is whom a case must consult, worked out from its confirmed assets.
type consultationPlan struct {
	parties   []int64
	codes     map[int64]string // party id to code
	confirmed []foi.Asset
	exchanges map[int64]foi.Exchange
	hold      bool // the officer holds the new consultations as drafts
}

// planConsultations works out whom a case of caseParty must consult because of its assets.
func planConsultations(caseParty int64, refs []assetRef) consultationPlan {
	p := consultationPlan{codes: map[int64]string{}, exchanges: map[int64]foi.Exchange{}}
	for _, r := range refs {
		p.confirmed = append(p.confirmed, r.Register)
		p.exchanges[r.Exchange.ID] = r.Exchange
		p.codes[r.Register.ProviderPartyID] = r.Asset.ProviderParty
		p.codes[r.Exchange.RecipientPartyID] = r.RecipientCode
	}
	p.parties = foi.ConsultedParties(caseParty, p.confirmed, p.exchanges)
	return p
}

// opens reports whether the plan consults a party that has no consultation yet.
func (p consultationPlan) opens(existing []db.ConsultationListByCaseRow) bool {
	for _, party := range p.parties {
		if !slices.ContainsFunc(existing, func(r db.ConsultationListByCaseRow) bool { return r.ConsultedPartyID == party }) {
			return true
		}
	}
	return false
}

// openConsultations creates, in the case's transaction, one consultation for each party the plan consults that
// has none among existing, and sends it at once to that party's BAU FOI contact (respond-by from the clock;
// the email carries a notice and a link only). When the plan holds them, or without such a contact, it stays a
// draft, which still blocks disclosure, until an officer sends it (SendConsultation).
func (tx *Tx) openConsultations(ctx context.Context, c *foi.Case, plan consultationPlan,
	existing []db.ConsultationListByCaseRow, cal *calendar.Calendar) error {
	if len(plan.parties) == 0 {
		return nil
	}
	if cal == nil {
		var err error
		if cal, err = calendarIn(ctx, tx.Queries); err != nil {
			return err
		}
	}
	today := calendar.LondonDate(tx.now)
	for _, p := range plan.parties {
		if slices.ContainsFunc(existing, func(r db.ConsultationListByCaseRow) bool { return r.ConsultedPartyID == p }) {
			continue
		}
		k := foi.NewConsultation(c.ID, c.Regime, c.PartyID, p)
		k.ConsultedPartyCode = plan.codes[p]
		k.InformationAtIssue = assetsAtIssue(plan.confirmed, p, plan.exchanges)
		contact, err := tx.foiContact(ctx, p)
		if err != nil {
			return err
		}
		var warning string
		if contact != nil && !plan.hold {
			k.ContactEmail = contact.Email
			warning, err = k.Send(today, cal, c.DueOn, 0, foi.DefaultDecisionMarginWorkingDays)
			if err != nil {
				return err
			}
		}
		id, err := tx.ConsultationInsert(ctx, db.ConsultationInsertParams{CaseID: c.ID, OwnerPartyID: c.PartyID,
			ConsultedPartyID: p, Status: string(k.Status), Question: k.Question,
			InformationAtIssue: k.InformationAtIssue, ContactEmail: k.ContactEmail, SentOn: k.SentOn,
			RespondBy: k.RespondBy, Now: tx.now})
		if err != nil {
			return err
		}
		if k.Status == foi.ConsultationSent {
			k.ID = id
			if err := tx.queueConsultationSent(ctx, c, &k, contact); err != nil {
				return err
			}
		}
		tx.audit("consultation.create", "consultation", id, c.PartyID, map[string]any{"case_id": c.ID,
			"consulted_party": k.ConsultedPartyCode, "status": k.Status, "respond_by": k.RespondBy,
			"contact": k.ContactEmail, "warning": warning})
	}
	return nil
}

// queueConsultationSent queues the consultation_sent email (a notice and a link only) to the consulted party's
// contact for consultation k of case c.
func (tx *Tx) queueConsultationSent(ctx context.Context, c *foi.Case, k *foi.Consultation, contact *db.Contact) error {
	return tx.enqueue(ctx, foi.Notification{Template: foi.TmplConsultationSent, To: contact.Email,
		ToName: contact.Name, Link: fmt.Sprintf("/consultations/%d", k.ID),
		Data: map[string]string{"case_reference": c.Reference, "from_party": c.PartyCode,
			"respond_by": k.RespondBy.String()},
		DedupeKey: fmt.Sprintf("consultation_sent:%d", k.ID)})
}

// assetsAtIssue names, for the information at issue, the confirmed assets that make party p a consulted party.
func assetsAtIssue(confirmed []foi.Asset, p int64, exchanges map[int64]foi.Exchange) string {
	var names []string
	for _, a := range confirmed {
		if a.ProviderPartyID == p || exchanges[a.ExchangeID].RecipientPartyID == p {
			names = append(names, a.Code)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "Information assets: " + strings.Join(names, ", ")
}

// foiContact returns the party's first active business-as-usual contact responsible for FOI, or nil.
func (tx *Tx) foiContact(ctx context.Context, partyID int64) (*db.Contact, error) {
	rows, err := tx.regs.partyContacts(partyID, func() ([]db.Contact, error) { return tx.ContactListByParty(ctx, partyID) })
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r.Active && foi.Tier(r.Tier) == foi.TierBAU && slices.Contains(splitResponsibilities(r.Responsibilities), foi.RespFOI) {
			return &r, nil
		}
	}
	return nil, nil
}

// consultationFromRow builds a consultation (without its representations and consideration) from its columns.
func consultationFromRow(r db.Consultation, partyCode, regime string) *foi.Consultation {
	return &foi.Consultation{ID: r.ID, CaseID: r.CaseID, Regime: calendar.Regime(regime), OwnerPartyID: r.OwnerPartyID,
		ConsultedPartyID: r.ConsultedPartyID, ConsultedPartyCode: partyCode, Status: foi.ConsultationStatus(r.Status),
		Question: r.Question, InformationAtIssue: r.InformationAtIssue, ContactEmail: r.ContactEmail,
		SentOn: r.SentOn, RespondBy: r.RespondBy, RemindersSent: int(r.RemindersSent), LastReminderOn: r.LastReminderOn,
		EscalatedOn: r.EscalatedOn, ClosureReasons: r.ClosureReasons, WaiverReasons: r.WaiverReasons,
		ResolvedOn: r.ResolvedOn, Version: r.Version}
}

// loadConsultationDetail adds a consultation's representations (every version) and consideration.
func (tx *Tx) loadConsultationDetail(ctx context.Context, k *foi.Consultation) error {
	reps, err := tx.ConsultationRepresentationList(ctx, k.ID)
	if err != nil {
		return err
	}
	for _, r := range reps {
		rep := foi.Representation{Version: int(r.Version), Position: foi.Position(r.Position), Summary: r.Summary,
			Harm: r.Harm, SubmittedBy: r.SubmittedBy, SubmittedAt: r.SubmittedAt.UTC()}
		if err := json.Unmarshal([]byte(r.ProposedExemptions), &rep.ProposedExemptions); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(r.ProposedRedactions), &rep.ProposedRedactions); err != nil {
			return err
		}
		k.Representations = append(k.Representations, rep)
	}
	if err := tx.loadAttachments(ctx, k); err != nil {
		return err
	}
	row, err := tx.ConsultationConsiderationGet(ctx, k.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	k.Consideration = &foi.Consideration{Outcome: foi.ConsiderationOutcome(row.Outcome), Reasons: row.Reasons,
		RepresentationVersion: int(row.RepresentationVersion), ConsideredBy: row.ConsideredBy,
		ConsideredAt: row.ConsideredAt.UTC()}
	return nil
}

// loadConsultation reads one consultation with its representations and consideration.
func (tx *Tx) loadConsultation(ctx context.Context, id int64) (*foi.Consultation, error) {
	r, err := tx.ConsultationGet(ctx, id)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, consultationNotFound(id)
		}
		return nil, err
	}
	k := consultationFromRow(db.Consultation{ID: r.ID, CaseID: r.CaseID, OwnerPartyID: r.OwnerPartyID,
		ConsultedPartyID: r.ConsultedPartyID, Status: r.Status, Question: r.Question,
		InformationAtIssue: r.InformationAtIssue, ContactEmail: r.ContactEmail, SentOn: r.SentOn,
		RespondBy: r.RespondBy, RemindersSent: r.RemindersSent, LastReminderOn: r.LastReminderOn,
		EscalatedOn: r.EscalatedOn, ClosureReasons: r.ClosureReasons, WaiverReasons: r.WaiverReasons,
		ResolvedOn: r.ResolvedOn, Version: r.Version}, r.ConsultedPartyCode, r.CaseRegime)
	return k, tx.loadConsultationDetail(ctx, k)
}

// caseConsultations reads every consultation of a case, with representations and consideration, in id order.
func (tx *Tx) caseConsultations(ctx context.Context, caseID int64) ([]foi.Consultation, error) {
	rows, err := tx.ConsultationListByCase(ctx, caseID)
	if err != nil {
		return nil, err
	}
	out := make([]foi.Consultation, 0, len(rows))
	for _, r := range rows {
		k := consultationFromRow(db.Consultation{ID: r.ID, CaseID: r.CaseID, OwnerPartyID: r.OwnerPartyID,
			ConsultedPartyID: r.ConsultedPartyID, Status: r.Status, Question: r.Question,
			InformationAtIssue: r.InformationAtIssue, ContactEmail: r.ContactEmail, SentOn: r.SentOn,
			RespondBy: r.RespondBy, RemindersSent: r.RemindersSent, LastReminderOn: r.LastReminderOn,
			EscalatedOn: r.EscalatedOn, ClosureReasons: r.ClosureReasons, WaiverReasons: r.WaiverReasons,
			ResolvedOn: r.ResolvedOn, Version: r.Version}, r.ConsultedPartyCode, r.CaseRegime)
		if err := tx.loadConsultationDetail(ctx, k); err != nil {
			return nil, err
		}
		out = append(out, *k)
	}
	return out, nil
}

func consultationNotFound(id int64) error {
	return foi.Errorf(foi.ENOTFOUND, "There is no consultation %d.", id)
}

// readableConsultation loads a consultation the actor may read (Can with ActionReadConsultation, and a draft
// only within the case's party: foi.Consultation.HiddenFrom), or returns ENOTFOUND.
func (tx *Tx) readableConsultation(ctx context.Context, id int64) (*foi.Consultation, error) {
	k, err := tx.loadConsultation(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := tx.can(foi.ActionReadConsultation, k.Scope()); err != nil {
		if foi.ErrorCode(err) == foi.ENOTFOUND {
			return nil, consultationNotFound(id)
		}
		return nil, err
	}
	if k.HiddenFrom(tx.actor.User) {
		return nil, consultationNotFound(id)
	}
	return k, nil
}

// writeConsultation stores a consultation's state with optimistic concurrency.
func (tx *Tx) writeConsultation(ctx context.Context, k *foi.Consultation) error {
	n, err := tx.ConsultationUpdate(ctx, db.ConsultationUpdateParams{ID: k.ID, Version: k.Version,
		Status: string(k.Status), Question: k.Question, InformationAtIssue: k.InformationAtIssue,
		ContactEmail: k.ContactEmail, SentOn: k.SentOn, RespondBy: k.RespondBy, RemindersSent: int64(k.RemindersSent),
		LastReminderOn: k.LastReminderOn, EscalatedOn: k.EscalatedOn, ClosureReasons: k.ClosureReasons,
		WaiverReasons: k.WaiverReasons, ResolvedOn: k.ResolvedOn, Now: tx.now})
	if err != nil {
		return err
	}
	if n == 0 {
		return foi.Errorf(foi.EPRECONDITION, "The consultation changed while you were working on it: reload it and try again.")
	}
	k.Version++
	return nil
}

// gateConsultations is the disclosure gate for case c: it returns the case's consultations when every one is
// resolved, and ECONFLICT with Detail["blockers"] while any is not (foi.CheckDisclosureGate).
func (tx *Tx) gateConsultations(ctx context.Context, c *foi.Case) ([]foi.Consultation, error) {
	ks, err := tx.caseConsultations(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	return ks, foi.CheckDisclosureGate(ks)
}

// CaseConsultations returns a case's consultations and what still blocks its disclosure, auditing the view.
func (d *DB) CaseConsultations(ctx context.Context, caseID int64) (foi.CaseConsultations, error) {
	var out foi.CaseConsultations
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.readableCase(ctx, caseID)
		if err != nil {
			return err
		}
		ks, err := tx.caseConsultations(ctx, c.ID)
		if err != nil {
			return err
		}
		out = foi.CaseConsultations{Consultations: ks, Blockers: foi.DisclosureBlockers(ks)}
		tx.audit("consultation.list", "case", c.ID, c.PartyID, map[string]any{"shown": len(ks)})
		return nil
	})
	return out, err
}

// FindConsultations lists the consultations addressed to a liaison's party, or those of an officer's,
// decision-maker's or auditor's party's cases, newest last, auditing the listing.
func (d *DB) FindConsultations(ctx context.Context, f foi.ConsultationFilter) ([]foi.ConsultationSummary, error) {
	actor := foi.ActorFrom(ctx).User
	if actor == nil || !actor.Active {
		return nil, foi.Errorf(foi.EUNAUTHORIZED, "Sign in to continue.")
	}
	if f.Status != "" && !f.Status.Valid() {
		return nil, &foi.Error{Code: foi.EINVALID, Message: "Unknown consultation status " + string(f.Status),
			Fields: []foi.FieldError{{Field: "status", Message: "Choose open or a consultation status"}}}
	}
	var out []foi.ConsultationSummary
	err := d.inTx(ctx, func(tx *Tx) error {
		type row struct {
			k                db.Consultation
			code, regime     string
			reference, owner string
		}
		var rows []row
		switch actor.Role {
		case foi.RoleLiaison:
			rs, err := tx.ConsultationListForConsulted(ctx, db.ConsultationListForConsultedParams{PartyID: actor.PartyID, OpenOnly: f.Open})
			if err != nil {
				return err
			}
			for _, r := range rs {
				rows = append(rows, row{r.Consultation, r.ConsultedPartyCode, r.CaseRegime, r.CaseReference, r.OwnerPartyCode})
			}
		case foi.RoleOfficer, foi.RoleDecisionMaker, foi.RoleAuditor:
			rs, err := tx.ConsultationListForOwner(ctx, db.ConsultationListForOwnerParams{PartyID: actor.PartyID, OpenOnly: f.Open})
			if err != nil {
				return err
			}
			for _, r := range rs {
				rows = append(rows, row{r.Consultation, r.ConsultedPartyCode, r.CaseRegime, r.CaseReference, r.OwnerPartyCode})
			}
		default:
			return foi.Errorf(foi.EFORBIDDEN, "Your role does not work on consultations.")
		}
		out = []foi.ConsultationSummary{}
		slices.Reverse(rows) // the newest 1,000, oldest first
		for _, r := range rows {
			k := consultationFromRow(r.k, r.code, r.regime)
			if (f.Open && !k.Status.Open()) || (f.Status != "" && k.Status != f.Status) {
				continue
			}
			if foi.Can(actor, foi.ActionReadConsultation, k.Scope()) != nil || k.HiddenFrom(actor) {
				continue
			}
			out = append(out, foi.ConsultationSummary{Consultation: *k, CaseReference: r.reference, OwnerPartyCode: r.owner})
		}
		tx.audit("consultation.list", "consultation", 0, actor.PartyID, map[string]any{"open": f.Open,
			"status": f.Status, "shown": len(out)})
		return nil
	})
	return out, err
}

// FindConsultation returns a consultation with its pack, auditing the view (consultation.read). The pack has
// the case's request text, the draft response letter and the documents' metadata, with the requester's name,
// email address and postal address taken out wherever they appear; it never carries the requester.
func (d *DB) FindConsultation(ctx context.Context, id int64) (foi.ConsultationDetail, error) {
	var out foi.ConsultationDetail
	err := d.inTx(ctx, func(tx *Tx) error {
		k, err := tx.readableConsultation(ctx, id)
		if err != nil {
			return err
		}
		c, err := tx.loadCase(ctx, k.CaseID, true)
		if err != nil {
			return err
		}
		var draft string
		r, err := tx.loadResponse(ctx, c)
		if err != nil {
			return err
		}
		if r != nil {
			draft = r.Letter
		}
		docs, err := tx.DocumentListByCase(ctx, c.ID)
		if err != nil {
			return err
		}
		pack := make([]foi.PackDocument, 0, len(docs))
		for _, doc := range docs {
			pack = append(pack, foi.PackDocument{DocumentID: doc.ID, Name: withoutRequester(doc.Name, c.Requester),
				Version: doc.Version})
		}
		out = foi.ConsultationDetail{Consultation: *k, OwnerPartyCode: c.PartyCode,
			Pack: k.Pack(withoutRequester(c.RequestText, c.Requester), withoutRequester(draft, c.Requester), pack...)}
		tx.audit("consultation.read", "consultation", k.ID, c.PartyID, map[string]any{"case_id": c.ID,
			"consulted_party": k.ConsultedPartyCode})
		return nil
	})
	return out, err
}

// withoutRequester replaces the requester's name, email address and postal address in s with "[requester]".
func withoutRequester(s string, r *foi.Requester) string {
	if r == nil || s == "" {
		return s
	}
	for _, v := range []string{r.Email, r.Name, r.Address} {
		if v = strings.TrimSpace(v); len(v) >= 3 {
			s = replaceFold(s, v, "[requester]")
		}
	}
	return s
}

// replaceFold replaces every case-insensitive occurrence of old in s with repl.
func replaceFold(s, old, repl string) string {
	lower, lowerOld := strings.ToLower(s), strings.ToLower(old)
	if len(lower) != len(s) || len(lowerOld) != len(old) {
		return strings.ReplaceAll(s, old, repl) // case folding changed lengths: exact matches only
	}
	var b strings.Builder
	for {
		i := strings.Index(lower, lowerOld)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, lower = s[i+len(old):], lower[i+len(old):]
	}
}

// changeConsultation is the one way a consultation changes: in a transaction it loads the consultation the
// caller may read, checks action, lets change apply the domain rule, writes it with optimistic concurrency and
// audits auditAction with the detail change returned.
func (d *DB) changeConsultation(ctx context.Context, id int64, action foi.Action, auditAction string,
	change func(tx *Tx, k *foi.Consultation) (any, error)) (*foi.Consultation, error) {
	var out *foi.Consultation
	err := d.inTx(ctx, func(tx *Tx) error {
		k, err := tx.readableConsultation(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.can(action, k.Scope()); err != nil {
			return err
		}
		detail, err := change(tx, k)
		if err != nil {
			return err
		}
		if err := tx.writeConsultation(ctx, k); err != nil {
			return err
		}
		tx.audit(auditAction, "consultation", k.ID, k.OwnerPartyID, detail)
		out, err = tx.loadConsultation(ctx, k.ID)
		return err
	})
	return out, err
}

// SubmitRepresentation records the next version of the consulted party's representations (liaisons of the
// consulted party only) and audits it.
func (d *DB) SubmitRepresentation(ctx context.Context, id int64, r foi.Representation) (*foi.Consultation, error) {
	return d.changeConsultation(ctx, id, foi.ActionRepresent, "consultation.represent", func(tx *Tx, k *foi.Consultation) (any, error) {
		r.AttachmentIDs, r.Attachments = nil, nil // files are attached to the version afterwards (AttachToRepresentation)
		r.SubmittedBy = tx.actor.AuditID()
		if err := k.SubmitRepresentation(r, tx.now); err != nil {
			return nil, err
		}
		latest, _ := k.Latest()
		exs, err := json.Marshal(nonNil(latest.ProposedExemptions))
		if err != nil {
			return nil, err
		}
		reds, err := json.Marshal(nonNil(latest.ProposedRedactions))
		if err != nil {
			return nil, err
		}
		if err := tx.ConsultationRepresentationInsert(ctx, db.ConsultationRepresentationInsertParams{
			ConsultationID: k.ID, Version: int64(latest.Version), Position: string(latest.Position),
			Summary: latest.Summary, Harm: latest.Harm, ProposedExemptions: string(exs), ProposedRedactions: string(reds),
			SubmittedBy: latest.SubmittedBy, SubmittedAt: tx.now}); err != nil {
			return nil, err
		}
		return map[string]any{"version": latest.Version, "position": latest.Position,
			"proposed_exemptions": len(latest.ProposedExemptions), "proposed_redactions": len(latest.ProposedRedactions)}, nil
	})
}

// nonNil returns s, or an empty slice for nil, so it marshals as [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ConsiderRepresentations records a decision-maker's consideration of the latest representations and audits it.
func (d *DB) ConsiderRepresentations(ctx context.Context, id int64, k foi.Consideration) (*foi.Consultation, error) {
	return d.changeConsultation(ctx, id, foi.ActionConsider, "consultation.consider", func(tx *Tx, c *foi.Consultation) (any, error) {
		k.ConsideredBy, k.ConsideredAt = tx.actor.AuditID(), tx.now
		if err := c.Consider(k); err != nil {
			return nil, err
		}
		got := c.Consideration
		if err := tx.ConsultationConsiderationInsert(ctx, db.ConsultationConsiderationInsertParams{
			ConsultationID: c.ID, Outcome: string(got.Outcome), Reasons: got.Reasons,
			RepresentationVersion: int64(got.RepresentationVersion), ConsideredBy: got.ConsideredBy,
			ConsideredAt: tx.now}); err != nil {
			return nil, err
		}
		// An objection not accepted in full while the decision discloses opens the MoU dispute ladder (dispute.go).
		disputeID, err := tx.openDisputeAfterConsideration(ctx, c)
		if err != nil {
			return nil, err
		}
		return map[string]any{"outcome": got.Outcome, "representation_version": got.RepresentationVersion,
			"dispute_id": disputeID}, nil
	})
}

// WaiveConsultation records a decision-maker's waiver of the consultation with reasons and audits it.
func (d *DB) WaiveConsultation(ctx context.Context, id int64, reasons string) (*foi.Consultation, error) {
	return d.changeConsultation(ctx, id, foi.ActionDecideCase, "consultation.waive", func(tx *Tx, k *foi.Consultation) (any, error) {
		if err := k.Waive(reasons, calendar.LondonDate(tx.now)); err != nil {
			return nil, err
		}
		return map[string]any{"reasons": k.WaiverReasons}, nil
	})
}

// CloseConsultation records that a decision-maker proceeds without representations (the domain checks that
// respond-by passed and a reminder and the escalation were sent) and audits it.
func (d *DB) CloseConsultation(ctx context.Context, id int64, reasons string) (*foi.Consultation, error) {
	return d.changeConsultation(ctx, id, foi.ActionDecideCase, "consultation.close", func(tx *Tx, k *foi.Consultation) (any, error) {
		if err := k.CloseWithoutRepresentations(reasons, calendar.LondonDate(tx.now)); err != nil {
			return nil, err
		}
		return map[string]any{"reasons": k.ClosureReasons}, nil
	})
}
