package web

import (
	"net/http"
	"strconv"
	"time"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The files a consulted party attaches to its representations (issue 5): uploaded by its liaison to the latest
// version, listed and downloaded by the case's party and the consulted party, never by a third party. They use
// the foi.RepresentationAttachmentService the consultation (or case) service also implements; without it, 500.

// attachmentJSON is a representation attachment's metadata as the API shows it.
type attachmentJSON struct {
	ID                    int64     `json:"id"`
	ConsultationID        int64     `json:"consultation_id"`
	RepresentationVersion int       `json:"representation_version"`
	Name                  string    `json:"name"`
	ContentType           string    `json:"content_type"`
	Size                  int64     `json:"size"`
	SHA256                string    `json:"sha256"`
	UploadedBy            int64     `json:"uploaded_by"`
	UploadedAt            time.Time `json:"uploaded_at"`
}

func toAttachmentJSON(a *foi.RepresentationAttachment) attachmentJSON {
	return attachmentJSON{ID: a.ID, ConsultationID: a.ConsultationID, RepresentationVersion: a.RepresentationVersion,
		Name: a.Name, ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256, UploadedBy: a.UploadedBy,
		UploadedAt: a.UploadedAt.UTC()}
}

// toAttachmentsJSON returns the API's view of a representation version's attachments ([] for none).
func toAttachmentsJSON(as []foi.RepresentationAttachment) []attachmentJSON {
	out := make([]attachmentJSON, 0, len(as))
	for i := range as {
		out = append(out, toAttachmentJSON(&as[i]))
	}
	return out
}

// attachmentRequest returns the attachment service and the consultation id of the path, answering the problem
// itself and returning ok false when either is missing.
func (s *Server) attachmentRequest(c *gin.Context) (foi.RepresentationAttachmentService, int64, bool) {
	svc, err := s.attachments()
	var id int64
	if err == nil {
		id, err = pathID(c, "id")
	}
	if err != nil {
		s.apiError(c, err)
		return nil, 0, false
	}
	return svc, id, true
}

// serveFile answers with a stored file's bytes, as an attachment the browser neither sniffs nor renders, with its
// SHA-256 as the ETag.
func serveFile(c *gin.Context, name, sha256, contentType string, content []byte) {
	h := c.Writer.Header()
	h.Set("Content-Disposition", attachment(name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+sha256+`"`)
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	c.Data(http.StatusOK, contentType, content)
}

// attachmentLocation is the URL of an attachment's content.
func attachmentLocation(consultationID, attachmentID int64) string {
	return "/api/v1/consultations/" + strconv.FormatInt(consultationID, 10) + "/attachments/" +
		strconv.FormatInt(attachmentID, 10)
}

// apiAttachmentUpload answers POST /api/v1/consultations/{id}/attachments, a multipart/form-data body with the
// file in "file" and, optionally, the name to keep it under in "name", as for case documents (same size limit,
// kind recognised from the content). A liaison of the consulted party attaches it to the latest version of its
// representations: 201 with the metadata; 409 before representations or once they are considered.
func (s *Server) apiAttachmentUpload(c *gin.Context) {
	svc, id, ok := s.attachmentRequest(c)
	if !ok {
		return
	}
	limit := s.maxUploadBytes()
	up, err := readUpload(c, limit)
	if err != nil {
		s.apiError(c, err)
		return
	}
	a, err := svc.AttachToRepresentation(c.Request.Context(), id, foi.NewDocument{Name: up.name, Content: up.content, MaxBytes: limit})
	if err != nil {
		if !up.nameGiven {
			err = renameField(err, "name", "file")
		}
		s.apiError(c, err)
		return
	}
	c.Header("Location", attachmentLocation(id, a.ID))
	c.Header("ETag", `"`+a.SHA256+`"`)
	c.JSON(http.StatusCreated, toAttachmentJSON(a))
}

// apiAttachmentList answers GET /api/v1/consultations/{id}/attachments: every attachment of the consultation's
// representations, by version and upload order.
func (s *Server) apiAttachmentList(c *gin.Context) {
	svc, id, ok := s.attachmentRequest(c)
	if !ok {
		return
	}
	as, err := svc.ListRepresentationAttachments(c.Request.Context(), id)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, struct {
		Items []attachmentJSON `json:"items"`
	}{Items: toAttachmentsJSON(as)})
}

// apiAttachmentDownload answers GET /api/v1/consultations/{id}/attachments/{attID} with the file's bytes, as an
// attachment the browser neither sniffs nor renders. The download is audited.
func (s *Server) apiAttachmentDownload(c *gin.Context) {
	svc, id, ok := s.attachmentRequest(c)
	if !ok {
		return
	}
	attID, err := pathID(c, "attID")
	if err != nil {
		s.apiError(c, err)
		return
	}
	a, content, err := svc.DownloadRepresentationAttachment(c.Request.Context(), id, attID)
	if err != nil {
		s.apiError(c, err)
		return
	}
	serveFile(c, a.Name, a.SHA256, a.ContentType, content)
}
