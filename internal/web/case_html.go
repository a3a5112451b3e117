package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// casesPage is what the case list page shows.
type casesPage struct {
	Filter   url.Values
	Cases    []caseRowView
	NextPage string
	Statuses []statusOption
}

type caseRowView struct {
	ID          int64
	Reference   string
	Subject     string
	Status      foi.Status
	StatusLabel string
	StatusClass string
	DueOn       string
	Overdue     bool
	Provisional bool
	Flagged     bool
}

type statusOption struct {
	Value, Label string
	Selected     bool
}

// handleCaseIndex shows the party's queue with the filters in the query string (GET /cases).
func (s *Server) handleCaseIndex(c *gin.Context) {
	if s.requireUser(c) == nil {
		return
	}
	p := s.page(c, "Cases")
	p.Nav = "cases"
	data := casesPage{Filter: c.Request.URL.Query()}
	for _, st := range foi.Statuses {
		data.Statuses = append(data.Statuses, statusOption{Value: string(st), Label: st.Label(), Selected: c.Query("status") == string(st)})
	}
	p.Data = &data
	f, err := caseFilterFromQuery(c)
	if err == nil {
		var page foi.CasePage
		page, err = s.cfg.Cases.FindCases(c.Request.Context(), f)
		if err == nil {
			today := calendar.LondonDate(timeNow())
			for _, cs := range page.Cases {
				data.Cases = append(data.Cases, caseRow(cs, today))
			}
			if page.NextCursor != "" {
				q := c.Request.URL.Query()
				q.Set("cursor", page.NextCursor)
				data.NextPage = "/cases?" + q.Encode()
			}
		}
	}
	switch foi.ErrorCode(err) {
	case "":
		s.pages.HTML(c, http.StatusOK, "cases", p)
	case foi.EINVALID:
		p.Errors = pageErrors(err)
		s.pages.HTML(c, http.StatusUnprocessableEntity, "cases", p)
	default:
		s.htmlError(c, err)
	}
}

func caseRow(cs foi.CaseSummary, today calendar.Date) caseRowView {
	v := caseRowView{ID: cs.ID, Reference: cs.Reference, Subject: cs.Subject, Status: cs.Status,
		StatusLabel: cs.Status.Label(), StatusClass: statusTagClass(cs.Status), Provisional: cs.Provisional,
		Flagged: cs.DeadlineFlag != ""}
	if !cs.DueOn.IsZero() {
		v.DueOn = govukDate(cs.DueOn)
		v.Overdue = cs.Status.Open() && cs.DueOn.Before(today)
	} else if cs.Status.Open() {
		v.DueOn = "Clock stopped"
	}
	return v
}

// statusTagClass returns the GOV.UK tag colour for a status.
func statusTagClass(s foi.Status) string {
	switch s {
	case foi.StatusReceived:
		return "govuk-tag--blue"
	case foi.StatusAwaitingClarification, foi.StatusOnHoldFee:
		return "govuk-tag--yellow"
	case foi.StatusInProgress:
		return "govuk-tag--light-blue"
	case foi.StatusAwaitingRepresentations:
		return "govuk-tag--purple"
	case foi.StatusPendingApproval:
		return "govuk-tag--orange"
	case foi.StatusResponded:
		return "govuk-tag--green"
	}
	return "govuk-tag--grey"
}

// govukDate writes a date the GOV.UK way: "23 March 2026".
func govukDate(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format("2 January 2006")
}

// pageErrors turns a domain error's fields into the error summary's entries.
func pageErrors(err error) []FieldError {
	var out []FieldError
	for _, f := range foi.ErrorFields(err) {
		out = append(out, FieldError{Field: f.Field, Message: f.Message})
	}
	if len(out) == 0 {
		out = append(out, FieldError{Message: foi.ErrorMessage(err)})
	}
	return out
}

// casePageData is what the case page shows.
type casePageData struct {
	Case        *foi.Case
	StatusLabel string
	StatusClass string
	DueOn       string
	Statutory   string
	ReceivedOn  string
	Trace       []traceStep
	Events      []eventView
	Assignee    string
}

type eventView struct{ Label, On, Until, Note string }

// handleCaseView shows one case: its summary, deadline with the explanation, clock events and assets
// (GET /cases/{id}). The view is audited by the service.
func (s *Server) handleCaseView(c *gin.Context) {
	if s.requireUser(c) == nil {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "no such case"))
		return
	}
	ctx := c.Request.Context()
	cs, err := s.cfg.Cases.FindCaseByID(ctx, id)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	data := &casePageData{Case: cs, StatusLabel: cs.Status.Label(), StatusClass: statusTagClass(cs.Status),
		DueOn: govukDate(cs.DueOn), Statutory: govukDate(cs.StatutoryDueOn), ReceivedOn: govukDate(cs.ReceivedOn)}
	if dl, err := s.cfg.Cases.CaseDeadline(ctx, id); err == nil {
		for _, st := range dl.Trace {
			data.Trace = append(data.Trace, traceStep{Date: govukDate(st.Date), Kind: st.Kind, Text: st.Text})
		}
	}
	for _, e := range cs.Events {
		data.Events = append(data.Events, eventView{Label: e.Kind.Label(), On: govukDate(e.On), Until: govukDate(e.Until), Note: e.Note})
	}
	p := s.page(c, cs.Reference)
	p.Nav = "cases"
	p.Data = data
	s.pages.HTML(c, http.StatusOK, "case", p)
}

// timeNow is the wall clock for page rendering only (whether a due date has passed); every rule that
// changes data takes its time from the store.
var timeNow = time.Now
