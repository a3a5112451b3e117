package web

import (
	"net/http"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The party endpoints (issue 7): any signed-in user reads the parties, admins add one or change its name. A
// party's code starts its case references (DFE-FOI-2026-000123), so it never changes. They use the
// foi.PartyAdminService the configured services implement (the store does); a service without it answers 500.

// partyRecordJSON is a party as the party endpoints show it.
type partyRecordJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func toPartyRecordJSON(p foi.Party) partyRecordJSON {
	return partyRecordJSON{Code: p.Code, Name: p.Name}
}

// apiPartyList answers GET /api/v1/parties: every party, by code.
func (s *Server) apiPartyList(c *gin.Context) {
	ps, err := s.parties()
	if err != nil {
		s.apiError(c, err)
		return
	}
	list, err := ps.Parties(c.Request.Context())
	if err != nil {
		s.apiError(c, err)
		return
	}
	items := make([]partyRecordJSON, 0, len(list))
	for _, p := range list {
		items = append(items, toPartyRecordJSON(p))
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// apiPartyGet answers GET /api/v1/parties/{code}.
func (s *Server) apiPartyGet(c *gin.Context) {
	ps, err := s.parties()
	if err != nil {
		s.apiError(c, err)
		return
	}
	p, err := ps.FindParty(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, toPartyRecordJSON(p))
}

// apiPartyCreate answers POST /api/v1/parties (admins): 201 with the party; 422 naming code and name, 409 for a
// code already taken.
func (s *Server) apiPartyCreate(c *gin.Context) {
	var req partyRecordJSON
	if !s.readRequest(c, &req) {
		return
	}
	ps, err := s.parties()
	if err != nil {
		s.apiError(c, err)
		return
	}
	p, err := ps.CreateParty(c.Request.Context(), foi.NewParty{Code: req.Code, Name: req.Name})
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.Header("Location", "/api/v1/parties/"+p.Code)
	c.JSON(http.StatusCreated, toPartyRecordJSON(p))
}

// apiPartyUpdate answers PATCH /api/v1/parties/{code} (admins): 200 with the party renamed. The code cannot
// change (422 on code).
func (s *Server) apiPartyUpdate(c *gin.Context) {
	var req struct {
		Code *string `json:"code"`
		Name string  `json:"name"`
	}
	if !s.readRequest(c, &req) {
		return
	}
	if req.Code != nil {
		s.apiError(c, invalidField("code", "The code of a party cannot change: it starts the party's case references"))
		return
	}
	ps, err := s.parties()
	if err != nil {
		s.apiError(c, err)
		return
	}
	p, err := ps.RenameParty(c.Request.Context(), c.Param("code"), req.Name)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, toPartyRecordJSON(p))
}
