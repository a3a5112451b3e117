package foi

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"foidesk/internal/calendar"
)

func cdate(s string) calendar.Date {
	t, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

var submittedAt = time.Date(2026, 3, 5, 10, 30, 0, 0, time.UTC)

func objection() Representation {
	return Representation{Position: PositionObjectInPart, Summary: "Disclosure would reveal matching volumes.",
		Harm:               "It would prejudice the operation of the immigration controls.",
		ProposedExemptions: []ProposedExemption{{Section: "s.31(1)(e)", Reasons: "Enforcement would be prejudiced."}},
		ProposedRedactions: []ProposedRedaction{{DocumentID: 7, Passage: "page 3, paragraph 2", Reasons: "Names a team."}}}
}

// consultationIn returns a consultation in status s, with everything a legal next move needs: a contact, a
// passed respond-by date with a reminder and the escalation sent, and representations where the status has them.
func consultationIn(s ConsultationStatus) Consultation {
	c := NewConsultation(5, calendar.RegimeFOIA, testPartyHO, testPartyDFE)
	c.ID = 9
	c.ConsultedPartyCode = "DFE"
	c.ContactEmail = "foi@education.gov.uk"
	if s == ConsultationDraft {
		return c
	}
	c.Status = ConsultationSent
	c.SentOn, c.RespondBy = cdate("2026-03-02"), cdate("2026-03-09")
	c.RemindersSent, c.LastReminderOn, c.EscalatedOn = 1, cdate("2026-03-06"), cdate("2026-03-09")
	switch s {
	case ConsultationRepresentationsReceived, ConsultationConsidered:
		r := objection()
		r.Version, r.SubmittedAt = 1, submittedAt
		c.Representations = []Representation{r}
	}
	c.Status = s
	switch s {
	case ConsultationConsidered:
		c.Consideration = &Consideration{Outcome: ConsiderationNotAccepted, Reasons: "Public interest.", RepresentationVersion: 1}
	case ConsultationClosedWithoutRepresentations:
		c.ClosureReasons = "No reply."
	case ConsultationWaived:
		c.WaiverReasons = "Already published."
	}
	return c
}

// consultationMoves applies each action with valid input.
var consultationMoves = map[string]func(c *Consultation) error{
	ConsultationActionSend: func(c *Consultation) error {
		_, err := c.Send(cdate("2026-03-02"), calendar.Default(), calendar.Date{}, 0, DefaultDecisionMarginWorkingDays)
		return err
	},
	ConsultationActionRepresent: func(c *Consultation) error { return c.SubmitRepresentation(objection(), submittedAt) },
	ConsultationActionRemind:    func(c *Consultation) error { return c.RecordReminder(cdate("2026-03-10")) },
	ConsultationActionEscalate:  func(c *Consultation) error { return c.RecordEscalation(cdate("2026-03-10")) },
	ConsultationActionConsider: func(c *Consultation) error {
		return c.Consider(Consideration{Outcome: ConsiderationAccepted, Reasons: "Agreed."})
	},
	ConsultationActionCloseNoReps: func(c *Consultation) error {
		return c.CloseWithoutRepresentations("No reply by the date.", cdate("2026-03-10"))
	},
	ConsultationActionWaive: func(c *Consultation) error { return c.Waive("Already published on gov.uk.", cdate("2026-03-10")) },
	ConsultationActionEditDraft: func(c *Consultation) error {
		q := "Do you object to disclosure of the counts?"
		return c.EditDraft(DraftChange{Question: &q}, cdate("2026-03-02"), calendar.Default(), calendar.Date{}, 5)
	},
	ConsultationActionAttach: func(c *Consultation) error { _, err := c.AttachmentVersion(); return err },
}

// wantAfter is the status each legal move leads to.
var wantAfter = map[string]ConsultationStatus{
	ConsultationActionSend:        ConsultationSent,
	ConsultationActionRepresent:   ConsultationRepresentationsReceived,
	ConsultationActionRemind:      ConsultationSent,
	ConsultationActionEscalate:    ConsultationSent,
	ConsultationActionConsider:    ConsultationConsidered,
	ConsultationActionCloseNoReps: ConsultationClosedWithoutRepresentations,
	ConsultationActionWaive:       ConsultationWaived,
	ConsultationActionEditDraft:   ConsultationDraft,
	ConsultationActionAttach:      ConsultationRepresentationsReceived,
}

func TestConsultationStateMachine_EveryMove(t *testing.T) {
	for _, status := range ConsultationStatuses {
		allowed := ConsultationActions(status)
		for action, move := range consultationMoves {
			t.Run(string(status)+"/"+action, func(t *testing.T) {
				c := consultationIn(status)
				err := move(&c)
				if slices.Contains(allowed, action) {
					if err != nil {
						t.Fatalf("legal move failed: %v", err)
					}
					if c.Status != wantAfter[action] {
						t.Errorf("status = %s, want %s", c.Status, wantAfter[action])
					}
					return
				}
				if ErrorCode(err) != ECONFLICT {
					t.Fatalf("illegal move: error %v (code %q), want conflict", err, ErrorCode(err))
				}
				if c.Status != status {
					t.Errorf("an illegal move changed the status to %s", c.Status)
				}
				detail := err.(*Error).Detail
				if got, _ := detail["allowed"].([]string); !slices.Equal(got, nonNilStrings(allowed)) {
					t.Errorf("Detail[allowed] = %v, want %v", detail["allowed"], allowed)
				}
				if detail["status"] != string(status) {
					t.Errorf("Detail[status] = %v", detail["status"])
				}
			})
		}
	}
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestConsultationStatus_OpenResolvedLabel(t *testing.T) {
	for _, s := range ConsultationStatuses {
		if s.Open() == s.Resolved() {
			t.Errorf("%s: Open %v and Resolved %v", s, s.Open(), s.Resolved())
		}
		if s.Label() == string(s) || !s.Valid() {
			t.Errorf("%s: Label %q Valid %v", s, s.Label(), s.Valid())
		}
		if (ConsultationActions(s) != nil) != s.Open() {
			t.Errorf("%s: actions %v", s, ConsultationActions(s))
		}
	}
	if bogus := ConsultationStatus("lost"); bogus.Open() || bogus.Resolved() || bogus.Valid() || bogus.Label() != "lost" {
		t.Error("an unknown status must be neither open nor resolved")
	}
}

func TestConsultationSend_RespondBy(t *testing.T) {
	cal := calendar.Default()
	tests := []struct {
		name             string
		on, caseDue      string
		days, margin     int
		want             string
		wantWarning      string // substring; "" for none
		wantCode, wantAt string
	}{
		{name: "default 5 working days", on: "2026-03-02", want: "2026-03-09"},
		{name: "explicit days", on: "2026-03-02", days: 10, want: "2026-03-16"},
		{name: "over Easter 2026", on: "2026-03-31", want: "2026-04-09"},
		{name: "deadline far away", on: "2026-03-02", caseDue: "2026-03-30", margin: 5, want: "2026-03-09"},
		{name: "capped by deadline minus margin", on: "2026-03-02", caseDue: "2026-03-12", margin: 5, want: "2026-03-05",
			wantWarning: "respond by 2026-03-05, 3 working days after sending instead of 5, to leave 5 working days"},
		{name: "no time left", on: "2026-03-10", caseDue: "2026-03-12", margin: 5, want: "2026-03-10",
			wantWarning: "leaves no time for representations"},
		{name: "negative days", on: "2026-03-02", days: -1, wantCode: EINVALID, wantAt: "working_days"},
		{name: "negative margin", on: "2026-03-02", margin: -1, wantCode: EINVALID, wantAt: "margin_working_days"},
		{name: "no date", on: "", wantCode: EINVALID, wantAt: "sent_on"},
		{name: "out of range", on: "2100-01-04", wantCode: EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := consultationIn(ConsultationDraft)
			var on, due calendar.Date
			if tt.on != "" {
				on = cdate(tt.on)
			}
			if tt.caseDue != "" {
				due = cdate(tt.caseDue)
			}
			warning, err := c.Send(on, cal, due, tt.days, tt.margin)
			if tt.wantCode != "" {
				if ErrorCode(err) != tt.wantCode {
					t.Fatalf("err = %v, want %s", err, tt.wantCode)
				}
				if tt.wantAt != "" && !hasFieldError(err, tt.wantAt) {
					t.Errorf("fields = %v, want %s", ErrorFields(err), tt.wantAt)
				}
				if c.Status != ConsultationDraft || !c.RespondBy.IsZero() {
					t.Error("a failed send changed the consultation")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.RespondBy != cdate(tt.want) || c.SentOn != on || c.Status != ConsultationSent {
				t.Errorf("RespondBy %s SentOn %s Status %s, want %s", c.RespondBy, c.SentOn, c.Status, tt.want)
			}
			if (tt.wantWarning == "") != (warning == "") || !strings.Contains(warning, tt.wantWarning) {
				t.Errorf("warning = %q, want %q", warning, tt.wantWarning)
			}
		})
	}
}

func TestConsultationSend_NeedsAContact(t *testing.T) {
	c := consultationIn(ConsultationDraft)
	c.ContactEmail = ""
	if _, err := c.Send(cdate("2026-03-02"), calendar.Default(), calendar.Date{}, 0, 5); !hasFieldError(err, "contact_email") {
		t.Errorf("err = %v, want contact_email", err)
	}
}

func hasFieldError(err error, field string) bool {
	for _, f := range ErrorFields(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}

func TestSubmitRepresentation_KeepsEveryVersion(t *testing.T) {
	c := consultationIn(ConsultationSent)
	first := objection()
	if err := c.SubmitRepresentation(first, submittedAt); err != nil {
		t.Fatal(err)
	}
	first.ProposedExemptions[0].Section = "tampered" // the caller's slices are not shared
	second := Representation{Position: PositionNoObjection, Summary: "On reflection, no objection."}
	later := submittedAt.Add(48 * time.Hour)
	if err := c.SubmitRepresentation(second, later); err != nil {
		t.Fatal(err)
	}
	if len(c.Representations) != 2 || c.Status != ConsultationRepresentationsReceived {
		t.Fatalf("representations %d status %s", len(c.Representations), c.Status)
	}
	v1, v2 := c.Representations[0], c.Representations[1]
	if v1.Version != 1 || v2.Version != 2 || !v1.SubmittedAt.Equal(submittedAt) || !v2.SubmittedAt.Equal(later) {
		t.Errorf("versions %d@%v %d@%v", v1.Version, v1.SubmittedAt, v2.Version, v2.SubmittedAt)
	}
	if v1.ProposedExemptions[0].Section != "31(1)(e)" {
		t.Errorf("stored section = %q, want the canonical 31(1)(e)", v1.ProposedExemptions[0].Section)
	}
	if latest, ok := c.Latest(); !ok || latest.Position != PositionNoObjection {
		t.Errorf("Latest = %+v", latest)
	}
	if err := c.SubmitRepresentation(Representation{}, later); ErrorCode(err) != EINVALID || len(c.Representations) != 2 {
		t.Errorf("invalid representation: err %v, %d versions", err, len(c.Representations))
	}
	if err := c.Consider(Consideration{Outcome: ConsiderationAccepted, Reasons: "No objection."}); err != nil {
		t.Fatal(err)
	}
	if c.Consideration.RepresentationVersion != 2 {
		t.Errorf("considered version %d, want 2", c.Consideration.RepresentationVersion)
	}
	if err := c.SubmitRepresentation(objection(), later); ErrorCode(err) != ECONFLICT {
		t.Errorf("revision after consideration: %v, want conflict", err)
	}
}

func TestRepresentationValidate_NamesEachBadField(t *testing.T) {
	tests := []struct {
		name   string
		regime calendar.Regime
		edit   func(r *Representation)
		want   []string
	}{
		{"valid objection", "", func(r *Representation) {}, nil},
		{"valid no objection", "", func(r *Representation) {
			*r = Representation{Position: PositionNoObjection, Summary: "Content."}
		}, nil},
		{"unknown position", "", func(r *Representation) { r.Position = "maybe" }, []string{"position"}},
		{"no objection but proposes redactions", "", func(r *Representation) { r.Position = PositionNoObjection },
			[]string{"position"}},
		{"summary required", "", func(r *Representation) { r.Summary = "  " }, []string{"summary"}},
		{"objection without harm or exemption", "", func(r *Representation) {
			r.Position, r.Harm, r.ProposedExemptions = PositionObjectInFull, "", nil
		}, []string{"harm"}},
		{"objection with an exemption and no harm is fine", "", func(r *Representation) { r.Harm = "" }, nil},
		{"unknown section", "", func(r *Representation) {
			r.ProposedExemptions = append(r.ProposedExemptions, ProposedExemption{Section: "s.99", Reasons: "x"})
		}, []string{"proposed_exemptions[1].section"}},
		{"EIR section under FOIA", "", func(r *Representation) {
			r.ProposedExemptions[0].Section = "reg 12(5)(a)"
		}, []string{"proposed_exemptions[0].section"}},
		{"EIR section under EIR", calendar.RegimeEIR, func(r *Representation) {
			r.ProposedExemptions[0].Section = "reg 12(5)(a)"
		}, nil},
		{"procedural ground is not an exemption", "", func(r *Representation) {
			r.ProposedExemptions[0].Section = "s.12"
		}, []string{"proposed_exemptions[0].section"}},
		{"section proposed twice", "", func(r *Representation) {
			r.ProposedExemptions = append(r.ProposedExemptions, ProposedExemption{Section: "31(1)(E)", Reasons: "x"})
		}, []string{"proposed_exemptions[1].section"}},
		{"empty section and reasons", "", func(r *Representation) {
			r.ProposedExemptions = append(r.ProposedExemptions, ProposedExemption{})
		}, []string{"proposed_exemptions[1].section", "proposed_exemptions[1].reasons"}},
		{"redaction fields", "", func(r *Representation) {
			r.ProposedRedactions = append(r.ProposedRedactions, ProposedRedaction{})
		}, []string{"proposed_redactions[1].document_id", "proposed_redactions[1].passage", "proposed_redactions[1].reasons"}},
		{"bad attachment", "", func(r *Representation) { r.AttachmentIDs = []int64{3, 0} }, []string{"attachments[1]"}},
		{"too long", "", func(r *Representation) { r.Summary = strings.Repeat("x", MaxConsultationText+1) },
			[]string{"summary"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := objection()
			tt.edit(&r)
			err := r.Validate(tt.regime)
			var got []string
			for _, f := range ErrorFields(err) {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("fields = %v (err %v), want %v", got, err, tt.want)
			}
			if tt.want != nil && ErrorCode(err) != EINVALID {
				t.Errorf("code = %q", ErrorCode(err))
			}
		})
	}
	r := objection()
	if err := r.Validate("gdpr"); ErrorCode(err) != EINVALID {
		t.Errorf("unknown regime: %v", err)
	}
}

func TestConsider_Validation(t *testing.T) {
	for _, k := range []Consideration{
		{Outcome: "maybe", Reasons: "x"},
		{Outcome: ConsiderationAccepted, Reasons: " "},
	} {
		c := consultationIn(ConsultationRepresentationsReceived)
		if err := c.Consider(k); ErrorCode(err) != EINVALID || c.Status != ConsultationRepresentationsReceived {
			t.Errorf("Consider(%+v) = %v", k, err)
		}
	}
	c := consultationIn(ConsultationRepresentationsReceived)
	at := time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC) // 00:30 on 1 April in London
	if err := c.Consider(Consideration{Outcome: ConsiderationPartlyAccepted, Reasons: "In part.", ConsideredAt: at}); err != nil {
		t.Fatal(err)
	}
	if c.ResolvedOn != cdate("2026-04-01") {
		t.Errorf("ResolvedOn = %s", c.ResolvedOn)
	}
}

func TestCloseWithoutRepresentations_NamesWhatIsMissing(t *testing.T) {
	tests := []struct {
		name        string
		today       string
		reminders   int
		escalatedOn string
		wantMissing []string
	}{
		{"all met", "2026-03-10", 1, "2026-03-09", nil},
		{"on the respond-by date itself", "2026-03-09", 1, "2026-03-09", []string{MissingRespondByPassed}},
		{"no reminder", "2026-03-10", 0, "2026-03-09", []string{MissingReminder}},
		{"no escalation", "2026-03-10", 1, "", []string{MissingEscalation}},
		{"nothing", "2026-03-05", 0, "", []string{MissingRespondByPassed, MissingReminder, MissingEscalation}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := consultationIn(ConsultationSent)
			c.RemindersSent = tt.reminders
			c.EscalatedOn = calendar.Date{}
			if tt.escalatedOn != "" {
				c.EscalatedOn = cdate(tt.escalatedOn)
			}
			err := c.CloseWithoutRepresentations("No reply by the date.", cdate(tt.today))
			if tt.wantMissing == nil {
				if err != nil || c.Status != ConsultationClosedWithoutRepresentations || c.ResolvedOn != cdate(tt.today) ||
					c.ClosureReasons != "No reply by the date." {
					t.Fatalf("err %v, consultation %+v", err, c)
				}
				return
			}
			if ErrorCode(err) != ECONFLICT {
				t.Fatalf("err = %v, want conflict", err)
			}
			if got := err.(*Error).Detail["missing"]; !reflect.DeepEqual(got, tt.wantMissing) {
				t.Errorf("missing = %v, want %v (message %q)", got, tt.wantMissing, err)
			}
		})
	}
	c := consultationIn(ConsultationSent)
	if err := c.CloseWithoutRepresentations("  ", cdate("2026-03-10")); !hasFieldError(err, "reasons") || c.Status != ConsultationSent {
		t.Errorf("empty reasons: %v", err)
	}
	msg := ErrorMessage(func() error {
		c := consultationIn(ConsultationSent)
		c.RemindersSent, c.EscalatedOn = 0, calendar.Date{}
		return c.CloseWithoutRepresentations("x", cdate("2026-03-09"))
	}())
	want := "This consultation can be closed without representations only once the respond-by date (2026-03-09) has " +
		"passed, a reminder was sent and the escalation was sent."
	if msg != want {
		t.Errorf("message = %q", msg)
	}
}

func TestWaive_NeedsReasons(t *testing.T) {
	c := consultationIn(ConsultationSent)
	if err := c.Waive(" ", cdate("2026-03-04")); !hasFieldError(err, "reasons") || c.Status != ConsultationSent {
		t.Errorf("err = %v", err)
	}
	if err := c.Waive(" Already published. ", cdate("2026-03-04")); err != nil || c.WaiverReasons != "Already published." ||
		c.ResolvedOn != cdate("2026-03-04") {
		t.Errorf("err %v, %+v", err, c)
	}
}

func TestRecordEscalation_KeepsTheFirstDate(t *testing.T) {
	c := consultationIn(ConsultationSent)
	c.EscalatedOn = calendar.Date{}
	if err := c.RecordEscalation(cdate("2026-03-10")); err != nil {
		t.Fatal(err)
	}
	if err := c.RecordEscalation(cdate("2026-03-11")); err != nil || c.EscalatedOn != cdate("2026-03-10") {
		t.Errorf("err %v EscalatedOn %s", err, c.EscalatedOn)
	}
	if err := c.RecordReminder(calendar.Date{}); ErrorCode(err) != EINVALID {
		t.Errorf("zero reminder date: %v", err)
	}
}

func TestNeedsDispute(t *testing.T) {
	considered := func(pos Position, outcome ConsiderationOutcome) Consultation {
		c := consultationIn(ConsultationConsidered)
		c.Representations[0].Position = pos
		c.Consideration.Outcome = outcome
		return c
	}
	tests := []struct {
		name      string
		c         Consultation
		discloses bool
		want      bool
	}{
		{"objection not accepted, disclosing", considered(PositionObjectInFull, ConsiderationNotAccepted), true, true},
		{"objection partly accepted, disclosing", considered(PositionObjectInPart, ConsiderationPartlyAccepted), true, true},
		{"objection accepted", considered(PositionObjectInFull, ConsiderationAccepted), true, false},
		{"objection not accepted, withholding", considered(PositionObjectInFull, ConsiderationNotAccepted), false, false},
		{"no objection", considered(PositionNoObjection, ConsiderationNotAccepted), true, false},
		{"not yet considered", consultationIn(ConsultationRepresentationsReceived), true, false},
		{"closed without representations", consultationIn(ConsultationClosedWithoutRepresentations), true, false},
		{"waived", consultationIn(ConsultationWaived), true, false},
	}
	for _, tt := range tests {
		if got := NeedsDispute(tt.c, tt.discloses); got != tt.want {
			t.Errorf("%s: NeedsDispute = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestPack_HasNoRequesterAndSharesNothing(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeFor[ConsultationPack](), reflect.TypeFor[PackDocument]()} {
		for f := range typ.Fields() {
			ft := f.Type
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			if strings.Contains(strings.ToLower(f.Name), "requester") || ft == reflect.TypeFor[Requester]() ||
				ft == reflect.TypeFor[Case]() {
				t.Errorf("%s.%s exposes the requester or the case", typ.Name(), f.Name)
			}
		}
	}
	c := consultationIn(ConsultationSent)
	c.AssetCodes = []string{"npd-pupil-matches"}
	c.InformationAtIssue = "Counts of requests in 2016."
	docs := []PackDocument{{DocumentID: 7, Name: "briefing.pdf", Version: 2,
		ProposedRedactions: []ProposedRedaction{{DocumentID: 7, Passage: "p.3", Reasons: "Names."}}}}
	p := c.Pack("How many requests...?", "Dear requester, ...", docs...)
	if p.ConsultationID != 9 || p.Question != DefaultConsultationQuestion || p.RequestText != "How many requests...?" ||
		p.DraftResponse != "Dear requester, ..." || p.InformationAtIssue != c.InformationAtIssue ||
		p.RespondBy != c.RespondBy || len(p.Documents) != 1 || p.Documents[0].ProposedRedactions[0].Passage != "p.3" {
		t.Errorf("pack = %+v", p)
	}
	docs[0].ProposedRedactions[0].Passage = "changed"
	c.AssetCodes[0] = "changed"
	if p.Documents[0].ProposedRedactions[0].Passage != "p.3" || p.AssetCodes[0] != "npd-pupil-matches" {
		t.Error("the pack shares slices with its inputs")
	}
}

func TestConsultationValidate(t *testing.T) {
	c := NewConsultation(5, calendar.RegimeFOIA, testPartyHO, testPartyHO)
	c.Question = " "
	c.ContactEmail = "not an email"
	err := c.Validate()
	for _, f := range []string{"question", "contact_email", "consulted_party"} {
		if !hasFieldError(err, f) {
			t.Errorf("missing %s in %v", f, ErrorFields(err))
		}
	}
	ok := consultationIn(ConsultationDraft)
	if err := ok.Validate(); err != nil {
		t.Error(err)
	}
	if s := ok.Scope(); s.OwnerPartyID != testPartyHO || s.ConsultedPartyID != testPartyDFE {
		t.Errorf("scope = %+v", s)
	}
}

func TestPositionAndOutcomeLabels(t *testing.T) {
	for _, p := range Positions {
		if !p.Valid() || p.Label() == string(p) || p.Objects() == (p == PositionNoObjection) {
			t.Errorf("%s: Valid %v Label %q Objects %v", p, p.Valid(), p.Label(), p.Objects())
		}
	}
	for _, o := range ConsiderationOutcomes {
		if !o.Valid() || o.Label() == string(o) {
			t.Errorf("%s: Valid %v Label %q", o, o.Valid(), o.Label())
		}
	}
	if Position("x").Label() != "x" || ConsiderationOutcome("x").Label() != "x" {
		t.Error("unknown values label as themselves")
	}
	var c Consultation
	if _, ok := c.Latest(); ok {
		t.Error("no representations, no latest")
	}
}
