package web

import (
	"fmt"
	"strconv"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The draft consultation pages of the case's party (an officer or decision-maker), the HTML face of PATCH
// /api/v1/consultations/{id} and POST .../send: the edit form (GET and POST /consultations/{id}/draft) and the
// page that confirms sending it (GET and POST /consultations/{id}/send). Both carry the consultation's version,
// so a change made meanwhile is refused rather than lost.

// loadDraft loads the consultation of the path for an officer or decision-maker of the case's party while it is
// a draft, or shows the 404 (or error) page and returns nil.
func (s *Server) loadDraft(c *gin.Context) *consultationDetailView {
	v := s.loadConsultation(c)
	if v != nil && !v.CanEditDraft {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "not a draft this user may edit"))
		return nil
	}
	return v
}

// draftForm returns the draft pages' data: the consultation and the form, which carries its version.
func draftForm(v *consultationDetailView, f *Form) *consultationForm {
	if f.Get("version") == "" {
		f.Set("version", strconv.FormatInt(v.Version, 10))
	}
	return &consultationForm{consultationDetailView: v, Form: f}
}

// postedVersion returns the consultation version the form posted, 0 when it carries none (no check).
func postedVersion(f *Form) int64 {
	version, _ := strconv.ParseInt(f.Trim("version"), 10, 64)
	return version
}

// handleDraftForm shows the edit form of a draft (GET /consultations/{id}/draft), filled with the question, the
// information at issue and the respond-by date chosen so far.
func (s *Server) handleDraftForm(c *gin.Context) {
	v := s.loadDraft(c)
	if v == nil {
		return
	}
	f := NewForm(nil)
	f.Set("question", v.Pack.Question)
	f.Set("information_at_issue", v.Pack.InformationAtIssue)
	f.SetDate("respond_by", v.Pack.RespondBy)
	s.renderDraft(c, "consultation_draft", "Edit the draft consultation", draftForm(v, f))
}

// handleDraftSave saves the edited draft (POST /consultations/{id}/draft) and sends the browser back to the
// consultation; an empty respond-by date lets the clock set it when the consultation is sent. Bad input shows
// the form again with the error summary and changes nothing.
func (s *Server) handleDraftSave(c *gin.Context) {
	v := s.loadDraft(c)
	if v == nil {
		return
	}
	f := postedForm(c)
	question, info := f.Get("question"), f.Get("information_at_issue")
	by := f.Date("respond_by", "the respond-by date", false)
	if f.OK() {
		svc, err := s.consultations()
		if err == nil {
			_, err = svc.EditConsultationDraft(c.Request.Context(), v.ID, postedVersion(f),
				foi.DraftChange{Question: &question, InformationAtIssue: &info, RespondBy: &by})
		}
		if err == nil {
			s.redirectFlash(c, consultationPath(v), fmt.Sprintf("The draft was saved. It has not been sent to %s yet.", v.ConsultedParty))
			return
		}
		if !failConsultation(f, err) {
			s.htmlError(c, err)
			return
		}
	}
	s.renderDraft(c, "consultation_draft", "Edit the draft consultation", draftForm(v, f))
}

// handleSendForm asks the officer to confirm sending a draft (GET /consultations/{id}/send).
func (s *Server) handleSendForm(c *gin.Context) {
	if v := s.loadDraft(c); v != nil {
		s.renderDraft(c, "consultation_send", "Send the consultation", draftForm(v, NewForm(nil)))
	}
}

// handleSendSubmit sends the draft to the consulted party's business-as-usual FOI contact
// (POST /consultations/{id}/send) and sends the browser back to the consultation. When it cannot be sent (no
// contact, a respond-by date no longer allowed, a change made meanwhile) the page says why and nothing changes.
func (s *Server) handleSendSubmit(c *gin.Context) {
	v := s.loadDraft(c)
	if v == nil {
		return
	}
	f := postedForm(c)
	f.Alias("contact_email", "").Alias("respond_by", "") // no input on this page: summary lines without links
	svc, err := s.consultations()
	var k *foi.Consultation
	if err == nil {
		k, err = svc.SendConsultation(c.Request.Context(), v.ID, postedVersion(f))
	}
	if err == nil {
		s.redirectFlash(c, consultationPath(v), fmt.Sprintf("The consultation was sent to %s, who are asked to respond by %s.",
			v.ConsultedParty, govukDate(k.RespondBy)))
		return
	}
	if !failConsultation(f, err) {
		s.htmlError(c, err)
		return
	}
	s.renderDraft(c, "consultation_send", "Send the consultation", draftForm(v, f))
}

func (s *Server) renderDraft(c *gin.Context, page, title string, data *consultationForm) {
	p := s.page(c, title)
	p.Nav = "consultations"
	p.Data = data
	s.renderForm(c, page, p, data.Form)
}
