package web

import (
	"net/http"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// handleRequesterView shows a case's requester on demand (GET /cases/{id}/requester): the case page does not
// carry the requester's identity, and every look at it is audited by the service.
func (s *Server) handleRequesterView(c *gin.Context) {
	if s.requireUser(c) == nil {
		return
	}
	svc, ok := s.cfg.Cases.(foi.RequesterService)
	if !ok {
		s.htmlError(c, errNoService("requester details"))
		return
	}
	id, err := pathID(c, "id")
	if err != nil {
		s.htmlError(c, err)
		return
	}
	r, err := svc.RevealRequester(c.Request.Context(), id)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	p := s.page(c, "Requester of "+r.Reference)
	p.Nav = "cases"
	p.Data = &r
	s.pages.HTML(c, http.StatusOK, "case_requester", p)
}
