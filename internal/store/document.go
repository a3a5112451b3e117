package store

import (
	"context"
	"database/sql"
	"errors"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

var _ foi.DocumentService = (*DB)(nil)

// UploadDocument stores a file on a case as the next version of its name, in the database, and audits the
// upload (name, version, size and SHA-256, never the content). The caller must be able to work on the case;
// the content must pass foi's upload rules, which recognise its kind from the bytes themselves.
func (d *DB) UploadDocument(ctx context.Context, caseID int64, in foi.NewDocument) (*foi.Document, error) {
	sniffed, digest := fingerprint(in.Content)
	var out *foi.Document
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.readableCase(ctx, caseID)
		if err != nil {
			return err
		}
		if err := tx.can(foi.ActionWorkCase, foi.Scope{OwnerPartyID: c.PartyID}); err != nil {
			return err
		}
		if tx.actor.User == nil {
			return foi.Errorf(foi.EFORBIDDEN, "Only a user of a party can upload documents.")
		}
		checked, err := in.Check(sniffed)
		if err != nil {
			return err
		}
		// Concurrent uploads to the case wait here, so each reads the version the one before it wrote.
		if err := tx.DocumentLockCase(ctx, c.ID); err != nil {
			return err
		}
		version, err := tx.DocumentNextVersion(ctx, db.DocumentNextVersionParams{CaseID: c.ID, Name: checked.Name})
		if err != nil {
			return err
		}
		doc := &foi.Document{CaseID: c.ID, Name: checked.Name, Version: version, ContentType: checked.ContentType,
			Size: int64(len(in.Content)), SHA256: digest, UploadedBy: tx.actor.User.ID, UploadedAt: tx.now}
		stored, err := d.seal(in.Content, digest)
		if err != nil {
			return err
		}
		doc.ID, err = tx.DocumentInsert(ctx, db.DocumentInsertParams{CaseID: doc.CaseID, Name: doc.Name,
			Version: doc.Version, ContentType: doc.ContentType, Size: doc.Size, Sha256: doc.SHA256,
			Content: stored.content, KeyID: stored.keyID, WrappedKey: stored.wrapped, UploadedBy: doc.UploadedBy, Now: tx.now})
		if err != nil {
			return err
		}
		tx.audit("document.upload", "document", doc.ID, c.PartyID, map[string]any{"case_id": c.ID,
			"reference": c.Reference, "name": doc.Name, "version": doc.Version, "content_type": doc.ContentType,
			"size": doc.Size, "sha256": doc.SHA256})
		out = doc
		return nil
	})
	return out, err
}

// ListDocuments returns the metadata of every version of every document of a case the caller may read, by
// name and newest version first, and audits the listing.
func (d *DB) ListDocuments(ctx context.Context, caseID int64) ([]foi.Document, error) {
	var out []foi.Document
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.readableCase(ctx, caseID)
		if err != nil {
			return err
		}
		rows, err := tx.DocumentListByCase(ctx, c.ID)
		if err != nil {
			return err
		}
		out = make([]foi.Document, 0, len(rows))
		for _, r := range rows {
			out = append(out, foi.Document{ID: r.ID, CaseID: r.CaseID, Name: r.Name, Version: r.Version,
				ContentType: r.ContentType, Size: r.Size, SHA256: r.Sha256, UploadedBy: r.UploadedBy, UploadedAt: r.UploadedAt})
		}
		tx.audit("document.list", "case", c.ID, c.PartyID, map[string]any{"shown": len(out)})
		return nil
	})
	return out, err
}

// DownloadDocument returns a document of a case the caller may read, with its content, and audits the
// download. A document of another case is ENOTFOUND, as is a case the caller may not know of.
func (d *DB) DownloadDocument(ctx context.Context, caseID, documentID int64) (*foi.Document, []byte, error) {
	var out *foi.Document
	var content []byte
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.readableCase(ctx, caseID)
		if err != nil {
			return err
		}
		r, err := tx.DocumentGet(ctx, db.DocumentGetParams{ID: documentID, CaseID: c.ID})
		if errors.Is(err, sql.ErrNoRows) {
			return foi.Errorf(foi.ENOTFOUND, "There is no document %d on case %d.", documentID, caseID)
		}
		if err != nil {
			return err
		}
		out = &foi.Document{ID: r.ID, CaseID: r.CaseID, Name: r.Name, Version: r.Version, ContentType: r.ContentType,
			Size: r.Size, SHA256: r.Sha256, UploadedBy: r.UploadedBy, UploadedAt: r.UploadedAt}
		content, err = d.unseal("document", r.ID, sealed{keyID: r.KeyID, wrapped: r.WrappedKey, content: r.Content}, r.Sha256)
		if err != nil {
			return err
		}
		tx.audit("document.download", "document", r.ID, c.PartyID, map[string]any{"case_id": c.ID,
			"reference": c.Reference, "name": r.Name, "version": r.Version, "sha256": r.Sha256})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, content, nil
}
