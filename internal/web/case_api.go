package web

import (
	"net/http"
	"strconv"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// caseRequest is the body of POST /api/v1/cases.
type caseRequest struct {
	Regime      string           `json:"regime"`
	ReceivedAt  string           `json:"received_at"`
	Channel     string           `json:"channel"`
	Subject     string           `json:"subject"`
	RequestText string           `json:"request_text"`
	Requester   requesterRequest `json:"requester"`
	AssetCodes  []string         `json:"asset_codes"`
	// HoldConsultationsAsDraft keeps the consultations the assets require as drafts (see PATCH
	// /consultations/{id} and POST /consultations/{id}/send) instead of sending them at once.
	HoldConsultationsAsDraft bool `json:"hold_consultations_as_draft"`
}

type requesterRequest struct {
	Name    string `json:"name"`
	Email   string `json:"email"`
	Address string `json:"address"`
	Type    string `json:"type"`
}

// caseResponse is a case as the API shows it.
type caseResponse struct {
	ID                  int64              `json:"id"`
	Reference           string             `json:"reference"`
	Party               string             `json:"party"`
	Regime              calendar.Regime    `json:"regime"`
	ReceivedAt          time.Time          `json:"received_at"`
	ReceivedOn          *string            `json:"received_on"`
	Channel             foi.Channel        `json:"channel"`
	Subject             string             `json:"subject"`
	RequestText         string             `json:"request_text"`
	Requester           *requesterJSON     `json:"requester,omitempty"`
	Status              foi.Status         `json:"status"`
	StatusLabel         string             `json:"status_label"`
	AllowedTransitions  []foi.Status       `json:"allowed_transitions"`
	AssigneeID          *int64             `json:"assignee_id"`
	DueOn               *string            `json:"due_on"`
	StatutoryDueOn      *string            `json:"statutory_due_on"`
	DeadlineProvisional bool               `json:"deadline_provisional"`
	DeadlineFlag        string             `json:"deadline_flag"`
	Outcome             *foi.Outcome       `json:"outcome"`
	Events              []clockEventJSON   `json:"events"`
	Assets              []caseAssetJSON    `json:"assets"`
	Version             int64              `json:"version"`
	CreatedAt           time.Time          `json:"created_at"`
	UpdatedAt           time.Time          `json:"updated_at"`
	Consultations       []consultationJSON `json:"consultations"`
	DisclosureBlockers  []foi.Blocker      `json:"disclosure_blockers"`
	Disputes            []disputeJSON      `json:"disputes,omitempty"`
	Warnings            []string           `json:"warnings,omitempty"`
	Alert               string             `json:"alert,omitempty"`
}

type requesterJSON struct {
	Name    string            `json:"name"`
	Email   string            `json:"email"`
	Address string            `json:"address"`
	Type    foi.RequesterType `json:"type"`
}

type clockEventJSON struct {
	Kind  foi.ClockEventKind `json:"kind"`
	On    *string            `json:"on"`
	Until *string            `json:"until"`
	Note  string             `json:"note"`
}

type caseAssetJSON struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Provider  string `json:"provider"`
	Confirmed bool   `json:"confirmed"`
}

// toCaseResponse returns the API's view of a case.
func toCaseResponse(c *foi.Case) caseResponse {
	r := caseResponse{ID: c.ID, Reference: c.Reference, Party: c.PartyCode, Regime: c.Regime,
		ReceivedAt: c.ReceivedAt.UTC(), ReceivedOn: jsonDate(c.ReceivedOn), Channel: c.Channel, Subject: c.Subject,
		RequestText: c.RequestText, Status: c.Status, StatusLabel: c.Status.Label(),
		AllowedTransitions: allowedManual(c.Status), DueOn: jsonDate(c.DueOn), StatutoryDueOn: jsonDate(c.StatutoryDueOn),
		DeadlineProvisional: c.Provisional, DeadlineFlag: c.DeadlineFlag, Version: c.Version,
		CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(), Events: []clockEventJSON{}, Assets: []caseAssetJSON{},
		Consultations: []consultationJSON{}, DisclosureBlockers: []foi.Blocker{}}
	if c.AssigneeID != 0 {
		r.AssigneeID = &c.AssigneeID
	}
	if c.Outcome != "" {
		r.Outcome = &c.Outcome
	}
	if q := c.Requester; q != nil {
		r.Requester = &requesterJSON{Name: q.Name, Email: q.Email, Address: q.Address, Type: q.Type}
	}
	for _, e := range c.Events {
		r.Events = append(r.Events, clockEventJSON{Kind: e.Kind, On: jsonDate(e.On), Until: jsonDate(e.Until), Note: e.Note})
	}
	for _, a := range c.Assets {
		r.Assets = append(r.Assets, caseAssetJSON{Code: a.Code, Name: a.Name, Provider: a.ProviderParty, Confirmed: a.Confirmed})
	}
	return r
}

// allowedManual lists the moves a person may make from a status.
func allowedManual(from foi.Status) []foi.Status {
	out := []foi.Status{}
	for _, to := range foi.ManualTransitions {
		if foi.CheckManualTransition(from, to) == nil {
			out = append(out, to)
		}
	}
	return out
}

// apiCaseCreate answers POST /api/v1/cases: 201 with the case, its reference and deadline, and any warnings.
// A retry with the same Idempotency-Key and body returns the same case.
func (s *Server) apiCaseCreate(c *gin.Context) {
	body, err := readBody(c)
	if err != nil {
		s.apiError(c, err)
		return
	}
	var req caseRequest
	if err := decodeJSON(body, &req); err != nil {
		s.apiError(c, err)
		return
	}
	idem, err := idempotency(c, body)
	if err != nil {
		s.apiError(c, err)
		return
	}
	out, err := s.cfg.Cases.CreateCase(c.Request.Context(), foi.NewCase{Regime: calendar.Regime(req.Regime),
		ReceivedAt: req.ReceivedAt, Channel: foi.Channel(req.Channel), Subject: req.Subject, RequestText: req.RequestText,
		Requester: foi.Requester{Name: req.Requester.Name, Email: req.Requester.Email, Address: req.Requester.Address,
			Type: foi.RequesterType(req.Requester.Type)}, AssetCodes: req.AssetCodes,
		HoldConsultations: req.HoldConsultationsAsDraft}, idem)
	if err != nil {
		s.apiError(c, err)
		return
	}
	resp := toCaseResponse(out.Case)
	resp.Warnings = out.Warnings
	if out.Replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	created(c, "/api/v1/cases/"+strconv.FormatInt(out.Case.ID, 10), out.Case.Version, resp)
}

// apiCaseGet answers GET /api/v1/cases/{id}.
func (s *Server) apiCaseGet(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	cs, err := s.cfg.Cases.FindCaseByID(c.Request.Context(), id)
	if err != nil {
		s.apiError(c, err)
		return
	}
	s.caseOK(c, cs, "")
}

// caseOK answers 200 with the case, its consultations and what blocks its disclosure, and its ETag.
func (s *Server) caseOK(c *gin.Context, cs *foi.Case, alert string) {
	resp := toCaseResponse(cs)
	resp.Alert = alert
	if svc, err := s.consultations(); err == nil {
		res, err := svc.CaseConsultations(c.Request.Context(), cs.ID)
		if err != nil {
			s.apiError(c, err)
			return
		}
		cc := toCaseConsultations(res)
		resp.Consultations, resp.DisclosureBlockers = cc.Consultations, cc.DisclosureBlockers
	}
	disputes, warnings, err := s.caseDisputes(c, cs.ID)
	if err != nil {
		s.apiError(c, err)
		return
	}
	resp.Disputes, resp.Warnings = disputes, append(resp.Warnings, warnings...)
	c.Header("ETag", etag(cs.Version))
	c.JSON(http.StatusOK, resp)
}

// caseListResponse is a page of the queue.
type caseListResponse struct {
	Items      []caseSummaryJSON `json:"items"`
	NextCursor *string           `json:"next_cursor"`
}

type caseSummaryJSON struct {
	ID                  int64           `json:"id"`
	Reference           string          `json:"reference"`
	Regime              calendar.Regime `json:"regime"`
	ReceivedOn          *string         `json:"received_on"`
	Subject             string          `json:"subject"`
	Status              foi.Status      `json:"status"`
	AssigneeID          *int64          `json:"assignee_id"`
	DueOn               *string         `json:"due_on"`
	DeadlineProvisional bool            `json:"deadline_provisional"`
	DeadlineFlag        string          `json:"deadline_flag"`
	Version             int64           `json:"version"`
}

// apiCaseList answers GET /api/v1/cases with the caller's party's queue, filtered and paged.
func (s *Server) apiCaseList(c *gin.Context) {
	f, err := caseFilterFromQuery(c)
	if err != nil {
		s.apiError(c, err)
		return
	}
	page, err := s.cfg.Cases.FindCases(c.Request.Context(), f)
	if err != nil {
		s.apiError(c, err)
		return
	}
	resp := caseListResponse{Items: []caseSummaryJSON{}}
	for _, cs := range page.Cases {
		item := caseSummaryJSON{ID: cs.ID, Reference: cs.Reference, Regime: cs.Regime, ReceivedOn: jsonDate(cs.ReceivedOn),
			Subject: cs.Subject, Status: cs.Status, DueOn: jsonDate(cs.DueOn), DeadlineProvisional: cs.Provisional,
			DeadlineFlag: cs.DeadlineFlag, Version: cs.Version}
		if cs.AssigneeID != 0 {
			id := cs.AssigneeID
			item.AssigneeID = &id
		}
		resp.Items = append(resp.Items, item)
	}
	if page.NextCursor != "" {
		resp.NextCursor = &page.NextCursor
	}
	c.JSON(http.StatusOK, resp)
}

// caseFilterFromQuery reads the queue's filters from the query string, naming each bad one.
func caseFilterFromQuery(c *gin.Context) (foi.CaseFilter, error) {
	var v foi.Validation
	f := foi.CaseFilter{Status: foi.Status(c.Query("status")), Regime: calendar.Regime(c.Query("regime")),
		Query: c.Query("q"), Party: c.Query("party"), Cursor: c.Query("cursor")}
	f.DueBefore = parseDateParam(c, "due_before", &v)
	f.Overdue = parseBoolParam(c, "overdue", &v)
	f.Unassigned = parseBoolParam(c, "unassigned", &v)
	if s := c.Query("open"); s != "" {
		b := parseBoolParam(c, "open", &v)
		f.Open = &b
	}
	switch a := c.Query("assignee"); a {
	case "":
	case "me":
		if u := foi.UserFrom(c.Request.Context()); u != nil {
			f.AssigneeID = u.ID
		}
	default:
		id, err := strconv.ParseInt(a, 10, 64)
		v.Check(err == nil && id > 0, "assignee", "assignee must be a user id or me")
		f.AssigneeID = id
	}
	f.Sort = foi.CaseSort(c.Query("sort")) // the store names a bad one
	switch c.Query("order") {
	case "", "asc":
	case "desc":
		f.Descending = true
	default:
		v.Add("order", "order must be asc or desc")
	}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		v.Check(err == nil, "limit", "limit must be a whole number")
		f.Limit = n
		if err == nil && n == 0 {
			v.Add("limit", "limit must be between 1 and 200")
		}
	}
	return f, v.Err()
}

func parseBoolParam(c *gin.Context, name string, v *foi.Validation) bool {
	switch c.Query(name) {
	case "", "false", "0":
		return false
	case "true", "1":
		return true
	}
	v.Add(name, name+" must be true or false")
	return false
}

// caseUpdateRequest is the body of PATCH /api/v1/cases/{id}; absent fields are left as they are.
type caseUpdateRequest struct {
	Subject     *string   `json:"subject"`
	RequestText *string   `json:"request_text"`
	AssigneeID  *int64    `json:"assignee_id"`
	AssetCodes  *[]string `json:"asset_codes"`
	// HoldConsultationsAsDraft keeps the consultations newly added assets require as drafts.
	HoldConsultationsAsDraft bool `json:"hold_consultations_as_draft"`
}

// apiCaseUpdate answers PATCH /api/v1/cases/{id}; If-Match guards against lost updates (412).
func (s *Server) apiCaseUpdate(c *gin.Context) {
	var req caseUpdateRequest
	id, version, ok := s.caseWrite(c, &req)
	if !ok {
		return
	}
	cs, err := s.cfg.Cases.UpdateCase(c.Request.Context(), id, version, foi.CaseUpdate{Subject: req.Subject,
		RequestText: req.RequestText, AssigneeID: req.AssigneeID, AssetCodes: req.AssetCodes,
		HoldConsultations: req.HoldConsultationsAsDraft})
	if err != nil {
		s.apiError(c, err)
		return
	}
	s.caseOK(c, cs, "")
}

// caseWrite reads what every case-changing request carries: the case id, the If-Match version and the JSON
// body into dst. It answers the error itself and returns ok false when any is bad.
func (s *Server) caseWrite(c *gin.Context, dst any) (id, version int64, ok bool) {
	id, err := pathID(c, "id")
	if err == nil {
		version, err = ifMatch(c)
	}
	var body []byte
	if err == nil {
		body, err = readBody(c)
	}
	if err == nil {
		err = decodeJSON(body, dst)
	}
	if err != nil {
		s.apiError(c, err)
		return 0, 0, false
	}
	return id, version, true
}

// transitionRequest is the body of POST /api/v1/cases/{id}/transitions.
type transitionRequest struct {
	To   string `json:"to"`
	Note string `json:"note"`
}

// apiCaseTransition moves a case along its lifecycle: 409 with the allowed moves when it may not.
func (s *Server) apiCaseTransition(c *gin.Context) {
	var req transitionRequest
	id, version, ok := s.caseWrite(c, &req)
	if !ok {
		return
	}
	cs, err := s.cfg.Cases.TransitionCase(c.Request.Context(), id, version, foi.Status(req.To), req.Note)
	if err != nil {
		s.apiError(c, err)
		return
	}
	s.caseOK(c, cs, "")
}

// clockEventRequest is the body of POST /api/v1/cases/{id}/events.
type clockEventRequest struct {
	Kind       string   `json:"kind"`
	On         string   `json:"on"`
	Until      string   `json:"until"`
	Note       string   `json:"note"`
	Exemptions []string `json:"exemptions"`
}

// apiCaseEvent records a clock event and answers with the case and its recomputed deadline.
func (s *Server) apiCaseEvent(c *gin.Context) {
	var req clockEventRequest
	id, version, ok := s.caseWrite(c, &req)
	if !ok {
		return
	}
	var v foi.Validation
	e := foi.ClockEvent{Kind: foi.ClockEventKind(req.Kind), Note: req.Note}
	if req.On != "" {
		d, err := calendar.ParseReceipt(req.On)
		v.Check(err == nil, "on", "on must be a date, like 2026-03-31")
		e.On = d
	}
	if req.Until != "" {
		d, err := calendar.ParseDate(req.Until)
		v.Check(err == nil, "until", "until must be a date, like 2026-04-28")
		e.Until = d
	}
	if err := v.Err(); err != nil {
		s.apiError(c, err)
		return
	}
	cs, alert, err := s.cfg.Cases.AddClockEvent(c.Request.Context(), id, version, e, req.Exemptions)
	if err != nil {
		s.apiError(c, err)
		return
	}
	s.caseOK(c, cs, alert)
}

// deadlineResponse is a deadline with its explanation.
type deadlineResponse struct {
	ReceivedOn     *string     `json:"received_on"`
	StatutoryDueOn *string     `json:"statutory_due_on"`
	DueOn          *string     `json:"due_on"`
	Paused         bool        `json:"paused"`
	Provisional    bool        `json:"provisional"`
	Trace          []traceStep `json:"trace"`
}

type traceStep struct {
	Date string `json:"date"`
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// apiCaseDeadline answers GET /api/v1/cases/{id}/deadline with the date and how it was reached.
func (s *Server) apiCaseDeadline(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	dl, err := s.cfg.Cases.CaseDeadline(c.Request.Context(), id)
	if err != nil {
		s.apiError(c, err)
		return
	}
	resp := deadlineResponse{ReceivedOn: jsonDate(dl.Receipt), StatutoryDueOn: jsonDate(dl.StatutoryDue),
		DueOn: jsonDate(dl.Due), Paused: dl.Paused, Provisional: dl.Provisional, Trace: []traceStep{}}
	for _, st := range dl.Trace {
		resp.Trace = append(resp.Trace, traceStep{Date: st.Date.String(), Kind: st.Kind, Text: st.Text})
	}
	c.JSON(http.StatusOK, resp)
}
