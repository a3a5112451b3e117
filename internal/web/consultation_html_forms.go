package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The representation form's inputs: position, summary, harm; rows "exemption-N-section" and
// "exemption-N-reasons" (N from 0, "exemption-rows" of them); per pack document D, rows
// "redaction-D-N-passage" and "redaction-D-N-reasons" ("redaction-D-rows" of them). The "action" button
// "add-exemption" or "add-redaction-D" shows the form again with one more empty row, saving nothing.
const (
	exemptionRowsInput = "exemption-rows"
	addExemption       = "add-exemption"
	addRedaction       = "add-redaction-"
)

func exemptionInput(row int, part string) string { return fmt.Sprintf("exemption-%d-%s", row, part) }

func redactionRowsInput(doc int64) string { return fmt.Sprintf("redaction-%d-rows", doc) }

func redactionInput(doc int64, row int, part string) string {
	return fmt.Sprintf("redaction-%d-%d-%s", doc, row, part)
}

// rowCount returns the number of rows the form's hidden input name says, between 1 and maxFormRows;
// emptyFormRows when it is missing or not a number.
func rowCount(f *Form, name string) int {
	n, err := strconv.Atoi(f.Get(name))
	if err != nil {
		return emptyFormRows
	}
	return min(max(n, 1), maxFormRows)
}

// rows returns n form rows.
func rows(n int) []formRow {
	out := make([]formRow, n)
	for i := range out {
		out[i] = formRow{Index: i, Number: i + 1}
	}
	return out
}

// representationForm returns the form page's data with exRows exemption rows and, per document, the rows in
// redRows (emptyFormRows when absent).
func representationForm(v *consultationDetailView, f *Form, exRows int, redRows map[int64]int) *consultationForm {
	f.Set(exemptionRowsInput, strconv.Itoa(exRows))
	data := &consultationForm{consultationDetailView: v, Form: f, ExemptionRows: rows(exRows)}
	for _, doc := range v.Documents {
		n, ok := redRows[doc.ID]
		if !ok {
			n = emptyFormRows
		}
		f.Set(redactionRowsInput(doc.ID), strconv.Itoa(n))
		data.RedactionRows = append(data.RedactionRows, redactionRows{Document: doc, Rows: rows(n)})
	}
	return data
}

// loadRepresentable loads the consultation of the path for a liaison who may submit representations on it now,
// or shows the 404 (or error) page and returns nil.
func (s *Server) loadRepresentable(c *gin.Context) *consultationDetailView {
	v := s.loadConsultation(c)
	if v != nil && !v.CanRepresent {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "cannot represent"))
		return nil
	}
	return v
}

// handleRepresentationForm shows the representation form (GET /consultations/{id}/representations/new) to a
// liaison of the consulted party, filled with the latest version when they are revising it.
func (s *Server) handleRepresentationForm(c *gin.Context) {
	v := s.loadRepresentable(c)
	if v == nil {
		return
	}
	f := NewForm(nil)
	exRows, redRows := emptyFormRows, map[int64]int{}
	if r := v.latest; r != nil {
		f.Set("position", string(r.Position))
		f.Set("summary", r.Summary)
		f.Set("harm", r.Harm)
		for i, e := range r.ProposedExemptions {
			f.Set(exemptionInput(i, "section"), e.Section)
			f.Set(exemptionInput(i, "reasons"), e.Reasons)
		}
		exRows = max(exRows, len(r.ProposedExemptions)+1)
		for _, d := range r.ProposedRedactions {
			n := redRows[d.DocumentID]
			f.Set(redactionInput(d.DocumentID, n, "passage"), d.Passage)
			f.Set(redactionInput(d.DocumentID, n, "reasons"), d.Reasons)
			redRows[d.DocumentID] = n + 1
		}
		for doc, n := range redRows {
			redRows[doc] = max(emptyFormRows, n+1)
		}
	}
	s.renderRepresentationForm(c, representationForm(v, f, exRows, redRows))
}

func (s *Server) renderRepresentationForm(c *gin.Context, data *consultationForm) {
	title := "Submit representations"
	if data.latest != nil {
		title = "Revise your representations"
	}
	p := s.page(c, title)
	p.Nav = "consultations"
	p.Data = data
	s.renderForm(c, "consultation_represent", p, data.Form)
}

// handleRepresentationSubmit records the next version of the representations
// (POST /consultations/{id}/representations), or, for an "add another" button, shows the form again with one
// more empty row. Bad input shows the form again with the error summary and changes nothing.
func (s *Server) handleRepresentationSubmit(c *gin.Context) {
	v := s.loadRepresentable(c)
	if v == nil {
		return
	}
	f := postedForm(c)
	exRows := rowCount(f, exemptionRowsInput)
	redRows := map[int64]int{}
	for _, doc := range v.Documents {
		redRows[doc.ID] = rowCount(f, redactionRowsInput(doc.ID))
	}
	switch action := f.Get("action"); {
	case action == addExemption:
		s.renderRepresentationForm(c, representationForm(v, f, min(exRows+1, maxFormRows), redRows))
		return
	case strings.HasPrefix(action, addRedaction):
		if doc, err := strconv.ParseInt(strings.TrimPrefix(action, addRedaction), 10, 64); err == nil {
			if n, ok := redRows[doc]; ok {
				redRows[doc] = min(n+1, maxFormRows)
			}
		}
		s.renderRepresentationForm(c, representationForm(v, f, exRows, redRows))
		return
	}
	r := foi.Representation{Position: foi.Position(f.Get("position")), Summary: f.Get("summary"), Harm: f.Get("harm")}
	for row := range exRows {
		section, reasons := f.Trim(exemptionInput(row, "section")), f.Trim(exemptionInput(row, "reasons"))
		if section == "" && reasons == "" {
			continue
		}
		i := len(r.ProposedExemptions)
		f.Alias(fmt.Sprintf("proposed_exemptions[%d].section", i), exemptionInput(row, "section"))
		f.Alias(fmt.Sprintf("proposed_exemptions[%d].reasons", i), exemptionInput(row, "reasons"))
		r.ProposedExemptions = append(r.ProposedExemptions, foi.ProposedExemption{Section: section, Reasons: reasons})
	}
	for _, doc := range v.Documents {
		for row := range redRows[doc.ID] {
			passage, reasons := f.Trim(redactionInput(doc.ID, row, "passage")), f.Trim(redactionInput(doc.ID, row, "reasons"))
			if passage == "" && reasons == "" {
				continue
			}
			i := len(r.ProposedRedactions)
			f.Alias(fmt.Sprintf("proposed_redactions[%d].document_id", i), redactionInput(doc.ID, row, "passage"))
			f.Alias(fmt.Sprintf("proposed_redactions[%d].passage", i), redactionInput(doc.ID, row, "passage"))
			f.Alias(fmt.Sprintf("proposed_redactions[%d].reasons", i), redactionInput(doc.ID, row, "reasons"))
			r.ProposedRedactions = append(r.ProposedRedactions, foi.ProposedRedaction{DocumentID: doc.ID,
				Passage: passage, Reasons: reasons})
		}
	}
	svc, err := s.consultations()
	if err == nil {
		var k *foi.Consultation
		if k, err = svc.SubmitRepresentation(c.Request.Context(), v.ID, r); err == nil {
			latest, _ := k.Latest()
			s.redirectFlash(c, fmt.Sprintf("/consultations/%d", v.ID),
				fmt.Sprintf("Your representations (version %d) were sent to %s.", latest.Version, v.OwnerParty))
			return
		}
	}
	if !f.Fail(err) {
		s.htmlError(c, err)
		return
	}
	s.renderRepresentationForm(c, representationForm(v, f, exRows, redRows))
}

// decisionForm is a form on a consultation that records a decision from its reasons: the decision-maker's
// consideration (with its own page, side by side with the draft), waiver and closure without representations,
// and a dispute raised by either party (the others share the reasons page, consultation_reasons.html).
type decisionForm struct {
	page  string // the template
	title string // the page's title
	ui    reasonsUI
	// disputes says that whether the viewer may use the form depends on the consultation's disputes.
	disputes bool
	// allowed reports whether the viewer may use the form now.
	allowed func(v *consultationDetailView) bool
	// record records the decision from the posted form and returns where to go and the banner to show there.
	record func(s *Server, c *gin.Context, v *consultationDetailView, f *Form) (path, flash string, err error)
}

// reasonsUI is what the reasons page says: where it posts (under /consultations/{id}/), an introduction, a
// warning, the reasons field's label and hint, and the button.
type reasonsUI struct {
	Post, Intro, Warning, Label, Hint, Button, ButtonClass string
	Summary                                                bool // show the consultation's summary list
}

var (
	considerationForm = decisionForm{page: "consultation_consider", title: "Consider the representations",
		ui:      reasonsUI{Post: "consideration"},
		allowed: func(v *consultationDetailView) bool { return v.CanConsider },
		record: func(s *Server, c *gin.Context, v *consultationDetailView, f *Form) (string, string, error) {
			svc, err := s.consultations()
			if err == nil {
				_, err = svc.ConsiderRepresentations(c.Request.Context(), v.ID,
					foi.Consideration{Outcome: foi.ConsiderationOutcome(f.Get("outcome")), Reasons: f.Get("reasons")})
			}
			return consultationPath(v), "Your consideration of the representations was recorded.", err
		}}
	waiverForm = decisionForm{page: "consultation_reasons", title: "Waive the consultation",
		ui: reasonsUI{Post: "waiver", Summary: true, Label: "Why is the consultation waived?",
			Hint:    "For example, the information is already published.",
			Warning: "A waived consultation no longer holds back the response, and the consulted party can no longer send representations.",
			Button:  "Waive the consultation", ButtonClass: "govuk-button--warning"},
		allowed: func(v *consultationDetailView) bool { return v.CanWaive },
		record: func(s *Server, c *gin.Context, v *consultationDetailView, f *Form) (string, string, error) {
			svc, err := s.consultations()
			if err == nil {
				_, err = svc.WaiveConsultation(c.Request.Context(), v.ID, f.Get("reasons"))
			}
			return consultationPath(v), "The consultation was waived.", err
		}}
	closeForm = decisionForm{page: "consultation_reasons", title: "Close without representations",
		ui: reasonsUI{Post: "close", Summary: true,
			Intro: "You can proceed without representations once the respond-by date has passed and the consulted " +
				"party was sent a reminder and the escalation.",
			Label: "Why do you proceed without representations?", Button: "Close without representations",
			ButtonClass: "govuk-button--warning"},
		allowed: func(v *consultationDetailView) bool { return v.CanClose },
		record: func(s *Server, c *gin.Context, v *consultationDetailView, f *Form) (string, string, error) {
			svc, err := s.consultations()
			if err == nil {
				_, err = svc.CloseConsultation(c.Request.Context(), v.ID, f.Get("reasons"))
			}
			return consultationPath(v), "The consultation was closed without representations.", err
		}}
	raiseDisputeForm = decisionForm{page: "consultation_reasons", title: "Raise a dispute", disputes: true,
		ui: reasonsUI{Post: "disputes",
			Intro: "The business-as-usual FOI contacts of both parties are told and have 2 working days to settle it. " +
				"After that it can go to the escalation contacts, then to formal notification (20 working days).",
			Warning: "The dispute runs inside the statutory deadline: it never pauses or extends it.",
			Label:   "What do the parties disagree about?", Button: "Raise the dispute"},
		allowed: func(v *consultationDetailView) bool { return v.CanRaiseDispute },
		record: func(s *Server, c *gin.Context, v *consultationDetailView, f *Form) (string, string, error) {
			svc, err := s.disputes()
			if err != nil {
				return "", "", err
			}
			res, err := svc.RaiseDispute(c.Request.Context(), v.ID, f.Get("reasons"))
			return fmt.Sprintf("/disputes/%d", res.Dispute.ID),
				disputeFlash("The dispute was raised with the business-as-usual contacts.", res), err
		}}
)

func consultationPath(v *consultationDetailView) string {
	return fmt.Sprintf("/consultations/%d", v.ID)
}

// loadDecision loads the consultation of the path for a viewer who may use the form now, or shows the 404 (or
// error) page and returns nil.
func (s *Server) loadDecision(c *gin.Context, df decisionForm) *consultationDetailView {
	v := s.loadConsultation(c)
	if v == nil {
		return nil
	}
	if df.disputes {
		if err := s.consultationDisputes(c, s.requireUser(c), v); err != nil {
			s.htmlError(c, err)
			return nil
		}
	}
	if !df.allowed(v) {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "not allowed"))
		return nil
	}
	return v
}

// showDecision returns the GET handler of a decision form; the 404 page for anyone who may not use it now.
func (s *Server) showDecision(df decisionForm) gin.HandlerFunc {
	return func(c *gin.Context) {
		if v := s.loadDecision(c, df); v != nil {
			s.renderDecision(c, df, &consultationForm{consultationDetailView: v, Form: NewForm(nil)})
		}
	}
}

// postDecision returns the POST handler of a decision form: it records the decision and redirects with a
// banner, or shows the form again with the error summary, having changed nothing.
func (s *Server) postDecision(df decisionForm) gin.HandlerFunc {
	return func(c *gin.Context) {
		v := s.loadDecision(c, df)
		if v == nil {
			return
		}
		f := postedForm(c)
		path, flash, err := df.record(s, c, v, f)
		if err == nil {
			s.redirectFlash(c, path, flash)
			return
		}
		if !f.Fail(err) {
			s.htmlError(c, err)
			return
		}
		s.renderDecision(c, df, &consultationForm{consultationDetailView: v, Form: f})
	}
}

func (s *Server) renderDecision(c *gin.Context, df decisionForm, data *consultationForm) {
	data.UI = &df.ui
	p := s.page(c, df.title)
	p.Nav = "consultations"
	p.Data = data
	s.renderForm(c, df.page, p, data.Form)
}

// consultationOutcomes are the consideration form's radios.
func consultationOutcomes() []Option {
	return []Option{
		{Value: string(foi.ConsiderationAccepted), Label: foi.ConsiderationAccepted.Label(), Hint: "The representations change the response as they ask."},
		{Value: string(foi.ConsiderationPartlyAccepted), Label: foi.ConsiderationPartlyAccepted.Label(), Hint: "Some of what they ask changes the response."},
		{Value: string(foi.ConsiderationNotAccepted), Label: foi.ConsiderationNotAccepted.Label(), Hint: "The response stands. If they objected, a dispute may follow."},
	}
}

// representationPositions are the representation form's radios.
func representationPositions() []Option {
	return []Option{
		{Value: string(foi.PositionNoObjection), Label: foi.PositionNoObjection.Label()},
		{Value: string(foi.PositionObjectInPart), Label: foi.PositionObjectInPart.Label()},
		{Value: string(foi.PositionObjectInFull), Label: foi.PositionObjectInFull.Label()},
	}
}

func init() {
	templateFuncs["consultationOutcomes"] = consultationOutcomes
	templateFuncs["representationPositions"] = representationPositions
	templateFuncs["exemptionInput"] = exemptionInput
	templateFuncs["redactionInput"] = redactionInput
	templateFuncs["redactionRowsInput"] = redactionRowsInput
}

// failConsultation is Form.Fail for the forms that change a consultation: a stale page, or a chaser with no
// contact to go to (EPRECONDITION), is shown with the service's own words, which are about the consultation.
func failConsultation(f *Form, err error) bool {
	if foi.ErrorCode(err) == foi.EPRECONDITION {
		f.AddError("", foi.ErrorMessage(err))
		f.status = http.StatusPreconditionFailed
		return true
	}
	return f.Fail(err)
}

// The chase form (GET and POST /consultations/{id}/chase): an officer or decision-maker of the case's party sends
// the consulted party a reminder, or once respond-by has passed the escalation, now, as the daily scan would.

// chaseKinds returns, as the chase form's radios, the kinds k may be chased with today, and for each other kind
// why not: the domain's own rule (foi.Consultation.Chase), tried on a copy.
func chaseKinds(k *foi.Consultation, today calendar.Date) (allowed []Option, refused []string) {
	for _, o := range []Option{
		{Value: string(foi.ChaseReminder), Label: "A reminder",
			Hint: "To " + k.ConsultedPartyCode + "'s business-as-usual FOI contact. At most one a day."},
		{Value: string(foi.ChaseEscalation), Label: "The escalation",
			Hint: "To " + k.ConsultedPartyCode + "'s escalation contact, now that the respond-by date has passed."},
	} {
		try := *k
		if _, err := try.Chase(foi.ChaseKind(o.Value), today); err != nil {
			refused = append(refused, foi.ErrorMessage(err))
			continue
		}
		allowed = append(allowed, o)
	}
	return allowed, refused
}

// loadChaseable loads the consultation of the path for an officer or decision-maker of the case's party while
// it awaits representations, or shows the 404 (or error) page and returns nil.
func (s *Server) loadChaseable(c *gin.Context) *consultationDetailView {
	v := s.loadConsultation(c)
	if v != nil && !v.CanChase {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "cannot chase"))
		return nil
	}
	return v
}

// handleChaseForm shows the chase form (GET /consultations/{id}/chase): the kinds that can be sent today, and why
// the others cannot.
func (s *Server) handleChaseForm(c *gin.Context) {
	if v := s.loadChaseable(c); v != nil {
		s.renderChase(c, &consultationForm{consultationDetailView: v, Form: NewForm(nil)})
	}
}

// handleChaseSubmit sends the chosen chaser (POST /consultations/{id}/chase) and sends the browser back to the
// consultation, or shows the form again with the error summary, having sent nothing.
func (s *Server) handleChaseSubmit(c *gin.Context) {
	v := s.loadChaseable(c)
	if v == nil {
		return
	}
	f := postedForm(c)
	kind := foi.ChaseKind(f.Trim("kind"))
	svc, err := s.chaser()
	if err == nil {
		if _, err = svc.ChaseConsultation(c.Request.Context(), v.ID, kind); err == nil {
			flash := "A reminder was sent to " + v.ConsultedParty + "."
			if kind == foi.ChaseEscalation {
				flash = "The escalation was sent to " + v.ConsultedParty + "'s escalation contact."
			}
			s.redirectFlash(c, consultationPath(v), flash)
			return
		}
	}
	if !failConsultation(f, err) {
		s.htmlError(c, err)
		return
	}
	s.renderChase(c, &consultationForm{consultationDetailView: v, Form: f})
}

func (s *Server) renderChase(c *gin.Context, data *consultationForm) {
	p := s.page(c, "Chase "+data.ConsultedParty)
	p.Nav = "consultations"
	p.Data = data
	s.renderForm(c, "consultation_chase", p, data.Form)
}
