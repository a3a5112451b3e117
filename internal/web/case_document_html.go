package web

import (
	"fmt"
	"net/http"
	"strings"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The document pages of a case: the upload form (GET and POST /cases/{id}/documents, multipart) and the
// download of one version (GET /cases/{id}/documents/{docID}), which the service audits.

func init() {
	caseForms["documents"] = &caseForm{Path: "documents", Title: "Upload a document", Button: "Upload", Kind: "upload",
		Intro: "PDF, Word, Excel, OpenDocument, CSV, plain text and images. A file with the same name as one on the case becomes its next version."}
}

// limitUpload refuses an upload whose declared size is over the limit before anything reads it, showing the
// form again with the error (nothing is changed, so no CSRF check is needed for that answer); any body is
// capped at the limit so a wrong Content-Length cannot make the server read more.
func (s *Server) limitUpload(c *gin.Context) {
	limit := s.maxUploadBytes() + multipartOverhead
	if c.Request.ContentLength > limit {
		form := caseForms["documents"]
		cs, ok := s.caseForForm(c, form)
		if !ok {
			return
		}
		f := NewForm(nil)
		f.AddError("file", foi.TooLargeMessage(s.maxUploadBytes()))
		s.renderCaseForm(c, cs, form, f)
		c.Abort()
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	c.Next()
}

// handleDocumentUploadForm stores the chosen file on the case (POST /cases/{id}/documents) under the name
// given, or the file's own, and sends the browser back to the case.
func (s *Server) handleDocumentUploadForm(c *gin.Context) {
	form := caseForms["documents"]
	cs, ok := s.caseForForm(c, form)
	if !ok {
		return
	}
	svc, err := s.documents()
	if err != nil {
		s.htmlError(c, err)
		return
	}
	f := postedForm(c)
	name := f.Trim("name")
	filename, content, err := postedFile(c, f, "file", s.maxUploadBytes())
	if err != nil {
		s.htmlError(c, err)
		return
	}
	if name == "" {
		name = filename
	}
	if f.OK() {
		var doc *foi.Document
		doc, err = svc.UploadDocument(c.Request.Context(), cs.ID, foi.NewDocument{Name: name, Content: content, MaxBytes: s.maxUploadBytes()})
		if err == nil {
			s.redirectFlash(c, fmt.Sprintf("/cases/%d#documents", cs.ID),
				fmt.Sprintf("%s uploaded (version %d).", doc.Name, doc.Version))
			return
		}
		if f.Trim("name") == "" {
			err = renameField(err, "name", "file") // the name came from the file: the file is what to fix
		}
		if !f.Fail(err) {
			s.htmlError(c, err)
			return
		}
	}
	s.renderCaseForm(c, cs, form, f)
}

// handleDocumentDownload sends one version of a document of the case as an attachment.
func (s *Server) handleDocumentDownload(c *gin.Context) {
	if s.requireUser(c) == nil {
		return
	}
	svc, err := s.documents()
	if err != nil {
		s.htmlError(c, err)
		return
	}
	caseID, err := caseIDParam(c)
	var docID int64
	if err == nil {
		docID, err = pathID(c, "docID")
	}
	if err != nil {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "no such document"))
		return
	}
	doc, content, err := svc.DownloadDocument(c.Request.Context(), caseID, docID)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Disposition", attachment(doc.Name))
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	c.Data(http.StatusOK, doc.ContentType, content)
}

// letterView is one letter template the letters page links to.
type letterView struct{ Key, Title, Href string }

// lettersPage is what case_letter.html shows: the templates to choose from, or one rendered letter.
type lettersPage struct {
	Case    *foi.Case
	Letters []letterView
	Letter  *foi.RenderedLetter
	Missing string // the placeholders left to complete, as one sentence
}

// handleCaseLetters lists the letters that can be rendered for the case (GET /cases/{id}/letters).
func (s *Server) handleCaseLetters(c *gin.Context) {
	cs, ok := s.caseForForm(c, &caseForm{})
	if !ok {
		return
	}
	ls, err := s.letters()
	var ts []foi.LetterTemplate
	if err == nil {
		ts, err = ls.LetterTemplates(c.Request.Context())
	}
	if err != nil {
		s.htmlError(c, err)
		return
	}
	data := &lettersPage{Case: cs}
	for _, t := range ts {
		data.Letters = append(data.Letters, letterView{Key: t.Key, Title: t.Title, Href: fmt.Sprintf("/cases/%d/letters/%s", cs.ID, t.Key)})
	}
	p := s.page(c, "Letters")
	p.Nav = "cases"
	p.Data = data
	s.pages.HTML(c, http.StatusOK, "case_letter", p)
}

// handleCaseLetter shows one letter rendered for the case (GET /cases/{id}/letters/{key}); the service audits
// it and sends nothing.
func (s *Server) handleCaseLetter(c *gin.Context) {
	cs, ok := s.caseForForm(c, &caseForm{})
	if !ok {
		return
	}
	ls, err := s.letters()
	var l foi.RenderedLetter
	if err == nil {
		l, err = ls.RenderCaseLetter(c.Request.Context(), cs.ID, c.Param("key"))
	}
	if err != nil {
		s.htmlError(c, err)
		return
	}
	data := &lettersPage{Case: cs, Letter: &l}
	if ph := foi.LetterPlaceholders(l.Text); len(ph) > 0 {
		data.Missing = "Complete " + strings.Join(ph, ", ") + " before you send it."
	}
	p := s.page(c, l.Title)
	p.Nav = "cases"
	p.Data = data
	s.pages.HTML(c, http.StatusOK, "case_letter", p)
}
