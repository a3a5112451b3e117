package web

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The retention page (issue 9): /admin/retention shows the schedules, the active legal holds, what falls due
// for destruction next month and what was destroyed (the newest tombstones). Admins change each schedule and
// place and lift holds there, with reasons; auditors and decision-makers read it (foi.ActionReadRetention). Destruction itself runs in the daily scan and
// `foidesk retention run`. The page has a form per schedule and per hold, so each input is named after its
// form ("months_case_file", "release_reasons_7") and the service's field errors are aliased to it.

// retentionPage is what /admin/retention shows.
type retentionPage struct {
	Form      *Form // every form of the page: what is stored, or what was typed in the form that failed
	Manage    bool  // the user may change schedules and holds
	Schedules []scheduleView
	Holds     []holdView
	Due       []dueView
	From, To  calendar.Date // the month of the due report
	Destroyed []tombstoneView
	Capped    bool // the service returned as many tombstones as it lists: older ones are not shown
	OnOff     []Option
}

type scheduleView struct {
	Type, Title, Trigger string
	Months               int
	Enabled              bool
	UpdatedBy, UpdatedAt string
}

type holdView struct {
	ID                                     int64
	CaseID                                 int64
	CaseReference, Reasons, PlacedBy, When string
}

// tombstoneView is one destruction as the "Destroyed" table shows it.
type tombstoneView struct {
	CaseID                                        int64
	Reference, Scope, Schedule, When, By, Counted string
}

type dueView struct {
	CaseID                            int64
	Reference, Party, Scope, Schedule string
	DueOn                             calendar.Date
	Holds                             []string
}

// retentionTitles names the schedules for people.
var retentionTitles = map[foi.RetentionRecordType]string{
	foi.RetentionCaseFile:         "Case files",
	foi.RetentionCaseFileAppealed: "Case files after an ICO appeal",
	foi.RetentionRequesterDetails: "Requester details",
}

// retentionScopes names what a destruction removes, for people.
var retentionScopes = map[foi.RetentionScope]string{
	foi.DestroyCaseFile:         "Case file",
	foi.DestroyRequesterDetails: "Requester details",
}

// handleAdminRetention shows the retention page (GET /admin/retention).
func (s *Server) handleAdminRetention(c *gin.Context) {
	svc, ok := serviceFor(s, c, foi.ActionReadRetention, s.retention)
	if !ok {
		return
	}
	s.renderRetention(c, svc, NewForm(nil))
}

// handleAdminRetentionSchedule changes one schedule (POST /admin/retention/schedules/{type}), admins only.
func (s *Server) handleAdminRetentionSchedule(c *gin.Context) {
	svc, ok := serviceFor(s, c, foi.ActionManageRetention, s.retention)
	if !ok {
		return
	}
	t := foi.RetentionRecordType(c.Param("type"))
	if !t.Valid() {
		s.handleNotFound(c)
		return
	}
	f := postedForm(c)
	months, enabled := "months_"+string(t), "enabled_"+string(t)
	f.Alias("months", months)
	n, err := strconv.Atoi(f.Trim(months))
	if err != nil {
		f.AddError(months, "Enter the period as a whole number of months, like 36")
		s.renderRetention(c, svc, f)
		return
	}
	sc, err := svc.SetRetentionSchedule(c.Request.Context(), foi.RetentionSchedule{RecordType: t, Months: n,
		Enabled: f.Get(enabled) == "true"})
	if err != nil {
		s.retentionFailed(c, svc, f, err)
		return
	}
	state := "applies"
	if !sc.Enabled {
		state = "is off"
	}
	s.redirectFlash(c, "/admin/retention", fmt.Sprintf("%s: kept %d %s after %s; the schedule %s.",
		retentionTitles[sc.RecordType], sc.Months, plural(sc.Months, "month", "months"), sc.RecordType.Trigger(), state))
}

// handleAdminHoldPlace places a manual legal hold on a case, with reasons (POST /admin/retention/holds).
func (s *Server) handleAdminHoldPlace(c *gin.Context) {
	svc, ok := serviceFor(s, c, foi.ActionHoldCase, s.retention)
	if !ok {
		return
	}
	f := postedForm(c).Alias("reasons", "hold_reasons")
	id, err := strconv.ParseInt(f.Trim("case_id"), 10, 64)
	if err != nil || id <= 0 {
		f.AddError("case_id", "Enter the case's number, like 42")
	}
	if _, rerr := foi.CheckHoldReasons(f.Get("hold_reasons")); rerr != nil {
		f.Fail(rerr)
	}
	if len(f.Errors()) > 0 {
		s.renderRetention(c, svc, f)
		return
	}
	h, err := svc.PlaceLegalHold(c.Request.Context(), id, f.Get("hold_reasons"))
	if foi.ErrorCode(err) == foi.ENOTFOUND {
		f.AddError("case_id", fmt.Sprintf("There is no case %d", id))
		s.renderRetention(c, svc, f)
		return
	}
	if err != nil {
		s.retentionFailed(c, svc, f, err)
		return
	}
	s.redirectFlash(c, "/admin/retention", fmt.Sprintf("Legal hold %d placed on %s: nothing of it is destroyed until the hold is lifted.",
		h.ID, h.CaseReference))
}

// handleAdminHoldRelease lifts a legal hold, with reasons (POST /admin/retention/holds/{id}/release).
func (s *Server) handleAdminHoldRelease(c *gin.Context) {
	svc, ok := serviceFor(s, c, foi.ActionHoldCase, s.retention)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.handleNotFound(c)
		return
	}
	name := "release_reasons_" + strconv.FormatInt(id, 10)
	f := postedForm(c).Alias("reasons", name)
	h, err := svc.ReleaseLegalHold(c.Request.Context(), id, f.Get(name))
	if err != nil {
		s.retentionFailed(c, svc, f, err)
		return
	}
	s.redirectFlash(c, "/admin/retention", fmt.Sprintf("Legal hold %d on %s lifted.", h.ID, h.CaseReference))
}

// retentionFailed shows the page again with what is wrong when the error is the user's to fix, or the error page.
func (s *Server) retentionFailed(c *gin.Context, svc foi.RetentionService, f *Form, err error) {
	if f.Fail(err) {
		s.renderRetention(c, svc, f)
		return
	}
	s.htmlError(c, err)
}

// renderRetention shows the retention page with f's values over the stored ones.
func (s *Server) renderRetention(c *gin.Context, svc foi.RetentionService, f *Form) {
	ctx := c.Request.Context()
	schedules, err := svc.RetentionSchedules(ctx)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	holds, err := svc.LegalHolds(ctx)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	today := s.today()
	from := calendar.NewDate(today.Year(), today.Month()+1, 1)
	to := calendar.NewDate(from.Year(), from.Month()+1, 1).AddDays(-1)
	due, err := svc.RetentionDueBetween(ctx, from, to)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	tombstones, err := svc.Tombstones(ctx)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	manage := foi.Can(mustUser(c), foi.ActionManageRetention, foi.Scope{}) == nil
	data := &retentionPage{Form: f, Manage: manage,
		From: from, To: to, OnOff: []Option{{Value: "true", Label: "The schedule applies: destroy what falls due"}}}
	for _, sc := range schedules {
		data.Schedules = append(data.Schedules, scheduleView{Type: string(sc.RecordType),
			Title: retentionTitles[sc.RecordType], Trigger: sc.RecordType.Trigger(), Months: sc.Months,
			Enabled: sc.Enabled, UpdatedBy: sc.UpdatedBy, UpdatedAt: formatTime(sc.UpdatedAt, "")})
		if _, typed := f.Values["months_"+string(sc.RecordType)]; !typed {
			f.Set("months_"+string(sc.RecordType), strconv.Itoa(sc.Months))
			if sc.Enabled {
				f.Set("enabled_"+string(sc.RecordType), "true")
			}
		}
	}
	for _, h := range holds {
		data.Holds = append(data.Holds, holdView{ID: h.ID, CaseID: h.CaseID, CaseReference: h.CaseReference,
			Reasons: h.Reasons, PlacedBy: h.PlacedByLabel, When: formatTime(h.PlacedAt, "")})
	}
	for _, d := range due {
		data.Due = append(data.Due, dueView{CaseID: d.CaseID, Reference: d.Reference, Party: d.PartyCode,
			Scope: retentionScopes[d.Scope], Schedule: retentionTitles[d.Schedule], DueOn: d.DueOn, Holds: d.Holds})
	}
	data.Destroyed, data.Capped = tombstoneViews(tombstones)
	nav := "retention" // auditors and decision-makers reach the page from their own navigation item
	if manage {
		nav = "admin"
	}
	p := s.navPage(c, "Retention and legal holds", nav)
	p.Data = data
	s.renderForm(c, "admin_retention", p, f)
}

// maxTombstonesShown is how many destructions the retention page lists, newest first.
const maxTombstonesShown = 100

// tombstoneViews returns the newest destructions for the page (at most maxTombstonesShown) and whether
// older ones were left out (the whole list is GET /api/v1/retention/tombstones).
func tombstoneViews(ts []foi.Tombstone) ([]tombstoneView, bool) {
	capped := len(ts) > maxTombstonesShown
	if capped {
		ts = ts[:maxTombstonesShown]
	}
	var out []tombstoneView
	for _, t := range ts {
		schedule := fmt.Sprintf("%s (%d %s)", retentionTitles[t.Schedule], t.Months, plural(t.Months, "month", "months"))
		out = append(out, tombstoneView{CaseID: t.CaseID, Reference: t.CaseReference, Scope: retentionScopes[t.Scope],
			Schedule: schedule, When: formatTime(t.DestroyedAt, ""), By: t.DestroyedBy, Counted: destroyedCounts(t.Destroyed)})
	}
	return out, capped
}

// destroyedCounts returns what a destruction removed, counted, in a stable order: "2 documents, 1 requester".
func destroyedCounts(counts map[string]int64) string {
	kinds := slices.Sorted(maps.Keys(counts))
	var parts []string
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%d %s", counts[k], strings.ReplaceAll(k, "_", " ")))
	}
	if len(parts) == 0 {
		return "Nothing left to remove"
	}
	return strings.Join(parts, ", ")
}
