package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
)

// formPartials parses _form.html with a template that renders one partial for a FormField.
func formPartials(t *testing.T) *template.Template {
	t.Helper()
	tpl, err := template.New("x").Funcs(templateFuncs).ParseFS(templateFiles, "templates/_form.html")
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func renderPartial(t *testing.T, name string, ff FormField) string {
	t.Helper()
	var b strings.Builder
	if err := formPartials(t).ExecuteTemplate(&b, name, ff); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b.String()
}

func TestForm_MapsDomainFieldErrorsToInputIDs(t *testing.T) {
	f := NewForm(url.Values{"requester_email": {"not an email"}, "received_at-day": {"31"}, "received_at-month": {"2"},
		"received_at-year": {"2026"}})
	if d := f.Date("received_at", "the date the request was received", true); !d.IsZero() {
		t.Fatalf("31 February gave %s", d)
	}
	var v foi.Validation
	v.Add("requester.email", "Enter an email address in the correct format")
	v.Add("subject", "Enter a subject")
	v.Add("subject", "A second error about the same field is not shown")
	if !f.Fail(v.Err()) {
		t.Fatal("a validation error is the user's to fix")
	}
	want := []FieldError{
		{Field: "received_at-day", Message: "The date the request was received must be a real date"},
		{Field: "requester_email", Message: "Enter an email address in the correct format"},
		{Field: "subject", Message: "Enter a subject"},
	}
	got := f.Errors()
	if len(got) != len(want) {
		t.Fatalf("errors %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("error %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if f.Status() != http.StatusUnprocessableEntity || f.OK() {
		t.Errorf("status %d ok %v", f.Status(), f.OK())
	}
	if f.Get("requester_email") != "not an email" {
		t.Error("what the user typed is lost")
	}
}

func TestForm_DateInputMessages(t *testing.T) {
	for _, tc := range []struct {
		day, month, year string
		required         bool
		wantID, wantMsg  string
		want             calendar.Date
	}{
		{"", "", "", true, "on-day", "Enter the date", calendar.Date{}},
		{"", "", "", false, "", "", calendar.Date{}},
		{"3", "", "2026", true, "on-month", "The date must include a month", calendar.Date{}},
		{"3", "4", "26", true, "on-day", "The date must be a real date", calendar.Date{}},
		{" 03", "04 ", "2026", true, "", "", calendar.NewDate(2026, 4, 3)},
	} {
		f := NewForm(url.Values{"on-day": {tc.day}, "on-month": {tc.month}, "on-year": {tc.year}})
		d := f.Date("on", "the date", tc.required)
		if d != tc.want {
			t.Errorf("%q %q %q: %s, want %s", tc.day, tc.month, tc.year, d, tc.want)
		}
		if tc.wantMsg == "" {
			if !f.OK() {
				t.Errorf("%q %q %q: errors %+v", tc.day, tc.month, tc.year, f.Errors())
			}
			continue
		}
		if f.Error(tc.wantID) != tc.wantMsg {
			t.Errorf("%q %q %q: errors %+v, want %s on %s", tc.day, tc.month, tc.year, f.Errors(), tc.wantMsg, tc.wantID)
		}
	}
}

func TestForm_ConflictsAndStalePagesAreShownOtherErrorsAreNot(t *testing.T) {
	f := NewForm(nil)
	if !f.Fail(foi.Errorf(foi.ECONFLICT, "The case is closed.")) || f.Status() != http.StatusConflict ||
		f.Errors()[0] != (FieldError{Message: "The case is closed."}) {
		t.Errorf("conflict: %d %+v", f.Status(), f.Errors())
	}
	gate := foi.CheckDisclosureGate([]foi.Consultation{{ID: 1, ConsultedPartyCode: "HO", Status: foi.ConsultationSent}})
	if f := NewForm(nil); !f.Fail(gate) || len(f.Errors()) != 2 || !strings.HasPrefix(f.Errors()[1].Message, "Waiting for representations from HO") {
		t.Errorf("gate: %+v", f.Errors())
	}
	if f := NewForm(nil); !f.Fail(foi.Errorf(foi.EPRECONDITION, "stale")) || f.Status() != http.StatusPreconditionFailed {
		t.Errorf("stale: %d", f.Status())
	}
	for _, code := range []string{foi.ENOTFOUND, foi.EFORBIDDEN, foi.EINTERNAL} {
		if f := NewForm(nil); f.Fail(foi.Errorf(code, "x")) || !f.OK() {
			t.Errorf("%s is shown on the form", code)
		}
	}
}

func TestFormPartials_KeepInputAndShowInlineErrors(t *testing.T) {
	f := NewForm(url.Values{"subject": {`<b>"Pupils"</b>`}, "asset_codes": {"npd", "cid"}, "regime": {"eir"}})
	f.AddError("subject", "Subject must be 200 characters or fewer")
	ff, err := field(f, "subject", "Subject", "hint", "A few words", "width", "20")
	if err != nil {
		t.Fatal(err)
	}
	out := renderPartial(t, "textInput", ff)
	for _, want := range []string{`govuk-form-group--error`, `id="subject"`, `name="subject"`,
		`value="&lt;b&gt;&#34;Pupils&#34;&lt;/b&gt;"`, `id="subject-error"`, `aria-describedby="subject-hint subject-error"`,
		`govuk-input--width-20 govuk-input--error`, `<label class="govuk-label govuk-label--s" for="subject">Subject</label>`} {
		if !strings.Contains(out, want) {
			t.Errorf("textInput lacks %s:\n%s", want, out)
		}
	}

	opts := []Option{{Value: "npd", Label: "NPD"}, {Value: "sls", Label: "SLS"}, {Value: "cid", Label: "CID", Hint: "Home Office"}}
	ff, _ = field(f, "asset_codes", "Assets", "options", opts)
	out = renderPartial(t, "checkboxes", ff)
	for _, want := range []string{`id="asset_codes" name="asset_codes" type="checkbox" value="npd" checked`,
		`id="asset_codes-2" name="asset_codes" type="checkbox" value="sls">`,
		`id="asset_codes-3" name="asset_codes" type="checkbox" value="cid" checked aria-describedby="asset_codes-3-item-hint"`} {
		if !strings.Contains(out, want) {
			t.Errorf("checkboxes lack %s:\n%s", want, out)
		}
	}
	ff, _ = field(f, "regime", "Regime", "options", templateFuncs["options"].(func(...string) []Option)("foia", "FOIA", "eir", "EIR"), "inline", true)
	out = renderPartial(t, "radios", ff)
	if !strings.Contains(out, `value="eir" checked`) || strings.Contains(out, `value="foia" checked`) || !strings.Contains(out, "govuk-radios--inline") {
		t.Errorf("radios:\n%s", out)
	}
	out = renderPartial(t, "select", ff)
	if !strings.Contains(out, `<option value="eir" selected>EIR</option>`) {
		t.Errorf("select:\n%s", out)
	}

	f.Set("on-day", "30")
	f.Set("on-month", "2")
	f.Set("on-year", "2026")
	f.Date("on", "the date", true)
	ff, _ = field(f, "on", "When")
	out = renderPartial(t, "dateInput", ff)
	for _, want := range []string{`id="on-day" name="on-day" type="text" inputmode="numeric" value="30"`, `id="on-error"`,
		`The date must be a real date`, `govuk-input--width-4 govuk-input--error`} {
		if !strings.Contains(out, want) {
			t.Errorf("dateInput lacks %s:\n%s", want, out)
		}
	}
	ff, _ = field(f, "request_text", "Request", "rows", 3)
	if out = renderPartial(t, "textarea", ff); !strings.Contains(out, `rows="3"`) || strings.Contains(out, "error") {
		t.Errorf("textarea:\n%s", out)
	}
	if _, err := field(f, "x", "X", "colour", "red"); err == nil {
		t.Error("an unknown option is accepted")
	}
	if _, err := field(f, "x", "X", "rows", "3"); err == nil {
		t.Error("an option of the wrong type is accepted")
	}
}

func TestFlash_OnlyItsOwnSessionCanReadIt(t *testing.T) {
	v := signFlash("session-token", "Case DFE-FOI-2026-000001 created")
	if got := verifyFlash("session-token", v); got != "Case DFE-FOI-2026-000001 created" {
		t.Errorf("verify: %q", got)
	}
	if got := verifyFlash("another-token", v); got != "" {
		t.Errorf("another session read %q", got)
	}
	forged := signFlash("guess", "Pay now at evil.example") // a forged message with the wrong key
	if got := verifyFlash("session-token", forged); got != "" {
		t.Errorf("forged flash shown: %q", got)
	}
	for _, bad := range []string{"", ".", "no-dot", "!!.!!"} {
		if got := verifyFlash("session-token", bad); got != "" {
			t.Errorf("%q gave %q", bad, got)
		}
	}
}
