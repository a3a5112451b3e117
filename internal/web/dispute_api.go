package web

import (
	"net/http"
	"strconv"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The dispute endpoints (MoU section 8): raising a dispute on a consultation, its ladder (escalation, formal
// notification, resolution) and reading it. Every answer carries the deadline warning that holds for the
// current step: the statute does not wait for the ladder.

// disputeStepJSON is one rung a dispute stood on.
type disputeStepJSON struct {
	Stage      foi.DisputeStage `json:"stage"`
	StageLabel string           `json:"stage_label"`
	StartedOn  *string          `json:"started_on"`
	EndsOn     *string          `json:"ends_on"`
	Warning    string           `json:"warning"`
	Note       string           `json:"note"`
	By         *int64           `json:"by"`
}

// disputeJSON is a dispute as the API shows it: no case content beyond the case's reference.
type disputeJSON struct {
	ID             int64             `json:"id"`
	ConsultationID int64             `json:"consultation_id"`
	CaseID         int64             `json:"case_id"`
	CaseReference  string            `json:"case_reference"`
	CaseDueOn      *string           `json:"case_due_on"`
	OwnerParty     string            `json:"owner_party"`
	ConsultedParty string            `json:"consulted_party"`
	RaisedBy       foi.DisputeSide   `json:"raised_by"`
	Reasons        string            `json:"reasons"`
	Stage          foi.DisputeStage  `json:"stage"`
	StageLabel     string            `json:"stage_label"`
	OpenedOn       *string           `json:"opened_on"`
	StepEndsOn     *string           `json:"step_ends_on"`
	Warning        string            `json:"warning"`
	Outcome        *string           `json:"outcome"`
	OutcomeReasons string            `json:"outcome_reasons"`
	ResolvedOn     *string           `json:"resolved_on"`
	AllowedSteps   []string          `json:"allowed_steps"`
	Steps          []disputeStepJSON `json:"steps"`
	Version        int64             `json:"version"`
}

// disputeResultJSON is the answer to a dispute step: the dispute, and whom the step told.
type disputeResultJSON struct {
	disputeJSON
	Notified   []string `json:"notified"`
	Unnotified []string `json:"unnotified"`
}

// disputeListResponse is the body of GET /api/v1/consultations/{id}/disputes.
type disputeListResponse struct {
	Items []disputeJSON `json:"items"`
}

// toDisputeJSON returns the API's view of a dispute.
func toDisputeJSON(r *foi.DisputeRecord) disputeJSON {
	out := disputeJSON{ID: r.ID, ConsultationID: r.ConsultationID, CaseID: r.CaseID, CaseReference: r.CaseReference,
		CaseDueOn: jsonDate(r.CaseDueOn), OwnerParty: r.OwnerPartyCode, ConsultedParty: r.ConsultedPartyCode,
		RaisedBy: r.RaisedBy, Reasons: r.Reasons, Stage: r.Step, StageLabel: r.Step.Label(),
		OpenedOn: jsonDate(r.OpenedOn), StepEndsOn: jsonDate(r.StepEndsOn), Warning: r.Warning,
		OutcomeReasons: r.OutcomeReasons, ResolvedOn: jsonDate(r.ResolvedOn), AllowedSteps: r.Allowed(),
		Steps: make([]disputeStepJSON, 0, len(r.History)), Version: r.Version}
	if r.Outcome != "" {
		o := r.Outcome
		out.Outcome = &o
	}
	for _, h := range r.History {
		st := disputeStepJSON{Stage: h.Stage, StageLabel: h.Stage.Label(), StartedOn: jsonDate(h.StartedOn),
			EndsOn: jsonDate(h.EndsOn), Warning: h.Warning, Note: h.Note}
		if h.By != 0 {
			by := h.By
			st.By = &by
		}
		out.Steps = append(out.Steps, st)
	}
	return out
}

// toDisputeList returns the API's view of a list of disputes (never nil).
func toDisputeList(rs []foi.DisputeRecord) []disputeJSON {
	out := make([]disputeJSON, 0, len(rs))
	for i := range rs {
		out = append(out, toDisputeJSON(&rs[i]))
	}
	return out
}

// disputeOK answers a dispute step with status: the dispute as it now stands and whom the step told.
func disputeOK(c *gin.Context, status int, res foi.DisputeResult) {
	out := disputeResultJSON{disputeJSON: toDisputeJSON(&res.Dispute), Notified: orEmpty(res.Notified),
		Unnotified: orEmpty(res.Unnotified)}
	if res.Warning != "" {
		out.Warning = res.Warning
	}
	c.Header("ETag", etag(res.Dispute.Version))
	if status == http.StatusCreated {
		c.Header("Location", "/api/v1/disputes/"+strconv.FormatInt(res.Dispute.ID, 10))
	}
	c.JSON(status, out)
}

// disputeChange reads the path id and the strict JSON body into dst, answering the problem itself and
// returning false when either is bad.
func (s *Server) disputeChange(c *gin.Context, dst any) (foi.DisputeService, int64, bool) {
	svc, err := s.disputes()
	if err == nil {
		var id int64
		if id, err = pathID(c, "id"); err == nil {
			var body []byte
			if body, err = readBody(c); err == nil {
				if err = decodeJSON(body, dst); err == nil {
					return svc, id, true
				}
			}
		}
	}
	s.apiError(c, err)
	return nil, 0, false
}

// apiDisputeRaise answers POST /api/v1/consultations/{id}/disputes: either side raises a dispute (the owning
// party's officers and decision-makers, the consulted party's liaisons); 201 with the dispute.
func (s *Server) apiDisputeRaise(c *gin.Context) {
	var req reasonsRequest
	svc, id, ok := s.disputeChange(c, &req)
	if !ok {
		return
	}
	res, err := svc.RaiseDispute(c.Request.Context(), id, req.Reasons)
	if err != nil {
		s.apiError(c, err)
		return
	}
	disputeOK(c, http.StatusCreated, res)
}

// disputeRead returns the dispute service and the path id of a read, answering the problem itself and
// returning false when either is missing.
func (s *Server) disputeRead(c *gin.Context) (foi.DisputeService, int64, bool) {
	svc, err := s.disputes()
	if err == nil {
		var id int64
		if id, err = pathID(c, "id"); err == nil {
			return svc, id, true
		}
	}
	s.apiError(c, err)
	return nil, 0, false
}

// apiConsultationDisputes answers GET /api/v1/consultations/{id}/disputes: the consultation's disputes.
func (s *Server) apiConsultationDisputes(c *gin.Context) {
	svc, id, ok := s.disputeRead(c)
	if !ok {
		return
	}
	rs, err := svc.ConsultationDisputes(c.Request.Context(), id)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, disputeListResponse{Items: toDisputeList(rs)})
}

// apiDisputeGet answers GET /api/v1/disputes/{id}.
func (s *Server) apiDisputeGet(c *gin.Context) {
	svc, id, ok := s.disputeRead(c)
	if !ok {
		return
	}
	r, err := svc.FindDispute(c.Request.Context(), id)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.Header("ETag", etag(r.Version))
	c.JSON(http.StatusOK, toDisputeJSON(&r))
}

// disputeStep answers a step that takes reasons: step moves the dispute, the answer is 200 with the result.
func (s *Server) disputeStep(c *gin.Context, step func(svc foi.DisputeService, id int64, reasons string) (foi.DisputeResult, error)) {
	var req reasonsRequest
	svc, id, ok := s.disputeChange(c, &req)
	if !ok {
		return
	}
	res, err := step(svc, id, req.Reasons)
	if err != nil {
		s.apiError(c, err)
		return
	}
	disputeOK(c, http.StatusOK, res)
}

// apiDisputeEscalate answers POST /api/v1/disputes/{id}/escalate: to the escalation contacts, with reasons.
func (s *Server) apiDisputeEscalate(c *gin.Context) {
	s.disputeStep(c, func(svc foi.DisputeService, id int64, reasons string) (foi.DisputeResult, error) {
		return svc.EscalateDispute(c.Request.Context(), id, reasons)
	})
}

// apiDisputeFormal answers POST /api/v1/disputes/{id}/formal-notification: the 20-working-day step.
func (s *Server) apiDisputeFormal(c *gin.Context) {
	s.disputeStep(c, func(svc foi.DisputeService, id int64, reasons string) (foi.DisputeResult, error) {
		return svc.GiveFormalNotification(c.Request.Context(), id, reasons)
	})
}

// apiDisputeResolve answers POST /api/v1/disputes/{id}/resolve: the outcome and its reasons.
func (s *Server) apiDisputeResolve(c *gin.Context) {
	var req struct {
		Outcome foi.DisputeOutcome `json:"outcome"`
		Reasons string             `json:"reasons"`
	}
	svc, id, ok := s.disputeChange(c, &req)
	if !ok {
		return
	}
	res, err := svc.ResolveDispute(c.Request.Context(), id, req.Outcome, req.Reasons)
	if err != nil {
		s.apiError(c, err)
		return
	}
	disputeOK(c, http.StatusOK, res)
}

// caseDisputes returns the disputes shown on a case, and the warnings of those still open, or an error to
// answer; (nil, nil, nil) without a dispute service.
func (s *Server) caseDisputes(c *gin.Context, caseID int64) ([]disputeJSON, []string, error) {
	svc, err := s.disputes()
	if err != nil {
		return nil, nil, nil
	}
	rs, err := svc.CaseDisputes(c.Request.Context(), caseID)
	if err != nil {
		return nil, nil, err
	}
	var warnings []string
	for _, r := range rs {
		if r.Warning != "" {
			warnings = append(warnings, r.Warning)
		}
	}
	return toDisputeList(rs), warnings, nil
}
