package web

import (
	"net/url"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The email preferences page (issues 6 and 7): /account/email lets every signed-in user choose, as PUT
// /api/v1/me/preferences does, between one email per deadline reminder and one daily digest of them.

// accountEmailPath is the email preferences page.
const accountEmailPath = "/account/email"

// The values of the page's "digest" radios.
const (
	digestNo  = "no"  // one email for each deadline reminder
	digestYes = "yes" // one daily digest
)

// accountEmailPage is what /account/email shows: the form with the user's current choice, or what they posted,
// and the two choices.
type accountEmailPage struct {
	Form    *Form
	Options []Option
}

// digestOptions are the page's two choices. Only the deadline reminders of a user's cases go in the digest
// (store.RunReminderScan); every other email goes as it happens, which the page's hint says.
var digestOptions = []Option{
	{Value: digestNo, Label: "An email for each reminder",
		Hint: "One email for each case of yours when it is due in 5 working days, in 2, today, and once it is overdue."},
	{Value: digestYes, Label: "One daily digest",
		Hint: "One email a day counting your cases due soon, due today and overdue, with a link to them."},
}

// digestValue returns the radio value of a digest preference.
func digestValue(digest bool) string {
	if digest {
		return digestYes
	}
	return digestNo
}

// handleAccountEmail shows the signed-in user's email preferences (GET /account/email).
func (s *Server) handleAccountEmail(c *gin.Context) {
	ps, u, ok := s.ownPreferences(c)
	if !ok {
		return
	}
	digest, err := ps.DigestPreference(c.Request.Context(), u.ID)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	s.renderAccountEmail(c, NewForm(url.Values{"digest": {digestValue(digest)}}))
}

// handleAccountEmailSave sets the signed-in user's email preferences and comes back to the page with a success
// banner (POST /account/email), or shows the form again with the error summary and nothing changed.
func (s *Server) handleAccountEmailSave(c *gin.Context) {
	ps, u, ok := s.ownPreferences(c)
	if !ok {
		return
	}
	f := postedForm(c)
	choice := f.Get("digest")
	if choice != digestNo && choice != digestYes {
		f.AddError("digest", "Select how you want to get your deadline reminders")
		s.renderAccountEmail(c, f)
		return
	}
	if err := ps.SetDigestPreference(c.Request.Context(), u.ID, choice == digestYes); err != nil {
		if f.Fail(err) {
			s.renderAccountEmail(c, f)
			return
		}
		s.htmlError(c, err)
		return
	}
	msg := "You will get an email for each deadline reminder."
	if choice == digestYes {
		msg = "You will get your deadline reminders in one daily digest."
	}
	s.redirectFlash(c, accountEmailPath, msg)
}

// ownPreferences returns the preference service and the signed-in user; with ok false it has sent the browser
// to sign in, or shown the error page when the server runs without preferences.
func (s *Server) ownPreferences(c *gin.Context) (foi.PreferenceService, *foi.User, bool) {
	u := s.requireUser(c)
	if u == nil {
		return nil, nil, false
	}
	ps, err := s.preferences()
	if err != nil {
		s.htmlError(c, err)
		return nil, nil, false
	}
	return ps, u, true
}

// renderAccountEmail shows the email preferences form holding f.
func (s *Server) renderAccountEmail(c *gin.Context, f *Form) {
	p := s.page(c, "Email preferences")
	p.Nav = "account"
	p.Data = &accountEmailPage{Form: f, Options: digestOptions}
	s.renderForm(c, "account_email", p, f)
}
