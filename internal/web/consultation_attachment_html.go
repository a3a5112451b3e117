package web

import (
	"fmt"
	"net/http"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The files a consulted party attaches to its representations, in the browser: the upload form of its liaison
// (GET /consultations/{id}/attachments/new, POST /consultations/{id}/attachments, multipart) and the download
// (GET /consultations/{id}/attachments/{attID}) for whoever may read the consultation, audited by the same
// service call as the API's. The pages list them under each version of the representations.

// attachmentViews returns the pages' view of a version's attachments, each with its download link.
func attachmentViews(as []foi.RepresentationAttachment) []attachmentView {
	var out []attachmentView
	for _, a := range as {
		out = append(out, attachmentView{Name: a.Name, Type: a.ContentType, Size: humanSize(a.Size),
			Uploaded: formatTime(a.UploadedAt, ""), Href: fmt.Sprintf("/consultations/%d/attachments/%d", a.ConsultationID, a.ID)})
	}
	return out
}

// loadAttachable loads the consultation of the path for a liaison of the consulted party while files can be
// attached to its representations, or shows the 404 (or error) page and returns nil.
func (s *Server) loadAttachable(c *gin.Context) *consultationDetailView {
	v := s.loadConsultation(c)
	if v != nil && !v.CanAttach {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "cannot attach"))
		return nil
	}
	return v
}

// limitAttachment refuses an upload whose declared size is over the limit before anything reads it, showing the
// form again with the error (nothing is changed); any body is capped at the limit.
func (s *Server) limitAttachment(c *gin.Context) {
	limit := s.maxUploadBytes() + multipartOverhead
	if c.Request.ContentLength > limit {
		if v := s.loadAttachable(c); v != nil {
			f := NewForm(nil)
			f.AddError("file", foi.TooLargeMessage(s.maxUploadBytes()))
			s.renderAttachForm(c, &consultationForm{consultationDetailView: v, Form: f})
		}
		c.Abort()
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	c.Next()
}

// handleAttachForm shows the upload form (GET /consultations/{id}/attachments/new).
func (s *Server) handleAttachForm(c *gin.Context) {
	if v := s.loadAttachable(c); v != nil {
		s.renderAttachForm(c, &consultationForm{consultationDetailView: v, Form: NewForm(nil)})
	}
}

// handleAttachUpload stores the chosen file on the latest version of the representations
// (POST /consultations/{id}/attachments) and sends the browser back to the consultation. An empty, oversized,
// unaccepted or disguised file shows the form again with the error summary, and nothing is stored.
func (s *Server) handleAttachUpload(c *gin.Context) {
	v := s.loadAttachable(c)
	if v == nil {
		return
	}
	svc, err := s.attachments()
	if err != nil {
		s.htmlError(c, err)
		return
	}
	f := postedForm(c)
	name, content, err := postedFile(c, f, "file", s.maxUploadBytes())
	if err != nil {
		s.htmlError(c, err)
		return
	}
	if f.OK() {
		var a *foi.RepresentationAttachment
		a, err = svc.AttachToRepresentation(c.Request.Context(), v.ID, foi.NewDocument{Name: name, Content: content,
			MaxBytes: s.maxUploadBytes()})
		if err == nil {
			s.redirectFlash(c, consultationPath(v)+"#representations",
				fmt.Sprintf("%s was attached to version %d of your representations.", a.Name, a.RepresentationVersion))
			return
		}
		if !f.Fail(renameField(err, "name", "file")) { // the name came from the file: the file is what to fix
			s.htmlError(c, err)
			return
		}
	}
	s.renderAttachForm(c, &consultationForm{consultationDetailView: v, Form: f})
}

func (s *Server) renderAttachForm(c *gin.Context, data *consultationForm) {
	data.UploadLimit = foi.FormatSize(s.maxUploadBytes())
	p := s.page(c, "Attach a file to your representations")
	p.Nav = "consultations"
	p.Data = data
	s.renderForm(c, "consultation_attach", p, data.Form)
}

// handleAttachmentDownload sends one file attached to the consultation's representations
// (GET /consultations/{id}/attachments/{attID}) as an attachment the browser neither sniffs nor renders, to
// whoever may read the consultation; the service audits the download as it does the API's.
func (s *Server) handleAttachmentDownload(c *gin.Context) {
	if s.requireUser(c) == nil {
		return
	}
	svc, err := s.attachments()
	if err != nil {
		s.htmlError(c, err)
		return
	}
	id, err := pathID(c, "id")
	var attID int64
	if err == nil {
		attID, err = pathID(c, "attID")
	}
	if err != nil {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "no such attachment"))
		return
	}
	a, content, err := svc.DownloadRepresentationAttachment(c.Request.Context(), id, attID)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	serveFile(c, a.Name, a.SHA256, a.ContentType, content)
}
