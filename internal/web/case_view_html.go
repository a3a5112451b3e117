package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// casePageData is what the case page shows.
type casePageData struct {
	Case          *foi.Case
	StatusLabel   string
	StatusClass   string
	DueOn         string
	Statutory     string
	ReceivedOn    string
	ReceivedTime  string // "4:30pm" in London; "" for a request logged with its date only
	Overdue       bool
	Trace         []traceStep
	Events        []eventView
	Assignee      string
	Documents     []documentView
	Consultations []consultationView
	Blockers      []foi.Blocker
	Disputes      []caseDisputeView // disputes about the consultations (the MoU ladder), when the service runs them
	Response      *foi.Response
	Review        *foi.InternalReview
	Appeal        *foi.ICOAppeal
	History       []historyView
	Holds         []caseHoldView // active manual legal holds (case_hold_html.go)
	Actions       []actionGroup
	CanWork       bool
	CanDecide     bool
}

type eventView struct{ Label, On, Until, Note string }

// documentView is one version of a document as the case page lists it.
type documentView struct {
	ID                         int64
	Name, Type, Size, Uploaded string
	Version                    int64
	Href                       string
}

// consultationView is one consultation as the case page lists it.
type consultationView struct {
	ID                int64
	Party             string
	Status            string
	StatusClass       string
	RespondBy         string
	Representations   int
	Resolved          bool
	Href              string
	AssetCodes        []string
	ConsiderationNote string
}

// caseDisputeView is one dispute as the case page lists it.
type caseDisputeView struct {
	ID                              int64
	Party, Stage, StepEnds, Warning string
}

// historyView is one entry of the case's timeline (MoJ timeline).
type historyView struct {
	Title, By, Description string
	At                     time.Time
}

// actionGroup is a titled list of links to the case's forms.
type actionGroup struct {
	Title string
	Links []actionLink
}

type actionLink struct{ Href, Label string }

// caseHistoryService gives a case's timeline (the store implements it).
type caseHistoryService interface {
	CaseHistory(ctx context.Context, id int64) ([]foi.AuditEvent, error)
}

// caseIDParam reads the case id of a /cases/{id}/... page; ENOTFOUND when it is not one.
func caseIDParam(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, foi.Errorf(foi.ENOTFOUND, "There is no such case.")
	}
	return id, nil
}

// handleCaseView shows one case (GET /cases/{id}): summary, deadline with its explanation, clock events,
// assets, documents, consultations and what blocks disclosure, the response, internal review and ICO appeal,
// the history as a timeline, and links to every form the user may use on it. Each read is audited by the
// service.
func (s *Server) handleCaseView(c *gin.Context) {
	u := s.requireUser(c)
	if u == nil {
		return
	}
	id, err := caseIDParam(c)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	ctx := c.Request.Context()
	cs, err := s.cfg.Cases.FindCaseByID(ctx, id)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	data, err := s.casePage(ctx, u, cs)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	p := s.page(c, cs.Reference)
	p.Nav = "cases"
	p.Data = data
	s.pages.HTML(c, http.StatusOK, "case", p)
}

// casePage gathers everything the case page shows.
func (s *Server) casePage(ctx context.Context, u *foi.User, cs *foi.Case) (*casePageData, error) {
	scope := foi.Scope{OwnerPartyID: cs.PartyID}
	today := s.today()
	d := &casePageData{Case: cs, StatusLabel: cs.Status.Label(), StatusClass: statusTagClass(cs.Status),
		DueOn: govukDate(cs.DueOn), Statutory: govukDate(cs.StatutoryDueOn), ReceivedOn: govukDate(cs.ReceivedOn),
		ReceivedTime: receivedTime(cs.ReceivedAt), Overdue: cs.Status.Open() && !cs.DueOn.IsZero() && cs.DueOn.Before(today),
		CanWork: foi.Can(u, foi.ActionWorkCase, scope) == nil, CanDecide: foi.Can(u, foi.ActionDecideCase, scope) == nil}
	if dl, err := s.cfg.Cases.CaseDeadline(ctx, cs.ID); err == nil {
		for _, st := range dl.Trace {
			d.Trace = append(d.Trace, traceStep{Date: govukDate(st.Date), Kind: st.Kind, Text: st.Text})
		}
	}
	for _, e := range cs.Events {
		d.Events = append(d.Events, eventView{Label: e.Kind.Label(), On: govukDate(e.On), Until: govukDate(e.Until), Note: e.Note})
	}
	names := s.userNames(ctx)
	if cs.AssigneeID != 0 {
		d.Assignee = names(cs.AssigneeID)
	}
	if ds, err := s.documents(); err == nil {
		docs, err := ds.ListDocuments(ctx, cs.ID)
		if err != nil {
			return nil, err
		}
		for _, doc := range docs {
			d.Documents = append(d.Documents, documentView{ID: doc.ID, Name: doc.Name, Version: doc.Version,
				Type: doc.ContentType, Size: humanSize(doc.Size), Uploaded: formatTime(doc.UploadedAt, ""),
				Href: fmt.Sprintf("/cases/%d/documents/%d", cs.ID, doc.ID)})
		}
	}
	if svc, err := s.consultations(); err == nil {
		res, err := svc.CaseConsultations(ctx, cs.ID)
		if err != nil {
			return nil, err
		}
		d.Blockers = res.Blockers
		for _, k := range res.Consultations {
			v := consultationView{ID: k.ID, Party: k.ConsultedPartyCode, Status: k.Status.Label(),
				StatusClass: consultationTagClass(k.Status), RespondBy: govukDate(k.RespondBy),
				Representations: len(k.Representations), Resolved: k.Status.Resolved(),
				Href: fmt.Sprintf("/consultations/%d", k.ID), AssetCodes: k.AssetCodes}
			switch {
			case k.Consideration != nil:
				v.ConsiderationNote = "Considered: " + k.Consideration.Reasons
			case k.WaiverReasons != "":
				v.ConsiderationNote = "Waived: " + k.WaiverReasons
			case k.ClosureReasons != "":
				v.ConsiderationNote = "Closed without representations: " + k.ClosureReasons
			}
			d.Consultations = append(d.Consultations, v)
		}
	}
	if svc, err := s.disputes(); err == nil {
		rs, err := svc.CaseDisputes(ctx, cs.ID)
		if err != nil {
			return nil, err
		}
		for _, x := range toDisputeList(rs) {
			v := caseDisputeView{ID: x.ID, Party: x.ConsultedParty, Stage: x.StageLabel, Warning: x.Warning}
			if x.StepEndsOn != nil && x.ResolvedOn == nil {
				if d, err := calendar.ParseDate(*x.StepEndsOn); err == nil {
					v.StepEnds = govukDate(d)
				}
			}
			d.Disputes = append(d.Disputes, v)
		}
	}
	if rs, err := s.responses(); err == nil {
		if r, err := rs.FindResponse(ctx, cs.ID); err == nil {
			d.Response = r
		} else if foi.ErrorCode(err) != foi.ENOTFOUND {
			return nil, err
		}
		if r, err := rs.FindInternalReview(ctx, cs.ID); err == nil {
			d.Review = &r
		} else if foi.ErrorCode(err) != foi.ENOTFOUND {
			return nil, err
		}
		if a, err := rs.FindICOAppeal(ctx, cs.ID); err == nil {
			d.Appeal = &a
		} else if foi.ErrorCode(err) != foi.ENOTFOUND {
			return nil, err
		}
	}
	if hs, ok := s.cfg.Cases.(caseHistoryService); ok {
		events, err := hs.CaseHistory(ctx, cs.ID)
		if err != nil {
			return nil, err
		}
		for _, e := range events {
			d.History = append(d.History, historyEntry(e, names))
		}
	}
	holds, err := s.caseHolds(ctx, cs, d.CanWork)
	if err != nil {
		return nil, err
	}
	d.Holds = holds
	d.Actions = caseActionLinks(cs, d)
	return d, nil
}

// receivedTime returns the London time of day a request arrived ("4:30pm"), or "" when it was logged with its
// date only (stored as midnight UTC).
func receivedTime(at time.Time) string {
	if u := at.UTC(); u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 {
		return ""
	}
	s := formatTime(at, "")
	if i := strings.Index(s, " at "); i >= 0 {
		return s[i+4:]
	}
	return ""
}

// userName returns the name of a user of the caller's party, or "user N" when the list does not have them.
func (s *Server) userName(ctx context.Context, id int64) string { return s.userNames(ctx)(id) }

// userNames returns a function that names the caller's party's case workers by id ("user N" for others).
func (s *Server) userNames(ctx context.Context) func(int64) string {
	names := map[int64]string{}
	if svc, ok := s.cfg.Cases.(caseWorkerService); ok {
		if users, err := svc.CaseWorkers(ctx); err == nil {
			for _, u := range users {
				names[u.ID] = u.Name
			}
		}
	}
	return func(id int64) string {
		if n, ok := names[id]; ok {
			return n
		}
		return "user " + strconv.FormatInt(id, 10)
	}
}

// caseActionLinks returns the forms the case page links to, grouped, as the case's status and the user's role
// allow. The services have the last word: a form whose move the case's state forbids says so when posted.
func caseActionLinks(cs *foi.Case, d *casePageData) []actionGroup {
	if !d.CanWork {
		return nil
	}
	base := fmt.Sprintf("/cases/%d/", cs.ID)
	link := func(path, label string) actionLink { return actionLink{Href: base + path, Label: label} }
	var groups []actionGroup
	open := cs.Status.Open()
	if open {
		work := actionGroup{Title: "Work on the case", Links: []actionLink{link("assign", "Assign the case"),
			link("edit", "Change the subject, request or assets")}}
		if len(allowedManual(cs.Status)) > 0 {
			work.Links = append(work.Links, link("status", "Change the status (in progress, withdrawn, lapsed)"))
		}
		groups = append(groups, work)
		clock := actionGroup{Title: "Clock events"}
		if cs.Status == foi.StatusAwaitingClarification {
			clock.Links = append(clock.Links, link("clarification-received", "Record the clarification received"))
		} else {
			clock.Links = append(clock.Links, link("clarification-sought", "Record that clarification was sought"))
		}
		if cs.Status == foi.StatusOnHoldFee {
			clock.Links = append(clock.Links, link("fee-paid", "Record the fee paid"))
		} else {
			clock.Links = append(clock.Links, link("fee-notice", "Record a fee notice"))
		}
		if cs.Regime == calendar.RegimeEIR {
			clock.Links = append(clock.Links, link("eir-extension", "Extend for a complex and voluminous request (EIR reg 7)"))
		} else {
			clock.Links = append(clock.Links, link("pit-extension", "Extend to consider the public interest (FOIA s.10(3))"))
		}
		groups = append(groups, clock)
	} else if len(allowedManual(cs.Status)) > 0 {
		groups = append(groups, actionGroup{Title: "Work on the case", Links: []actionLink{link("status", "Close the case")}})
	}
	resp := actionGroup{Title: "Response"}
	if open && cs.Status != foi.StatusPendingApproval {
		resp.Links = append(resp.Links, link("response", "Record the response"))
	}
	if cs.Status == foi.StatusPendingApproval && d.CanDecide {
		resp.Links = append(resp.Links, link("response/approve", "Approve the response"), link("response/return", "Return the response"))
	}
	resp.Links = append(resp.Links, link("letters", "Letters"), link("documents", "Upload a document"))
	groups = append(groups, resp)
	groups = append(groups, actionGroup{Title: "Records", Links: []actionLink{link("legal-hold", "Place a legal hold"),
		{Href: fmt.Sprintf("/incidents/new?case=%d", cs.ID), Label: "Report an incident about this case"}}})
	if cs.Status == foi.StatusResponded || cs.Status == foi.StatusClosed {
		after := actionGroup{Title: "Review and appeal"}
		switch {
		case d.Review == nil:
			after.Links = append(after.Links, link("internal-review", "Record a request for internal review"))
		case d.Review.Outcome == "" && d.CanDecide:
			after.Links = append(after.Links, link("internal-review/decision", "Record the internal review decision"))
		}
		switch {
		case d.Appeal == nil:
			after.Links = append(after.Links, link("ico-appeal", "Record a complaint to the ICO"))
		case d.Appeal.Outcome == "":
			after.Links = append(after.Links, link("ico-appeal/decision", "Record the ICO decision"))
		}
		if len(after.Links) > 0 {
			groups = append(groups, after)
		}
	}
	return groups
}

// consultationTagClass returns the GOV.UK tag colour for a consultation's status.
func consultationTagClass(s foi.ConsultationStatus) string {
	switch s {
	case foi.ConsultationDraft:
		return "govuk-tag--grey"
	case foi.ConsultationSent:
		return "govuk-tag--purple"
	case foi.ConsultationRepresentationsReceived:
		return "govuk-tag--orange"
	}
	return "govuk-tag--green"
}

// historyTitles names the audited changes of a case for its timeline.
var historyTitles = map[string]string{
	"case.create":                  "Request logged",
	"case.import":                  "Imported from the FOI log",
	"case.update":                  "Details changed",
	"case.transition":              "Status changed",
	"case.clock_event":             "Clock event recorded",
	"case.deadline.recomputed":     "Deadline recomputed",
	"response.draft":               "Response drafted",
	"response.approve":             "Response approved",
	"response.return":              "Response returned",
	"case.internal_review.request": "Internal review requested",
	"case.internal_review.decide":  "Internal review decided",
	"case.ico_appeal.record":       "Complaint to the ICO recorded",
	"case.ico_appeal.decide":       "ICO decision recorded",
}

// historyEntry turns an audit event into a timeline entry: a title, who, when and what changed in words;
// nameOf names a user by id.
func historyEntry(e foi.AuditEvent, nameOf func(int64) string) historyView {
	h := historyView{Title: historyTitles[e.Action], By: e.ActorLabel, At: e.At}
	if h.Title == "" {
		h.Title = e.Action
	}
	var detail map[string]any
	if e.Detail != "" && json.Unmarshal([]byte(e.Detail), &detail) == nil {
		str := func(k string) string { v, _ := detail[k].(string); return v }
		switch e.Action {
		case "case.transition":
			h.Description = foi.Status(str("from")).Label() + " to " + foi.Status(str("to")).Label()
			if n := str("note"); n != "" {
				h.Description += ": " + n
			}
		case "case.clock_event":
			h.Description = foi.ClockEventKind(str("kind")).Label()
			if d, err := calendar.ParseDate(str("on")); err == nil {
				h.Description += " on " + govukDate(d)
			}
		case "case.create":
			h.Description = str("reference")
		case "case.update":
			var parts []string
			if v := str("subject"); v != "" {
				parts = append(parts, "Subject: "+v)
			}
			if detail["request_text_changed"] == true {
				parts = append(parts, "Request text changed")
			}
			if v, ok := detail["assignee_id"].(float64); ok {
				if v == 0 {
					parts = append(parts, "Moved to the team queue")
				} else {
					parts = append(parts, "Assigned to "+nameOf(int64(v)))
				}
			}
			if v, ok := detail["assets_confirmed"].([]any); ok {
				var codes []string
				for _, c := range v {
					if s, ok := c.(string); ok {
						codes = append(codes, s)
					}
				}
				parts = append(parts, "Information assets: "+strings.Join(codes, ", "))
			}
			h.Description = strings.Join(parts, ". ")
		case "response.draft", "response.approve":
			if o := str("outcome"); o != "" {
				h.Description = foi.Outcome(o).Label()
			}
		case "response.return":
			h.Description = str("reason")
		case "case.internal_review.decide", "case.ico_appeal.decide":
			h.Description = humanize(str("outcome"))
		case "case.deadline.recomputed":
			from, _ := calendar.ParseDate(str("from"))
			to, _ := calendar.ParseDate(str("to"))
			if !from.IsZero() && !to.IsZero() {
				h.Description = "From " + govukDate(from) + " to " + govukDate(to)
			}
		}
	}
	return h
}

// humanize turns a code like "upheld_in_part" into words: "Upheld in part".
func humanize(code string) string {
	if code == "" {
		return ""
	}
	b := []byte(code)
	for i, c := range b {
		if c == '_' || c == '-' {
			b[i] = ' '
		}
	}
	if b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
	return string(b)
}

// humanSize writes a byte count for people: "512 bytes", "14 KB", "2.5 MB".
func humanSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d bytes", n)
	case n < 1024*1024:
		return fmt.Sprintf("%d KB", (n+512)/1024)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
	}
}

func init() {
	// humanizeCode writes a code for people: {{humanizeCode "upheld_in_part"}} is "Upheld in part".
	templateFuncs["humanizeCode"] = humanize
}
