package foi

import (
	"context"
	"time"
)

// RepresentationAttachment is a file the consulted party attached to one version of its representations
// (a legal opinion, a risk assessment). It is kept in the database with its SHA-256, like a case document.
type RepresentationAttachment struct {
	ID                    int64
	ConsultationID        int64
	RepresentationVersion int
	Name                  string
	ContentType           string // as recognised from the content, never as the uploader declared it
	Size                  int64  // bytes
	SHA256                string // hex SHA-256 of the content
	UploadedBy            int64  // user id
	UploadedAt            time.Time
}

// AttachmentVersion returns the version of the representations a new attachment belongs to: the latest, while
// the representations can still be revised. Errors: ECONFLICT (with Detail["allowed"]) before any
// representations arrived and once the consultation is considered, closed or waived.
func (c *Consultation) AttachmentVersion() (int, error) {
	latest, ok := c.Latest()
	if c.Status != ConsultationRepresentationsReceived || !ok {
		return 0, c.conflict("Files are attached to representations: " + lowerInitial(c.stateMessage(
			"given attachments")))
	}
	return latest.Version, nil
}

// RepresentationAttachmentService keeps the files attached to representations. Uploading is for a liaison of the
// consulted party (as submitting representations is); listing and downloading for whoever may read the
// consultation (the case's party and the consulted party), never a third party (ENOTFOUND). Every method audits
// what it does or shows; the content is never written to the audit log.
type RepresentationAttachmentService interface {
	// AttachToRepresentation stores a file on the latest version of the consultation's representations; the
	// content must pass the document upload rules (NewDocument.Check: EINVALID naming "file" or "name").
	AttachToRepresentation(ctx context.Context, consultationID int64, in NewDocument) (*RepresentationAttachment, error)
	// ListRepresentationAttachments returns the metadata of every attachment of the consultation, by version.
	ListRepresentationAttachments(ctx context.Context, consultationID int64) ([]RepresentationAttachment, error)
	// DownloadRepresentationAttachment returns one attachment with its content.
	DownloadRepresentationAttachment(ctx context.Context, consultationID, attachmentID int64) (*RepresentationAttachment, []byte, error)
}
