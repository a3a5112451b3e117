package web

import (
	"bytes"
	"encoding/json"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// consultationWrite reads what a draft-changing request carries: the consultation id, the If-Match version and
// the strict JSON body into dst (an empty body is allowed when dst is nil). It answers the problem itself and
// returns ok false when any is bad.
func (s *Server) consultationWrite(c *gin.Context, dst any) (svc foi.ConsultationService, id, version int64, ok bool) {
	svc, err := s.consultations()
	if err == nil {
		id, err = pathID(c, "id")
	}
	if err == nil {
		version, err = ifMatch(c)
	}
	var body []byte
	if err == nil {
		body, err = readBody(c)
	}
	if err == nil && (dst != nil || len(bytes.TrimSpace(body)) > 0) {
		if dst == nil {
			dst = &struct{}{}
		}
		err = decodeJSON(body, dst)
	}
	if err != nil {
		s.apiError(c, err)
		return nil, 0, 0, false
	}
	return svc, id, version, true
}

// apiConsultationEdit answers PATCH /api/v1/consultations/{id}: an officer or decision-maker of the case's party
// edits a draft's question, information at issue or respond-by date (null or "" lets the clock set it when sent).
// If-Match guards against lost updates (412).
func (s *Server) apiConsultationEdit(c *gin.Context) {
	var req struct {
		Question           *string         `json:"question"`
		InformationAtIssue *string         `json:"information_at_issue"`
		RespondBy          json.RawMessage `json:"respond_by"`
	}
	svc, id, version, ok := s.consultationWrite(c, &req)
	if !ok {
		return
	}
	ch := foi.DraftChange{Question: req.Question, InformationAtIssue: req.InformationAtIssue}
	if len(req.RespondBy) > 0 {
		by, err := optionalDate(req.RespondBy, "respond_by")
		if err != nil {
			s.apiError(c, err)
			return
		}
		ch.RespondBy = &by
	}
	k, err := svc.EditConsultationDraft(c.Request.Context(), id, version, ch)
	s.answerConsultation(c, k, err)
}

// apiConsultationSend answers POST /api/v1/consultations/{id}/send: an officer or decision-maker of the case's
// party sends a draft to the consulted party's business-as-usual FOI contact. The body is empty (or {}).
func (s *Server) apiConsultationSend(c *gin.Context) {
	svc, id, version, ok := s.consultationWrite(c, nil)
	if !ok {
		return
	}
	k, err := svc.SendConsultation(c.Request.Context(), id, version)
	s.answerConsultation(c, k, err)
}

// optionalDate reads a JSON date that may be null or "" (the zero Date), answering EINVALID naming field for
// anything else that is not a YYYY-MM-DD date.
func optionalDate(raw json.RawMessage, field string) (calendar.Date, error) {
	var s *string
	if err := json.Unmarshal(raw, &s); err != nil {
		return calendar.Date{}, invalidField(field, field+" must be a date, like 2026-03-31, or null")
	}
	if s == nil || *s == "" {
		return calendar.Date{}, nil
	}
	d, err := calendar.ParseDate(*s)
	if err != nil {
		return calendar.Date{}, invalidField(field, field+" must be a date, like 2026-03-31, or null")
	}
	return d, nil
}
