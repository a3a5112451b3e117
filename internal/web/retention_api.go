package web

import (
	"net/http"
	"strconv"
	"time"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The retention endpoints: the schedules (admins change them), what falls due in a month, legal holds and the
// tombstones of what was destroyed. Destruction itself runs in the daily scan and `foidesk retention run`.

// retentionScheduleJSON is one schedule.
type retentionScheduleJSON struct {
	RecordType foi.RetentionRecordType `json:"record_type"`
	Months     int                     `json:"months"`
	Enabled    bool                    `json:"enabled"`
	Trigger    string                  `json:"trigger"`
	UpdatedBy  string                  `json:"updated_by"`
	UpdatedAt  *time.Time              `json:"updated_at"`
}

func toScheduleJSON(s foi.RetentionSchedule) retentionScheduleJSON {
	return retentionScheduleJSON{RecordType: s.RecordType, Months: s.Months, Enabled: s.Enabled,
		Trigger: s.RecordType.Trigger(), UpdatedBy: s.UpdatedBy, UpdatedAt: s.UpdatedAt}
}

// retentionDueJSON is one destruction due.
type retentionDueJSON struct {
	CaseID    int64                   `json:"case_id"`
	Reference string                  `json:"reference"`
	Party     string                  `json:"party"`
	Scope     foi.RetentionScope      `json:"scope"`
	Schedule  foi.RetentionRecordType `json:"schedule"`
	Months    int                     `json:"months"`
	DueOn     *string                 `json:"due_on"`
	Held      bool                    `json:"held"`
	Holds     []string                `json:"holds"`
}

// legalHoldJSON is one manual legal hold.
type legalHoldJSON struct {
	ID             int64      `json:"id"`
	CaseID         int64      `json:"case_id"`
	CaseReference  string     `json:"case_reference"`
	Reasons        string     `json:"reasons"`
	PlacedBy       string     `json:"placed_by"`
	PlacedAt       time.Time  `json:"placed_at"`
	ReleasedAt     *time.Time `json:"released_at"`
	ReleaseReasons string     `json:"release_reasons"`
}

func toHoldJSON(h foi.LegalHold) legalHoldJSON {
	return legalHoldJSON{ID: h.ID, CaseID: h.CaseID, CaseReference: h.CaseReference, Reasons: h.Reasons,
		PlacedBy: h.PlacedByLabel, PlacedAt: h.PlacedAt, ReleasedAt: h.ReleasedAt, ReleaseReasons: h.ReleaseReasons}
}

// tombstoneJSON is what remains of one destruction.
type tombstoneJSON struct {
	ID            int64                   `json:"id"`
	CaseID        int64                   `json:"case_id"`
	CaseReference string                  `json:"case_reference"`
	Scope         foi.RetentionScope      `json:"scope"`
	Schedule      foi.RetentionRecordType `json:"schedule"`
	Months        int                     `json:"months"`
	DueOn         *string                 `json:"due_on"`
	DestroyedAt   time.Time               `json:"destroyed_at"`
	DestroyedBy   string                  `json:"destroyed_by"`
	Destroyed     map[string]int64        `json:"destroyed"`
}

// apiRetentionSchedules answers GET /api/v1/retention/schedules.
func (s *Server) apiRetentionSchedules(c *gin.Context) {
	svc, err := s.retention()
	if err != nil {
		s.apiError(c, err)
		return
	}
	list, err := svc.RetentionSchedules(c.Request.Context())
	if err != nil {
		s.apiError(c, err)
		return
	}
	out := make([]retentionScheduleJSON, 0, len(list))
	for _, sc := range list {
		out = append(out, toScheduleJSON(sc))
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// apiRetentionScheduleSet answers PUT /api/v1/retention/schedules/{record_type}: an admin sets the period in
// months and whether the schedule applies.
func (s *Server) apiRetentionScheduleSet(c *gin.Context) {
	var req struct {
		Months  int  `json:"months"`
		Enabled bool `json:"enabled"`
	}
	svc, ok := s.retentionBody(c, &req)
	if !ok {
		return
	}
	sc, err := svc.SetRetentionSchedule(c.Request.Context(), foi.RetentionSchedule{
		RecordType: foi.RetentionRecordType(c.Param("type")), Months: req.Months, Enabled: req.Enabled})
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, toScheduleJSON(sc))
}

// retentionBody returns the retention service and reads the strict JSON body into dst, answering the problem
// itself and returning false when either fails.
func (s *Server) retentionBody(c *gin.Context, dst any) (foi.RetentionService, bool) {
	svc, err := s.retention()
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

// apiRetentionDue answers GET /api/v1/retention/due?month=YYYY-MM: what falls due in the month, and what is
// overdue but held.
func (s *Server) apiRetentionDue(c *gin.Context) {
	if !s.mayTry(c, foi.ActionReadRetention) {
		return
	}
	svc, err := s.retention()
	if err != nil {
		s.apiError(c, err)
		return
	}
	from, to, err := foi.MonthRange(c.Query("month"))
	if err != nil {
		s.apiError(c, err)
		return
	}
	list, err := svc.RetentionDueBetween(c.Request.Context(), from, to)
	if err != nil {
		s.apiError(c, err)
		return
	}
	items := make([]retentionDueJSON, 0, len(list))
	for _, d := range list {
		items = append(items, retentionDueJSON{CaseID: d.CaseID, Reference: d.Reference, Party: d.PartyCode,
			Scope: d.Scope, Schedule: d.Schedule, Months: d.Months, DueOn: jsonDate(d.DueOn), Held: d.Held(),
			Holds: orEmpty(d.Holds)})
	}
	c.JSON(http.StatusOK, gin.H{"from": from.String(), "to": to.String(), "items": items})
}

// apiLegalHolds answers GET /api/v1/retention/holds: the active manual holds.
func (s *Server) apiLegalHolds(c *gin.Context) {
	svc, err := s.retention()
	if err != nil {
		s.apiError(c, err)
		return
	}
	list, err := svc.LegalHolds(c.Request.Context())
	if err != nil {
		s.apiError(c, err)
		return
	}
	items := make([]legalHoldJSON, 0, len(list))
	for _, h := range list {
		items = append(items, toHoldJSON(h))
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// apiLegalHoldPlace answers POST /api/v1/retention/holds: a manual legal hold on a case, with reasons; 201.
func (s *Server) apiLegalHoldPlace(c *gin.Context) {
	var req struct {
		CaseID  int64  `json:"case_id"`
		Reasons string `json:"reasons"`
	}
	if !s.mayTry(c, foi.ActionHoldCase) {
		return
	}
	svc, ok := s.retentionBody(c, &req)
	if !ok {
		return
	}
	if req.CaseID <= 0 {
		s.apiError(c, invalidField("case_id", "case_id must be a case's id, like 42"))
		return
	}
	h, err := svc.PlaceLegalHold(c.Request.Context(), req.CaseID, req.Reasons)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.Header("Location", "/api/v1/retention/holds/"+strconv.FormatInt(h.ID, 10))
	c.JSON(http.StatusCreated, toHoldJSON(h))
}

// apiLegalHoldRelease answers POST /api/v1/retention/holds/{id}/release, with reasons.
func (s *Server) apiLegalHoldRelease(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		s.apiError(c, err)
		return
	}
	var req reasonsRequest
	svc, ok := s.retentionBody(c, &req)
	if !ok {
		return
	}
	h, err := svc.ReleaseLegalHold(c.Request.Context(), id, req.Reasons)
	if err != nil {
		s.apiError(c, err)
		return
	}
	c.JSON(http.StatusOK, toHoldJSON(h))
}

// apiTombstones answers GET /api/v1/retention/tombstones: what was destroyed, newest first.
func (s *Server) apiTombstones(c *gin.Context) {
	svc, err := s.retention()
	if err != nil {
		s.apiError(c, err)
		return
	}
	list, err := svc.Tombstones(c.Request.Context())
	if err != nil {
		s.apiError(c, err)
		return
	}
	items := make([]tombstoneJSON, 0, len(list))
	for _, t := range list {
		items = append(items, tombstoneJSON{ID: t.ID, CaseID: t.CaseID, CaseReference: t.CaseReference, Scope: t.Scope,
			Schedule: t.Schedule, Months: t.Months, DueOn: jsonDate(t.DueOn), DestroyedAt: t.DestroyedAt,
			DestroyedBy: t.DestroyedBy, Destroyed: t.Destroyed})
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}
