package foi_test

import (
	"slices"
	"strings"
	"testing"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
)

func TestDefaultLetters_RenderWithEverySample(t *testing.T) {
	ts := foi.DefaultLetterTemplates()
	if len(ts) != len(foi.LetterKeys) {
		t.Fatalf("%d defaults for %d keys", len(ts), len(foi.LetterKeys))
	}
	for _, tmpl := range ts {
		if _, err := foi.CheckLetterTemplate(tmpl.Key, tmpl.Title, tmpl.Body); err != nil {
			t.Errorf("%s does not check: %v %v", tmpl.Key, err, foi.ErrorFields(err))
		}
		for _, d := range foi.SampleLetterData() {
			text, err := foi.RenderLetter(tmpl.Body, d)
			if err != nil {
				t.Fatalf("%s: %v", tmpl.Key, err)
			}
			for _, want := range []string{d.Organisation, d.Reference, d.OfficerName, d.Today} {
				if !strings.Contains(text, want) {
					t.Errorf("%s lacks %q:\n%s", tmpl.Key, want, text)
				}
			}
			if strings.Contains(text, "<no value>") || strings.Contains(text, "\n\n\n") || strings.Contains(text, " \n") {
				t.Errorf("%s is untidy:\n%s", tmpl.Key, text)
			}
		}
	}
}

func TestRefusalNotice_ListsEachExemptionWithPITAndRights(t *testing.T) {
	tmpl, _ := foi.DefaultLetterTemplate(foi.LetterRefusalNotice)
	d := foi.SampleLetterData()[0]
	text, err := foi.RenderLetter(tmpl.Body, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"s.31(1)(e): Law enforcement: operation of the immigration controls",
		"Public interest in releasing the information: Transparency about how pupil data is used.",
		"Public interest in withholding the information: Disclosure would help people evade immigration controls.",
		"Our conclusion: The public interest favours withholding the information.",
		"s.40(2): Personal information (third party)",
		"absolute exemption, so the public interest test does not apply",
		"section 17 of the Freedom of Information Act 2000",
		"Your right to ask for a review", "by 29 April 2026", "Information Commissioner's Office",
		"section 50", "Dear Ada Requester,",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("refusal notice lacks %q:\n%s", want, text)
		}
	}
	eir, _ := foi.RenderLetter(tmpl.Body, foi.SampleLetterData()[2])
	for _, want := range []string{"regulation 14", "reg 12(5)(a)", "regulation 11", "regulation 18", "presumption in favour of disclosure"} {
		if !strings.Contains(eir, want) {
			t.Errorf("EIR refusal lacks %q:\n%s", want, eir)
		}
	}
}

func TestLetterDataFor_BuildsTheDocumentedModel(t *testing.T) {
	c := &foi.Case{Reference: "DFE-FOI-2026-000001", Regime: calendar.RegimeFOIA, ReceivedOn: calendar.NewDate(2026, 2, 20),
		DueOn: calendar.NewDate(2026, 3, 23), Requester: &foi.Requester{Name: "Ada"}}
	dec, err := foi.CheckResponseDraft(c, foi.ResponseDraft{Outcome: foi.OutcomeWithheldInFull, Exemptions: []string{"40(2)", "31(1)(e)"},
		PublicInterest: map[string]foi.PublicInterestTest{"31(1)(e)": {Conclusion: "Withhold"}}})
	if err != nil {
		t.Fatal(err)
	}
	today := calendar.NewDate(2026, 3, 2)
	// 40 working days: St Patrick's Day, Good Friday and Easter Monday skipped.
	by, err := foi.ReviewBy(nil, today)
	if err != nil || by != calendar.NewDate(2026, 4, 30) {
		t.Fatalf("review by %s, %v", by, err)
	}
	d := foi.LetterDataFor(c, &dec, "Department for Education", "Olive Officer", today, by)
	if d.ReceivedOn != "20 February 2026" || d.DueOn != "23 March 2026" || d.ReviewBy != "30 April 2026" || !d.Withheld ||
		d.Outcome != "Withheld in full" || d.RequesterName != "Ada" || len(d.Exemptions) != 2 ||
		d.Exemptions[0].Citation != "s.31(1)(e)" || d.Exemptions[0].Conclusion != "Withhold" || d.Exemptions[1].Qualified {
		t.Errorf("data = %+v", d)
	}
}

func TestCheckLetterTemplate_RejectsBrokenTemplates(t *testing.T) {
	for _, tt := range []struct{ key, title, body, field string }{
		{"refusal_notice", "T", "Dear {{.RequesterName}", "body"},
		{"refusal_notice", "T", "Dear {{.Nobody}}", "body"},
		{"refusal_notice", "T", "{{range .Exemptions}}{{.Secret}}{{end}}", "body"},
		{"refusal_notice", "T", `{{define "x"}}{{template "x"}}{{end}}{{template "x"}}`, "body"},
		{"refusal_notice", "", "Hello", "title"},
		{"refusal_notice", "T", " ", "body"},
	} {
		_, err := foi.CheckLetterTemplate(tt.key, tt.title, tt.body)
		if foi.ErrorCode(err) != foi.EINVALID || !slices.Contains(fields(err), tt.field) {
			t.Errorf("%q: %v %v, want EINVALID naming %s", tt.body, err, foi.ErrorFields(err), tt.field)
		}
	}
	if _, err := foi.CheckLetterTemplate("nope", "T", "Hello"); foi.ErrorCode(err) != foi.ENOTFOUND {
		t.Errorf("unknown key: %v", err)
	}
	_, err := foi.CheckLetterTemplate("refusal_notice", "T", "Dear {{.RequesterName}")
	if !strings.Contains(foi.ErrorMessage(err), "does not parse") {
		t.Errorf("the parse error is not shown: %v", err)
	}
	if _, err := foi.RenderLetter(`{{range .Exemptions}}{{.Citation}}{{end}}{{define "a"}}xxxxxxxxxx{{end}}`+strings.Repeat(`{{template "a"}}`, 30000), foi.SampleLetterData()[0]); foi.ErrorCode(err) != foi.EINVALID {
		t.Errorf("a runaway letter: %v", err)
	}
}
