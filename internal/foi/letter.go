package foi

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"foidesk/internal/calendar"
)

// Letters are the texts foidesk writes to requesters: editable Go text/template templates with defaults built
// into the binary (plain GOV.UK-style wording in UK English). An admin's edit (a letter_templates row) overrides
// the default of the same key. Rendering only produces text: sending is the response's job, or the officer's.
//
// The data model a template sees is LetterData, and only that: strings, one flag and a list of exemptions,
// with every date already written for people ("2 March 2026"). Bracketed text such as "[amount]" in the
// defaults is for the officer to complete before sending.

// The letter template keys.
const (
	LetterAcknowledgement = "acknowledgement" // the request was received, with the date we will reply by
	LetterClarification   = "clarification"   // s.1(3) / reg 9: we need more detail
	LetterFeeNotice       = "fee_notice"      // s.9 / reg 8: a fee is payable before we answer
	LetterPITExtension    = "pit_extension"   // s.10(3) and s.17(2) / reg 7: we need more time
	LetterRefusalNotice   = "refusal_notice"  // s.17 / reg 14: what is withheld, why, and the requester's rights
	LetterFullResponse    = "full_response"   // nothing withheld, with the requester's rights
)

// LetterKeys lists the letter template keys in the order a case meets them.
var LetterKeys = []string{LetterAcknowledgement, LetterClarification, LetterFeeNotice, LetterPITExtension,
	LetterRefusalNotice, LetterFullResponse}

// IsLetterKey reports whether key names a letter template.
func IsLetterKey(key string) bool { return slices.Contains(LetterKeys, key) }

// Limits on an edited letter template, in characters.
const (
	MaxLetterTitle    = 200
	MaxLetterTemplate = 50000
	// maxLetterOutput bounds what one rendering may write, so that a template cannot fill memory.
	maxLetterOutput = 200000
)

// LetterTemplate is one letter template as it is in force: the admin's edit, or the built-in default.
type LetterTemplate struct {
	Key   string
	Title string
	Body  string // Go text/template source over LetterData
	// Custom is true when an admin's edit overrides the default; UpdatedBy and UpdatedAt say whose and when.
	Custom    bool
	UpdatedBy string
	UpdatedAt *time.Time
}

// LetterData is everything a letter template can use.
type LetterData struct {
	Organisation  string // the party answering: "Department for Education"
	OfficerName   string // who signs: the person rendering the letter
	Reference     string // "DFE-FOI-2026-000123"
	Today         string // the date of the letter
	ReceivedOn    string // the date the request arrived
	DueOn         string // the date we must reply by ("" while the clock is stopped)
	RequesterName string // "" when the requester gave none
	EIR           bool   // handled under the EIR rather than FOIA
	Law           string // "the Freedom of Information Act 2000" or "the Environmental Information Regulations 2004"
	Outcome       string // the outcome's label, "Partially withheld" ("" before a decision)
	OutcomeCode   string // the outcome's code, "partially_withheld", for {{if eq .OutcomeCode "..."}}
	Withheld      bool   // the outcome withholds information: the letter is a refusal notice
	Exemptions    []LetterExemption
	ReviewBy      string // the last day to ask for an internal review: 40 working days after Today
}

// LetterExemption is an exemption as a letter cites it.
type LetterExemption struct {
	Citation          string // "s.31(1)(e)" or "reg 12(5)(b)"
	Name              string // "Law enforcement: operation of the immigration controls"
	Qualified         bool   // the public interest test applies
	FavourDisclosure  string // the public interest factors for disclosure ("" when not qualified)
	FavourWithholding string // the factors for withholding
	Conclusion        string // the conclusion of the test
}

// LetterDataFor builds the data of a letter for case c: dec is the decision (nil before one), organisation
// the party's name, officer the signer's name, today the date of the letter, and reviewBy the last day for an
// internal review (usually ReviewBy(cal, today); zero leaves it blank).
func LetterDataFor(c *Case, dec *Decision, organisation, officer string, today, reviewBy calendar.Date) LetterData {
	d := LetterData{Organisation: organisation, OfficerName: officer, Reference: c.Reference, Today: govDate(today),
		ReceivedOn: govDate(c.ReceivedOn), DueOn: govDate(c.DueOn), EIR: c.Regime == calendar.RegimeEIR,
		Law: "the Freedom of Information Act 2000", ReviewBy: govDate(reviewBy), Exemptions: []LetterExemption{}}
	if d.EIR {
		d.Law = "the Environmental Information Regulations 2004"
	}
	if c.Requester != nil {
		d.RequesterName = c.Requester.Name
	}
	if dec != nil {
		d.Outcome, d.OutcomeCode, d.Withheld = dec.Outcome.Label(), string(dec.Outcome), dec.Outcome.Withholds()
		for _, e := range dec.Exemptions {
			le := LetterExemption{Citation: e.Citation(), Name: e.Name, Qualified: e.Qualified}
			if e.PIT != nil {
				le.FavourDisclosure, le.FavourWithholding, le.Conclusion = e.PIT.FavourDisclosure, e.PIT.FavourWithholding, e.PIT.Conclusion
			}
			d.Exemptions = append(d.Exemptions, le)
		}
	}
	return d
}

// RenderLetter renders a letter template's source with data. Lines lose trailing spaces and runs of blank
// lines become one, so templates may use actions freely. It returns EINVALID naming "body" with the parser's
// or executor's message when the template is broken, or when it would write more than 200,000 bytes.
func RenderLetter(body string, data LetterData) (string, error) {
	t, err := template.New("letter").Option("missingkey=error").Parse(body)
	if err != nil {
		return "", invalidField("body", "The template does not parse: "+templateMessage(err))
	}
	var buf bytes.Buffer
	if err := t.Execute(&limitWriter{w: &buf, n: maxLetterOutput}, data); err != nil {
		if errors.Is(err, errLetterTooLong) {
			return "", invalidField("body", "The template writes more than 200,000 characters")
		}
		return "", invalidField("body", "The template does not render: "+templateMessage(err))
	}
	return tidyLetter(buf.String()), nil
}

var templateNameRE = regexp.MustCompile(`^template: letter:`)

// templateMessage shortens a text/template error to its position and reason.
func templateMessage(err error) string {
	return strings.TrimSpace(templateNameRE.ReplaceAllString(err.Error(), "line "))
}

var errLetterTooLong = errors.New("letter too long")

// limitWriter fails once more than n bytes have been written.
type limitWriter struct {
	w *bytes.Buffer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.w.Len()+len(p) > l.n {
		return 0, errLetterTooLong
	}
	return l.w.Write(p)
}

// tidyLetter trims trailing spaces from each line, collapses runs of blank lines to one and trims the ends.
func tidyLetter(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		out = append(out, l)
		blank = false
	}
	return strings.TrimSpace(strings.Join(out, "\n")) + "\n"
}

// SampleLetterData returns the data a template is checked against before it is saved: a FOIA refusal with a
// qualified and an absolute exemption, a FOIA grant in full with no requester name, and an EIR refusal.
func SampleLetterData() []LetterData {
	base := LetterData{Organisation: "Department for Education", OfficerName: "Olive Officer",
		Reference: "DFE-FOI-2026-000123", Today: "2 March 2026", ReceivedOn: "20 February 2026", DueOn: "23 March 2026",
		RequesterName: "Ada Requester", Law: "the Freedom of Information Act 2000", ReviewBy: "29 April 2026"}
	refusal := base
	refusal.Outcome, refusal.OutcomeCode, refusal.Withheld = OutcomePartiallyWithheld.Label(), string(OutcomePartiallyWithheld), true
	refusal.Exemptions = []LetterExemption{
		{Citation: "s.31(1)(e)", Name: "Law enforcement: operation of the immigration controls", Qualified: true,
			FavourDisclosure:  "Transparency about how pupil data is used.",
			FavourWithholding: "Disclosure would help people evade immigration controls.",
			Conclusion:        "The public interest favours withholding the information."},
		{Citation: "s.40(2)", Name: "Personal information (third party)"},
	}
	granted := base
	granted.RequesterName = ""
	granted.Outcome, granted.OutcomeCode = OutcomeGrantedInFull.Label(), string(OutcomeGrantedInFull)
	granted.Exemptions = []LetterExemption{}
	eir := refusal
	eir.EIR, eir.Law, eir.Reference = true, "the Environmental Information Regulations 2004", "DFE-EIR-2026-000007"
	eir.Outcome, eir.OutcomeCode = OutcomeWithheldInFull.Label(), string(OutcomeWithheldInFull)
	eir.Exemptions = []LetterExemption{{Citation: "reg 12(5)(a)", Name: "International relations, defence, national security or public safety",
		Qualified: true, FavourDisclosure: "Openness.", FavourWithholding: "Public safety.", Conclusion: "Withhold."}}
	return []LetterData{refusal, granted, eir}
}

// CheckLetterTemplate validates an edited template: the key must be known (ENOTFOUND otherwise), the title one
// line of up to 200 characters ("title"), and the body must parse and render against every SampleLetterData
// ("body", with the parser's message). It returns the trimmed title.
func CheckLetterTemplate(key, title, body string) (string, error) {
	if !IsLetterKey(key) {
		return "", Errorf(ENOTFOUND, "There is no letter template %q: the templates are %s.", key, strings.Join(LetterKeys, ", "))
	}
	var v Validation
	title = strings.TrimSpace(title)
	switch {
	case title == "":
		v.Add("title", "Enter a title for the letter")
	case strings.ContainsAny(title, "\r\n") || utf8.RuneCountInString(title) > MaxLetterTitle:
		v.Add("title", "The title must be one line of 200 characters or fewer")
	}
	switch {
	case strings.TrimSpace(body) == "":
		v.Add("body", "Enter the text of the letter")
	case !utf8.ValidString(body) || utf8.RuneCountInString(body) > MaxLetterTemplate:
		v.Add("body", "The letter must be UTF-8 text of 50,000 characters or fewer")
	default:
		for _, d := range SampleLetterData() {
			if _, err := RenderLetter(body, d); err != nil {
				for _, f := range ErrorFields(err) {
					v.Add(f.Field, f.Message)
				}
				break
			}
		}
	}
	return title, v.Err()
}

// DefaultLetterTemplates returns the built-in templates, in LetterKeys order.
func DefaultLetterTemplates() []LetterTemplate {
	out := make([]LetterTemplate, 0, len(LetterKeys))
	for _, k := range LetterKeys {
		t, _ := DefaultLetterTemplate(k)
		out = append(out, t)
	}
	return out
}

// DefaultLetterTemplate returns the built-in template for key, and false for an unknown key.
func DefaultLetterTemplate(key string) (LetterTemplate, bool) {
	d, ok := defaultLetters[key]
	if !ok {
		return LetterTemplate{}, false
	}
	return LetterTemplate{Key: key, Title: d.title, Body: strings.TrimLeft(d.body, "\n")}, true
}

// RenderedLetter is a letter rendered for a case.
type RenderedLetter struct {
	Key       string
	Title     string
	CaseID    int64
	Reference string
	Text      string
}

// LetterService manages letter templates and renders letters for cases.
type LetterService interface {
	// LetterTemplates returns every template as it is in force, in LetterKeys order; any signed-in user.
	LetterTemplates(ctx context.Context) ([]LetterTemplate, error)
	// SetLetterTemplate replaces a template's title and body (admins only: EFORBIDDEN otherwise); ENOTFOUND
	// for an unknown key; EINVALID naming "title" or "body" (with the parse error) when they do not check.
	SetLetterTemplate(ctx context.Context, key, title, body string) (LetterTemplate, error)
	// RenderCaseLetter renders a letter for a case (officers and decision-makers of its party) and audits it;
	// nothing is sent.
	RenderCaseLetter(ctx context.Context, caseID int64, key string) (RenderedLetter, error)
}

// rights is the internal review and ICO paragraphs every response carries (s.17(7), reg 14(5)).
const rights = `
Your right to ask for a review

If you are unhappy with this response, you can ask us to review it. Please write to us by {{.ReviewBy}}, which is 40 working days from the date of this letter, and quote our reference {{.Reference}}.
{{if .EIR}}
Under regulation 11 of the Environmental Information Regulations 2004 we must reconsider our decision and tell you the outcome within 40 working days of receiving your request for a review.
{{else}}
Someone who was not involved in the original decision will carry out the review. We aim to reply within 20 working days.
{{end}}
Your right to complain to the Information Commissioner

If you are still unhappy after the review, you can complain to the Information Commissioner's Office (ICO){{if .EIR}} under regulation 18 of the Environmental Information Regulations 2004{{else}} under section 50 of the Freedom of Information Act 2000{{end}}. The ICO usually expects you to have asked for a review first, and asks that you complain within 6 weeks of our final response.

Information Commissioner's Office
Wycliffe House
Water Lane
Wilmslow
Cheshire
SK9 5AF
Website: ico.org.uk/make-a-complaint
`

const letterHead = `{{.Organisation}}
Our reference: {{.Reference}}
{{.Today}}

Dear {{with .RequesterName}}{{.}}{{else}}requester{{end}},
`

const letterSign = `
Yours sincerely,

{{.OfficerName}}
{{.Organisation}}
`

var defaultLetters = map[string]struct{ title, body string }{
	LetterAcknowledgement: {"Acknowledgement of your request", letterHead + `
Your request for information

Thank you for your request, which we received on {{.ReceivedOn}}. We are dealing with it under {{.Law}}.

{{if .DueOn}}We will reply by {{.DueOn}}. This is 20 working days after the day we received your request.{{end}}
{{if .EIR}}
If the information you asked for is complex and there is a lot of it, we may need up to 20 more working days. If so, we will tell you before {{.DueOn}}.
{{else}}
If we need more time to consider the public interest, we will tell you before {{.DueOn}} and give you a new date.
{{end}}
Please quote our reference {{.Reference}} if you contact us about this request.
` + letterSign},

	LetterClarification: {"Clarification of your request", letterHead + `
Your request for information: we need more detail

We received your request on {{.ReceivedOn}}. We need more detail before we can find the information you want.

[Explain what is unclear. Where you can, suggest how the request could be reworded.]
{{if .EIR}}
Under regulation 9 of the Environmental Information Regulations 2004 we will deal with your request once we receive your reply. We will then reply within 20 working days.
{{else}}
Under section 1(3) of the Freedom of Information Act 2000 we do not have to answer your request until you give us this detail. When we receive your reply, we will respond within 20 working days.
{{end}}
If we do not hear from you within 3 months, we will treat your request as closed.
` + letterSign},

	LetterFeeNotice: {"Fees notice", letterHead + `
Your request for information: fees notice

We received your request on {{.ReceivedOn}}.
{{if .EIR}}
Under regulation 8 of the Environmental Information Regulations 2004 we may charge a reasonable amount for making the information available.
{{else}}
Under section 9 of the Freedom of Information Act 2000 we may charge a fee for answering your request.
{{end}}
The fee is [amount]. [Explain how the fee was worked out.]

We will not deal with your request until we receive the fee. The time we wait for it does not count towards the 20 working days we have to respond. If we do not receive the fee within 3 months of the date of this notice, we will not answer your request.

To pay, [explain how to pay].
` + letterSign},

	LetterPITExtension: {"We need more time to respond", letterHead + `
Your request for information: we need more time

We received your request on {{.ReceivedOn}}.
{{if .EIR}}
Your request is complex and covers a large amount of information. Under regulation 7 of the Environmental Information Regulations 2004 we are extending the time we have to respond by 20 working days. We will reply by {{.DueOn}}.
{{else}}
We hold information within the scope of your request. We believe it may be exempt from disclosure under the following qualified {{if gt (len .Exemptions) 1}}exemptions{{else}}exemption{{end}} of the Freedom of Information Act 2000:
{{range .Exemptions}}
- {{.Citation}}: {{.Name}}
{{else}}
- [list each qualified exemption you are considering]
{{end}}
A qualified exemption applies only if the public interest in withholding the information outweighs the public interest in releasing it. We need more time to consider the public interest. Under section 10(3) of the Act, as this notice explains under section 17(2), we now expect to reply by {{.DueOn}}.
{{end}}
Please quote our reference {{.Reference}} if you contact us about this request.
` + letterSign},

	LetterRefusalNotice: {"Response to your request: refusal notice", letterHead + `
Your request for information: our response

We received your request on {{.ReceivedOn}} and have dealt with it under {{.Law}}.

Outcome: {{.Outcome}}
{{if eq .OutcomeCode "refused_cost"}}
We estimate that answering your request would cost more than the appropriate limit set by the Freedom of Information and Data Protection (Appropriate Limit and Fees) Regulations 2004. Under section 12 of the Freedom of Information Act 2000 we do not have to answer it. This letter is a refusal notice under section 17(5) of the Act.

[Advice and assistance: explain how the request could be narrowed so that we could answer it within the limit.]
{{else if eq .OutcomeCode "refused_vexatious"}}
We are refusing your request under {{range $i, $e := .Exemptions}}{{if $i}} and {{end}}{{$e.Citation}} ({{$e.Name}}){{else}}section 14{{end}} of the Freedom of Information Act 2000. This letter is a refusal notice under section 17(5) of the Act.

[Explain why the request is vexatious or repeated.]
{{else}}
{{if eq .OutcomeCode "ncnd"}}We can neither confirm nor deny whether we hold the information you asked for.{{else if eq .OutcomeCode "partially_withheld"}}We hold the information you asked for. We are releasing some of it and withholding the rest.{{else}}We hold the information you asked for, but we are withholding it.{{end}} This letter is a refusal notice under {{if .EIR}}regulation 14 of the Environmental Information Regulations 2004{{else}}section 17 of the Freedom of Information Act 2000{{end}}.

We are relying on the following {{if .EIR}}exceptions{{else}}exemptions{{end}}.
{{range .Exemptions}}
{{.Citation}}: {{.Name}}
{{if .Qualified}}
This is a qualified {{if $.EIR}}exception{{else}}exemption{{end}}, so we have weighed the public interest{{if $.EIR}}, starting from the presumption in favour of disclosure{{end}}.

Public interest in releasing the information: {{.FavourDisclosure}}

Public interest in withholding the information: {{.FavourWithholding}}

Our conclusion: {{.Conclusion}}
{{else}}
This is an absolute {{if $.EIR}}exception{{else}}exemption{{end}}, so the public interest test does not apply.
{{end}}
{{end}}
{{end}}` + rights + letterSign},

	LetterFullResponse: {"Response to your request", letterHead + `
Your request for information: our response

We received your request on {{.ReceivedOn}} and have dealt with it under {{.Law}}.
{{if eq .OutcomeCode "not_held"}}
We have searched for the information you asked for and we do not hold it. [Explain where you searched and, if you know, who may hold it.]
{{else if eq .OutcomeCode "advice_and_assistance"}}
We cannot answer your request as it is worded. [Give advice and assistance: explain how the request could be reworded so that we can answer it.]
{{else}}
We hold the information you asked for and we are releasing all of it. [Give the information here, or list the documents attached.]
{{end}}` + rights + letterSign},
}
