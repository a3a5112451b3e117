package web

import (
	"net/http"
	"strconv"
	"time"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The incident endpoints (MoU 4.5): reporting a data loss, wrongful disclosure or security breach that touches
// another party's information (the affected parties' security-incidents contacts are told at once), the
// 24-hour and 72-hour clocks, the actions log, the ICO notification decision and the closure.

// incidentPartyJSON is one affected party and when it was told.
type incidentPartyJSON struct {
	Party      string     `json:"party"`
	NotifiedAt *time.Time `json:"notified_at"`
	Notified   []string   `json:"notified"`
}

// incidentActionJSON is one entry of the actions log.
type incidentActionJSON struct {
	Seq     int64     `json:"seq"`
	Note    string    `json:"note"`
	By      string    `json:"by"`
	TakenAt time.Time `json:"taken_at"`
}

// incidentJSON is an incident as the API shows it, with its clocks as they stand.
type incidentJSON struct {
	ID              int64                `json:"id"`
	Reference       string               `json:"reference"`
	ReportingParty  string               `json:"reporting_party"`
	Kind            foi.IncidentKind     `json:"kind"`
	KindLabel       string               `json:"kind_label"`
	Description     string               `json:"description"`
	AwareAt         time.Time            `json:"aware_at"`
	DueAt           time.Time            `json:"due_at"`
	NotifyOverdue   bool                 `json:"overdue"`
	AllNotified     bool                 `json:"all_notified"`
	ICODueAt        time.Time            `json:"ico_due_at"`
	ICOOverdue      bool                 `json:"ico_overdue"`
	CaseID          *int64               `json:"case_id"`
	CaseReference   string               `json:"case_reference"`
	ConsultationID  *int64               `json:"consultation_id"`
	Asset           string               `json:"asset"`
	ReportedBy      string               `json:"reported_by"`
	ReportedAt      time.Time            `json:"reported_at"`
	Status          foi.IncidentStatus   `json:"status"`
	AffectedParties []incidentPartyJSON  `json:"affected_parties"`
	Actions         []incidentActionJSON `json:"actions"`
	ICODecision     *string              `json:"ico_decision"`
	ICOReasons      string               `json:"ico_reasons"`
	ICODecidedAt    *time.Time           `json:"ico_decided_at"`
	ICONotifiedAt   *time.Time           `json:"ico_notified_at"`
	ClosureSummary  string               `json:"closure_summary"`
	ClosedAt        *time.Time           `json:"closed_at"`
	Version         int64                `json:"version"`
}

// incidentCreatedJSON is the answer to a report: the incident and the parties nobody could be told of.
type incidentCreatedJSON struct {
	incidentJSON
	Unnotified []string `json:"unnotified"`
}

// incidentListResponse is the body of GET /api/v1/incidents.
type incidentListResponse struct {
	Items []incidentJSON `json:"items"`
}

func idOrNil(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// toIncidentJSON returns the API's view of an incident.
func toIncidentJSON(i *foi.Incident) incidentJSON {
	out := incidentJSON{ID: i.ID, Reference: foi.IncidentReference(i.ID), ReportingParty: i.PartyCode, Kind: i.Kind,
		KindLabel: i.Kind.Label(), Description: i.Description, AwareAt: i.AwareAt, DueAt: i.NotifyDueAt(),
		NotifyOverdue: i.NotifyOverdue, AllNotified: i.AllNotified, ICODueAt: i.ICODueAt(), ICOOverdue: i.ICODecisionLate,
		CaseID: idOrNil(i.CaseID), CaseReference: i.CaseReference, ConsultationID: idOrNil(i.ConsultationID),
		Asset: i.AssetCode, ReportedBy: i.ReportedByLabel, ReportedAt: i.ReportedAt, Status: i.Status,
		AffectedParties: []incidentPartyJSON{}, Actions: []incidentActionJSON{}, ICOReasons: i.ICOReasons,
		ICODecidedAt: i.ICODecidedAt, ICONotifiedAt: i.ICONotifiedAt, ClosureSummary: i.ClosureSummary,
		ClosedAt: i.ClosedAt, Version: i.Version}
	if i.ICODecision != "" {
		d := string(i.ICODecision)
		out.ICODecision = &d
	}
	for _, p := range i.Affected {
		out.AffectedParties = append(out.AffectedParties, incidentPartyJSON{Party: p.PartyCode, NotifiedAt: p.NotifiedAt,
			Notified: orEmpty(p.Notified)})
	}
	for _, a := range i.Actions {
		out.Actions = append(out.Actions, incidentActionJSON{Seq: a.Seq, Note: a.Note, By: a.ByLabel, TakenAt: a.TakenAt})
	}
	return out
}

// incidentOK answers an incident change with 200, the incident and its ETag.
func incidentOK(c *gin.Context, i foi.Incident) {
	c.Header("ETag", etag(i.Version))
	c.JSON(http.StatusOK, toIncidentJSON(&i))
}

// incidentBody returns the incident service and reads the strict JSON body into dst, answering the problem
// itself and returning false when either fails.
func (s *Server) incidentBody(c *gin.Context, dst any) (foi.IncidentService, bool) {
	svc, err := s.incidents()
	if err == nil {
		var body []byte
		if body, err = readBody(c); err == nil {
			if err = decodeJSON(body, dst); err == nil {
				return svc, true
			}
		}
	}
	s.apiError(c, err)
	return nil, false
}

// apiIncidentReport answers POST /api/v1/incidents: 201 with the incident, the affected parties told.
func (s *Server) apiIncidentReport(c *gin.Context) {
	var req struct {
		Kind            foi.IncidentKind `json:"kind"`
		Description     string           `json:"description"`
		AwareAt         string           `json:"aware_at"`
		ReportingParty  string           `json:"reporting_party"`
		AffectedParties []string         `json:"affected_parties"`
		CaseID          int64            `json:"case_id"`
		ConsultationID  int64            `json:"consultation_id"`
		Asset           string           `json:"asset"`
	}
	svc, ok := s.incidentBody(c, &req)
	if !ok {
		return
	}
	res, err := svc.ReportIncident(c.Request.Context(), foi.NewIncident{Kind: req.Kind, Description: req.Description,
		AwareAt: req.AwareAt, ReportingParty: req.ReportingParty, AffectedParties: req.AffectedParties,
		CaseID: req.CaseID, ConsultationID: req.ConsultationID, AssetCode: req.Asset})
	if err != nil {
		s.apiError(c, err)
		return
	}
	created(c, "/api/v1/incidents/"+strconv.FormatInt(res.Incident.ID, 10), res.Incident.Version,
		incidentCreatedJSON{incidentJSON: toIncidentJSON(&res.Incident), Unnotified: orEmpty(res.Unnotified)})
}

// apiIncidentList answers GET /api/v1/incidents?status=open|closed&case_id=N: the incidents the caller may read.
func (s *Server) apiIncidentList(c *gin.Context) {
	svc, err := s.incidents()
	if err != nil {
		s.apiError(c, err)
		return
	}
	f := foi.IncidentFilter{Status: foi.IncidentStatus(c.Query("status"))}
	if q := c.Query("case_id"); q != "" {
		id, err := strconv.ParseInt(q, 10, 64)
		if err != nil || id <= 0 {
			s.apiError(c, invalidField("case_id", "case_id must be a case's id, like 42"))
			return
		}
		f.CaseID = id
	}
	list, err := svc.ListIncidents(c.Request.Context(), f)
	if err != nil {
		s.apiError(c, err)
		return
	}
	out := incidentListResponse{Items: make([]incidentJSON, 0, len(list))}
	for i := range list {
		out.Items = append(out.Items, toIncidentJSON(&list[i]))
	}
	c.JSON(http.StatusOK, out)
}

// apiIncidentGet answers GET /api/v1/incidents/{id}.
func (s *Server) apiIncidentGet(c *gin.Context) {
	svc, err := s.incidents()
	if err == nil {
		var id int64
		if id, err = pathID(c, "id"); err == nil {
			var inc foi.Incident
			if inc, err = svc.FindIncident(c.Request.Context(), id); err == nil {
				incidentOK(c, inc)
				return
			}
		}
	}
	s.apiError(c, err)
}

// incidentChange reads the path id and the body into dst, lets change apply it and answers 200 with the
// incident as it now stands.
func (s *Server) incidentChange(c *gin.Context, dst any, change func(svc foi.IncidentService, id int64) (foi.Incident, error)) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	svc, ok := s.incidentBody(c, dst)
	if !ok {
		return
	}
	inc, err := change(svc, id)
	if err != nil {
		s.apiError(c, err)
		return
	}
	incidentOK(c, inc)
}

// apiIncidentAction answers POST /api/v1/incidents/{id}/actions: a note for the actions log.
func (s *Server) apiIncidentAction(c *gin.Context) {
	var req struct {
		Note string `json:"note"`
	}
	s.incidentChange(c, &req, func(svc foi.IncidentService, id int64) (foi.Incident, error) {
		return svc.RecordIncidentAction(c.Request.Context(), id, req.Note)
	})
}

// apiIncidentICODecision answers POST /api/v1/incidents/{id}/ico-decision: notify or not_notify, with reasons
// and, once told, when the ICO was notified.
func (s *Server) apiIncidentICODecision(c *gin.Context) {
	var req struct {
		Decision   foi.ICODecision `json:"decision"`
		Reasons    string          `json:"reasons"`
		NotifiedAt string          `json:"notified_at"`
	}
	s.incidentChange(c, &req, func(svc foi.IncidentService, id int64) (foi.Incident, error) {
		return svc.DecideICONotification(c.Request.Context(), id, foi.ICODecisionInput{Decision: req.Decision,
			Reasons: req.Reasons, NotifiedAt: req.NotifiedAt})
	})
}

// apiIncidentClose answers POST /api/v1/incidents/{id}/close: the closure with a summary.
func (s *Server) apiIncidentClose(c *gin.Context) {
	var req struct {
		Summary string `json:"summary"`
	}
	s.incidentChange(c, &req, func(svc foi.IncidentService, id int64) (foi.Incident, error) {
		return svc.CloseIncident(c.Request.Context(), id, req.Summary)
	})
}
