package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The incident forms (MoU 4.5): report an incident (GET/POST /incidents/new), and on an open incident add an
// action (/incidents/{id}/actions), record the ICO notification decision (/incidents/{id}/ico-decision) and
// close it (/incidents/{id}/close). Each is post/redirect/get with the GOV.UK error summary; a role that may
// not act gets the 404 page.

// incidentReportPage is what GET /incidents/new shows: the report form and its choices.
type incidentReportPage struct {
	Form             *Form
	Kinds            []Option
	Affected         []Option // the other parties
	Assets           []Option // "" (none) first
	ReportingParties []Option // for an admin without a party, who must name it; nil otherwise
	About            string   // the case or consultation the incident is about, "" for none
}

// incidentFormPage is what an incident's step form shows: the incident with its clocks and the form.
type incidentFormPage struct {
	Incident  foi.Incident
	Reference string
	Form      *Form
	Step      string // the form's path under /incidents/{id}/: "actions", "ico-decision" or "close"
}

// canReportIncident reports whether u may report an incident: officers and decision-makers of a party, admins.
func canReportIncident(u *foi.User) bool {
	return foi.Can(u, foi.ActionRecordIncident, foi.Scope{OwnerPartyID: u.PartyID}) == nil
}

// handleIncidentNew shows the report form (GET /incidents/new); the 404 page for whoever may not report.
func (s *Server) handleIncidentNew(c *gin.Context) {
	u := s.requireUser(c)
	if u == nil {
		return
	}
	if !canReportIncident(u) {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "no such page"))
		return
	}
	f := NewForm(nil)
	f.Set("case_id", c.Query("case"))
	f.Set("consultation_id", c.Query("consultation"))
	s.renderIncidentReport(c, u, f)
}

// handleIncidentReport reports the incident (POST /incidents/new): the affected parties' security-incidents
// contacts are told at once, and the browser goes to the incident with a banner saying who was told.
func (s *Server) handleIncidentReport(c *gin.Context) {
	u := s.requireUser(c)
	if u == nil {
		return
	}
	svc, err := s.incidents()
	if err != nil || !canReportIncident(u) {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "no such page"))
		return
	}
	f := postedForm(c)
	in := foi.NewIncident{Kind: foi.IncidentKind(f.Trim("kind")), Description: f.Get("description"),
		ReportingParty: f.Trim("reporting_party"), AffectedParties: f.All("affected_parties"), AssetCode: f.Trim("asset")}
	in.CaseID, _ = strconv.ParseInt(f.Trim("case_id"), 10, 64)
	in.ConsultationID, _ = strconv.ParseInt(f.Trim("consultation_id"), 10, 64)
	in.AwareAt = instantAt(f, "aware_at", "the date you became aware", true)
	if !f.OK() {
		// List the domain's verdict on the other fields too, so every problem shows at once.
		check := in
		check.AwareAt = s.now().Format(time.RFC3339)
		if _, err := check.Validate(s.now()); err != nil {
			f.Fail(err)
		}
		s.renderIncidentReport(c, u, f)
		return
	}
	res, err := svc.ReportIncident(c.Request.Context(), in)
	if err != nil {
		if f.Fail(err) {
			s.renderIncidentReport(c, u, f)
			return
		}
		s.htmlError(c, err)
		return
	}
	msg := "Incident " + foi.IncidentReference(res.Incident.ID) + " reported."
	if len(res.Unnotified) > 0 {
		msg += " Nobody could be told at: " + strings.Join(res.Unnotified, "; ") + "."
	}
	s.redirectFlash(c, fmt.Sprintf("/incidents/%d", res.Incident.ID), msg)
}

// renderIncidentReport shows the report form with the kinds, the parties and the information assets to choose.
func (s *Server) renderIncidentReport(c *gin.Context, u *foi.User, f *Form) {
	reg, err := s.cfg.Registers.Registers(c.Request.Context())
	if err != nil {
		s.htmlError(c, err)
		return
	}
	about, err := s.incidentAbout(c, f)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	data := &incidentReportPage{Form: f, Assets: []Option{{Value: "", Label: "None"}}, About: about}
	for _, k := range foi.IncidentKinds {
		data.Kinds = append(data.Kinds, Option{Value: string(k), Label: k.Label()})
	}
	for _, p := range reg.Parties {
		if p.ID != u.PartyID {
			data.Affected = append(data.Affected, Option{Value: p.Code, Label: p.Name + " (" + p.Code + ")"})
		}
		if u.PartyID == 0 {
			data.ReportingParties = append(data.ReportingParties, Option{Value: p.Code, Label: p.Name + " (" + p.Code + ")"})
		}
	}
	for _, a := range reg.Assets {
		data.Assets = append(data.Assets, Option{Value: a.Code, Label: a.Name + " (" + a.Code + ")"})
	}
	s.renderFormPage(c, "incident_new", "Report an incident", "incidents", data, f)
}

// incidentAbout names the case or consultation (case_id, consultation_id on the form; from the links on the case
// and consultation pages) an incident report is about, reading it as the user: ENOTFOUND for one the user may
// not see, so the form never names another party's record.
func (s *Server) incidentAbout(c *gin.Context, f *Form) (string, error) {
	ctx := c.Request.Context()
	if id, err := strconv.ParseInt(f.Trim("consultation_id"), 10, 64); err == nil && id > 0 {
		svc, err := s.consultations()
		if err != nil {
			return "", err
		}
		k, err := svc.FindConsultation(ctx, id)
		if err != nil {
			return "", err
		}
		f.Set("case_id", "")
		return fmt.Sprintf("Consultation %d: %s consulted by %s", k.ID, k.ConsultedPartyCode, k.OwnerPartyCode), nil
	}
	f.Set("consultation_id", "")
	if id, err := strconv.ParseInt(f.Trim("case_id"), 10, 64); err == nil && id > 0 {
		cs, err := s.cfg.Cases.FindCaseByID(ctx, id)
		if err != nil {
			return "", err
		}
		return "Case " + cs.Reference, nil
	}
	f.Set("case_id", "")
	return "", nil
}

// renderFormPage renders the form page name with its title, navigation key and data (see renderForm).
func (s *Server) renderFormPage(c *gin.Context, name, title, nav string, data any, f *Form) {
	p := s.page(c, title)
	p.Nav = nav
	p.Data = data
	s.renderForm(c, name, p, f)
}

// incidentStepForm is one form on an open incident.
type incidentStepForm struct {
	path, title, done string
	action            foi.Action
	fill              func(in *foi.Incident, f *Form) // what the GET form starts with
	take              func(svc foi.IncidentService, c *gin.Context, v *incidentFormPage) error
}

var (
	incidentActionStep = incidentStepForm{path: "actions", title: "Add an action", done: "Action recorded.",
		action: foi.ActionRecordIncident,
		take: func(svc foi.IncidentService, c *gin.Context, v *incidentFormPage) error {
			_, err := svc.RecordIncidentAction(c.Request.Context(), v.Incident.ID, v.Form.Get("note"))
			return err
		}}
	incidentICOStep = incidentStepForm{path: "ico-decision", title: "Record the ICO decision",
		done: "ICO notification decision recorded.", action: foi.ActionDecideIncident,
		fill: func(in *foi.Incident, f *Form) {
			if in.ICODecision != "" {
				f.Set("decision", string(in.ICODecision))
				f.Set("reasons", in.ICOReasons)
			}
			if t := in.ICONotifiedAt; t != nil {
				f.SetDate("notified_at", calendar.LondonDate(*t))
				f.Set("notified_at_time", t.In(London).Format("15:04"))
			}
		},
		take: func(svc foi.IncidentService, c *gin.Context, v *incidentFormPage) error {
			f := v.Form
			in := foi.ICODecisionInput{Decision: foi.ICODecision(f.Trim("decision")), Reasons: f.Get("reasons")}
			in.NotifiedAt = instantAt(f, "notified_at", "the date the ICO was told", false)
			if !f.OK() {
				// List the domain's verdict on the other fields too, so every problem shows at once.
				check := v.Incident
				return check.DecideICO(foi.ICODecisionInput{Decision: in.Decision, Reasons: in.Reasons}, check.AwareAt)
			}
			_, err := svc.DecideICONotification(c.Request.Context(), v.Incident.ID, in)
			return err
		}}
	incidentCloseStep = incidentStepForm{path: "close", title: "Close the incident", done: "Incident closed.",
		action: foi.ActionRecordIncident,
		take: func(svc foi.IncidentService, c *gin.Context, v *incidentFormPage) error {
			_, err := svc.CloseIncident(c.Request.Context(), v.Incident.ID, v.Form.Get("summary"))
			return err
		}}
)

// loadIncidentStep reads the incident of the :id path parameter for a step, or shows the 404 or error page and
// returns nil: the 404 also when the incident is closed or the user may not take the step.
func (s *Server) loadIncidentStep(c *gin.Context, step incidentStepForm) (foi.IncidentService, *incidentFormPage) {
	u, svc, in := s.loadIncident(c)
	if svc == nil {
		return nil, nil
	}
	if in.Status != foi.IncidentOpen || canOnIncident(u, step.action, &in) != nil {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "step not allowed"))
		return nil, nil
	}
	return svc, &incidentFormPage{Incident: in, Reference: foi.IncidentReference(in.ID), Form: NewForm(nil), Step: step.path}
}

// canOnIncident returns nil when u may take action on the incident.
func canOnIncident(u *foi.User, action foi.Action, in *foi.Incident) error {
	return foi.CanIncident(foi.Actor{User: u}, action, in.PartyID, in.AffectedIDs())
}

// showIncidentStep returns the GET handler of a step's form.
func (s *Server) showIncidentStep(step incidentStepForm) gin.HandlerFunc {
	return func(c *gin.Context) {
		_, v := s.loadIncidentStep(c, step)
		if v == nil {
			return
		}
		if step.fill != nil {
			step.fill(&v.Incident, v.Form)
		}
		s.renderIncidentStep(c, step, v)
	}
}

// postIncidentStep returns the POST handler of a step's form: it takes the step and goes back to the incident
// with a banner, or shows the form again with the error summary and what was typed.
func (s *Server) postIncidentStep(step incidentStepForm) gin.HandlerFunc {
	return func(c *gin.Context) {
		svc, v := s.loadIncidentStep(c, step)
		if v == nil {
			return
		}
		v.Form = postedForm(c)
		err := step.take(svc, c, v)
		if err == nil && v.Form.OK() {
			s.redirectFlash(c, fmt.Sprintf("/incidents/%d", v.Incident.ID), step.done)
			return
		}
		if err != nil && !v.Form.Fail(err) {
			s.htmlError(c, err)
			return
		}
		s.renderIncidentStep(c, step, v)
	}
}

func (s *Server) renderIncidentStep(c *gin.Context, step incidentStepForm, v *incidentFormPage) {
	s.renderFormPage(c, "incident_form", step.title, "incidents", v, v.Form)
}

// instantAt reads the date input name with the time input name+"_time" as an instant in RFC 3339 (the time
// is London's), recording errors on the form; label names the date in messages ("the date you became aware").
// It returns "" when both are empty and not required, or when either is wrong.
func instantAt(f *Form, name, label string, required bool) string {
	timeID := name + "_time"
	typed := f.Trim(timeID) != "" || f.Trim(name+"-day") != "" || f.Trim(name+"-month") != "" || f.Trim(name+"-year") != ""
	d := f.Date(name, label, required || typed)
	t := strings.ToLower(strings.ReplaceAll(f.Trim(timeID), " ", ""))
	if t == "" && (required || typed) {
		f.AddError(timeID, "Enter the time, like 14:30 or 2:30pm")
	}
	if d.IsZero() || t == "" {
		return ""
	}
	h, m, ok := clockTime(t)
	if !ok {
		f.AddError(timeID, "Enter a real time, like 14:30 or 2:30pm")
		return ""
	}
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, London).Format(time.RFC3339)
}

// clockTime reads a time of day as people type it ("14:30", "9.05", "2:30pm", "11am", lower case, no
// spaces) and returns the hour and minute, and whether it is a real time.
func clockTime(t string) (hour, minute int, ok bool) {
	m := timeRE.FindStringSubmatch(t)
	if m == nil {
		return 0, 0, false
	}
	hour, _ = strconv.Atoi(m[1])
	minute, _ = strconv.Atoi("0" + m[2])
	ok = hour <= 23 && minute <= 59
	if m[3] != "" {
		ok = ok && hour >= 1 && hour <= 12
		hour %= 12
		if m[3] == "pm" {
			hour += 12
		}
	}
	return hour, minute, ok
}

// incidentPageActions fills the incident page's links to the forms the viewer may use now.
func incidentPageActions(u *foi.User, v *incidentPage) {
	if v.Incident.Status != foi.IncidentOpen {
		return
	}
	v.CanRecord = canOnIncident(u, foi.ActionRecordIncident, &v.Incident) == nil
	v.CanDecide = canOnIncident(u, foi.ActionDecideIncident, &v.Incident) == nil
}
