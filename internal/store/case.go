package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// farFuture orders cases whose clock is paused (no due date) after every dated case in the queue.
var farFuture = calendar.NewDate(9999, time.December, 31)

var _ foi.CaseService = (*DB)(nil)

// CreateCase logs a request for the caller's party: it validates the input, hands out the next gap-free
// reference, computes the deadline with the calendar in force, stores the requester apart from the case,
// links the confirmed assets, warns of likely duplicates and audits it, all in one transaction.
func (d *DB) CreateCase(ctx context.Context, in foi.NewCase, idem foi.Idempotency) (foi.CaseCreated, error) {
	v, err := d.versions(ctx)
	if err != nil {
		return foi.CaseCreated{}, err
	}
	cal, err := d.calendarAt(ctx, v.Calendar)
	if err != nil {
		return foi.CaseCreated{}, err
	}
	var out foi.CaseCreated
	err = d.inTx(ctx, func(tx *Tx) error {
		tx.regs = d.regs.at(v.Registers)
		if err := tx.can(foi.ActionCreateCase, foi.Scope{}); err != nil {
			return err
		}
		actor := tx.actor.User
		if actor == nil || actor.PartyID == 0 {
			return foi.Errorf(foi.EFORBIDDEN, "Only a user of a party can log requests.")
		}
		if idem.Key != "" {
			if replay, err := tx.replayIdempotent(ctx, actor.ID, idem); replay != 0 || err != nil {
				if err != nil {
					return err
				}
				c, err := tx.loadCase(ctx, replay, true)
				out = foi.CaseCreated{Case: c, Replayed: true}
				return err
			}
		}
		receivedAt, receivedOn, err := in.Validate(tx.now)
		if err != nil {
			return err
		}
		assets, err := tx.lookupAssets(ctx, in.AssetCodes)
		if err != nil {
			return err
		}
		assetIDs := make([]int64, len(assets))
		for i, a := range assets {
			assetIDs[i] = a.ID
		}
		c := &foi.Case{PartyID: actor.PartyID, PartyCode: actor.PartyCode, Regime: in.Regime, ReceivedAt: receivedAt,
			ReceivedOn: receivedOn, Channel: in.Channel, Subject: in.Subject, RequestText: in.RequestText,
			Requester: &in.Requester, Status: foi.StatusReceived, AssigneeID: actor.ID, AssetCodes: in.AssetCodes}
		if actor.Role != foi.RoleOfficer {
			c.AssigneeID = 0 // a decision-maker logging a request puts it in the team queue
		}
		if _, err := c.Recompute(cal); err != nil {
			return err
		}
		plan := planConsultations(c.PartyID, assets)
		plan.hold = in.HoldConsultations
		if len(plan.parties) > 0 {
			c.Status = foi.StatusAwaitingRepresentations // consulted at once: received -> awaiting representations
		}
		seq, err := tx.CaseCounterNext(ctx, db.CaseCounterNextParams{PartyID: actor.PartyID, Year: int64(receivedOn.Year())})
		if err != nil {
			return err
		}
		c.Reference = foi.FormatReference(actor.PartyCode, in.Regime, receivedOn.Year(), int(seq))
		earlier, err := tx.insertCase(ctx, c, assetIDs, duplicateSearch(cal, c))
		if err != nil {
			return err
		}
		out.Warnings = duplicateWarnings(earlier, c)
		if idem.Key != "" {
			if err := tx.IdempotencyInsert(ctx, db.IdempotencyInsertParams{UserID: actor.ID, Key: idem.Key,
				RequestHash: idem.RequestHash, RecordType: "case", RecordID: c.ID, Now: tx.now}); err != nil {
				return err
			}
		}
		tx.audit("case.create", "case", c.ID, c.PartyID, map[string]any{"reference": c.Reference,
			"regime": c.Regime, "status": c.Status, "due_on": c.DueOn, "assets": c.AssetCodes, "warnings": out.Warnings})
		if err := tx.openConsultations(ctx, c, plan, nil, cal); err != nil {
			return err
		}
		// The new case is what was just written: no need to read it back.
		c.Version, c.CreatedAt, c.UpdatedAt = 1, tx.now, tx.now
		c.ReceivedAt = c.ReceivedAt.UTC().Truncate(time.Microsecond)
		for _, a := range assets {
			c.Assets = append(c.Assets, a.Asset)
		}
		out.Case = c
		return nil
	})
	return out, err
}

// replayIdempotent returns the id of the record an earlier request with the same key created, 0 when the key
// is new, or ECONFLICT when the key came with a different request.
func (tx *Tx) replayIdempotent(ctx context.Context, userID int64, idem foi.Idempotency) (int64, error) {
	row, err := tx.IdempotencyGet(ctx, db.IdempotencyGetParams{UserID: userID, Key: idem.Key})
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil
		}
		return 0, err
	}
	if row.RequestHash != idem.RequestHash {
		return 0, foi.Errorf(foi.ECONFLICT, "The Idempotency-Key %q was already used for a different request.", idem.Key)
	}
	return row.RecordID, nil
}

// assetRef is an information asset a case is linked to, with what deciding whom to consult needs.
type assetRef struct {
	ID            int64
	Asset         foi.CaseAsset
	Register      foi.Asset    // provider and exchange
	Exchange      foi.Exchange // provider and recipient
	RecipientCode string
}

// lookupAssets resolves asset codes, naming each unknown one.
func (tx *Tx) lookupAssets(ctx context.Context, codes []string) ([]assetRef, error) {
	var v foi.Validation
	refs := make([]assetRef, 0, len(codes))
	for i, code := range codes {
		a, err := tx.regs.asset(code, func() (db.AssetGetByCodeRow, error) { return tx.AssetGetByCode(ctx, code) })
		if err != nil {
			v.Add(fmt.Sprintf("asset_codes[%d]", i), fmt.Sprintf("There is no information asset with code %q", code))
			continue
		}
		refs = append(refs, assetRef{ID: a.ID, Asset: foi.CaseAsset{Code: a.Code, Name: a.Name,
			ProviderParty: a.ProviderCode, Confirmed: true},
			Register:      foi.Asset{ID: a.ID, Code: a.Code, ProviderPartyID: a.ProviderPartyID, ExchangeID: a.ExchangeID},
			Exchange:      foi.Exchange{ID: a.ExchangeID, ProviderPartyID: a.ProviderPartyID, RecipientPartyID: a.RecipientPartyID},
			RecipientCode: a.RecipientCode})
	}
	return refs, v.Err()
}

// assetIDs resolves asset codes to ids, naming each unknown one.
func (tx *Tx) assetIDs(ctx context.Context, codes []string) ([]int64, error) {
	refs, err := tx.lookupAssets(ctx, codes)
	ids := make([]int64, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	return ids, err
}

// insertCase writes a new case with its requester and asset links. Given a duplicate search, it also returns the
// requester's earlier cases that search finds (see requesterInsertFindEarlier).
func (tx *Tx) insertCase(ctx context.Context, c *foi.Case, assetIDs []int64, search *db.CaseRecentForRequesterParams) ([]db.CaseRecentForRequesterRow, error) {
	var assignee *int64
	if c.AssigneeID != 0 {
		assignee = &c.AssigneeID
	}
	id, err := tx.CaseInsert(ctx, db.CaseInsertParams{PartyID: c.PartyID, Reference: c.Reference,
		Regime: string(c.Regime), ReceivedAt: c.ReceivedAt.UTC().Truncate(time.Microsecond), ReceivedOn: c.ReceivedOn,
		Channel: string(c.Channel), Subject: c.Subject, RequestText: c.RequestText, Status: string(c.Status),
		AssigneeID: assignee, QueueOn: queueOn(c), DueOn: c.DueOn, StatutoryDueOn: c.StatutoryDueOn,
		DeadlineProvisional: c.Provisional, CreatedBy: tx.actor.AuditID(), Now: tx.now})
	if err != nil {
		return nil, err
	}
	c.ID = id
	r := c.Requester
	earlier, err := tx.requesterInsertFindEarlier(ctx, db.RequesterInsertParams{CaseID: id, Name: r.Name, Email: r.Email,
		Address: r.Address, Type: string(r.Type)}, search)
	if err != nil {
		return nil, err
	}
	for _, a := range assetIDs {
		if err := tx.CaseAssetSet(ctx, db.CaseAssetSetParams{CaseID: id, AssetID: a, Confirmed: true}); err != nil {
			return nil, err
		}
	}
	return earlier, nil
}

// duplicateSearch returns the search for earlier requests of the case's requester within 60 working days (s.12
// aggregation, s.14(2) repeated requests), or nil when there is nothing to search by.
func duplicateSearch(cal *calendar.Calendar, c *foi.Case) *db.CaseRecentForRequesterParams {
	if c.Requester == nil || c.Requester.Email == "" {
		return nil
	}
	since, err := foi.DuplicateWindowStart(cal, c.ReceivedOn)
	if err != nil {
		return nil // before the calendar's range: nothing to compare with
	}
	return &db.CaseRecentForRequesterParams{PartyID: c.PartyID, Email: c.Requester.Email, Since: since}
}

// duplicateWarnings warns of each earlier request (newest first) that asks much the same thing as the case.
func duplicateWarnings(earlier []db.CaseRecentForRequesterRow, c *foi.Case) []string {
	sort.Slice(earlier, func(i, j int) bool { return earlier[j].ReceivedOn.Before(earlier[i].ReceivedOn) })
	var warnings []string
	for _, r := range earlier {
		if r.ID != c.ID && foi.SimilarRequest(r.RequestText, c.RequestText) {
			warnings = append(warnings, fmt.Sprintf("Possible duplicate of %s, received %s from the same requester "+
				"within 60 working days: consider aggregating (s.12) or treating as repeated (s.14(2)).", r.Reference, r.ReceivedOn))
		}
	}
	return warnings
}

// FindCaseByID returns a case with its requester, events and assets, auditing the view. It returns
// ENOTFOUND when there is no such case or the caller may not see it.
func (d *DB) FindCaseByID(ctx context.Context, id int64) (*foi.Case, error) {
	var c *foi.Case
	err := d.inTx(ctx, func(tx *Tx) error {
		var err error
		c, err = tx.readableCase(ctx, id)
		if err != nil {
			return err
		}
		tx.audit("case.read", "case", c.ID, c.PartyID, nil)
		return nil
	})
	return c, err
}

// readableCase loads a case the actor may read, or returns ENOTFOUND.
func (tx *Tx) readableCase(ctx context.Context, id int64) (*foi.Case, error) {
	c, err := tx.loadCase(ctx, id, true)
	if err != nil {
		return nil, caseNotFound(id)
	}
	if err := tx.can(foi.ActionReadCase, foi.Scope{OwnerPartyID: c.PartyID}); err != nil {
		if foi.ErrorCode(err) == foi.ENOTFOUND {
			return nil, caseNotFound(id)
		}
		return nil, err
	}
	return c, nil
}

func caseNotFound(id int64) error { return foi.Errorf(foi.ENOTFOUND, "There is no case %d.", id) }

// loadCase reads a case with its events and assets, and its requester when withRequester is set.
func (tx *Tx) loadCase(ctx context.Context, id int64, withRequester bool) (*foi.Case, error) {
	row, err := tx.CaseGet(ctx, id)
	if err != nil {
		return nil, err
	}
	c := caseFromRow(row)
	if withRequester {
		r, err := tx.RequesterGet(ctx, id)
		if err != nil {
			return nil, err
		}
		c.Requester = &foi.Requester{Name: r.Name, Email: r.Email, Address: r.Address, Type: foi.RequesterType(r.Type)}
	}
	events, err := tx.CaseEventList(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		c.Events = append(c.Events, foi.ClockEvent{Kind: foi.ClockEventKind(e.Kind), On: e.OnDate, Until: e.UntilDate, Note: e.Note})
	}
	assets, err := tx.CaseAssetList(ctx, id)
	if err != nil {
		return nil, err
	}
	parties, err := tx.PartyList(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range assets {
		provider := ""
		for _, p := range parties {
			if p.ID == a.ProviderPartyID {
				provider = p.Code
			}
		}
		c.Assets = append(c.Assets, foi.CaseAsset{Code: a.Code, Name: a.Name, ProviderParty: provider, Confirmed: a.Confirmed})
		if a.Confirmed {
			c.AssetCodes = append(c.AssetCodes, a.Code)
		}
	}
	return c, nil
}

func caseFromRow(r db.CaseGetRow) *foi.Case {
	c := &foi.Case{ID: r.ID, PartyID: r.PartyID, PartyCode: r.PartyCode, Reference: r.Reference,
		Regime: calendar.Regime(r.Regime), ReceivedAt: r.ReceivedAt, ReceivedOn: r.ReceivedOn,
		Channel: foi.Channel(r.Channel), Subject: r.Subject, RequestText: r.RequestText, Status: foi.Status(r.Status),
		AssigneeID: deref(r.AssigneeID), DueOn: r.DueOn, StatutoryDueOn: r.StatutoryDueOn,
		Provisional: r.DeadlineProvisional, DeadlineFlag: r.DeadlineFlag, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.Outcome != nil {
		c.Outcome = foi.Outcome(*r.Outcome)
	}
	return c
}

// FindCases returns a page of the caller's party's cases in deadline order, auditing the listing.
func (d *DB) FindCases(ctx context.Context, f foi.CaseFilter) (foi.CasePage, error) {
	actor := foi.ActorFrom(ctx).User
	if actor == nil {
		return foi.CasePage{}, foi.Errorf(foi.EUNAUTHORIZED, "Sign in to continue.")
	}
	if err := foi.Can(actor, foi.ActionReadCase, foi.Scope{OwnerPartyID: actor.PartyID}); err != nil {
		return foi.CasePage{}, foi.Errorf(foi.EFORBIDDEN, "Your role does not work on cases.")
	}
	params, err := d.caseListParams(actor, f)
	if err != nil {
		return foi.CasePage{}, err
	}
	var page foi.CasePage
	err = d.inTx(ctx, func(tx *Tx) error {
		rows, err := tx.listCases(ctx, params)
		if err != nil {
			return err
		}
		page = casePage(rows, params)
		tx.audit("case.list", "case", 0, actor.PartyID, map[string]any{"filter": describeFilter(f), "shown": len(page.Cases)})
		return nil
	})
	return page, err
}

// caseListParams turns a filter into query parameters, with one row more than the page to know if another
// page follows. It returns EINVALID for a bad limit or cursor, and lists nothing for another party.
func (d *DB) caseListParams(actor *foi.User, f foi.CaseFilter) (caseQuery, error) {
	var v foi.Validation
	limit := f.Limit
	if limit == 0 {
		limit = foi.DefaultPageSize
	}
	v.Check(limit >= 1 && limit <= foi.MaxPageSize, "limit", fmt.Sprintf("Limit must be between 1 and %d", foi.MaxPageSize))
	if f.Status != "" {
		v.Check(f.Status.Valid(), "status", "Unknown status "+string(f.Status))
	}
	if f.Regime != "" {
		v.Check(f.Regime == calendar.RegimeFOIA || f.Regime == calendar.RegimeEIR, "regime", "Regime must be foia or eir")
	}
	v.Check(f.Sort.Valid(), "sort", "Sort by due or received")
	sort := f.Sort
	if sort == "" {
		sort = foi.SortDue
	}
	after, err := decodeCursor(f.Cursor, sort, f.Descending)
	if err != nil {
		v.Add("cursor", "The cursor is not one this server gave out for this order")
	}
	if err := v.Err(); err != nil {
		return caseQuery{}, err
	}
	p := caseQuery{PartyID: actor.PartyID, Open: f.Open, Sort: sort, Desc: f.Descending, After: after, MaxRows: limit + 1,
		DueBefore: f.DueBefore}
	if f.Party != "" && !strings.EqualFold(f.Party, actor.PartyCode) {
		p.PartyID = -1 // only the caller's own party is ever listed
	}
	if f.Status != "" {
		s := string(f.Status)
		p.Status = &s
		if p.Open == nil {
			// A status says whether the case is open: saying so too lets the planner walk the open part of
			// cases_queue (a few thousand cases) rather than the party's whole history in deadline order.
			open := f.Status.Open()
			p.Open = &open
		}
	}
	if f.AssigneeID != 0 {
		p.AssigneeID = &f.AssigneeID
	}
	p.Unassigned = f.Unassigned
	if f.Regime != "" {
		r := string(f.Regime)
		p.Regime = &r
	}
	if f.Overdue {
		p.OverdueOn = calendar.LondonDate(d.now())
	}
	p.Words = strings.Fields(strings.ToLower(f.Query)) // each word must be found, in any order (see caseSearchSQL)
	return p, nil
}

// casePage returns the rows of a page of q (which asked for one row more), with the cursor of the next page
// when there is one.
func casePage(rows []caseRow, q caseQuery) foi.CasePage {
	limit := q.MaxRows - 1
	var page foi.CasePage
	for i, r := range rows {
		if i == limit {
			last := rows[i-1]
			page.NextCursor = encodeCursor(q, last)
			break
		}
		page.Cases = append(page.Cases, foi.CaseSummary{ID: r.ID, Reference: r.Reference, Regime: calendar.Regime(r.Regime),
			ReceivedOn: r.ReceivedOn, Subject: r.Subject, Status: foi.Status(r.Status), AssigneeID: deref(r.AssigneeID),
			DueOn: r.DueOn, Provisional: r.DeadlineProvisional, DeadlineFlag: r.DeadlineFlag, Version: r.Version})
	}
	return page
}

// encodeCursor and decodeCursor carry a list position between pages, with the order it belongs to: "due+",
// "due-", "received+" or "received-", the last row's id, and its date in that order.
func encodeCursor(q caseQuery, last caseRow) string {
	key := last.QueueOn.String()
	if q.Sort == foi.SortReceived {
		key = last.ReceivedOn.String()
	}
	return base64.RawURLEncoding.EncodeToString([]byte(cursorOrder(q.Sort, q.Desc) + "," +
		strconv.FormatInt(last.ID, 10) + "," + key))
}

func cursorOrder(sort foi.CaseSort, desc bool) string {
	if desc {
		return string(sort) + "-"
	}
	return string(sort) + "+"
}

// decodeCursor returns the position a cursor of this order carries, nil for none, or an error for a cursor
// this server did not give out for this order.
func decodeCursor(s string, sort foi.CaseSort, desc bool) (*listPosition, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	parts := strings.SplitN(string(b), ",", 3)
	if len(parts) != 3 || parts[0] != cursorOrder(sort, desc) {
		return nil, fmt.Errorf("bad cursor")
	}
	var pos listPosition
	if pos.ID, err = strconv.ParseInt(parts[1], 10, 64); err != nil {
		return nil, err
	}
	pos.On, err = calendar.ParseDate(parts[2])
	return &pos, err
}

func describeFilter(f foi.CaseFilter) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("status", string(f.Status))
	add("regime", string(f.Regime))
	add("q", f.Query)
	if f.Overdue {
		add("overdue", "true")
	}
	if f.Unassigned {
		add("unassigned", "true")
	}
	if f.AssigneeID != 0 {
		add("assignee", strconv.FormatInt(f.AssigneeID, 10))
	}
	return strings.Join(parts, "&")
}

// UpdateCase changes a case's subject, request text, assignee or assets; ifVersion, when not 0, must match.
func (d *DB) UpdateCase(ctx context.Context, id, ifVersion int64, u foi.CaseUpdate) (*foi.Case, error) {
	return d.changeCase(ctx, id, ifVersion, foi.ActionWorkCase, "case.update", func(tx *Tx, c *foi.Case) (any, error) {
		var v foi.Validation
		detail := map[string]any{}
		if u.Subject != nil {
			s := strings.TrimSpace(*u.Subject)
			v.Check(s != "", "subject", "Enter a short subject for the request")
			v.Check(len([]rune(s)) <= 200, "subject", "Subject must be 200 characters or fewer")
			c.Subject, detail["subject"] = s, s
		}
		if u.RequestText != nil {
			s := strings.TrimSpace(*u.RequestText)
			v.Check(s != "", "request_text", "Enter the request as the requester worded it")
			c.RequestText, detail["request_text_changed"] = s, true
		}
		if u.AssigneeID != nil {
			if *u.AssigneeID != 0 {
				row, err := tx.UserGetInParty(ctx, db.UserGetInPartyParams{ID: *u.AssigneeID, PartyID: &c.PartyID})
				if err != nil || (row.Role != string(foi.RoleOfficer) && row.Role != string(foi.RoleDecisionMaker)) {
					v.Add("assignee_id", "Assign the case to an FOI officer or decision-maker of "+c.PartyCode)
				}
			}
			c.AssigneeID, detail["assignee_id"] = *u.AssigneeID, *u.AssigneeID
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
		if u.AssetCodes != nil {
			codes := normalizeCodes(*u.AssetCodes)
			ids, err := tx.assetIDs(ctx, codes)
			if err != nil {
				return nil, err
			}
			for _, a := range ids {
				if err := tx.CaseAssetSet(ctx, db.CaseAssetSetParams{CaseID: c.ID, AssetID: a, Confirmed: true}); err != nil {
					return nil, err
				}
			}
			detail["assets_confirmed"] = codes
			if err := tx.ensureConsultations(ctx, c, u.HoldConsultations, nil); err != nil {
				return nil, err
			}
		}
		return detail, nil
	})
}

func normalizeCodes(codes []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range codes {
		c = strings.ToLower(strings.TrimSpace(c))
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// TransitionCase moves a case to another status; ECONFLICT lists the allowed moves when it may not.
func (d *DB) TransitionCase(ctx context.Context, id, ifVersion int64, to foi.Status, note string) (*foi.Case, error) {
	return d.changeCase(ctx, id, ifVersion, foi.ActionWorkCase, "case.transition", func(tx *Tx, c *foi.Case) (any, error) {
		if !to.Valid() {
			return nil, &foi.Error{Code: foi.EINVALID, Message: "Unknown status " + string(to),
				Fields: []foi.FieldError{{Field: "to", Message: "Choose one of " + joinStatuses(foi.ManualTransitions)}}}
		}
		if err := foi.CheckManualTransition(c.Status, to); err != nil {
			return nil, err
		}
		from := c.Status
		c.Status = to
		return map[string]any{"from": from, "to": to, "note": strings.TrimSpace(note)}, nil
	})
}

func joinStatuses(ss []foi.Status) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}

// AddClockEvent records a clock event through the domain's rules and recomputes the deadline.
func (d *DB) AddClockEvent(ctx context.Context, id, ifVersion int64, e foi.ClockEvent, considered []string) (*foi.Case, string, error) {
	cal, err := d.Calendar(ctx)
	if err != nil {
		return nil, "", err
	}
	var alert string
	c, err := d.changeCase(ctx, id, ifVersion, foi.ActionWorkCase, "case.clock_event", func(tx *Tx, c *foi.Case) (any, error) {
		if !e.On.IsZero() && e.On.After(calendar.LondonDate(tx.now)) {
			return nil, &foi.Error{Code: foi.EINVALID, Message: "The date of the event is in the future",
				Fields: []foi.FieldError{{Field: "on", Message: "The date must be today or in the past"}}}
		}
		status, a, err := c.ApplyClockEvent(e, tx.actor.User, considered, cal)
		if err != nil {
			return nil, err
		}
		alert = a
		c.Status = status
		if err := tx.CaseEventInsert(ctx, db.CaseEventInsertParams{CaseID: c.ID, Kind: string(e.Kind), OnDate: e.On,
			UntilDate: e.Until, Note: strings.TrimSpace(e.Note), CreatedBy: tx.actor.AuditID(), Now: tx.now}); err != nil {
			return nil, err
		}
		return map[string]any{"kind": e.Kind, "on": e.On, "until": e.Until, "alert": alert}, nil
	})
	return c, alert, err
}

// CaseDeadline returns the case's deadline with its explanation, computed by the calendar in force.
func (d *DB) CaseDeadline(ctx context.Context, id int64) (calendar.Deadline, error) {
	cal, err := d.Calendar(ctx)
	if err != nil {
		return calendar.Deadline{}, err
	}
	c, err := d.FindCaseByID(ctx, id)
	if err != nil {
		return calendar.Deadline{}, err
	}
	in, err := c.DeadlineInput()
	if err != nil {
		return calendar.Deadline{}, err
	}
	dl, err := cal.Deadline(in)
	if err != nil {
		return calendar.Deadline{}, foi.Errorf(foi.EINVALID, "%v", err)
	}
	return dl, nil
}

// changeCase is the one way a case changes: in a transaction it loads the case, checks the caller may do
// action and that ifVersion (when not 0) is current, lets change apply a domain rule, recomputes the deadline
// from the clock events, writes the case with optimistic concurrency and audits auditAction with the detail
// change returned.
func (d *DB) changeCase(ctx context.Context, id, ifVersion int64, action foi.Action, auditAction string,
	change func(tx *Tx, c *foi.Case) (any, error)) (*foi.Case, error) {
	cal, err := d.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	var out *foi.Case
	err = d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.readableCase(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.can(action, foi.Scope{OwnerPartyID: c.PartyID}); err != nil {
			return err
		}
		if ifVersion != 0 && ifVersion != c.Version {
			return foi.Errorf(foi.EPRECONDITION, "The case changed since you loaded it (version %d, now %d): reload it and try again.", ifVersion, c.Version)
		}
		detail, err := change(tx, c)
		if err != nil {
			return err
		}
		if c.Status.Open() {
			if _, err := c.Recompute(cal); err != nil {
				return err
			}
		}
		if err := tx.writeCase(ctx, c); err != nil {
			return err
		}
		tx.audit(auditAction, "case", c.ID, c.PartyID, detail)
		out, err = tx.loadCase(ctx, c.ID, true)
		return err
	})
	return out, err
}

// writeCase stores the case's state, failing with EPRECONDITION when another transaction changed it first.
func (tx *Tx) writeCase(ctx context.Context, c *foi.Case) error {
	var assignee *int64
	if c.AssigneeID != 0 {
		assignee = &c.AssigneeID
	}
	var outcome *string
	if c.Outcome != "" {
		o := string(c.Outcome)
		outcome = &o
	}
	today := calendar.LondonDate(tx.now)
	var respondedOn, closedOn calendar.Date
	if c.Status == foi.StatusResponded || c.Status == foi.StatusClosed {
		respondedOn = today
	}
	if !c.Status.Open() && c.Status != foi.StatusResponded {
		closedOn = today
	}
	n, err := tx.CaseUpdateState(ctx, db.CaseUpdateStateParams{ID: c.ID, Version: c.Version, Status: string(c.Status),
		IsOpen: c.Status.Open(), AssigneeID: assignee, QueueOn: queueOn(c), DueOn: c.DueOn,
		StatutoryDueOn: c.StatutoryDueOn, DeadlineProvisional: c.Provisional, DeadlineFlag: c.DeadlineFlag,
		Outcome: outcome, RespondedOn: respondedOn, ClosedOn: closedOn, Subject: c.Subject,
		RequestText: c.RequestText, Now: tx.now})
	if err != nil {
		return err
	}
	if n == 0 {
		return foi.Errorf(foi.EPRECONDITION, "The case changed while you were working on it: reload it and try again.")
	}
	c.Version++
	return nil
}

// queueOn is where a case sorts in the queue: its due date, or last while its clock is paused.
func queueOn(c *foi.Case) calendar.Date {
	if c.DueOn.IsZero() {
		return farFuture
	}
	return c.DueOn
}

// recomputeOpenDeadlines recomputes every open case's deadline with cal after the calendar changed. A case
// whose dates move keeps the old and new dates in the audit log and is flagged for its officer. It returns
// how many cases moved.
func (tx *Tx) recomputeOpenDeadlines(ctx context.Context, cal *calendar.Calendar, why string) (int, error) {
	ids, err := tx.CaseListOpenIDs(ctx)
	if err != nil {
		return 0, err
	}
	moved := 0
	for _, id := range ids {
		c, err := tx.loadCase(ctx, id, false)
		if err != nil {
			return moved, err
		}
		oldDue, oldStatutory := c.DueOn, c.StatutoryDueOn
		if _, err := c.Recompute(cal); err != nil {
			return moved, err
		}
		if c.DueOn == oldDue && c.StatutoryDueOn == oldStatutory {
			continue
		}
		c.DeadlineFlag = fmt.Sprintf("The deadline moved from %s to %s because %s on %s.", dateOrNone(oldDue),
			dateOrNone(c.DueOn), why, calendar.LondonDate(tx.now))
		if err := tx.writeCase(ctx, c); err != nil {
			return moved, err
		}
		tx.audit("case.deadline.recomputed", "case", c.ID, c.PartyID, map[string]any{"from": oldDue,
			"to": c.DueOn, "statutory_from": oldStatutory, "statutory_to": c.StatutoryDueOn, "reason": why})
		moved++
	}
	return moved, nil
}

func dateOrNone(d calendar.Date) string {
	if d.IsZero() {
		return "none (clock stopped)"
	}
	return d.String()
}
