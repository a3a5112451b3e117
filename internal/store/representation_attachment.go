package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

var _ foi.RepresentationAttachmentService = (*DB)(nil)

func attachmentFromRow(r db.RepresentationAttachmentListByConsultationRow) foi.RepresentationAttachment {
	return foi.RepresentationAttachment{ID: r.ID, ConsultationID: r.ConsultationID,
		RepresentationVersion: int(r.RepresentationVersion), Name: r.Name, ContentType: r.ContentType, Size: r.Size,
		SHA256: r.Sha256, UploadedBy: r.UploadedBy, UploadedAt: r.UploadedAt.UTC()}
}

// fingerprint returns what an upload's content is as sniffed from its first 512 bytes, and its hex SHA-256.
func fingerprint(content []byte) (sniffed, digest string) {
	head := content
	if len(head) > 512 {
		head = head[:512]
	}
	sum := sha256.Sum256(content)
	return http.DetectContentType(head), hex.EncodeToString(sum[:])
}

// loadAttachments adds to each version of k's representations the files attached to it.
func (tx *Tx) loadAttachments(ctx context.Context, k *foi.Consultation) error {
	if len(k.Representations) == 0 {
		return nil
	}
	rows, err := tx.RepresentationAttachmentListByConsultation(ctx, k.ID)
	if err != nil {
		return err
	}
	for _, r := range rows {
		for i := range k.Representations {
			if rep := &k.Representations[i]; int64(rep.Version) == r.RepresentationVersion {
				rep.Attachments = append(rep.Attachments, attachmentFromRow(r))
				rep.AttachmentIDs = append(rep.AttachmentIDs, r.ID)
			}
		}
	}
	return nil
}

// AttachToRepresentation stores a file on the latest version of a consultation's representations (a liaison of
// the consulted party, while the representations can be revised: foi.Consultation.AttachmentVersion), in the
// database, and audits the upload (name, version, size and SHA-256, never the content). The content must pass
// foi's upload rules, which recognise its kind from the bytes themselves.
func (d *DB) AttachToRepresentation(ctx context.Context, consultationID int64, in foi.NewDocument) (*foi.RepresentationAttachment, error) {
	sniffed, digest := fingerprint(in.Content)
	var out *foi.RepresentationAttachment
	err := d.inTx(ctx, func(tx *Tx) error {
		k, err := tx.readableConsultation(ctx, consultationID)
		if err != nil {
			return err
		}
		if err := tx.can(foi.ActionRepresent, k.Scope()); err != nil {
			return err
		}
		version, err := k.AttachmentVersion()
		if err != nil {
			return err
		}
		checked, err := in.Check(sniffed)
		if err != nil {
			return err
		}
		a := &foi.RepresentationAttachment{ConsultationID: k.ID, RepresentationVersion: version, Name: checked.Name,
			ContentType: checked.ContentType, Size: int64(len(in.Content)), SHA256: digest,
			UploadedBy: tx.actor.AuditID(), UploadedAt: tx.now}
		stored, err := d.seal(in.Content, digest)
		if err != nil {
			return err
		}
		a.ID, err = tx.RepresentationAttachmentInsert(ctx, db.RepresentationAttachmentInsertParams{
			ConsultationID: k.ID, RepresentationVersion: int64(version), Name: a.Name, ContentType: a.ContentType,
			Size: a.Size, Sha256: a.SHA256, Content: stored.content, KeyID: stored.keyID, WrappedKey: stored.wrapped,
			UploadedBy: a.UploadedBy, Now: tx.now})
		if err != nil {
			return err
		}
		tx.audit("consultation.attachment.upload", "representation_attachment", a.ID, k.OwnerPartyID,
			map[string]any{"consultation_id": k.ID, "representation_version": version, "name": a.Name,
				"content_type": a.ContentType, "size": a.Size, "sha256": a.SHA256})
		out = a
		return nil
	})
	return out, err
}

// ListRepresentationAttachments returns the metadata of every file attached to a consultation's representations
// the caller may read, by version and upload order, and audits the listing.
func (d *DB) ListRepresentationAttachments(ctx context.Context, consultationID int64) ([]foi.RepresentationAttachment, error) {
	var out []foi.RepresentationAttachment
	err := d.inTx(ctx, func(tx *Tx) error {
		k, err := tx.readableConsultation(ctx, consultationID)
		if err != nil {
			return err
		}
		rows, err := tx.RepresentationAttachmentListByConsultation(ctx, k.ID)
		if err != nil {
			return err
		}
		out = make([]foi.RepresentationAttachment, 0, len(rows))
		for _, r := range rows {
			out = append(out, attachmentFromRow(r))
		}
		tx.audit("consultation.attachment.list", "consultation", k.ID, k.OwnerPartyID, map[string]any{"shown": len(out)})
		return nil
	})
	return out, err
}

// DownloadRepresentationAttachment returns one file attached to a consultation's representations, with its
// content, for whoever may read the consultation, and audits the download. An attachment of another
// consultation is ENOTFOUND, as is a consultation the caller may not know of.
func (d *DB) DownloadRepresentationAttachment(ctx context.Context, consultationID, attachmentID int64) (*foi.RepresentationAttachment, []byte, error) {
	var out *foi.RepresentationAttachment
	var content []byte
	err := d.inTx(ctx, func(tx *Tx) error {
		k, err := tx.readableConsultation(ctx, consultationID)
		if err != nil {
			return err
		}
		r, err := tx.RepresentationAttachmentGet(ctx, db.RepresentationAttachmentGetParams{ID: attachmentID, ConsultationID: k.ID})
		if notFoundIs(err) {
			return foi.Errorf(foi.ENOTFOUND, "There is no attachment %d on consultation %d.", attachmentID, consultationID)
		}
		if err != nil {
			return err
		}
		a := attachmentFromRow(db.RepresentationAttachmentListByConsultationRow{ID: r.ID, ConsultationID: r.ConsultationID,
			RepresentationVersion: r.RepresentationVersion, Name: r.Name, ContentType: r.ContentType, Size: r.Size,
			Sha256: r.Sha256, UploadedBy: r.UploadedBy, UploadedAt: r.UploadedAt})
		out = &a
		content, err = d.unseal("attachment", r.ID, sealed{keyID: r.KeyID, wrapped: r.WrappedKey, content: r.Content}, r.Sha256)
		if err != nil {
			return err
		}
		tx.audit("consultation.attachment.download", "representation_attachment", r.ID, k.OwnerPartyID,
			map[string]any{"consultation_id": k.ID, "representation_version": r.RepresentationVersion,
				"name": r.Name, "sha256": r.Sha256})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, content, nil
}
