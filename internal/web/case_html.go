package web

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// casesPage is what the case list page shows.
type casesPage struct {
	Form      *Form
	Cases     []caseRowView
	Selected  []filterTag // the filters in force, each with a link that removes it
	Columns   []sortColumn
	NextPage  string
	FirstPage string // the first page, when this is a later one
	Statuses  []Option
	Regimes   []Option
	Assignee  []Option
	CanLog    bool // the user may log a new request
}

// filterTag is one filter in force on the case list: a heading, a label and the list without it.
type filterTag struct{ Heading, Label, Remove string }

// sortColumn is one column heading of the case list, with the link that sorts the whole list by it (Href "" for
// a column the list is not sorted by).
type sortColumn struct {
	Key, Label, Href string
	Sort             string // aria-sort: "ascending", "descending", "none", or "" for a column without sorting
}

type caseRowView struct {
	ID          int64
	Reference   string
	Subject     string
	Status      foi.Status
	StatusLabel string
	StatusClass string
	ReceivedOn  string
	DueOn       string
	Due         calendar.Date
	Overdue     bool
	Provisional bool
	Flagged     bool
}

// handleCaseIndex shows the party's queue with the filters in the query string (GET /cases): status,
// assignee ("me", "none" or a user id), due before (a date input, or due_before=YYYY-MM-DD), due_soon (the next
// 5 working days), overdue, open, regime and q (text search), in the MoJ filter layout; sort (due or received)
// and order (asc or desc) sort the whole list, page after page; cursor pages on.
func (s *Server) handleCaseIndex(c *gin.Context) {
	u := s.requireUser(c)
	if u == nil {
		return
	}
	ctx := c.Request.Context()
	q := c.Request.URL.Query()
	f := NewForm(cloneValues(q))
	// The date input's three fields become the API's due_before; due_soon becomes due_before too.
	if f.Trim("due_before-day")+f.Trim("due_before-month")+f.Trim("due_before-year") != "" {
		q.Del("due_before")
		if d := f.Date("due_before", "the due date", false); !d.IsZero() {
			q.Set("due_before", d.String())
		}
	} else if d, err := calendar.ParseDate(q.Get("due_before")); err == nil {
		f.SetDate("due_before", d)
	}
	if q.Get("due_soon") == "true" && q.Get("due_before") == "" {
		if d, err := s.workingDaysFromToday(ctx, foi.DueSoonWorkingDays); err == nil {
			q.Set("due_before", d.String())
			q.Set("open", "true")
		}
	}
	if q.Get("assignee") == "none" {
		q.Del("assignee")
		q.Set("unassigned", "true")
	}

	p := s.page(c, "Cases")
	p.Nav = "cases"
	data := &casesPage{Form: f, Statuses: statusOptions("Any status"), Regimes: regimeOptions(true),
		Assignee: s.assigneeOptions(ctx, "Anyone", true),
		CanLog:   foi.Can(u, foi.ActionCreateCase, foi.Scope{}) == nil}
	p.Data = data
	data.Selected = selectedFilters(q, data)

	var err error
	if f.OK() {
		c.Request.URL.RawQuery = q.Encode()
		var cf foi.CaseFilter
		if cf, err = caseFilterFromQuery(c); err == nil {
			var page foi.CasePage
			if page, err = s.cfg.Cases.FindCases(ctx, cf); err == nil {
				today := s.today()
				for _, cs := range page.Cases {
					data.Cases = append(data.Cases, caseRow(cs, today))
				}
				base := listQuery(c.Request.URL.Query())
				if page.NextCursor != "" {
					next := cloneValues(base)
					next.Set("cursor", page.NextCursor)
					data.NextPage = "/cases?" + next.Encode()
				}
				if base.Get("cursor") != "" {
					first := cloneValues(base)
					first.Del("cursor")
					data.FirstPage = "/cases?" + first.Encode()
				}
			}
		}
	}
	if err != nil && !f.Fail(err) {
		s.htmlError(c, err)
		return
	}
	data.Columns = sortColumns(listQuery(c.Request.URL.Query()), q.Get("sort"), q.Get("order"))
	s.renderForm(c, "cases", p, f)
}

// listQuery returns the query of the list as links should carry it: the API's filters, without the page's
// own date input fields (due_before then holds the date).
func listQuery(q url.Values) url.Values {
	out := cloneValues(q)
	for _, k := range []string{"due_before-day", "due_before-month", "due_before-year"} {
		out.Del(k)
	}
	for k, v := range out {
		if len(v) == 0 || v[0] == "" {
			out.Del(k)
		}
	}
	return out
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}

// selectedFilters returns the filters in force, each with the link that removes it.
func selectedFilters(q url.Values, data *casesPage) []filterTag {
	q = listQuery(q)
	q.Del("cursor")
	label := func(opts []Option, v string) string {
		for _, o := range opts {
			if o.Value == v {
				return o.Label
			}
		}
		return v
	}
	var out []filterTag
	add := func(heading, text string, keys ...string) {
		rest := cloneValues(q)
		for _, k := range keys {
			rest.Del(k)
		}
		out = append(out, filterTag{Heading: heading, Label: text, Remove: "/cases?" + rest.Encode()})
	}
	if v := q.Get("status"); v != "" {
		add("Status", label(data.Statuses, v), "status")
	}
	if v := q.Get("assignee"); v != "" {
		add("Assigned to", label(data.Assignee, v), "assignee")
	}
	if q.Get("unassigned") == "true" {
		add("Assigned to", "Nobody (team queue)", "unassigned")
	}
	if v := q.Get("regime"); v != "" {
		add("Regime", label(data.Regimes, v), "regime")
	}
	if d, err := calendar.ParseDate(q.Get("due_before")); err == nil {
		add("Due", "On or before "+govukDate(d), "due_before", "due_soon")
	} else if q.Get("due_soon") == "true" {
		add("Due", "In the next 5 working days", "due_soon")
	}
	if q.Get("overdue") == "true" {
		add("Due", "Overdue", "overdue")
	}
	if q.Get("open") == "true" {
		add("Status", "Open cases only", "open")
	}
	if v := strings.TrimSpace(q.Get("q")); v != "" {
		add("Search", "“"+v+"”", "q")
	}
	return out
}

// The columns of the case list. The list sorts, across its pages, by the date received and by the queue's own
// deadline order ("due"): orders an index gives, so that every page of many thousand cases is as quick.
var caseColumns = []struct {
	Key, Label string
	Sortable   bool
}{
	{"reference", "Reference", false}, {"subject", "Subject", false}, {"status", "Status", false},
	{"received", "Received", true}, {"due", "Due", true},
}

// sortColumns returns the column headings with links that sort the list by each sortable one (a second click
// reverses); by is the sort in force ("" is due) and order "asc" or "desc".
func sortColumns(q url.Values, by, order string) []sortColumn {
	if by == "" {
		by = "due"
	}
	var out []sortColumn
	for _, col := range caseColumns {
		sc := sortColumn{Key: col.Key, Label: col.Label}
		if !col.Sortable {
			out = append(out, sc)
			continue
		}
		next := "asc"
		sc.Sort = "none"
		if col.Key == by {
			sc.Sort, next = "ascending", "desc"
			if order == "desc" {
				sc.Sort, next = "descending", "asc"
			}
		}
		link := cloneValues(q)
		link.Del("cursor") // a new order starts at its first page
		link.Set("sort", col.Key)
		link.Set("order", next)
		sc.Href = "/cases?" + link.Encode()
		out = append(out, sc)
	}
	return out
}

// workingDaysFromToday returns the date n working days after today in London, by the calendar in force.
func (s *Server) workingDaysFromToday(ctx context.Context, n int) (calendar.Date, error) {
	cal := calendar.Default()
	if src, ok := s.cfg.Cases.(interface {
		Calendar(context.Context) (*calendar.Calendar, error)
	}); ok {
		if c, err := src.Calendar(ctx); err == nil {
			cal = c
		}
	}
	return cal.AddWorkingDays(s.today(), n)
}

// caseWorkerService lists the people a case may be assigned to (the store implements it).
type caseWorkerService interface {
	CaseWorkers(ctx context.Context) ([]foi.User, error)
}

// assigneeOptions returns the choices of an assignee select: first (e.g. "Anyone") with the value "", then
// "Me", "Nobody" when withNobody, and the party's officers and decision-makers by name.
func (s *Server) assigneeOptions(ctx context.Context, first string, withNobody bool) []Option {
	out := []Option{{Value: "", Label: first}, {Value: "me", Label: "Me"}}
	if withNobody {
		out = append(out, Option{Value: "none", Label: "Nobody (team queue)"})
	}
	if svc, ok := s.cfg.Cases.(caseWorkerService); ok {
		users, err := svc.CaseWorkers(ctx)
		if err == nil {
			for _, u := range users {
				out = append(out, Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name})
			}
		}
	}
	return out
}

// statusOptions returns every status as options, after one with the value "" labelled first.
func statusOptions(first string) []Option {
	out := []Option{{Value: "", Label: first}}
	for _, st := range foi.Statuses {
		out = append(out, Option{Value: string(st), Label: st.Label()})
	}
	return out
}

// regimeOptions returns the regimes as options, after "Any regime" when withAny.
func regimeOptions(withAny bool) []Option {
	var out []Option
	if withAny {
		out = append(out, Option{Value: "", Label: "Any regime"})
	}
	return append(out, Option{Value: string(calendar.RegimeFOIA), Label: "Freedom of Information Act (FOIA)"},
		Option{Value: string(calendar.RegimeEIR), Label: "Environmental Information Regulations (EIR)"})
}

func caseRow(cs foi.CaseSummary, today calendar.Date) caseRowView {
	v := caseRowView{ID: cs.ID, Reference: cs.Reference, Subject: cs.Subject, Status: cs.Status,
		StatusLabel: cs.Status.Label(), StatusClass: statusTagClass(cs.Status), Provisional: cs.Provisional,
		Flagged: cs.DeadlineFlag != "", Due: cs.DueOn, ReceivedOn: govukDate(cs.ReceivedOn)}
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
