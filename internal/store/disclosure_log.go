package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

var _ foi.DisclosureLogService = (*DB)(nil)

// ProposeDisclosure proposes a case's response for the disclosure log (see foi.DisclosureLogService). In one
// transaction it checks the caller, that the response was sent and the disclosure gate (tx.gateConsultations,
// foi.CheckDisclosureGate), writes the entry with the documents and the personal-data flags (the requester's
// name among what is looked for), and audits it.
func (d *DB) ProposeDisclosure(ctx context.Context, caseID int64, draft foi.DisclosureDraft) (foi.DisclosureEntry, error) {
	if err := draft.Validate(); err != nil {
		return foi.DisclosureEntry{}, err
	}
	var out foi.DisclosureEntry
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.readableCase(ctx, caseID)
		if err != nil {
			return err
		}
		if err := foi.CanManageDisclosureLog(tx.actor, c.PartyID); err != nil {
			return err
		}
		row, err := tx.CaseGet(ctx, caseID)
		if err != nil {
			return err
		}
		if err := foi.CheckDisclosable(c, row.RespondedOn); err != nil {
			return err
		}
		if _, err := tx.gateConsultations(ctx, c); err != nil {
			return err
		}
		if existing, err := tx.DisclosureEntryLiveForCase(ctx, caseID); err == nil {
			return foi.Errorf(foi.ECONFLICT, "The case already has a disclosure-log entry (%d): edit that one.", existing)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		id, err := tx.DisclosureEntryInsert(ctx, db.DisclosureEntryInsertParams{CaseID: c.ID, PartyID: c.PartyID,
			Reference: c.Reference, Title: draft.Title, Summary: draft.Summary, ReleasedText: draft.ReleasedText,
			Outcome: string(c.Outcome), RespondedOn: row.RespondedOn, ProposedBy: tx.actor.AuditID(), Now: tx.now})
		if err != nil {
			return err
		}
		flags := foi.ScanDisclosure(draft, requesterName(c), nil)
		if err := tx.writeDisclosureParts(ctx, id, c.ID, draft.DocumentIDs, flags); err != nil {
			return err
		}
		tx.audit("disclosure_log.propose", "disclosure_log_entry", id, c.PartyID, map[string]any{"case_id": c.ID,
			"documents": draft.DocumentIDs, "flags": len(flags)})
		out, err = tx.loadDisclosure(ctx, id)
		return err
	})
	return out, err
}

// requesterName returns the case's requester's name, "" when the case has none.
func requesterName(c *foi.Case) string {
	if c.Requester == nil {
		return ""
	}
	return c.Requester.Name
}

// writeDisclosureParts replaces an entry's documents (each must be the case's: EINVALID naming "document_ids"
// otherwise) and flags.
func (tx *Tx) writeDisclosureParts(ctx context.Context, entryID, caseID int64, documentIDs []int64, flags []foi.DisclosureFlag) error {
	if err := tx.DisclosureDocumentsDelete(ctx, entryID); err != nil {
		return err
	}
	for _, docID := range documentIDs {
		if _, err := tx.DisclosureCaseDocument(ctx, db.DisclosureCaseDocumentParams{ID: docID, CaseID: caseID}); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				msg := "Document " + itoa(docID) + " is not one of the case's documents"
				return &foi.Error{Code: foi.EINVALID, Message: msg, Fields: []foi.FieldError{{Field: "document_ids", Message: msg}}}
			}
			return err
		}
		if err := tx.DisclosureDocumentInsert(ctx, db.DisclosureDocumentInsertParams{EntryID: entryID, DocumentID: docID}); err != nil {
			return err
		}
	}
	return tx.writeDisclosureFlags(ctx, entryID, flags)
}

// writeDisclosureFlags replaces an entry's flags.
func (tx *Tx) writeDisclosureFlags(ctx context.Context, entryID int64, flags []foi.DisclosureFlag) error {
	if err := tx.DisclosureFlagsDelete(ctx, entryID); err != nil {
		return err
	}
	for _, f := range flags {
		var by *int64
		if f.ResolvedBy != 0 {
			by = &f.ResolvedBy
		}
		if err := tx.DisclosureFlagInsert(ctx, db.DisclosureFlagInsertParams{EntryID: entryID, Seq: int64(f.Seq),
			Field: f.Field, Kind: string(f.Kind), Matched: f.Match, AtOffset: int64(f.Offset),
			Resolution: string(f.Resolution), Reasons: f.Reasons, ResolvedBy: by, ResolvedAt: f.ResolvedAt}); err != nil {
			return err
		}
	}
	return nil
}

// managedDisclosure loads an entry the caller manages (foi.CanManageDisclosureLog); ENOTFOUND for an entry of
// another party, as for one that does not exist.
func (tx *Tx) managedDisclosure(ctx context.Context, id int64) (foi.DisclosureEntry, error) {
	e, err := tx.loadDisclosure(ctx, id)
	if err != nil {
		return e, err
	}
	if err := foi.CanManageDisclosureLog(tx.actor, e.PartyID); err != nil {
		if foi.ErrorCode(err) == foi.ENOTFOUND {
			return foi.DisclosureEntry{}, foi.Errorf(foi.ENOTFOUND, "There is no disclosure-log entry %d.", id)
		}
		return foi.DisclosureEntry{}, err
	}
	return e, nil
}

// loadDisclosure reads an entry with its documents and flags; ENOTFOUND when there is none.
func (tx *Tx) loadDisclosure(ctx context.Context, id int64) (foi.DisclosureEntry, error) {
	return loadDisclosureWith(ctx, tx.Queries, id)
}

func loadDisclosureWith(ctx context.Context, q *db.Queries, id int64) (foi.DisclosureEntry, error) {
	row, err := q.DisclosureEntryGet(ctx, id)
	if errors.Is(err, sql.ErrNoRows) {
		return foi.DisclosureEntry{}, foi.Errorf(foi.ENOTFOUND, "There is no disclosure-log entry %d.", id)
	}
	if err != nil {
		return foi.DisclosureEntry{}, err
	}
	e := disclosureFromRow(row.DisclosureLogEntry, row.PartyCode)
	if err := loadDisclosureParts(ctx, q, &e); err != nil {
		return foi.DisclosureEntry{}, err
	}
	return e, nil
}

// loadDisclosureParts reads an entry's documents and flags.
func loadDisclosureParts(ctx context.Context, q *db.Queries, e *foi.DisclosureEntry) error {
	docs, err := q.DisclosureDocumentList(ctx, e.ID)
	if err != nil {
		return err
	}
	for _, d := range docs {
		e.Documents = append(e.Documents, foi.DisclosureDocument{ID: d.ID, Name: d.Name, ContentType: d.ContentType, Size: d.Size})
	}
	flags, err := q.DisclosureFlagList(ctx, e.ID)
	if err != nil {
		return err
	}
	for _, f := range flags {
		e.Flags = append(e.Flags, foi.DisclosureFlag{Seq: int(f.Seq), PersonalDataFlag: foi.PersonalDataFlag{Field: f.Field,
			Kind: foi.PersonalDataKind(f.Kind), Match: f.Matched, Offset: int(f.AtOffset)},
			Resolution: foi.FlagResolution(f.Resolution), Reasons: f.Reasons, ResolvedBy: deref(f.ResolvedBy), ResolvedAt: f.ResolvedAt})
	}
	return nil
}

func disclosureFromRow(r db.DisclosureLogEntry, party string) foi.DisclosureEntry {
	return foi.DisclosureEntry{ID: r.ID, CaseID: r.CaseID, PartyID: r.PartyID, PartyCode: party, Reference: r.Reference,
		Title: r.Title, Summary: r.Summary, ReleasedText: r.ReleasedText, Outcome: foi.Outcome(r.Outcome),
		RespondedOn: r.RespondedOn, Status: foi.DisclosureStatus(r.Status), ProposedAt: r.ProposedAt,
		PublishedAt: r.PublishedAt, WithdrawnAt: r.WithdrawnAt, WithdrawalReasons: r.WithdrawalReasons, Version: r.Version}
}

// changeDisclosure is the one way an entry changes: in a transaction it loads the entry, checks the caller
// manages its party's log (ENOTFOUND for an entry of another party), lets change apply the domain rule, writes
// the entry with optimistic concurrency and audits action with change's detail.
func (d *DB) changeDisclosure(ctx context.Context, id, ifVersion int64, action string,
	change func(tx *Tx, e *foi.DisclosureEntry) (any, error)) (foi.DisclosureEntry, error) {
	var out foi.DisclosureEntry
	err := d.inTx(ctx, func(tx *Tx) error {
		e, err := tx.managedDisclosure(ctx, id)
		if err != nil {
			return err
		}
		if ifVersion != 0 && ifVersion != e.Version {
			return foi.Errorf(foi.EPRECONDITION, "The entry changed since you loaded it (version %d, now %d): reload it and try again.", ifVersion, e.Version)
		}
		detail, err := change(tx, &e)
		if err != nil {
			return err
		}
		p := db.DisclosureEntryUpdateParams{ID: e.ID, Version: e.Version, Title: e.Title, Summary: e.Summary,
			ReleasedText: e.ReleasedText, Status: string(e.Status), PublishedAt: e.PublishedAt, WithdrawnAt: e.WithdrawnAt,
			WithdrawalReasons: e.WithdrawalReasons, Now: tx.now}
		row, err := tx.DisclosureEntryGet(ctx, e.ID)
		if err != nil {
			return err
		}
		p.PublishedBy, p.WithdrawnBy = row.DisclosureLogEntry.PublishedBy, row.DisclosureLogEntry.WithdrawnBy
		by := tx.actor.AuditID()
		switch {
		case e.Status == foi.DisclosurePublished && p.PublishedBy == nil:
			p.PublishedBy = &by
		case e.Status == foi.DisclosureWithdrawn && p.WithdrawnBy == nil:
			p.WithdrawnBy = &by
		}
		n, err := tx.DisclosureEntryUpdate(ctx, p)
		if err != nil {
			return err
		}
		if n == 0 {
			return foi.Errorf(foi.EPRECONDITION, "The entry changed while you were working on it: reload it and try again.")
		}
		tx.audit(action, "disclosure_log_entry", e.ID, e.PartyID, detail)
		out, err = tx.loadDisclosure(ctx, e.ID)
		return err
	})
	return out, err
}

// EditDisclosure replaces a proposed entry's texts and documents and runs the personal-data check again; a
// flag found again keeps its resolution. ECONFLICT unless the entry is proposed.
func (d *DB) EditDisclosure(ctx context.Context, id, ifVersion int64, draft foi.DisclosureDraft) (foi.DisclosureEntry, error) {
	if err := draft.Validate(); err != nil {
		return foi.DisclosureEntry{}, err
	}
	return d.changeDisclosure(ctx, id, ifVersion, "disclosure_log.edit", func(tx *Tx, e *foi.DisclosureEntry) (any, error) {
		if e.Status != foi.DisclosureProposed {
			return nil, foi.Errorf(foi.ECONFLICT, "Only a proposed entry can be edited; this one is %s.", e.Status)
		}
		c, err := tx.loadCase(ctx, e.CaseID, true)
		if err != nil {
			return nil, err
		}
		e.Title, e.Summary, e.ReleasedText = draft.Title, draft.Summary, draft.ReleasedText
		e.Flags = foi.ScanDisclosure(draft, requesterName(c), e.Flags)
		if err := tx.writeDisclosureParts(ctx, e.ID, e.CaseID, draft.DocumentIDs, e.Flags); err != nil {
			return nil, err
		}
		return map[string]any{"documents": draft.DocumentIDs, "flags": len(e.Flags), "unresolved": len(e.Unresolved())}, nil
	})
}

// ResolveDisclosureFlag records why one flag may be published, with reasons, and audits it.
func (d *DB) ResolveDisclosureFlag(ctx context.Context, id int64, seq int, resolution foi.FlagResolution, reasons string) (foi.DisclosureEntry, error) {
	return d.changeDisclosure(ctx, id, 0, "disclosure_log.resolve_flag", func(tx *Tx, e *foi.DisclosureEntry) (any, error) {
		if err := e.ResolveFlag(seq, resolution, reasons, tx.actor.AuditID(), tx.now); err != nil {
			return nil, err
		}
		if err := tx.writeDisclosureFlags(ctx, e.ID, e.Flags); err != nil {
			return nil, err
		}
		return map[string]any{"seq": seq, "resolution": resolution, "reasons": reasons}, nil
	})
}

// PublishDisclosure publishes a proposed entry: every flag resolved and, in the same transaction, the
// disclosure gate passed again with the case's consultations as they stand now.
func (d *DB) PublishDisclosure(ctx context.Context, id int64) (foi.DisclosureEntry, error) {
	return d.changeDisclosure(ctx, id, 0, "disclosure_log.publish", func(tx *Tx, e *foi.DisclosureEntry) (any, error) {
		if err := e.CheckPublish(); err != nil {
			return nil, err
		}
		c, err := tx.loadCase(ctx, e.CaseID, false)
		if err != nil {
			return nil, err
		}
		if _, err := tx.gateConsultations(ctx, c); err != nil {
			return nil, err
		}
		at := tx.now
		e.Status, e.PublishedAt = foi.DisclosurePublished, &at
		return map[string]any{"case_id": e.CaseID, "flags_resolved": len(e.Flags)}, nil
	})
}

// WithdrawDisclosure withdraws a published entry, leaving its tombstone, and audits the reasons.
func (d *DB) WithdrawDisclosure(ctx context.Context, id int64, reasons string) (foi.DisclosureEntry, error) {
	return d.changeDisclosure(ctx, id, 0, "disclosure_log.withdraw", func(tx *Tx, e *foi.DisclosureEntry) (any, error) {
		if err := e.Withdraw(reasons, tx.now); err != nil {
			return nil, err
		}
		return map[string]any{"case_id": e.CaseID, "reasons": e.WithdrawalReasons}, nil
	})
}

// DisclosureEntry returns one entry to a decision-maker of its party, auditing the view.
func (d *DB) DisclosureEntry(ctx context.Context, id int64) (foi.DisclosureEntry, error) {
	var out foi.DisclosureEntry
	err := d.inTx(ctx, func(tx *Tx) error {
		e, err := tx.managedDisclosure(ctx, id)
		if err != nil {
			return err
		}
		tx.audit("disclosure_log.view", "disclosure_log_entry", e.ID, e.PartyID, nil)
		out = e
		return nil
	})
	return out, err
}

// DisclosureEntries returns the caller's party's entries, newest first (at most 500), with their flags.
func (d *DB) DisclosureEntries(ctx context.Context) ([]foi.DisclosureEntry, error) {
	u := foi.ActorFrom(ctx).User
	if u == nil {
		return nil, foi.Errorf(foi.EUNAUTHORIZED, "Sign in to continue.")
	}
	if err := foi.CanManageDisclosureLog(foi.ActorFrom(ctx), u.PartyID); err != nil {
		return nil, foi.Errorf(foi.EFORBIDDEN, "Only decision-makers manage the disclosure log.")
	}
	var out []foi.DisclosureEntry
	err := d.readTx(ctx, func(q *db.Queries) error {
		rows, err := q.DisclosureEntriesByParty(ctx, u.PartyID)
		if err != nil {
			return err
		}
		for _, r := range rows {
			e := disclosureFromRow(r.DisclosureLogEntry, r.PartyCode)
			if err := loadDisclosureParts(ctx, q, &e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// PublicDisclosures returns the public log, newest publication first, tombstones included.
func (d *DB) PublicDisclosures(ctx context.Context, limit int) ([]foi.PublicDisclosure, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	out := []foi.PublicDisclosure{}
	err := d.readTx(ctx, func(q *db.Queries) error {
		rows, err := q.DisclosureEntriesPublic(ctx, int32(limit))
		if err != nil {
			return err
		}
		for _, r := range rows {
			e := disclosureFromRow(r.DisclosureLogEntry, r.PartyCode)
			if e.Status == foi.DisclosurePublished {
				if err := loadDisclosureParts(ctx, q, &e); err != nil {
					return err
				}
			}
			if p, ok := e.Public(); ok {
				out = append(out, p)
			}
		}
		return nil
	})
	return out, err
}

// PublicDisclosure returns one public entry; ENOTFOUND for a proposed or unknown one.
func (d *DB) PublicDisclosure(ctx context.Context, id int64) (foi.PublicDisclosure, error) {
	var out foi.PublicDisclosure
	err := d.readTx(ctx, func(q *db.Queries) error {
		e, err := loadDisclosureWith(ctx, q, id)
		if err != nil {
			return err
		}
		p, ok := e.Public()
		if !ok {
			return foi.Errorf(foi.ENOTFOUND, "There is no disclosure-log entry %d.", id)
		}
		out = p
		return nil
	})
	return out, err
}

// PublicDisclosureDocument returns a document released with a published disclosure-log entry, with its content,
// for anyone: the log is public. ENOTFOUND unless the entry is published (not proposed, not withdrawn) and
// lists the document; EINTERNAL when its content cannot be read back (see unseal).
func (d *DB) PublicDisclosureDocument(ctx context.Context, entryID, documentID int64) (foi.DisclosureDocument, []byte, error) {
	var doc foi.DisclosureDocument
	var content []byte
	err := d.readTx(ctx, func(q *db.Queries) error {
		e, err := loadDisclosureWith(ctx, q, entryID)
		if err != nil {
			return err
		}
		p, ok := e.Public()
		if !ok || p.Withdrawn {
			return foi.Errorf(foi.ENOTFOUND, "There is no disclosure-log entry %d.", entryID)
		}
		i := slices.IndexFunc(p.Documents, func(x foi.DisclosureDocument) bool { return x.ID == documentID })
		if i < 0 {
			return foi.Errorf(foi.ENOTFOUND, "Entry %d released no document %d.", entryID, documentID)
		}
		doc = p.Documents[i]
		r, err := q.DocumentGet(ctx, db.DocumentGetParams{ID: documentID, CaseID: e.CaseID})
		if err != nil {
			return err
		}
		doc.SHA256 = r.Sha256
		content, err = d.unseal("document", r.ID, sealed{keyID: r.KeyID, wrapped: r.WrappedKey, content: r.Content}, r.Sha256)
		return err
	})
	return doc, content, err
}
