package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// newCasePage is what the new case form shows.
type newCasePage struct {
	Form           *Form
	Regimes        []Option
	Channels       []Option
	RequesterTypes []Option
	Assets         []Option
	Suggestions    []suggestionView // after "Check for shared information"
	Checked        bool             // the suggestions were looked for
}

// suggestionView is one asset the request text seems to touch.
type suggestionView struct {
	Name, Provider, Phrases string
	RequiresConsultation    bool
}

// handleCaseNew shows the form to log a request (GET /cases/new), with today's date filled in.
func (s *Server) handleCaseNew(c *gin.Context) {
	u := s.requireUser(c)
	if u == nil {
		return
	}
	if err := foi.Can(u, foi.ActionCreateCase, foi.Scope{}); err != nil {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "no such page"))
		return
	}
	f := NewForm(nil)
	f.Set("regime", string(calendar.RegimeFOIA))
	f.Set("idempotency_key", newIdempotencyKey())
	f.SetDate("received_at", s.today())
	s.renderNewCase(c, f, nil, false)
}

// handleCaseCreate logs the request (POST /cases/new) and sends the browser to the new case, or, for the
// "Check for shared information" button (action=suggest), shows the form again with the information assets the
// request text mentions ticked. A retry of the same form (a double click) finds the case the first created.
func (s *Server) handleCaseCreate(c *gin.Context) {
	u := s.requireUser(c)
	if u == nil {
		return
	}
	if err := foi.Can(u, foi.ActionCreateCase, foi.Scope{}); err != nil {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "no such page"))
		return
	}
	ctx := c.Request.Context()
	f := postedForm(c)
	if f.Get("action") == "suggest" {
		sugg, err := s.suggestAssets(c, f)
		if err != nil {
			s.htmlError(c, err)
			return
		}
		s.renderNewCase(c, f, sugg, true)
		return
	}
	in := foi.NewCase{Regime: calendar.Regime(f.Trim("regime")), Channel: foi.Channel(f.Trim("channel")),
		Subject: f.Get("subject"), RequestText: f.Get("request_text"),
		Requester: foi.Requester{Name: f.Get("requester_name"), Email: f.Get("requester_email"),
			Address: f.Get("requester_address"), Type: foi.RequesterType(f.Trim("requester_type"))},
		AssetCodes: f.All("asset_codes"), HoldConsultations: f.Checked("hold_consultations", "true")}
	in.ReceivedAt = receivedAt(f)
	if !f.OK() {
		// Show the domain's verdict on the other fields too, so every problem is listed at once.
		check := in
		check.ReceivedAt = s.today().String() // the date's own error is already shown
		if _, _, err := check.Validate(s.now()); err != nil {
			f.Fail(err)
		}
		s.renderNewCase(c, f, nil, false)
		return
	}
	out, err := s.cfg.Cases.CreateCase(ctx, in, formIdempotency(f))
	if err != nil {
		if f.Fail(err) {
			s.renderNewCase(c, f, nil, false)
			return
		}
		s.htmlError(c, err)
		return
	}
	msg := "Request logged as " + out.Case.Reference
	if !out.Case.DueOn.IsZero() {
		msg += ", due " + govukDate(out.Case.DueOn)
	}
	msg += "."
	for _, w := range out.Warnings {
		msg += " " + w
	}
	s.redirectFlash(c, fmt.Sprintf("/cases/%d", out.Case.ID), msg)
}

// timeRE matches a time of day as people type it: "14:30", "9.05", "2:30pm", "11am".
var timeRE = regexp.MustCompile(`^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$`)

// receivedAt reads the date input received_at and the optional time received_time as the API's received_at:
// the London date ("2026-03-02"), or with a time the instant in RFC 3339. It records errors on the form.
func receivedAt(f *Form) string {
	d := f.Date("received_at", "the date the request was received", true)
	t := strings.ToLower(strings.ReplaceAll(f.Trim("received_time"), " ", ""))
	if d.IsZero() {
		return ""
	}
	if t == "" {
		return d.String()
	}
	h, mins, ok := clockTime(t)
	switch {
	case !timeRE.MatchString(t):
		f.AddError("received_time", "Enter the time like 14:30 or 2:30pm")
		return ""
	case !ok:
		f.AddError("received_time", "Enter a real time, like 14:30 or 2:30pm")
		return ""
	}
	at := time.Date(d.Year(), d.Month(), d.Day(), h, mins, 0, 0, London)
	return at.Format(time.RFC3339)
}

// formIdempotency makes a double-submitted form safe: the key the form was shown with and a hash of what it
// carried, so the same form posted twice logs one case.
func formIdempotency(f *Form) foi.Idempotency {
	key := f.Trim("idempotency_key")
	if key == "" || len(key) > 200 {
		return foi.Idempotency{}
	}
	names := make([]string, 0, len(f.Values))
	for k := range f.Values {
		if k != "action" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	h := sha256.New()
	for _, k := range names {
		for _, v := range f.Values[k] {
			fmt.Fprintf(h, "%d:%s=%d:%s;", len(k), k, len(v), v)
		}
	}
	return foi.Idempotency{Key: "web:" + key, RequestHash: hex.EncodeToString(h.Sum(nil))}
}

func newIdempotencyKey() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// suggestAssets looks for the information assets the subject and request text mention, ticks them on the form
// and returns them for the page to list.
func (s *Server) suggestAssets(c *gin.Context, f *Form) ([]suggestionView, error) {
	ra, err := s.registerAdmin()
	if err != nil {
		return nil, err
	}
	res, err := ra.SuggestAssets(c.Request.Context(), f.Get("subject")+"\n"+f.Get("request_text"))
	if err != nil {
		return nil, err
	}
	r := foi.Registers{Parties: res.Parties}
	var out []suggestionView
	ticked := f.All("asset_codes")
	for _, sg := range res.Suggestions {
		out = append(out, suggestionView{Name: sg.Name, Provider: r.PartyName(sg.ProviderPartyID),
			Phrases: "“" + strings.Join(sg.Phrases, "”, “") + "”", RequiresConsultation: sg.RequiresConsultation})
		if !f.Checked("asset_codes", sg.Code) {
			ticked = append(ticked, sg.Code)
		}
	}
	f.Set("asset_codes", ticked...)
	return out, nil
}

// renderNewCase shows the new case form with its choices.
func (s *Server) renderNewCase(c *gin.Context, f *Form, sugg []suggestionView, checked bool) {
	p := s.page(c, "Log a new request")
	p.Nav = "cases"
	data := &newCasePage{Form: f, Regimes: regimeOptions(false), Suggestions: sugg, Checked: checked}
	for _, ch := range foi.Channels {
		o := Option{Value: string(ch), Label: ch.Label()}
		if ch == foi.ChannelPhone || ch == foi.ChannelInPerson {
			o.Hint = "EIR requests only: an FOI request must be in writing"
		}
		data.Channels = append(data.Channels, o)
	}
	for _, t := range foi.RequesterTypes {
		data.RequesterTypes = append(data.RequesterTypes, Option{Value: string(t), Label: t.Label()})
	}
	reg, err := s.cfg.Registers.Registers(c.Request.Context())
	if err != nil {
		s.htmlError(c, err)
		return
	}
	for _, a := range reg.Assets {
		data.Assets = append(data.Assets, Option{Value: a.Code, Label: a.Name,
			Hint: "Provided by " + reg.PartyName(a.ProviderPartyID) + " (" + a.Code + ")"})
	}
	p.Data = data
	s.renderForm(c, "case_new", p, f)
}
