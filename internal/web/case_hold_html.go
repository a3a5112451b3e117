package web

import (
	"context"
	"fmt"
	"strconv"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The legal holds of a case on the case page (issue 9): whoever may read the case sees its active manual holds;
// the case's officers and decision-makers lift one with reasons at /cases/{id}/legal-holds/{holdID}/release.
// Admins, who do not read cases, lift holds on the retention page.

// caseHoldService lists the active manual holds of one case (the store implements it).
type caseHoldService interface {
	CaseLegalHolds(ctx context.Context, caseID int64) ([]foi.LegalHold, error)
}

// caseHoldView is one active legal hold as the case page and the release form show it.
type caseHoldView struct {
	ID                                   int64
	Reasons, PlacedBy, When, ReleaseHref string // ReleaseHref "" for a user who may not lift it
}

// caseHoldPage is what case_hold_release.html shows.
type caseHoldPage struct {
	Case *foi.Case
	Hold caseHoldView
	Form *Form
	Back string
}

// caseHolds returns the active manual holds of cs, each with the link to lift it when canLift; none when the
// server's services do not list them.
func (s *Server) caseHolds(ctx context.Context, cs *foi.Case, canLift bool) ([]caseHoldView, error) {
	svc, ok := s.cfg.Cases.(caseHoldService)
	if !ok {
		return nil, nil
	}
	holds, err := svc.CaseLegalHolds(ctx, cs.ID)
	if err != nil {
		return nil, err
	}
	var out []caseHoldView
	for _, h := range holds {
		v := caseHoldView{ID: h.ID, Reasons: h.Reasons, PlacedBy: h.PlacedByLabel, When: formatTime(h.PlacedAt, "")}
		if canLift {
			v.ReleaseHref = fmt.Sprintf("/cases/%d/legal-holds/%d/release", cs.ID, h.ID)
		}
		out = append(out, v)
	}
	return out, nil
}

// caseHoldForRelease loads the case and the active hold of a release form and checks the user may lift it;
// otherwise it shows the 404 page (a hold not on this case, released, or not the user's to lift) and returns
// false.
func (s *Server) caseHoldForRelease(c *gin.Context) (*foi.Case, caseHoldView, bool) {
	cs, ok := s.caseForForm(c, &caseForm{}) // the case's officers and decision-makers
	if !ok {
		return nil, caseHoldView{}, false
	}
	holds, err := s.caseHolds(c.Request.Context(), cs, true)
	if err != nil {
		s.htmlError(c, err)
		return nil, caseHoldView{}, false
	}
	for _, h := range holds {
		if strconv.FormatInt(h.ID, 10) == c.Param("holdID") {
			return cs, h, true
		}
	}
	err = foi.Errorf(foi.ENOTFOUND, "There is no legal hold %s on this case.", c.Param("holdID"))
	s.htmlError(c, err)
	return nil, caseHoldView{}, false
}

// handleCaseHoldReleaseForm shows the form to lift a legal hold of a case (GET
// /cases/{id}/legal-holds/{holdID}/release).
func (s *Server) handleCaseHoldReleaseForm(c *gin.Context) {
	cs, h, ok := s.caseHoldForRelease(c)
	if !ok {
		return
	}
	s.renderCaseHoldRelease(c, cs, h, NewForm(nil))
}

// handleCaseHoldRelease lifts a legal hold of a case with reasons and sends the browser back to the case (POST
// /cases/{id}/legal-holds/{holdID}/release); empty reasons show the form again and change nothing.
func (s *Server) handleCaseHoldRelease(c *gin.Context) {
	cs, h, ok := s.caseHoldForRelease(c)
	if !ok {
		return
	}
	svc, err := s.retention()
	if err != nil {
		s.htmlError(c, err)
		return
	}
	f := postedForm(c)
	if _, err := foi.CheckHoldReasons(f.Get("reasons")); err != nil {
		f.Fail(err)
		s.renderCaseHoldRelease(c, cs, h, f)
		return
	}
	released, err := svc.ReleaseLegalHold(c.Request.Context(), h.ID, f.Get("reasons"))
	if err != nil {
		if f.Fail(err) {
			s.renderCaseHoldRelease(c, cs, h, f)
			return
		}
		s.htmlError(c, err)
		return
	}
	s.redirectFlash(c, fmt.Sprintf("/cases/%d", cs.ID), fmt.Sprintf("Legal hold %d on %s lifted: the case's retention schedules apply again.",
		released.ID, released.CaseReference))
}

// renderCaseHoldRelease shows the release form of hold h with f's values.
func (s *Server) renderCaseHoldRelease(c *gin.Context, cs *foi.Case, h caseHoldView, f *Form) {
	p := s.page(c, "Lift the legal hold")
	p.Nav = "cases"
	p.Data = &caseHoldPage{Case: cs, Hold: h, Form: f, Back: fmt.Sprintf("/cases/%d", cs.ID)}
	s.renderForm(c, "case_hold_release", p, f)
}
