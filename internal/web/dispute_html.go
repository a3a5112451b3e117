package web

import (
	"fmt"
	"net/http"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The dispute pages (MoU section 8): a dispute raised on a consultation, its ladder as a timeline, and one form
// per step (escalation, formal notification, resolution), each with reasons. Every page warns when the current
// step ends after the case's statutory deadline: the statute does not wait for the ladder.

// disputeRow is one dispute as the consultation pack lists it.
type disputeRow struct {
	ID                           int64
	Stage, StageClass, OpenedOn  string
	StepEndsOn, Warning, Outcome string
	Resolved                     bool
}

// disputeView is a dispute as its page shows it, with what the viewer may do.
type disputeView struct {
	disputeRow
	ConsultationID  int64
	CaseReference   string
	CaseDueOn       string
	OwnerParty      string
	ConsultedParty  string
	RaisedBy        string
	Reasons         string
	OutcomeReasons  string
	ResolvedOn      string
	Steps           []disputeStepView // newest first, for the timeline
	CanEscalate     bool
	CanGiveNotice   bool
	CanResolve      bool
	Form            *Form
	StepTitle       string // the step form's heading and button
	StepAction      string // the step form's path under /disputes/{id}/
	StepReasonLabel string
}

// disputeStepView is one rung of the ladder on the timeline.
type disputeStepView struct {
	Stage, StartedOn, EndsOn, Warning, Note string
}

// disputeOutcomeLabel returns an outcome for people ("Disclose in part").
func disputeOutcomeLabel(o string) string {
	switch foi.DisputeOutcome(o) {
	case foi.DisputeOutcomeDisclose:
		return "Disclose"
	case foi.DisputeOutcomeDiscloseInPart:
		return "Disclose in part"
	case foi.DisputeOutcomeWithhold:
		return "Withhold"
	case foi.DisputeOutcomeWithdrawn:
		return "Withdrawn"
	}
	return o
}

// disputeOutcomes are the resolution form's radios.
func disputeOutcomes() []Option {
	var out []Option
	for _, o := range foi.DisputeOutcomes {
		out = append(out, Option{Value: string(o), Label: disputeOutcomeLabel(string(o))})
	}
	return out
}

func init() { templateFuncs["disputeOutcomes"] = disputeOutcomes }

func newDisputeRow(r *foi.DisputeRecord) disputeRow {
	row := disputeRow{ID: r.ID, Stage: r.Step.Label(), StageClass: "govuk-tag--orange", OpenedOn: govukDate(r.OpenedOn),
		StepEndsOn: govukDate(r.StepEndsOn), Warning: r.Warning, Outcome: disputeOutcomeLabel(r.Outcome),
		Resolved: r.Step == foi.DisputeResolved}
	if row.Resolved {
		row.StageClass = "govuk-tag--green"
	}
	return row
}

// newDisputeView returns the dispute page's view of r for user u.
func newDisputeView(u *foi.User, r *foi.DisputeRecord) *disputeView {
	v := &disputeView{disputeRow: newDisputeRow(r), ConsultationID: r.ConsultationID, CaseReference: r.CaseReference,
		CaseDueOn: govukDate(r.CaseDueOn), OwnerParty: r.OwnerPartyCode, ConsultedParty: r.ConsultedPartyCode,
		Reasons: r.Reasons, OutcomeReasons: r.OutcomeReasons, ResolvedOn: govukDate(r.ResolvedOn), Form: NewForm(nil)}
	switch r.RaisedBy {
	case foi.DisputeRaisedByOwner:
		v.RaisedBy = r.OwnerPartyCode
	case foi.DisputeRaisedByConsulted:
		v.RaisedBy = r.ConsultedPartyCode
	default:
		v.RaisedBy = "foidesk, when the objection was not accepted"
	}
	for i := len(r.History) - 1; i >= 0; i-- {
		st := r.History[i]
		v.Steps = append(v.Steps, disputeStepView{Stage: st.Stage.Label(), StartedOn: govukDate(st.StartedOn),
			EndsOn: govukDate(st.EndsOn), Warning: st.Warning, Note: st.Note})
	}
	runs := foi.Can(u, foi.ActionDispute, r.Scope()) == nil
	v.CanEscalate = runs && r.Step == foi.DisputeBAU
	v.CanGiveNotice = runs && r.Step == foi.DisputeEscalation
	v.CanResolve = foi.Can(u, foi.ActionResolveDispute, r.Scope()) == nil && r.Step != foi.DisputeResolved
	return v
}

// consultationDisputes returns the consultation's disputes for the pack page and whether the viewer may raise a
// new one; nothing without a dispute service.
func (s *Server) consultationDisputes(c *gin.Context, u *foi.User, v *consultationDetailView) error {
	svc, err := s.disputes()
	if err != nil {
		return nil
	}
	rs, err := svc.ConsultationDisputes(c.Request.Context(), v.ID)
	if err != nil {
		return err
	}
	open := false
	for i := range rs {
		row := newDisputeRow(&rs[i])
		open = open || !row.Resolved
		v.Disputes = append(v.Disputes, row)
	}
	v.CanRaiseDispute = !open && v.status != foi.ConsultationDraft && foi.Can(u, foi.ActionDispute, v.scope) == nil
	return nil
}

// disputeFlash is the success banner of a dispute step, with the deadline warning when the step gave one.
func disputeFlash(done string, res foi.DisputeResult) string {
	if res.Warning != "" {
		return done + " " + res.Warning
	}
	return done
}

// loadDispute reads the dispute of the :id path parameter for the signed-in user, or shows the 404 or error page
// and returns nil.
func (s *Server) loadDispute(c *gin.Context) (foi.DisputeService, *disputeView) {
	u := s.requireUser(c)
	if u == nil {
		return nil, nil
	}
	svc, err := s.disputes()
	if err == nil {
		var id int64
		if id, err = pathID(c, "id"); err == nil {
			var r foi.DisputeRecord
			if r, err = svc.FindDispute(c.Request.Context(), id); err == nil {
				return svc, newDisputeView(u, &r)
			}
		}
	}
	s.htmlError(c, err)
	return nil, nil
}

// handleDisputeView shows a dispute: the ladder as a timeline, the current step's clock and any warning, and
// the steps the viewer may take (GET /disputes/{id}).
func (s *Server) handleDisputeView(c *gin.Context) {
	_, v := s.loadDispute(c)
	if v == nil {
		return
	}
	p := s.page(c, "Dispute")
	p.Nav = "consultations"
	p.Data = v
	s.pages.HTML(c, http.StatusOK, "consultation_dispute", p)
}

// disputeStepForm is one step of the ladder as a form.
type disputeStepForm struct {
	path, title, reasonLabel, done string
	allowed                        func(v *disputeView) bool
	take                           func(svc foi.DisputeService, c *gin.Context, id int64, f *Form) (foi.DisputeResult, error)
}

var (
	escalateStep = disputeStepForm{path: "escalate", title: "Escalate the dispute",
		reasonLabel: "Why does it go to the escalation contacts?", done: "The dispute was escalated to senior management.",
		allowed: func(v *disputeView) bool { return v.CanEscalate },
		take: func(svc foi.DisputeService, c *gin.Context, id int64, f *Form) (foi.DisputeResult, error) {
			return svc.EscalateDispute(c.Request.Context(), id, f.Get("reasons"))
		}}
	formalStep = disputeStepForm{path: "formal-notification", title: "Give formal notification",
		reasonLabel: "Why is formal notification given?", done: "Formal notification was given: 20 working days to settle.",
		allowed: func(v *disputeView) bool { return v.CanGiveNotice },
		take: func(svc foi.DisputeService, c *gin.Context, id int64, f *Form) (foi.DisputeResult, error) {
			return svc.GiveFormalNotification(c.Request.Context(), id, f.Get("reasons"))
		}}
	resolveStep = disputeStepForm{path: "resolve", title: "Record how the dispute ended",
		reasonLabel: "How was it resolved?", done: "The dispute was resolved.",
		allowed: func(v *disputeView) bool { return v.CanResolve },
		take: func(svc foi.DisputeService, c *gin.Context, id int64, f *Form) (foi.DisputeResult, error) {
			return svc.ResolveDispute(c.Request.Context(), id, foi.DisputeOutcome(f.Get("outcome")), f.Get("reasons"))
		}}
)

// showDisputeStep returns the GET handler of a step's form; the 404 page for whoever may not take it now.
func (s *Server) showDisputeStep(step disputeStepForm) gin.HandlerFunc {
	return func(c *gin.Context) {
		_, v := s.loadDispute(c)
		if v == nil {
			return
		}
		if !step.allowed(v) {
			s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "step not allowed"))
			return
		}
		s.renderDisputeStep(c, step, v)
	}
}

// postDisputeStep returns the POST handler of a step's form: it takes the step and goes back to the dispute
// with a banner (carrying the deadline warning, if any), or shows the form again with the error summary.
func (s *Server) postDisputeStep(step disputeStepForm) gin.HandlerFunc {
	return func(c *gin.Context) {
		svc, v := s.loadDispute(c)
		if v == nil {
			return
		}
		if !step.allowed(v) {
			s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "step not allowed"))
			return
		}
		v.Form = postedForm(c)
		res, err := step.take(svc, c, v.ID, v.Form)
		if err == nil {
			s.redirectFlash(c, fmt.Sprintf("/disputes/%d", v.ID), disputeFlash(step.done, res))
			return
		}
		if !v.Form.Fail(err) {
			s.htmlError(c, err)
			return
		}
		s.renderDisputeStep(c, step, v)
	}
}

func (s *Server) renderDisputeStep(c *gin.Context, step disputeStepForm, v *disputeView) {
	v.StepTitle, v.StepAction, v.StepReasonLabel = step.title, step.path, step.reasonLabel
	p := s.page(c, step.title)
	p.Nav = "consultations"
	p.Data = v
	s.renderForm(c, "consultation_dispute_step", p, v.Form)
}
