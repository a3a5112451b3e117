package web

import (
	"net/http"
	"net/url"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// approvalsPage is what the approvals queue shows: the party's responses waiting for a decision-maker, in
// deadline order.
type approvalsPage struct {
	Cases    []caseRowView
	NextPage string
}

// handleApprovals shows the decision-maker's approvals queue (GET /approvals[?cursor=...]): the party's cases
// whose drafted response waits for approval, from the case queue filtered by status. Anyone but a
// decision-maker gets the 404 page.
func (s *Server) handleApprovals(c *gin.Context) {
	u := s.requireUser(c)
	if u == nil {
		return
	}
	if u.Role != foi.RoleDecisionMaker {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "approvals are for decision-makers"))
		return
	}
	page, err := s.cfg.Cases.FindCases(c.Request.Context(), foi.CaseFilter{Status: foi.StatusPendingApproval, Cursor: c.Query("cursor")})
	if err != nil {
		s.htmlError(c, err)
		return
	}
	data := &approvalsPage{}
	today := s.today()
	for _, cs := range page.Cases {
		data.Cases = append(data.Cases, caseRow(cs, today))
	}
	if page.NextCursor != "" {
		data.NextPage = "/approvals?" + url.Values{"cursor": {page.NextCursor}}.Encode()
	}
	p := s.page(c, "Responses to approve")
	p.Nav = "approvals"
	p.Data = data
	s.pages.HTML(c, http.StatusOK, "approvals", p)
}
