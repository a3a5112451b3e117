package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The response, letter, internal review and ICO appeal endpoints (issue 4). They use the foi.ResponseService
// and foi.LetterService the configured case service also implements (the store does), so Config needs no new
// field; a case service without them answers 500.

// publicInterestJSON is one public interest test as the API reads and writes it.
type publicInterestJSON struct {
	FavourDisclosure  string `json:"favour_disclosure"`
	FavourWithholding string `json:"favour_withholding"`
	Conclusion        string `json:"conclusion"`
}

// responseRequest is the body of POST /api/v1/cases/{id}/response.
type responseRequest struct {
	Outcome        string                        `json:"outcome"`
	Exemptions     []string                      `json:"exemptions"`
	PublicInterest map[string]publicInterestJSON `json:"public_interest"`
	Letter         string                        `json:"letter"`
	Template       string                        `json:"template"`
	advanceNoticeRequest
}

// advanceNoticeRequest is the advance notice a decision-maker gives the consulted parties when approving: the
// working days before release (default 2) and, to give less, the reasons.
type advanceNoticeRequest struct {
	AdvanceNoticeWorkingDays *int   `json:"advance_notice_working_days"`
	AdvanceNoticeReasons     string `json:"advance_notice_reasons"`
}

// notice returns the request's advance notice for the domain.
func (r advanceNoticeRequest) notice() foi.AdvanceNotice {
	return foi.AdvanceNotice{WorkingDays: r.AdvanceNoticeWorkingDays, Reasons: r.AdvanceNoticeReasons}
}

// responseJSON is a response as the API shows it.
type responseJSON struct {
	CaseID       int64           `json:"case_id"`
	Status       string          `json:"status"`
	Outcome      foi.Outcome     `json:"outcome"`
	OutcomeLabel string          `json:"outcome_label"`
	Exemptions   []exemptionJSON `json:"exemptions"`
	Letter       string          `json:"letter"`
	// Delivery is email (queued on approval) or post (no requester email: print and post the letter).
	Delivery     foi.Delivery `json:"delivery"`
	DeliveryNote string       `json:"delivery_note"`
	EmailQueued  bool         `json:"email_queued"`
	DraftedBy    int64        `json:"drafted_by"`
	DraftedAt    time.Time    `json:"drafted_at"`
	ApprovedBy   *int64       `json:"approved_by"`
	ApprovedAt   *time.Time   `json:"approved_at"`
	RespondedOn  *string      `json:"responded_on"`
	// ReleaseOn is when the approved letter goes to the requester: after the consulted parties' advance notice.
	ReleaseOn                *string       `json:"release_on"`
	AdvanceNoticeWorkingDays int           `json:"advance_notice_working_days"`
	AdvanceNoticeReasons     string        `json:"advance_notice_reasons"`
	Returned                 *returnedJSON `json:"returned"`
	CaseStatus               foi.Status    `json:"case_status,omitempty"`
	CaseVersion              int64         `json:"case_version,omitempty"`
	Warnings                 []string      `json:"warnings"`
}

type exemptionJSON struct {
	Section        string              `json:"section"`
	Citation       string              `json:"citation"`
	Name           string              `json:"name"`
	Qualified      bool                `json:"qualified"`
	PublicInterest *publicInterestJSON `json:"public_interest"`
}

type returnedJSON struct {
	Reason string     `json:"reason"`
	At     *time.Time `json:"at"`
	By     string     `json:"by"`
}

func toResponseJSON(r *foi.Response) responseJSON {
	out := responseJSON{CaseID: r.CaseID, Status: string(r.Status), Outcome: r.Outcome, OutcomeLabel: r.Outcome.Label(),
		Exemptions: []exemptionJSON{}, Letter: r.Letter, Delivery: r.Delivery, DraftedBy: r.DraftedBy,
		DraftedAt: r.DraftedAt.UTC(), ApprovedAt: r.ApprovedAt, RespondedOn: jsonDate(r.RespondedOn),
		ReleaseOn: jsonDate(r.ReleaseOn), AdvanceNoticeWorkingDays: r.AdvanceNoticeWorkingDays,
		AdvanceNoticeReasons: r.AdvanceNoticeReasons, Warnings: []string{}}
	switch {
	case r.Delivery == foi.DeliveryEmail && r.Status == foi.ResponseApproved && r.ReleaseOn.After(r.RespondedOn):
		out.DeliveryNote = "The letter will be emailed to the requester on " + r.ReleaseOn.String() +
			", after the consulted parties' advance notice."
	case r.Delivery == foi.DeliveryPost && r.Status == foi.ResponseApproved && r.ReleaseOn.After(r.RespondedOn):
		out.DeliveryNote = "The requester gave no email address: post the letter on " + r.ReleaseOn.String() +
			", after the consulted parties' advance notice."
	case r.Delivery == foi.DeliveryPost && r.Status == foi.ResponseApproved:
		out.DeliveryNote = "The requester gave no email address: print the letter and send it by post."
	case r.Delivery == foi.DeliveryPost:
		out.DeliveryNote = "The requester gave no email address: once approved, the letter goes by post."
	case r.Status == foi.ResponseApproved:
		out.DeliveryNote = "The letter was emailed to the requester."
	default:
		out.DeliveryNote = "Once approved, the letter is emailed to the requester."
	}
	if r.ApprovedBy != 0 {
		id := r.ApprovedBy
		out.ApprovedBy = &id
	}
	if r.Status == foi.ResponseReturned {
		out.Returned = &returnedJSON{Reason: r.ReturnReason, At: r.ReturnedAt, By: r.ReturnedBy}
	}
	for _, e := range r.Exemptions {
		x := exemptionJSON{Section: e.Section, Citation: e.Citation(), Name: e.Name, Qualified: e.Qualified}
		if e.PIT != nil {
			x.PublicInterest = &publicInterestJSON{FavourDisclosure: e.PIT.FavourDisclosure,
				FavourWithholding: e.PIT.FavourWithholding, Conclusion: e.PIT.Conclusion}
		}
		out.Exemptions = append(out.Exemptions, x)
	}
	if r.Status != foi.ResponseApproved {
		if ph := foi.LetterPlaceholders(r.Letter); len(ph) > 0 {
			out.Warnings = append(out.Warnings, "Complete the letter before it is approved: replace "+strings.Join(ph, ", ")+".")
		}
	}
	return out
}

// responseOK answers a response-changing request: 200 with the response, the case's new status and version,
// and the case's ETag.
func responseOK(c *gin.Context, res foi.ResponseResult) {
	out := toResponseJSON(res.Response)
	out.EmailQueued = res.EmailQueued
	out.Warnings = append(out.Warnings, res.Warnings...)
	out.CaseStatus, out.CaseVersion = res.Case.Status, res.Case.Version
	c.Header("ETag", etag(res.Case.Version))
	c.JSON(http.StatusOK, out)
}

// apiResponseRecord answers POST /api/v1/cases/{id}/response: an officer's draft goes to pending approval, a
// decision-maker's is approved at once (the case is responded and the email queued).
func (s *Server) apiResponseRecord(c *gin.Context) {
	var req responseRequest
	id, version, ok := s.caseWrite(c, &req)
	if !ok {
		return
	}
	rs, err := s.responses()
	if err != nil {
		s.apiError(c, err)
		return
	}
	pit := make(map[string]foi.PublicInterestTest, len(req.PublicInterest))
	for k, t := range req.PublicInterest {
		pit[k] = foi.PublicInterestTest{FavourDisclosure: t.FavourDisclosure, FavourWithholding: t.FavourWithholding,
			Conclusion: t.Conclusion}
	}
	res, err := rs.RecordResponse(c.Request.Context(), id, version, foi.ResponseDraft{Outcome: foi.Outcome(req.Outcome),
		Exemptions: req.Exemptions, PublicInterest: pit, Letter: req.Letter, Template: req.Template,
		Notice: req.notice()})
	if err != nil {
		s.apiError(c, err)
		return
	}
	responseOK(c, res)
}

// apiResponseGet answers GET /api/v1/cases/{id}/response with the draft or approved response.
func (s *Server) apiResponseGet(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	rs, err := s.responses()
	if err != nil {
		s.apiError(c, err)
		return
	}
	r, err := rs.FindResponse(c.Request.Context(), id)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, toResponseJSON(r))
}

// caseAction reads a case-changing request whose body is optional (an empty body counts as {}).
func (s *Server) caseAction(c *gin.Context, dst any) (id, version int64, ok bool) {
	if c.Request.ContentLength == 0 {
		id, err := pathID(c, "id")
		if err == nil {
			version, err = ifMatch(c)
		}
		if err != nil {
			s.apiError(c, err)
			return 0, 0, false
		}
		return id, version, true
	}
	return s.caseWrite(c, dst)
}

// apiResponseApprove answers POST /api/v1/cases/{id}/response/approve: a decision-maker approves the draft,
// optionally shortening (with reasons) or lengthening the consulted parties' advance notice.
func (s *Server) apiResponseApprove(c *gin.Context) {
	var req advanceNoticeRequest
	id, version, ok := s.caseAction(c, &req)
	if !ok {
		return
	}
	rs, err := s.responses()
	if err != nil {
		s.apiError(c, err)
		return
	}
	res, err := rs.ApproveResponseWithNotice(c.Request.Context(), id, version, req.notice())
	if err != nil {
		s.apiError(c, err)
		return
	}
	responseOK(c, res)
}

// apiResponseReturn answers POST /api/v1/cases/{id}/response/return: the draft goes back with a reason.
func (s *Server) apiResponseReturn(c *gin.Context) {
	var req struct {
		Reason string `json:"reason"`
	}
	id, version, ok := s.caseWrite(c, &req)
	if !ok {
		return
	}
	rs, err := s.responses()
	if err != nil {
		s.apiError(c, err)
		return
	}
	res, err := rs.ReturnResponse(c.Request.Context(), id, version, req.Reason)
	if err != nil {
		s.apiError(c, err)
		return
	}
	responseOK(c, res)
}

// letterTemplateJSON is a letter template as the API shows it.
type letterTemplateJSON struct {
	Key       string     `json:"key"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Custom    bool       `json:"custom"`
	UpdatedBy *string    `json:"updated_by"`
	UpdatedAt *time.Time `json:"updated_at"`
}

func toLetterTemplateJSON(t foi.LetterTemplate) letterTemplateJSON {
	out := letterTemplateJSON{Key: t.Key, Title: t.Title, Body: t.Body, Custom: t.Custom, UpdatedAt: t.UpdatedAt}
	if t.Custom {
		by := t.UpdatedBy
		out.UpdatedBy = &by
	}
	return out
}

// apiLetterTemplates answers GET /api/v1/letter-templates with every template in force.
func (s *Server) apiLetterTemplates(c *gin.Context) {
	ls, err := s.letters()
	if err != nil {
		s.apiError(c, err)
		return
	}
	ts, err := ls.LetterTemplates(c.Request.Context())
	if err != nil {
		s.apiError(c, err)
		return
	}
	out := struct {
		Items []letterTemplateJSON `json:"items"`
	}{Items: []letterTemplateJSON{}}
	for _, t := range ts {
		out.Items = append(out.Items, toLetterTemplateJSON(t))
	}
	c.JSON(http.StatusOK, out)
}

// apiLetterTemplateSet answers PUT /api/v1/letter-templates/{key}: admins replace a template, which must parse
// and render against sample data (422 naming body with the parse error otherwise).
func (s *Server) apiLetterTemplateSet(c *gin.Context) {
	var req struct {
		Title string `json:"title"`
		Body  string `json:"body"`
	}
	body, err := readBody(c)
	if err == nil {
		err = decodeJSON(body, &req)
	}
	if err != nil {
		s.apiError(c, err)
		return
	}
	ls, err := s.letters()
	if err != nil {
		s.apiError(c, err)
		return
	}
	t, err := ls.SetLetterTemplate(c.Request.Context(), c.Param("key"), req.Title, req.Body)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, toLetterTemplateJSON(t))
}

// apiCaseLetter answers POST /api/v1/cases/{id}/letters/{key} with the letter rendered for the case; nothing
// is sent.
func (s *Server) apiCaseLetter(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	ls, err := s.letters()
	if err != nil {
		s.apiError(c, err)
		return
	}
	l, err := ls.RenderCaseLetter(c.Request.Context(), id, c.Param("key"))
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"key": l.Key, "title": l.Title, "case_id": l.CaseID, "reference": l.Reference,
		"text": l.Text, "placeholders": orEmpty(foi.LetterPlaceholders(l.Text))})
}

func orEmpty(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// parseBodyDate reads a date field of a request body, naming it when it is not a date ("" is the zero date,
// which the domain reports as missing).
func parseBodyDate(field, s string, v *foi.Validation) calendar.Date {
	if s == "" {
		return calendar.Date{}
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		v.Add(field, field+" must be a date, like 2026-03-31")
	}
	return d
}

// internalReviewJSON is an internal review as the API shows it.
type internalReviewJSON struct {
	RequestedOn *string    `json:"requested_on"`
	TargetOn    *string    `json:"target_on"`
	LongstopOn  *string    `json:"longstop_on"`
	Late        bool       `json:"late"`
	DecidedOn   *string    `json:"decided_on"`
	Outcome     *string    `json:"outcome"`
	CaseStatus  foi.Status `json:"case_status,omitempty"`
	CaseVersion int64      `json:"case_version,omitempty"`
	Warnings    []string   `json:"warnings"`
}

func toReviewJSON(r foi.InternalReview) internalReviewJSON {
	out := internalReviewJSON{RequestedOn: jsonDate(r.RequestedOn), TargetOn: jsonDate(r.TargetOn),
		LongstopOn: jsonDate(r.LongstopOn), Late: r.Late, DecidedOn: jsonDate(r.DecidedOn), Warnings: []string{}}
	if r.Outcome != "" {
		o := r.Outcome
		out.Outcome = &o
	}
	return out
}

func reviewOK(c *gin.Context, status int, res foi.ReviewResult) {
	out := toReviewJSON(res.Review)
	out.CaseStatus, out.CaseVersion = res.Case.Status, res.Case.Version
	out.Warnings = append(out.Warnings, res.Warnings...)
	c.Header("ETag", etag(res.Case.Version))
	if status == http.StatusCreated {
		c.Header("Location", "/api/v1/cases/"+strconv.FormatInt(res.Case.ID, 10)+"/internal-review")
	}
	c.JSON(status, out)
}

// apiInternalReviewRequest answers POST /api/v1/cases/{id}/internal-review: 201 with the targets, and a
// warning when the request came more than 40 working days after the response.
func (s *Server) apiInternalReviewRequest(c *gin.Context) {
	var req struct {
		RequestedOn string `json:"requested_on"`
	}
	id, version, ok := s.caseWrite(c, &req)
	if !ok {
		return
	}
	var v foi.Validation
	on := parseBodyDate("requested_on", req.RequestedOn, &v)
	rs, err := s.responses()
	if err == nil {
		err = v.Err()
	}
	if err != nil {
		s.apiError(c, err)
		return
	}
	res, err := rs.RequestInternalReview(c.Request.Context(), id, version, on)
	if err != nil {
		s.apiError(c, err)
		return
	}
	reviewOK(c, http.StatusCreated, res)
}

// apiInternalReviewDecide answers POST /api/v1/cases/{id}/internal-review/decision (decision-makers).
func (s *Server) apiInternalReviewDecide(c *gin.Context) {
	var req struct {
		DecidedOn string `json:"decided_on"`
		Outcome   string `json:"outcome"`
	}
	id, version, ok := s.caseWrite(c, &req)
	if !ok {
		return
	}
	var v foi.Validation
	on := parseBodyDate("decided_on", req.DecidedOn, &v)
	rs, err := s.responses()
	if err == nil {
		err = v.Err()
	}
	if err != nil {
		s.apiError(c, err)
		return
	}
	res, err := rs.DecideInternalReview(c.Request.Context(), id, version, on, req.Outcome)
	if err != nil {
		s.apiError(c, err)
		return
	}
	reviewOK(c, http.StatusOK, res)
}

// apiInternalReviewGet answers GET /api/v1/cases/{id}/internal-review.
func (s *Server) apiInternalReviewGet(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	rs, err := s.responses()
	if err != nil {
		s.apiError(c, err)
		return
	}
	r, err := rs.FindInternalReview(c.Request.Context(), id)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, toReviewJSON(r))
}

// icoAppealJSON is an ICO complaint as the API shows it.
type icoAppealJSON struct {
	ComplaintOn      *string    `json:"complaint_on"`
	DecisionNoticeOn *string    `json:"decision_notice_on"`
	Outcome          *string    `json:"outcome"`
	ComplianceOn     *string    `json:"compliance_on"`
	TribunalAppealBy *string    `json:"tribunal_appeal_by"`
	Tribunal         bool       `json:"tribunal"`
	CaseStatus       foi.Status `json:"case_status,omitempty"`
	CaseVersion      int64      `json:"case_version,omitempty"`
	Warnings         []string   `json:"warnings"`
}

func toAppealJSON(a foi.ICOAppeal) icoAppealJSON {
	out := icoAppealJSON{ComplaintOn: jsonDate(a.ComplaintOn), DecisionNoticeOn: jsonDate(a.DecisionNoticeOn),
		ComplianceOn: jsonDate(a.ComplianceOn), Tribunal: a.Tribunal, Warnings: []string{}}
	if a.Outcome != "" {
		o := a.Outcome
		out.Outcome = &o
	}
	switch a.Outcome {
	case foi.ICOUpheld, foi.ICOPartlyUpheld, foi.ICONotUpheld:
		out.TribunalAppealBy = jsonDate(foi.TribunalAppealBy(a.DecisionNoticeOn))
	}
	return out
}

func appealOK(c *gin.Context, status int, res foi.AppealResult) {
	out := toAppealJSON(res.Appeal)
	out.CaseStatus, out.CaseVersion = res.Case.Status, res.Case.Version
	out.Warnings = append(out.Warnings, res.Warnings...)
	c.Header("ETag", etag(res.Case.Version))
	if status == http.StatusCreated {
		c.Header("Location", "/api/v1/cases/"+strconv.FormatInt(res.Case.ID, 10)+"/ico-appeal")
	}
	c.JSON(status, out)
}

// apiICOAppealRecord answers POST /api/v1/cases/{id}/ico-appeal: 201, with warnings when the complaints
// procedure was not used first or the complaint came late.
func (s *Server) apiICOAppealRecord(c *gin.Context) {
	var req struct {
		ComplaintOn string `json:"complaint_on"`
	}
	id, version, ok := s.caseWrite(c, &req)
	if !ok {
		return
	}
	var v foi.Validation
	on := parseBodyDate("complaint_on", req.ComplaintOn, &v)
	rs, err := s.responses()
	if err == nil {
		err = v.Err()
	}
	if err != nil {
		s.apiError(c, err)
		return
	}
	res, err := rs.RecordICOComplaint(c.Request.Context(), id, version, on)
	if err != nil {
		s.apiError(c, err)
		return
	}
	appealOK(c, http.StatusCreated, res)
}

// apiICOAppealDecide answers POST /api/v1/cases/{id}/ico-appeal/decision with the compliance date (notice + 35
// calendar days) for an upheld complaint.
func (s *Server) apiICOAppealDecide(c *gin.Context) {
	var req struct {
		DecisionNoticeOn string `json:"decision_notice_on"`
		Outcome          string `json:"outcome"`
		Tribunal         bool   `json:"tribunal"`
	}
	id, version, ok := s.caseWrite(c, &req)
	if !ok {
		return
	}
	var v foi.Validation
	on := parseBodyDate("decision_notice_on", req.DecisionNoticeOn, &v)
	rs, err := s.responses()
	if err == nil {
		err = v.Err()
	}
	if err != nil {
		s.apiError(c, err)
		return
	}
	res, err := rs.RecordICODecision(c.Request.Context(), id, version, on, req.Outcome, req.Tribunal)
	if err != nil {
		s.apiError(c, err)
		return
	}
	appealOK(c, http.StatusOK, res)
}

// apiICOAppealGet answers GET /api/v1/cases/{id}/ico-appeal.
func (s *Server) apiICOAppealGet(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	rs, err := s.responses()
	if err != nil {
		s.apiError(c, err)
		return
	}
	a, err := rs.FindICOAppeal(c.Request.Context(), id)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, toAppealJSON(a))
}
