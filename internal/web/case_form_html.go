package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// caseForm is one form about a case at its own URL, /cases/{id}/{Path}: GET shows it, POST acts and sends the
// browser back to the case with a success banner; bad input shows the form again with the error summary and
// what the user typed, and changes nothing. Every form carries the case's version, so a change made meanwhile
// by someone else is reported rather than overwritten.
type caseForm struct {
	Path   string // below /cases/{id}/, e.g. "fee-notice"
	Title  string // the page's h1
	Button string // the submit button's text
	Kind   string // which fields case_form.html shows
	Intro  string // a paragraph under the heading, or ""
	Decide bool   // decision-makers only (others get 404)
	// prefill fills the form as GET shows it, beyond the case's version.
	prefill func(f *Form, cs *foi.Case, today calendar.Date)
	// submit reads the form and calls the service; it returns the success message. Field errors it records on
	// the form (f.AddError) stop it before the service is called.
	submit func(s *Server, ctx context.Context, cs *foi.Case, version int64, f *Form) (string, error)
}

// caseFormPage is what case_form.html shows.
type caseFormPage struct {
	Case     *foi.Case
	Action   *caseForm
	Form     *Form
	Options  map[string][]Option // choices of the form's radios, checkboxes and selects, by field name
	PIT      []pitView           // response: a public interest test for each ticked qualified exemption
	Response *foi.Response       // approve, return: the draft
	Back     string
	// Exemptions is what the regime calls them: "Exemptions" (FOIA) or "Exceptions" (EIR).
	Exemptions string
}

// pitView is the public interest test of one qualified exemption on the response form.
type pitView struct{ Section, Label, ID string }

// caseForms lists every case form by path.
var caseForms = map[string]*caseForm{}

func init() {
	for _, f := range []*caseForm{
		clockForm("clarification-sought", foi.EventClarificationSought, "Record that clarification was sought",
			"The clock stops until the requester replies (s.1(3), EIR reg 9). Give the day you asked."),
		clockForm("clarification-received", foi.EventClarificationReceived, "Record the clarification received",
			"The clock starts again: the day the reply arrived becomes the new day 0."),
		clockForm("fee-notice", foi.EventFeeNotice, "Record a fee notice",
			"The clock stops until the fee is paid (s.9, EIR reg 8)."),
		clockForm("fee-paid", foi.EventFeePaid, "Record the fee paid", "The clock starts again from the day the fee arrived."),
		clockForm("pit-extension", foi.EventPITExtension, "Extend to consider the public interest",
			"FOIA s.10(3): tell the requester by day 20 which qualified exemption you are considering and when you expect to decide. Beyond day 40 needs a decision-maker."),
		clockForm("eir-extension", foi.EventEIRExtension, "Extend for a complex and voluminous request",
			"EIR reg 7(1): the deadline moves to day 40. Tell the requester by day 20."),
		{Path: "assign", Title: "Assign the case", Button: "Assign", Kind: "assign",
			prefill: func(f *Form, cs *foi.Case, _ calendar.Date) {
				if cs.AssigneeID != 0 {
					f.Set("assignee", strconv.FormatInt(cs.AssigneeID, 10))
				} else {
					f.Set("assignee", "none")
				}
			}, submit: submitAssign},
		{Path: "edit", Title: "Change the subject, request or assets", Button: "Save changes", Kind: "edit",
			prefill: func(f *Form, cs *foi.Case, _ calendar.Date) {
				f.Set("subject", cs.Subject)
				f.Set("request_text", cs.RequestText)
				f.Set("asset_codes", cs.AssetCodes...)
			}, submit: submitEdit},
		{Path: "status", Title: "Change the status", Button: "Change the status", Kind: "status",
			Intro:  "Other statuses follow from what happens: a clarification or fee notice, a consultation, the response.",
			submit: submitStatus},
		{Path: "response", Title: "Record the response", Button: "Record the response", Kind: "response",
			Intro:  "An officer's response waits for a decision-maker's approval; a decision-maker's is approved at once and sent.",
			submit: submitResponse},
		{Path: "response/approve", Title: "Approve the response", Button: "Approve and send", Kind: "approve", Decide: true,
			submit: func(s *Server, ctx context.Context, cs *foi.Case, version int64, f *Form) (string, error) {
				rs, err := s.responses()
				if err != nil {
					return "", err
				}
				res, err := rs.ApproveResponse(ctx, cs.ID, version)
				if err != nil {
					return "", err
				}
				return "Response approved." + emailNote(res.EmailQueued), nil
			}},
		{Path: "response/return", Title: "Return the response", Button: "Return the response", Kind: "return", Decide: true,
			submit: func(s *Server, ctx context.Context, cs *foi.Case, version int64, f *Form) (string, error) {
				rs, err := s.responses()
				if err != nil {
					return "", err
				}
				if f.Trim("reason") == "" {
					f.AddError("reason", "Enter why the response goes back")
					return "", nil
				}
				_, err = rs.ReturnResponse(ctx, cs.ID, version, f.Get("reason"))
				return "Response returned to the officer.", err
			}},
		{Path: "legal-hold", Title: "Place a legal hold", Button: "Place the hold", Kind: "hold",
			Intro:  "Nothing of a held case is destroyed, whatever its retention schedule, until the hold is lifted, with reasons, from this case's page (or by an admin on the retention page).",
			submit: submitLegalHold},
		{Path: "internal-review", Title: "Record a request for internal review", Button: "Record the request", Kind: "review",
			submit: func(s *Server, ctx context.Context, cs *foi.Case, version int64, f *Form) (string, error) {
				on := f.Date("requested_on", "the date the review was requested", true)
				rs, err := s.responses()
				if err != nil || !f.OK() {
					return "", err
				}
				res, err := rs.RequestInternalReview(ctx, cs.ID, version, on)
				if err != nil {
					return "", err
				}
				return withWarnings("Internal review recorded, due "+govukDate(res.Review.TargetOn)+".", res.Warnings), nil
			}},
		{Path: "internal-review/decision", Title: "Record the internal review decision", Button: "Record the decision",
			Kind: "review-decision", Decide: true,
			submit: func(s *Server, ctx context.Context, cs *foi.Case, version int64, f *Form) (string, error) {
				on := f.Date("decided_on", "the date of the decision", true)
				rs, err := s.responses()
				if err != nil || !f.OK() {
					return "", err
				}
				res, err := rs.DecideInternalReview(ctx, cs.ID, version, on, f.Trim("outcome"))
				if err != nil {
					return "", err
				}
				return withWarnings("Internal review decision recorded.", res.Warnings), nil
			}},
		{Path: "ico-appeal", Title: "Record a complaint to the ICO", Button: "Record the complaint", Kind: "appeal",
			submit: func(s *Server, ctx context.Context, cs *foi.Case, version int64, f *Form) (string, error) {
				on := f.Date("complaint_on", "the date of the complaint", true)
				rs, err := s.responses()
				if err != nil || !f.OK() {
					return "", err
				}
				res, err := rs.RecordICOComplaint(ctx, cs.ID, version, on)
				if err != nil {
					return "", err
				}
				return withWarnings("Complaint to the ICO recorded.", res.Warnings), nil
			}},
		{Path: "ico-appeal/decision", Title: "Record the ICO decision", Button: "Record the decision", Kind: "appeal-decision",
			submit: func(s *Server, ctx context.Context, cs *foi.Case, version int64, f *Form) (string, error) {
				on := f.Date("decision_notice_on", "the date of the decision notice", false)
				rs, err := s.responses()
				if err != nil || !f.OK() {
					return "", err
				}
				res, err := rs.RecordICODecision(ctx, cs.ID, version, on, f.Trim("outcome"), f.Checked("tribunal", "true"))
				if err != nil {
					return "", err
				}
				msg := "ICO decision recorded."
				if !res.Appeal.ComplianceOn.IsZero() {
					msg += " Comply by " + govukDate(res.Appeal.ComplianceOn) + "."
				}
				return withWarnings(msg, res.Warnings), nil
			}},
	} {
		caseForms[f.Path] = f
	}
}

// clockForm returns the form that records one kind of clock event.
func clockForm(path string, kind foi.ClockEventKind, title, intro string) *caseForm {
	return &caseForm{Path: path, Title: title, Button: "Record " + strings.ToLower(kind.Label()), Kind: "clock", Intro: intro,
		prefill: func(f *Form, cs *foi.Case, today calendar.Date) { f.SetDate("on", today) },
		submit: func(s *Server, ctx context.Context, cs *foi.Case, version int64, f *Form) (string, error) {
			e := foi.ClockEvent{Kind: kind, Note: f.Get("note")}
			e.On = f.Date("on", "the date", true)
			if kind == foi.EventPITExtension {
				e.Until = f.Date("until", "the date you expect to decide", false)
			}
			if !f.OK() {
				return "", nil
			}
			out, alert, err := s.cfg.Cases.AddClockEvent(ctx, cs.ID, version, e, f.All("exemptions"))
			if err != nil {
				return "", err
			}
			msg := kind.Label() + " recorded."
			if !out.DueOn.IsZero() {
				msg += " The deadline is " + govukDate(out.DueOn) + "."
			} else if out.Status.Open() {
				msg += " The clock is stopped."
			}
			if alert != "" {
				msg += " " + alert
			}
			return msg, nil
		}}
}

func submitAssign(s *Server, ctx context.Context, cs *foi.Case, version int64, f *Form) (string, error) {
	f.Alias("assignee_id", "assignee")
	var id int64
	switch v := f.Trim("assignee"); v {
	case "":
		f.AddError("assignee", "Select who works on the case")
		return "", nil
	case "none":
	case "me":
		if u := foi.UserFrom(ctx); u != nil {
			id = u.ID
		}
	default:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			f.AddError("assignee", "Select who works on the case")
			return "", nil
		}
		id = n
	}
	out, err := s.cfg.Cases.UpdateCase(ctx, cs.ID, version, foi.CaseUpdate{AssigneeID: &id})
	if err != nil {
		return "", err
	}
	if out.AssigneeID == 0 {
		return "The case is in the team queue.", nil
	}
	return "Case assigned to " + s.userName(ctx, out.AssigneeID) + ".", nil
}

func submitEdit(s *Server, ctx context.Context, cs *foi.Case, version int64, f *Form) (string, error) {
	subject, text, codes := f.Get("subject"), f.Get("request_text"), f.All("asset_codes")
	if codes == nil {
		codes = []string{}
	}
	_, err := s.cfg.Cases.UpdateCase(ctx, cs.ID, version, foi.CaseUpdate{Subject: &subject, RequestText: &text, AssetCodes: &codes,
		HoldConsultations: f.Checked("hold_consultations", "true")})
	return "Case details saved.", err
}

func submitStatus(s *Server, ctx context.Context, cs *foi.Case, version int64, f *Form) (string, error) {
	to := foi.Status(f.Trim("to"))
	if to == "" {
		f.AddError("to", "Select the new status")
		return "", nil
	}
	out, err := s.cfg.Cases.TransitionCase(ctx, cs.ID, version, to, f.Get("note"))
	if err != nil {
		return "", err
	}
	return "The case is now " + strings.ToLower(out.Status.Label()) + ".", nil
}

// pitID returns the id prefix of the public interest test fields of an exemption: "pit_40_2" for "40(2)".
func pitID(section string) string {
	var b strings.Builder
	b.WriteString("pit_")
	last := byte('_')
	for i := 0; i < len(section); i++ {
		ch := section[i]
		if ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' {
			b.WriteByte(ch)
			last = ch
		} else if last != '_' {
			b.WriteByte('_')
			last = '_'
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

// pitsFor returns the public interest tests the response form shows: one for each ticked qualified exemption.
func pitsFor(cs *foi.Case, f *Form) []pitView {
	var out []pitView
	for _, e := range foi.Exemptions(cs.Regime) {
		if e.Qualified && f.Checked("exemptions", e.Section) {
			out = append(out, pitView{Section: e.Section, Label: e.Label(), ID: pitID(e.Section)})
			f.Alias("public_interest."+e.Section, pitID(e.Section)+"_conclusion")
		}
	}
	return out
}

func submitResponse(s *Server, ctx context.Context, cs *foi.Case, version int64, f *Form) (string, error) {
	rs, err := s.responses()
	if err != nil {
		return "", err
	}
	pit := map[string]foi.PublicInterestTest{}
	for _, p := range pitsFor(cs, f) {
		pit[p.Section] = foi.PublicInterestTest{FavourDisclosure: f.Get(p.ID + "_favour_disclosure"),
			FavourWithholding: f.Get(p.ID + "_favour_withholding"), Conclusion: f.Get(p.ID + "_conclusion")}
	}
	res, err := rs.RecordResponse(ctx, cs.ID, version, foi.ResponseDraft{Outcome: foi.Outcome(f.Trim("outcome")),
		Exemptions: f.All("exemptions"), PublicInterest: pit, Letter: f.Get("letter"), Template: f.Trim("template")})
	if err != nil {
		return "", err
	}
	if res.Response.Status == foi.ResponseApproved {
		return "Response recorded and approved." + emailNote(res.EmailQueued), nil
	}
	return "Response recorded: it waits for a decision-maker's approval.", nil
}

func emailNote(queued bool) string {
	if queued {
		return " The letter is being emailed to the requester."
	}
	return " The requester gave no email address: print the letter and send it by post."
}

func withWarnings(msg string, warnings []string) string {
	for _, w := range warnings {
		msg += " " + w
	}
	return msg
}

// handleCaseFormGet shows the case form at path (GET /cases/{id}/{path}).
func (s *Server) handleCaseFormGet(path string) gin.HandlerFunc {
	form := caseForms[path]
	return func(c *gin.Context) {
		cs, ok := s.caseForForm(c, form)
		if !ok {
			return
		}
		f := NewForm(nil)
		f.Set("version", strconv.FormatInt(cs.Version, 10))
		if form.prefill != nil {
			form.prefill(f, cs, s.today())
		}
		s.renderCaseForm(c, cs, form, f)
	}
}

// handleCaseFormPost acts on the case form at path (POST /cases/{id}/{path}).
func (s *Server) handleCaseFormPost(path string) gin.HandlerFunc {
	form := caseForms[path]
	return func(c *gin.Context) {
		cs, ok := s.caseForForm(c, form)
		if !ok {
			return
		}
		f := postedForm(c)
		version, _ := strconv.ParseInt(f.Trim("version"), 10, 64)
		if form.Kind == "response" && f.Get("action") == "refresh" {
			s.renderCaseForm(c, cs, form, f) // show the public interest tests of the ticked exemptions
			return
		}
		msg, err := form.submit(s, c.Request.Context(), cs, version, f)
		switch {
		case err == nil && f.OK():
			s.redirectFlash(c, fmt.Sprintf("/cases/%d", cs.ID), msg)
		case err == nil || f.Fail(err):
			s.renderCaseForm(c, cs, form, f)
		case foi.ErrorCode(err) == foi.EFORBIDDEN:
			// The user may use the form but not make this change (an extension beyond day 40): say why.
			f.AddError("", foi.ErrorMessage(err))
			f.status = http.StatusForbidden
			s.renderCaseForm(c, cs, form, f)
		default:
			s.htmlError(c, err)
		}
	}
}

// caseForForm loads the case of a case form and checks the user may use the form; otherwise it shows the
// 404 page (a form the user may not use does not hint that it exists) and returns false.
func (s *Server) caseForForm(c *gin.Context, form *caseForm) (*foi.Case, bool) {
	u := s.requireUser(c)
	if u == nil {
		return nil, false
	}
	id, err := caseIDParam(c)
	if err != nil {
		s.htmlError(c, err)
		return nil, false
	}
	cs, err := s.cfg.Cases.FindCaseByID(c.Request.Context(), id)
	if err == nil {
		action := foi.ActionWorkCase
		if form.Decide {
			action = foi.ActionDecideCase
		}
		if foi.Can(u, action, foi.Scope{OwnerPartyID: cs.PartyID}) != nil {
			err = foi.Errorf(foi.ENOTFOUND, "no such page")
		}
	}
	if err != nil {
		s.htmlError(c, err)
		return nil, false
	}
	return cs, true
}

// renderCaseForm shows a case form with its choices.
func (s *Server) renderCaseForm(c *gin.Context, cs *foi.Case, form *caseForm, f *Form) {
	ctx := c.Request.Context()
	data := &caseFormPage{Case: cs, Action: form, Form: f, Options: map[string][]Option{},
		Back: fmt.Sprintf("/cases/%d", cs.ID), Exemptions: "Exemptions"}
	if cs.Regime == calendar.RegimeEIR {
		data.Exemptions = "Exceptions"
	}
	switch form.Kind {
	case "clock":
		if form.Path == "pit-extension" {
			data.Options["exemptions"] = exemptionOptions(cs.Regime, true)
		}
	case "assign":
		// "Nobody" and the party's people by name (the user among them): not the list filter's "Anyone" or "Me".
		data.Options["assignee"] = s.assigneeOptions(ctx, "", true)[2:]
	case "edit":
		reg, err := s.cfg.Registers.Registers(ctx)
		if err != nil {
			s.htmlError(c, err)
			return
		}
		for _, a := range reg.Assets {
			data.Options["asset_codes"] = append(data.Options["asset_codes"], Option{Value: a.Code, Label: a.Name,
				Hint: "Provided by " + reg.PartyName(a.ProviderPartyID) + " (" + a.Code + ")"})
		}
	case "status":
		for _, st := range allowedManual(cs.Status) {
			data.Options["to"] = append(data.Options["to"], Option{Value: string(st), Label: st.Label(), Hint: statusHint(st)})
		}
	case "response":
		for _, o := range foi.Outcomes {
			if o != foi.OutcomeWithdrawn && o != foi.OutcomeLapsed {
				data.Options["outcome"] = append(data.Options["outcome"], Option{Value: string(o), Label: o.Label()})
			}
		}
		data.Options["exemptions"] = exemptionOptions(cs.Regime, false)
		data.Options["template"] = []Option{{Value: "", Label: "Chosen from the outcome"},
			{Value: foi.LetterRefusalNotice, Label: "Refusal notice (s.17 / reg 14)"},
			{Value: foi.LetterFullResponse, Label: "Full response"}}
		data.PIT = pitsFor(cs, f)
	case "approve", "return":
		if rs, err := s.responses(); err == nil {
			if r, err := rs.FindResponse(ctx, cs.ID); err == nil {
				data.Response = r
			}
		}
	case "review-decision":
		data.Options["outcome"] = codeOptions(foi.ReviewOutcomes)
	case "appeal-decision":
		data.Options["outcome"] = codeOptions(foi.ICOOutcomes)
	}
	p := s.page(c, form.Title)
	p.Nav = "cases"
	p.Data = data
	s.renderForm(c, "case_form", p, f)
}

// exemptionOptions returns the regime's exemptions as checkbox options; only the qualified ones when
// qualifiedOnly.
func exemptionOptions(regime calendar.Regime, qualifiedOnly bool) []Option {
	var out []Option
	for _, e := range foi.Exemptions(regime) {
		if qualifiedOnly && !e.Qualified {
			continue
		}
		o := Option{Value: e.Section, Label: e.Label()}
		switch {
		case e.Procedural:
			o.Hint = "Procedural refusal"
		case e.Qualified:
			o.Hint = "Qualified: needs a public interest test"
		default:
			o.Hint = "Absolute"
		}
		out = append(out, o)
	}
	return out
}

// codeOptions returns codes as options labelled in words.
func codeOptions(codes []string) []Option {
	out := make([]Option, len(codes))
	for i, c := range codes {
		out[i] = Option{Value: c, Label: humanize(c)}
	}
	return out
}

// statusHint explains a status a person can move a case to.
func statusHint(st foi.Status) string {
	switch st {
	case foi.StatusInProgress:
		return "Someone is working on the request"
	case foi.StatusWithdrawn:
		return "The requester withdrew the request"
	case foi.StatusLapsed:
		return "The clarification or fee never came"
	case foi.StatusClosed:
		return "Nothing more to do after the response"
	}
	return ""
}

// submitLegalHold places a manual legal hold on the case (litigation, a complaint, an investigation), with
// reasons, through the retention service's own checks.
func submitLegalHold(s *Server, ctx context.Context, cs *foi.Case, _ int64, f *Form) (string, error) {
	svc, err := s.retention()
	if err != nil {
		return "", err
	}
	h, err := svc.PlaceLegalHold(ctx, cs.ID, f.Get("reasons")) // empty reasons: EINVALID on the reasons field
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Legal hold %d placed: nothing of %s is destroyed until it is lifted.", h.ID, h.CaseReference), nil
}
