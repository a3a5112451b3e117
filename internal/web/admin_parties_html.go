package web

import (
	"fmt"
	"net/http"
	"net/url"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The party pages (issue 7): /admin/parties lists the parties, /admin/parties/new adds one and
// /admin/parties/{code} changes its name (the code starts the party's case references and never changes).

// partiesPage is what /admin/parties shows.
type partiesPage struct{ Parties []foi.Party }

// partyFormPage is the form to add a party or change its name.
type partyFormPage struct {
	Form   *Form
	Action string // where the form posts
	Code   string // the party being changed; "" for a new one
}

// handleAdminParties lists the parties (GET /admin/parties).
func (s *Server) handleAdminParties(c *gin.Context) {
	ps, ok := serviceFor(s, c, foi.ActionManageRegisters, s.parties)
	if !ok {
		return
	}
	list, err := ps.Parties(c.Request.Context())
	if err != nil {
		s.htmlError(c, err)
		return
	}
	p := s.adminPage(c, "Parties")
	p.Data = &partiesPage{Parties: list}
	s.pages.HTML(c, http.StatusOK, "admin_parties", p)
}

// handleAdminPartyNew shows the form to add a party (GET /admin/parties/new).
func (s *Server) handleAdminPartyNew(c *gin.Context) {
	if s.requireAllowed(c, foi.ActionManageRegisters) == nil {
		return
	}
	s.renderPartyForm(c, NewForm(nil), "")
}

// handleAdminPartyEdit shows the form to change a party's name (GET /admin/parties/{code}).
func (s *Server) handleAdminPartyEdit(c *gin.Context) {
	ps, ok := serviceFor(s, c, foi.ActionManageRegisters, s.parties)
	if !ok {
		return
	}
	pt, err := ps.FindParty(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.htmlError(c, err)
		return
	}
	s.renderPartyForm(c, NewForm(url.Values{"name": {pt.Name}}), pt.Code)
}

// handleAdminPartySave adds a party (POST /admin/parties/new) or changes its name (POST /admin/parties/{code})
// and goes back to the list, or shows the form again with what is wrong and nothing changed.
func (s *Server) handleAdminPartySave(c *gin.Context) {
	ps, ok := serviceFor(s, c, foi.ActionManageRegisters, s.parties)
	if !ok {
		return
	}
	f := postedForm(c)
	code := c.Param("code")
	var pt foi.Party
	var err error
	if code == "" {
		pt, err = ps.CreateParty(c.Request.Context(), foi.NewParty{Code: f.Get("code"), Name: f.Get("name")})
	} else {
		pt, err = ps.RenameParty(c.Request.Context(), code, f.Get("name"))
	}
	if err != nil {
		if failField(f, err, "code") {
			s.renderPartyForm(c, f, code)
			return
		}
		s.htmlError(c, err)
		return
	}
	verb := "changed"
	if code == "" {
		verb = "added"
	}
	s.redirectFlash(c, "/admin/parties", fmt.Sprintf("Party %s (%s) %s.", pt.Name, pt.Code, verb))
}

// renderPartyForm shows the party form: a new party when code is "", else the party with this code.
func (s *Server) renderPartyForm(c *gin.Context, f *Form, code string) {
	data := &partyFormPage{Form: f, Action: "/admin/parties/new", Code: code}
	title := "Add a party"
	if code != "" {
		data.Action, title = "/admin/parties/"+code, "Change "+code
	}
	p := s.adminPage(c, title)
	p.Data = data
	s.renderForm(c, "admin_party", p, f)
}
