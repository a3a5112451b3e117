package web

import (
	"net/http"
	"net/url"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// letterTemplatesPage is what /admin/templates shows.
type letterTemplatesPage struct{ Templates []letterTemplateRow }

type letterTemplateRow struct {
	Key, Title, UpdatedBy, UpdatedAt string
	Custom                           bool
}

// letterTemplatePage is the form to change one letter template.
type letterTemplatePage struct {
	Form     *Form
	Template foi.LetterTemplate
}

// handleAdminTemplates lists the letter templates in force (GET /admin/templates).
func (s *Server) handleAdminTemplates(c *gin.Context) {
	ls, ok := serviceFor(s, c, foi.ActionManageRegisters, s.letters)
	if !ok {
		return
	}
	ts, err := ls.LetterTemplates(c.Request.Context())
	if err != nil {
		s.htmlError(c, err)
		return
	}
	data := &letterTemplatesPage{}
	for _, t := range ts {
		data.Templates = append(data.Templates, letterTemplateRow{Key: t.Key, Title: t.Title, Custom: t.Custom,
			UpdatedBy: t.UpdatedBy, UpdatedAt: formatTime(t.UpdatedAt, "")})
	}
	p := s.adminPage(c, "Letter templates")
	p.Data = data
	s.pages.HTML(c, http.StatusOK, "admin_templates", p)
}

// letterTemplate returns the template in force whose key is in the path; ENOTFOUND for an unknown key.
func (s *Server) letterTemplate(c *gin.Context) (foi.LetterService, foi.LetterTemplate, error) {
	ls, err := s.letters()
	if err != nil {
		return nil, foi.LetterTemplate{}, err
	}
	ts, err := ls.LetterTemplates(c.Request.Context())
	if err != nil {
		return nil, foi.LetterTemplate{}, err
	}
	for _, t := range ts {
		if t.Key == c.Param("key") {
			return ls, t, nil
		}
	}
	return nil, foi.LetterTemplate{}, foi.Errorf(foi.ENOTFOUND, "no such letter template")
}

// handleAdminTemplate shows the form to change a letter template (GET /admin/templates/{key}).
func (s *Server) handleAdminTemplate(c *gin.Context) {
	if s.requireAllowed(c, foi.ActionManageRegisters) == nil {
		return
	}
	_, t, err := s.letterTemplate(c)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	s.renderLetterTemplate(c, t, NewForm(url.Values{"title": {t.Title}, "body": {t.Body}}))
}

// handleAdminTemplateSave replaces a letter template (POST /admin/templates/{key}); a body that does not parse
// or render against sample data shows the form again with the reason.
func (s *Server) handleAdminTemplateSave(c *gin.Context) {
	if s.requireAllowed(c, foi.ActionManageRegisters) == nil {
		return
	}
	ls, t, err := s.letterTemplate(c)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	f := postedForm(c)
	if _, err := ls.SetLetterTemplate(c.Request.Context(), t.Key, f.Get("title"), f.Get("body")); err != nil {
		if f.Fail(err) {
			s.renderLetterTemplate(c, t, f)
			return
		}
		s.htmlError(c, err)
		return
	}
	s.redirectFlash(c, "/admin/templates", "Letter template “"+f.Trim("title")+"” saved.")
}

func (s *Server) renderLetterTemplate(c *gin.Context, t foi.LetterTemplate, f *Form) {
	p := s.adminPage(c, "Change letter template")
	p.Data = &letterTemplatePage{Form: f, Template: t}
	s.renderForm(c, "admin_template", p, f)
}
