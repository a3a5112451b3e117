package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// Responses, letters, internal reviews and ICO appeals. Every change goes through changeCase, so permission,
// If-Match, the domain rule, the case write and the audit event stay in one place and one transaction; the
// response email is written to the outbox in that same transaction.

var (
	_ foi.ResponseService = (*DB)(nil)
	_ foi.LetterService   = (*DB)(nil)
)

// RecordResponse records a response for a case. An officer's draft (ActionWorkCase) moves the case to
// pending_approval; a decision-maker's (ActionDecideCase) is approved at once: the disclosure gate is checked,
// the case becomes responded and the response email is queued. See foi.ResponsePath for the statuses passed
// through. The letter is the draft's, or else rendered from its template (or the outcome's default).
func (d *DB) RecordResponse(ctx context.Context, caseID, ifVersion int64, draft foi.ResponseDraft) (foi.ResponseResult, error) {
	cal, err := d.Calendar(ctx)
	if err != nil {
		return foi.ResponseResult{}, err
	}
	actor := foi.UserFrom(ctx)
	approve := actor != nil && actor.Role == foi.RoleDecisionMaker
	action, auditAction := foi.ActionWorkCase, "response.draft"
	if approve {
		action, auditAction = foi.ActionDecideCase, "response.approve"
	}
	var out foi.ResponseResult
	c, err := d.changeCase(ctx, caseID, ifVersion, action, auditAction, func(tx *Tx, c *foi.Case) (any, error) {
		dec, err := foi.CheckResponseDraft(c, draft)
		if err != nil {
			return nil, err
		}
		path, err := foi.ResponsePath(c.Status, approve)
		if err != nil {
			return nil, err
		}
		today := calendar.LondonDate(tx.now)
		letter, tmplKey := strings.TrimSpace(draft.Letter), ""
		if letter == "" {
			tmplKey = draft.Template
			if tmplKey == "" {
				tmplKey = foi.DefaultResponseTemplate(dec.Outcome)
			}
			if letter, err = tx.renderLetter(ctx, cal, c, &dec, tmplKey, today); err != nil {
				return nil, err
			}
		}
		if approve {
			if err := foi.CheckLetterComplete(letter); err != nil {
				return nil, err
			}
		}
		from := c.Status
		c.Outcome, c.Exemptions = dec.Outcome, dec.Sections()
		r := &foi.Response{CaseID: c.ID, Outcome: dec.Outcome, Exemptions: dec.Exemptions, Letter: letter,
			Status: foi.ResponsePendingApproval, DraftedBy: tx.actor.AuditID(), DraftedAt: tx.now,
			Delivery: foi.DeliveryFor(c.Requester)}
		if err := tx.writeResponse(ctx, r); err != nil {
			return nil, err
		}
		detail := map[string]any{"outcome": dec.Outcome, "exemptions": dec.Sections(), "path": path, "from": from,
			"template": tmplKey, "letter_chars": len([]rune(letter))}
		if approve {
			// The path ends pending_approval -> responded: approveResponse makes that last hop.
			c.Status = foi.StatusPendingApproval
			queued, plan, err := tx.approveResponse(ctx, c, r, today, draft.Notice)
			if err != nil {
				return nil, err
			}
			out.EmailQueued, out.Warnings = queued, planWarnings(plan)
			detail["delivery"], detail["email_queued"] = r.Delivery, queued
			releaseDetail(detail, plan)
		}
		if !approve && len(path) > 0 {
			c.Status = path[len(path)-1]
		}
		out.Response = r
		return detail, nil
	})
	if err != nil {
		return foi.ResponseResult{}, err
	}
	out.Case = c
	return out, nil
}

// ApproveResponse approves a case's draft pending approval with the default advance notice: decision-makers
// only. See ApproveResponseWithNotice.
func (d *DB) ApproveResponse(ctx context.Context, caseID, ifVersion int64) (foi.ResponseResult, error) {
	return d.ApproveResponseWithNotice(ctx, caseID, ifVersion, foi.AdvanceNotice{})
}

// ApproveResponseWithNotice approves a case's draft pending approval: decision-makers only. Inside the
// transaction it checks the disclosure gate, plans the release with the advance notice n (foi.PlanRelease),
// marks the response approved, moves the case to responded, tells the consulted parties and queues the email,
// held until the release date.
func (d *DB) ApproveResponseWithNotice(ctx context.Context, caseID, ifVersion int64, n foi.AdvanceNotice) (foi.ResponseResult, error) {
	var out foi.ResponseResult
	c, err := d.changeCase(ctx, caseID, ifVersion, foi.ActionDecideCase, "response.approve", func(tx *Tx, c *foi.Case) (any, error) {
		r, err := tx.loadResponse(ctx, c)
		if err != nil {
			return nil, err
		}
		if err := foi.CheckApproval(c, r); err != nil {
			return nil, err
		}
		if err := foi.CheckLetterComplete(r.Letter); err != nil {
			return nil, err
		}
		queued, plan, err := tx.approveResponse(ctx, c, r, calendar.LondonDate(tx.now), n)
		if err != nil {
			return nil, err
		}
		out.Response, out.EmailQueued, out.Warnings = r, queued, planWarnings(plan)
		detail := map[string]any{"outcome": r.Outcome, "delivery": r.Delivery, "email_queued": queued,
			"drafted_by": r.DraftedBy}
		releaseDetail(detail, plan)
		return detail, nil
	})
	if err != nil {
		return foi.ResponseResult{}, err
	}
	out.Case = c
	return out, nil
}

// approveResponse is the one approval path: the disclosure gate, the release planned with the advance notice n
// (foi.PlanRelease: with consulted parties, DefaultAdvanceNoticeWorkingDays working days from today unless a
// decision-maker shortened it with reasons), then the response marked approved, the case responded, each
// consulted party told what will be released and when, and, when the requester gave an address, the response
// email queued and held in the outbox until the release date. c must be pending approval and r its stored
// draft. It reports whether the email was queued (false: the letter goes by post) and the plan.
func (tx *Tx) approveResponse(ctx context.Context, c *foi.Case, r *foi.Response, today calendar.Date,
	n foi.AdvanceNotice) (bool, foi.ReleasePlan, error) {
	ks, err := tx.gateConsultations(ctx, c)
	if err != nil {
		return false, foi.ReleasePlan{}, err
	}
	cal, err := calendarIn(ctx, tx.Queries)
	if err != nil {
		return false, foi.ReleasePlan{}, err
	}
	plan, err := foi.PlanRelease(cal, tx.actor.User, today, c.DueOn, len(ks) > 0, n)
	if err != nil {
		return false, foi.ReleasePlan{}, err
	}
	if err := foi.CheckTransition(c.Status, foi.StatusResponded); err != nil {
		return false, plan, err
	}
	approver := tx.actor.AuditID()
	rows, err := tx.ResponseApprove(ctx, db.ResponseApproveParams{ApprovedBy: &approver, Now: &tx.now, CaseID: c.ID})
	if err != nil {
		return false, plan, err
	}
	if rows == 0 {
		return false, plan, foi.Errorf(foi.ECONFLICT, "There is no draft response pending approval.")
	}
	if err := tx.queueAdvanceNotices(ctx, c, ks, plan); err != nil {
		return false, plan, err
	}
	at := tx.now
	r.Status, r.ApprovedBy, r.ApprovedAt, r.RespondedOn = foi.ResponseApproved, approver, &at, today
	r.ReleaseOn, r.AdvanceNoticeWorkingDays, r.AdvanceNoticeReasons = plan.ReleaseOn, plan.NoticeWorkingDays, plan.Reasons
	c.Status = foi.StatusResponded
	r.Delivery = foi.DeliveryFor(c.Requester)
	var messageID *string
	if r.Delivery == foi.DeliveryEmail {
		id, err := tx.queueResponseEmail(ctx, c, r, plan.ReleaseOn.After(today))
		if err != nil {
			return false, plan, err
		}
		messageID = &id
	}
	var decidedBy *int64
	if approver != 0 {
		decidedBy = &approver
	}
	if err := tx.ResponseReleaseUpsert(ctx, db.ResponseReleaseUpsertParams{CaseID: c.ID, ReleaseOn: plan.ReleaseOn,
		NoticeWorkingDays: int64(plan.NoticeWorkingDays), NoticeReasons: plan.Reasons, MessageID: messageID,
		DecidedBy: decidedBy, Now: tx.now}); err != nil {
		return false, plan, err
	}
	return messageID != nil, plan, nil
}

// queueResponseEmail queues the approved letter to the requester and returns its Message-ID. When hold is
// set the outbox row's next attempt is the start of the release date (London), so no worker claims it before.
func (tx *Tx) queueResponseEmail(ctx context.Context, c *foi.Case, r *foi.Response, hold bool) (string, error) {
	org, err := tx.PartyGet(ctx, c.PartyID)
	if err != nil {
		return "", err
	}
	// The letter is the statutory response, so this email carries it: the one deliberate exception to
	// "notice and link only" (foi.TmplResponseSent). Nothing else of the case goes in.
	id, inserted, err := tx.enqueueMessage(ctx, foi.Notification{Template: foi.TmplResponseSent, To: c.Requester.Email,
		ToName: c.Requester.Name, Data: map[string]string{"case_reference": c.Reference, "organisation": org.Name,
			"letter": r.Letter},
		DedupeKey: "response_sent:" + strconv.FormatInt(c.ID, 10)}) // no link: see foi.NoLinkTemplates
	if err != nil || !inserted || !hold {
		return id, err
	}
	if _, err := tx.OutboxHoldUntil(ctx, db.OutboxHoldUntilParams{MessageID: id,
		NotBefore: londonMidnight(r.ReleaseOn)}); err != nil {
		return "", err
	}
	return id, nil
}

// londonLocation is Europe/London (embedded with the calendar's time/tzdata import); UTC if it cannot load.
var londonLocation = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
})

// londonMidnight returns the instant the date d starts in London, in UTC at microsecond precision.
func londonMidnight(d calendar.Date) time.Time {
	y, m, day := d.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, londonLocation()).UTC()
}

// planWarnings returns the plan's warning as a list (nil when none).
func planWarnings(p foi.ReleasePlan) []string {
	if p.Warning == "" {
		return nil
	}
	return []string{p.Warning}
}

// releaseDetail adds the release plan to an approval's audit detail.
func releaseDetail(detail map[string]any, p foi.ReleasePlan) {
	detail["release_on"], detail["advance_notice_working_days"] = p.ReleaseOn, p.NoticeWorkingDays
	if p.Shortened {
		detail["advance_notice_shortened"], detail["advance_notice_reasons"] = true, p.Reasons
	}
	if p.Warning != "" {
		detail["warning"] = p.Warning
	}
}

// queueAdvanceNotices queues the disclosure_advance_notice email (MoU 4.5) to the BAU FOI contact of each party
// consulted on case c, naming the planned release date. It audits one consultation.advance_notice event per
// notice, with the notice given and any reasons for shortening it; a party without a BAU FOI contact is
// audited as not notified.
func (tx *Tx) queueAdvanceNotices(ctx context.Context, c *foi.Case, ks []foi.Consultation, plan foi.ReleasePlan) error {
	for _, k := range ks {
		contact, err := tx.foiContact(ctx, k.ConsultedPartyID)
		if err != nil {
			return err
		}
		to := ""
		if contact != nil {
			to = contact.Email
			if err := tx.enqueue(ctx, foi.Notification{Template: foi.TmplDisclosureNotice, To: contact.Email,
				ToName: contact.Name, Link: fmt.Sprintf("/consultations/%d", k.ID),
				Data: map[string]string{"case_reference": c.Reference, "from_party": c.PartyCode,
					"release_on": plan.ReleaseOn.String()},
				DedupeKey: fmt.Sprintf("disclosure_advance_notice:%d:%s", k.ID, plan.ReleaseOn)}); err != nil {
				return err
			}
		}
		tx.audit("consultation.advance_notice", "consultation", k.ID, c.PartyID, map[string]any{"case_id": c.ID,
			"consulted_party": k.ConsultedPartyCode, "release_on": plan.ReleaseOn, "to": to,
			"notice_working_days": plan.NoticeWorkingDays, "shortened": plan.Shortened, "reasons": plan.Reasons})
	}
	return nil
}

// ReturnResponse sends the draft pending approval back to in_progress with the decision-maker's reason, kept
// in the audit event (GET response shows it while the draft is returned).
func (d *DB) ReturnResponse(ctx context.Context, caseID, ifVersion int64, reason string) (foi.ResponseResult, error) {
	var out foi.ResponseResult
	c, err := d.changeCase(ctx, caseID, ifVersion, foi.ActionDecideCase, "response.return", func(tx *Tx, c *foi.Case) (any, error) {
		r, err := tx.loadResponse(ctx, c)
		if err != nil {
			return nil, err
		}
		if r == nil {
			return nil, foi.Errorf(foi.ECONFLICT, "There is no draft response to return.")
		}
		reason, err := foi.CheckReturn(c, reason)
		if err != nil {
			return nil, err
		}
		c.Status = foi.StatusInProgress
		at := tx.now
		r.Status, r.ReturnReason, r.ReturnedAt, r.ReturnedBy = foi.ResponseReturned, reason, &at, tx.actor.AuditLabel()
		out.Response = r
		return map[string]any{"reason": reason, "drafted_by": r.DraftedBy}, nil
	})
	if err != nil {
		return foi.ResponseResult{}, err
	}
	out.Case = c
	return out, nil
}

// FindResponse returns the case's response, draft or approved, auditing the view: ENOTFOUND when the caller may
// not see the case or it has no response.
func (d *DB) FindResponse(ctx context.Context, caseID int64) (*foi.Response, error) {
	var out *foi.Response
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.readableCase(ctx, caseID)
		if err != nil {
			return err
		}
		if out, err = tx.loadResponse(ctx, c); err != nil {
			return err
		}
		if out == nil {
			return foi.Errorf(foi.ENOTFOUND, "Case %s has no response yet.", c.Reference)
		}
		tx.audit("response.read", "case", c.ID, c.PartyID, nil)
		return nil
	})
	return out, err
}

// writeResponse stores a draft: the responses row and its exemptions, replacing any earlier draft.
func (tx *Tx) writeResponse(ctx context.Context, r *foi.Response) error {
	if err := tx.ResponseUpsert(ctx, db.ResponseUpsertParams{CaseID: r.CaseID, Outcome: string(r.Outcome),
		Letter: r.Letter, Status: string(foi.ResponsePendingApproval), DraftedBy: r.DraftedBy, Now: r.DraftedAt}); err != nil {
		return err
	}
	if err := tx.ResponseExemptionsClear(ctx, r.CaseID); err != nil {
		return err
	}
	for _, e := range r.Exemptions {
		p := db.ResponseExemptionInsertParams{CaseID: r.CaseID, Section: e.Section}
		if e.PIT != nil {
			p.FavourDisclosure, p.FavourWithholding, p.Conclusion = e.PIT.FavourDisclosure, e.PIT.FavourWithholding, e.PIT.Conclusion
		}
		if err := tx.ResponseExemptionInsert(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// loadResponse reads the case's response with its exemptions in statutory order, or nil when there is none.
// A draft still marked pending while the case is no longer pending approval was returned: its status is
// returned, with the reason from the audit log.
func (tx *Tx) loadResponse(ctx context.Context, c *foi.Case) (*foi.Response, error) {
	row, err := tx.ResponseGet(ctx, c.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r := &foi.Response{CaseID: c.ID, Outcome: foi.Outcome(row.Outcome), Letter: row.Letter,
		Status: foi.ResponseStatus(row.Status), DraftedBy: row.DraftedBy, DraftedAt: row.DraftedAt.UTC(),
		ApprovedBy: deref(row.ApprovedBy), Delivery: foi.DeliveryFor(c.Requester), Exemptions: []foi.AppliedExemption{}}
	if row.ApprovedAt != nil {
		at := row.ApprovedAt.UTC()
		r.ApprovedAt = &at
	}
	exs, err := tx.ResponseExemptionList(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, x := range exs {
		e, err := foi.LookupExemption(c.Regime, x.Section)
		if err != nil {
			e = foi.Exemption{Regime: c.Regime, Section: x.Section, Name: x.Section}
		}
		ae := foi.AppliedExemption{Exemption: e}
		if e.Qualified {
			ae.PIT = &foi.PublicInterestTest{FavourDisclosure: x.FavourDisclosure, FavourWithholding: x.FavourWithholding,
				Conclusion: x.Conclusion}
		}
		r.Exemptions = append(r.Exemptions, ae)
	}
	foi.SortExemptions(c.Regime, r.Exemptions)
	if r.Status == foi.ResponseApproved {
		if cr, err := tx.CaseGet(ctx, c.ID); err == nil {
			r.RespondedOn = cr.RespondedOn
		}
		switch rel, err := tx.ResponseReleaseGet(ctx, c.ID); {
		case err == nil:
			r.ReleaseOn, r.AdvanceNoticeWorkingDays = rel.ReleaseOn, int(rel.NoticeWorkingDays)
			r.AdvanceNoticeReasons = rel.NoticeReasons
		case !errors.Is(err, sql.ErrNoRows):
			return nil, err
		}
	}
	if r.Status == foi.ResponsePendingApproval && c.Status != foi.StatusPendingApproval {
		r.Status = foi.ResponseReturned
		ret, err := tx.ResponseLastReturn(ctx, strconv.FormatInt(c.ID, 10))
		switch {
		case err == nil:
			var detail struct {
				Reason string `json:"reason"`
			}
			_ = json.Unmarshal([]byte(ret.Detail), &detail)
			at := ret.At.UTC()
			r.ReturnReason, r.ReturnedAt, r.ReturnedBy = detail.Reason, &at, ret.ActorLabel
		case !errors.Is(err, sql.ErrNoRows):
			return nil, err
		}
	}
	return r, nil
}

// renderLetter renders the letter template key for case c with decision dec (nil before one), dated today and
// signed by the actor. A stored template that fails on this case's data is EINVALID naming "template".
func (tx *Tx) renderLetter(ctx context.Context, cal *calendar.Calendar, c *foi.Case, dec *foi.Decision, key string,
	today calendar.Date) (string, error) {
	t, err := tx.letterTemplate(ctx, key)
	if err != nil {
		return "", err
	}
	org, err := tx.PartyGet(ctx, c.PartyID)
	if err != nil {
		return "", err
	}
	officer := ""
	if tx.actor.User != nil {
		officer = tx.actor.User.Name
	}
	reviewBy, _ := foi.ReviewBy(cal, today) // past the calendar's range: left blank
	text, err := foi.RenderLetter(t.Body, foi.LetterDataFor(c, dec, org.Name, officer, today, reviewBy))
	if err != nil {
		return "", &foi.Error{Code: foi.EINVALID, Message: "The " + key + " letter template does not render: " + foi.ErrorMessage(err),
			Fields: []foi.FieldError{{Field: "template", Message: foi.ErrorMessage(err)}}}
	}
	return text, nil
}

// letterTemplate returns the template in force for key: the admin's edit, or the built-in default.
func (tx *Tx) letterTemplate(ctx context.Context, key string) (foi.LetterTemplate, error) {
	def, ok := foi.DefaultLetterTemplate(key)
	if !ok {
		return foi.LetterTemplate{}, foi.Errorf(foi.ENOTFOUND, "There is no letter template %q.", key)
	}
	row, err := tx.LetterTemplateGet(ctx, key)
	if errors.Is(err, sql.ErrNoRows) {
		return def, nil
	}
	if err != nil {
		return foi.LetterTemplate{}, err
	}
	return letterFromRow(row), nil
}

func letterFromRow(row db.LetterTemplate) foi.LetterTemplate {
	at := row.UpdatedAt.UTC()
	return foi.LetterTemplate{Key: row.Key, Title: row.Title, Body: row.Body, Custom: true, UpdatedBy: row.UpdatedBy, UpdatedAt: &at}
}

// LetterTemplates returns every letter template in force, in foi.LetterKeys order: any signed-in user.
func (d *DB) LetterTemplates(ctx context.Context) ([]foi.LetterTemplate, error) {
	if err := canCtx(ctx, foi.ActionViewRegisters, foi.Scope{}); err != nil {
		return nil, err
	}
	var out []foi.LetterTemplate
	err := d.readTx(ctx, func(q *db.Queries) error {
		rows, err := q.LetterTemplateList(ctx)
		if err != nil {
			return err
		}
		custom := map[string]db.LetterTemplate{}
		for _, r := range rows {
			custom[r.Key] = r
		}
		for _, t := range foi.DefaultLetterTemplates() {
			if r, ok := custom[t.Key]; ok {
				t = letterFromRow(r)
			}
			out = append(out, t)
		}
		return nil
	})
	return out, err
}

// SetLetterTemplate replaces a letter template after checking it parses and renders against sample data:
// admins only (templates are instance settings, managed with the registers). An empty title keeps the
// template's current one. Audited with the body's length, not its text.
func (d *DB) SetLetterTemplate(ctx context.Context, key, title, body string) (foi.LetterTemplate, error) {
	if err := canCtx(ctx, foi.ActionManageRegisters, foi.Scope{}); err != nil {
		return foi.LetterTemplate{}, err
	}
	var out foi.LetterTemplate
	err := d.inTx(ctx, func(tx *Tx) error {
		if strings.TrimSpace(title) == "" && foi.IsLetterKey(key) {
			cur, err := tx.letterTemplate(ctx, key)
			if err != nil {
				return err
			}
			title = cur.Title
		}
		title, err := foi.CheckLetterTemplate(key, title, body)
		if err != nil {
			return err
		}
		by := tx.actor.AuditLabel()
		if err := tx.LetterTemplateUpsert(ctx, db.LetterTemplateUpsertParams{Key: key, Title: title, Body: body,
			UpdatedBy: by, Now: tx.now}); err != nil {
			return err
		}
		at := tx.now
		out = foi.LetterTemplate{Key: key, Title: title, Body: body, Custom: true, UpdatedBy: by, UpdatedAt: &at}
		tx.audit("letter_template.update", "letter_template", 0, 0, map[string]any{"key": key, "title": title,
			"body_chars": len([]rune(body))})
		return nil
	})
	return out, err
}

// RenderCaseLetter renders a letter for a case with its current decision (the recorded response's, if any),
// dated today and signed by the caller: officers and decision-makers of the case's party. It is audited and
// sends nothing.
func (d *DB) RenderCaseLetter(ctx context.Context, caseID int64, key string) (foi.RenderedLetter, error) {
	cal, err := d.Calendar(ctx)
	if err != nil {
		return foi.RenderedLetter{}, err
	}
	var out foi.RenderedLetter
	err = d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.readableCase(ctx, caseID)
		if err != nil {
			return err
		}
		if err := tx.can(foi.ActionWorkCase, foi.Scope{OwnerPartyID: c.PartyID}); err != nil {
			return err
		}
		t, err := tx.letterTemplate(ctx, key)
		if err != nil {
			return err
		}
		var dec *foi.Decision
		if r, err := tx.loadResponse(ctx, c); err != nil {
			return err
		} else if r != nil {
			dec = &foi.Decision{Outcome: r.Outcome, Exemptions: r.Exemptions}
		}
		text, err := tx.renderLetter(ctx, cal, c, dec, key, calendar.LondonDate(tx.now))
		if err != nil {
			return err
		}
		out = foi.RenderedLetter{Key: key, Title: t.Title, CaseID: c.ID, Reference: c.Reference, Text: text}
		tx.audit("case.letter.render", "case", c.ID, c.PartyID, map[string]any{"key": key})
		return nil
	})
	return out, err
}

// notFuture refuses a date after today (London) for field.
func notFuture(tx *Tx, field string, on calendar.Date) error {
	if !on.IsZero() && on.After(calendar.LondonDate(tx.now)) {
		return &foi.Error{Code: foi.EINVALID, Message: "The date is in the future",
			Fields: []foi.FieldError{{Field: field, Message: "The date must be today or in the past"}}}
	}
	return nil
}

// respondedOn returns the date the case was responded to (zero when it never was).
func (tx *Tx) respondedOn(ctx context.Context, c *foi.Case) (calendar.Date, error) {
	row, err := tx.CaseGet(ctx, c.ID)
	if err != nil {
		return calendar.Date{}, err
	}
	return row.RespondedOn, nil
}

// RequestInternalReview records the requester's request for an internal review of a responded (or closed)
// case: officers and decision-makers. The targets follow foi.NewInternalReview; a late request is recorded
// with a warning.
func (d *DB) RequestInternalReview(ctx context.Context, caseID, ifVersion int64, requestedOn calendar.Date) (foi.ReviewResult, error) {
	cal, err := d.Calendar(ctx)
	if err != nil {
		return foi.ReviewResult{}, err
	}
	var out foi.ReviewResult
	c, err := d.changeCase(ctx, caseID, ifVersion, foi.ActionWorkCase, "case.internal_review.request", func(tx *Tx, c *foi.Case) (any, error) {
		if err := foi.CheckReviewable(c, "An internal review"); err != nil {
			return nil, err
		}
		if _, err := tx.InternalReviewGet(ctx, c.ID); err == nil {
			return nil, foi.Errorf(foi.ECONFLICT, "Case %s already has an internal review.", c.Reference)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		if err := notFuture(tx, "requested_on", requestedOn); err != nil {
			return nil, err
		}
		responded, err := tx.respondedOn(ctx, c)
		if err != nil {
			return nil, err
		}
		r, warning, err := foi.NewInternalReview(cal, c.Regime, responded, requestedOn)
		if err != nil {
			return nil, err
		}
		if err := tx.writeReview(ctx, c.ID, r, nil); err != nil {
			return nil, err
		}
		out.Review = r
		if warning != "" {
			out.Warnings = []string{warning}
		}
		return map[string]any{"requested_on": r.RequestedOn, "target_on": r.TargetOn, "longstop_on": r.LongstopOn,
			"late": r.Late}, nil
	})
	if err != nil {
		return foi.ReviewResult{}, err
	}
	out.Case = c
	return out, nil
}

// DecideInternalReview records the outcome of the case's internal review: decision-makers only.
func (d *DB) DecideInternalReview(ctx context.Context, caseID, ifVersion int64, decidedOn calendar.Date, outcome string) (foi.ReviewResult, error) {
	var out foi.ReviewResult
	c, err := d.changeCase(ctx, caseID, ifVersion, foi.ActionDecideCase, "case.internal_review.decide", func(tx *Tx, c *foi.Case) (any, error) {
		row, err := tx.InternalReviewGet(ctx, c.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, foi.Errorf(foi.ECONFLICT, "Case %s has no internal review to decide: record the request first.", c.Reference)
		}
		if err != nil {
			return nil, err
		}
		if err := notFuture(tx, "decided_on", decidedOn); err != nil {
			return nil, err
		}
		r := reviewFromRow(row)
		warning, err := r.Decide(decidedOn, outcome)
		if err != nil {
			return nil, err
		}
		reviewer := tx.actor.AuditID()
		if err := tx.writeReview(ctx, c.ID, r, &reviewer); err != nil {
			return nil, err
		}
		out.Review = r
		if warning != "" {
			out.Warnings = []string{warning}
		}
		return map[string]any{"decided_on": r.DecidedOn, "outcome": r.Outcome}, nil
	})
	if err != nil {
		return foi.ReviewResult{}, err
	}
	out.Case = c
	return out, nil
}

func (tx *Tx) writeReview(ctx context.Context, caseID int64, r foi.InternalReview, reviewer *int64) error {
	var outcome *string
	if r.Outcome != "" {
		outcome = &r.Outcome
	}
	return tx.InternalReviewUpsert(ctx, db.InternalReviewUpsertParams{CaseID: caseID, RequestedOn: r.RequestedOn,
		TargetOn: r.TargetOn, LongstopOn: r.LongstopOn, Late: r.Late, DecidedOn: r.DecidedOn, Outcome: outcome,
		ReviewerID: reviewer})
}

func reviewFromRow(row db.InternalReview) foi.InternalReview {
	r := foi.InternalReview{RequestedOn: row.RequestedOn, TargetOn: row.TargetOn, LongstopOn: row.LongstopOn,
		DecidedOn: row.DecidedOn, Late: row.Late}
	if row.Outcome != nil {
		r.Outcome = *row.Outcome
	}
	return r
}

// FindInternalReview returns the case's internal review, auditing the view; ENOTFOUND when there is none.
func (d *DB) FindInternalReview(ctx context.Context, caseID int64) (foi.InternalReview, error) {
	var out foi.InternalReview
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.readableCase(ctx, caseID)
		if err != nil {
			return err
		}
		row, err := tx.InternalReviewGet(ctx, c.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return foi.Errorf(foi.ENOTFOUND, "Case %s has no internal review.", c.Reference)
		}
		if err != nil {
			return err
		}
		out = reviewFromRow(row)
		tx.audit("case.internal_review.read", "case", c.ID, c.PartyID, nil)
		return nil
	})
	return out, err
}

// RecordICOComplaint records the requester's complaint to the ICO about a responded (or closed) case:
// officers and decision-makers. Warnings say when the complaints procedure was not used or the complaint came
// late (foi.ICOComplaintWarnings).
func (d *DB) RecordICOComplaint(ctx context.Context, caseID, ifVersion int64, complaintOn calendar.Date) (foi.AppealResult, error) {
	cal, err := d.Calendar(ctx)
	if err != nil {
		return foi.AppealResult{}, err
	}
	var out foi.AppealResult
	c, err := d.changeCase(ctx, caseID, ifVersion, foi.ActionWorkCase, "case.ico_appeal.record", func(tx *Tx, c *foi.Case) (any, error) {
		if err := foi.CheckReviewable(c, "A complaint to the ICO"); err != nil {
			return nil, err
		}
		if _, err := tx.ICOAppealGet(ctx, c.ID); err == nil {
			return nil, foi.Errorf(foi.ECONFLICT, "Case %s already has an ICO complaint.", c.Reference)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		if err := notFuture(tx, "complaint_on", complaintOn); err != nil {
			return nil, err
		}
		responded, err := tx.respondedOn(ctx, c)
		if err != nil {
			return nil, err
		}
		var review *foi.InternalReview
		if row, err := tx.InternalReviewGet(ctx, c.ID); err == nil {
			r := reviewFromRow(row)
			review = &r
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		a, err := foi.NewICOAppeal(responded, complaintOn)
		if err != nil {
			return nil, err
		}
		if err := tx.writeAppeal(ctx, c.ID, a); err != nil {
			return nil, err
		}
		out.Appeal, out.Warnings = a, foi.ICOComplaintWarnings(cal, responded, review, complaintOn)
		return map[string]any{"complaint_on": a.ComplaintOn, "warnings": out.Warnings}, nil
	})
	if err != nil {
		return foi.AppealResult{}, err
	}
	out.Case = c
	return out, nil
}

// RecordICODecision records the ICO's decision on the case's complaint, with the compliance date (notice + 35
// calendar days) for an upheld complaint, and whether it went to the tribunal: officers and decision-makers.
// It may be recorded again to correct it or to record a tribunal appeal.
func (d *DB) RecordICODecision(ctx context.Context, caseID, ifVersion int64, noticeOn calendar.Date, outcome string, tribunal bool) (foi.AppealResult, error) {
	var out foi.AppealResult
	c, err := d.changeCase(ctx, caseID, ifVersion, foi.ActionWorkCase, "case.ico_appeal.decide", func(tx *Tx, c *foi.Case) (any, error) {
		row, err := tx.ICOAppealGet(ctx, c.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, foi.Errorf(foi.ECONFLICT, "Case %s has no ICO complaint: record the complaint first.", c.Reference)
		}
		if err != nil {
			return nil, err
		}
		if err := notFuture(tx, "decision_notice_on", noticeOn); err != nil {
			return nil, err
		}
		a := appealFromRow(row)
		if err := a.RecordDecision(noticeOn, outcome); err != nil {
			return nil, err
		}
		a.Tribunal = tribunal
		if err := tx.writeAppeal(ctx, c.ID, a); err != nil {
			return nil, err
		}
		out.Appeal = a
		return map[string]any{"decision_notice_on": a.DecisionNoticeOn, "outcome": a.Outcome,
			"compliance_on": a.ComplianceOn, "tribunal": a.Tribunal}, nil
	})
	if err != nil {
		return foi.AppealResult{}, err
	}
	out.Case = c
	return out, nil
}

func (tx *Tx) writeAppeal(ctx context.Context, caseID int64, a foi.ICOAppeal) error {
	var outcome *string
	if a.Outcome != "" {
		outcome = &a.Outcome
	}
	return tx.ICOAppealUpsert(ctx, db.ICOAppealUpsertParams{CaseID: caseID, ComplaintOn: a.ComplaintOn,
		DecisionNoticeOn: a.DecisionNoticeOn, ComplianceOn: a.ComplianceOn, Outcome: outcome, Tribunal: a.Tribunal})
}

func appealFromRow(row db.IcoAppeal) foi.ICOAppeal {
	a := foi.ICOAppeal{ComplaintOn: row.ComplaintOn, DecisionNoticeOn: row.DecisionNoticeOn,
		ComplianceOn: row.ComplianceOn, Tribunal: row.Tribunal}
	if row.Outcome != nil {
		a.Outcome = *row.Outcome
	}
	return a
}

// FindICOAppeal returns the case's ICO complaint, auditing the view; ENOTFOUND when there is none.
func (d *DB) FindICOAppeal(ctx context.Context, caseID int64) (foi.ICOAppeal, error) {
	var out foi.ICOAppeal
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.readableCase(ctx, caseID)
		if err != nil {
			return err
		}
		row, err := tx.ICOAppealGet(ctx, c.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return foi.Errorf(foi.ENOTFOUND, "Case %s has no ICO complaint.", c.Reference)
		}
		if err != nil {
			return err
		}
		out = appealFromRow(row)
		tx.audit("case.ico_appeal.read", "case", c.ID, c.PartyID, nil)
		return nil
	})
	return out, err
}
