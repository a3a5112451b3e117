package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"html/template"
	"image/png"
	"net/http"
	"strings"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
	"github.com/pquerna/otp"
)

// mfaIssuer names foidesk in authenticator apps.
const mfaIssuer = "foidesk"

// mfaCodePage is the second-factor form: Action is where it posts.
type mfaCodePage struct{ Action string }

// mfaEnrolPage is the enrolment form: the QR code (a data: URL of a PNG made here, never by a third party), the
// secret for typing in by hand, where the form posts, and whether enrolment is forced before signing in.
type mfaEnrolPage struct {
	QR     template.URL
	Secret string
	Action string
	Forced bool
}

// mfaCodesPage shows the recovery codes once, and where to go next.
type mfaCodesPage struct {
	Codes []string
	Next  string
}

// securityPage is /account/security: the second factor and the sessions.
type securityPage struct {
	Enabled   bool
	CodesLeft int
	Required  bool // the user's role must use a second factor, so they cannot turn it off
}

// challenge returns the user of the sign-in waiting for its second factor, a context acting as them, the
// challenge's secret and next path; with ok false it has sent the browser back to sign in.
func (s *Server) challenge(c *gin.Context) (ctx context.Context, user *foi.User, secret, next string, ok bool) {
	svc := s.signIn()
	secret, _ = c.Cookie(challengeCookie)
	if svc == nil || secret == "" {
		c.Redirect(http.StatusSeeOther, "/")
		return nil, nil, "", "", false
	}
	user, next, err := svc.Challenge(c.Request.Context(), secret)
	if err != nil {
		s.clearCookie(c, challengeCookie)
		c.Redirect(http.StatusSeeOther, "/")
		return nil, nil, "", "", false
	}
	ctx = foi.WithActor(c.Request.Context(), foi.Actor{User: user, IP: c.ClientIP()})
	return ctx, user, secret, next, true
}

// renderMFACode shows the second-factor form, which posts to /sign-in/code.
func (s *Server) renderMFACode(c *gin.Context, status int, errs []FieldError) {
	p := s.page(c, "Enter the code from your authenticator app")
	p.Errors = errs
	p.Data = &mfaCodePage{Action: "/sign-in/code"}
	s.pages.HTML(c, status, "mfa_code", p)
}

// handleMFACode checks the second factor and starts the session (POST /sign-in/code).
func (s *Server) handleMFACode(c *gin.Context) {
	ctx, user, secret, next, ok := s.challenge(c)
	if !ok {
		return
	}
	code := strings.TrimSpace(c.PostForm("code"))
	if code == "" {
		s.renderMFACode(c, http.StatusUnprocessableEntity, []FieldError{{Field: "code", Message: "Enter the code from your authenticator app"}})
		return
	}
	err := s.signIn().MFAVerify(ctx, code)
	if s.throttled(c, err) {
		return
	}
	switch foi.ErrorCode(err) {
	case "":
	case foi.EUNAUTHORIZED:
		s.renderMFACode(c, http.StatusUnauthorized, []FieldError{{Field: "code", Message: foi.ErrorMessage(err)}})
		return
	default:
		s.htmlError(c, err)
		return
	}
	s.finishChallenge(c, secret, func() { s.startSession(c, user, next) })
}

// finishChallenge ends the challenge and its cookie, then calls then.
func (s *Server) finishChallenge(c *gin.Context, secret string, then func()) {
	if err := s.signIn().EndChallenge(c.Request.Context(), secret); err != nil {
		s.htmlError(c, err)
		return
	}
	s.clearCookie(c, challengeCookie)
	then()
}

// handleMFAEnrolForcedConfirm confirms the forced enrolment, signs the user in and shows the recovery codes
// once (POST /sign-in/enrol).
func (s *Server) handleMFAEnrolForcedConfirm(c *gin.Context) {
	ctx, user, secret, next, ok := s.challenge(c)
	if !ok {
		return
	}
	codes, ok := s.confirmEnrol(c, ctx, "/sign-in/enrol", true)
	if !ok {
		return
	}
	s.finishChallenge(c, secret, func() {
		if s.beginSession(c, user) {
			s.showRecoveryCodes(c, codes, next)
		}
	})
}

// handleAccountSecurity shows the signed-in user's second factor and the button to sign out everywhere
// (GET /account/security).
func (s *Server) handleAccountSecurity(c *gin.Context) {
	u := s.requireUser(c)
	svc := s.signIn()
	if u == nil || svc == nil {
		if svc == nil {
			s.handleNotFound(c)
		}
		return
	}
	st, err := svc.MFAStatus(c.Request.Context())
	if err != nil {
		s.htmlError(c, err)
		return
	}
	p := s.page(c, "Sign-in and security")
	p.Nav = "account"
	p.Data = &securityPage{Enabled: st.Enabled, CodesLeft: st.RecoveryCodesLeft, Required: foi.MFARequired(u, s.cfg.MFARequiredRoles)}
	s.pages.HTML(c, http.StatusOK, "mfa_security", p)
}

// handleAccountMFAForm shows enrolment to a signed-in user (GET /account/security/mfa).
func (s *Server) handleAccountMFAForm(c *gin.Context) {
	if s.requireUser(c) != nil {
		s.renderEnrol(c, c.Request.Context(), "/account/security/mfa", false, http.StatusOK, nil)
	}
}

// handleAccountMFAConfirm confirms a signed-in user's enrolment and shows the recovery codes once
// (POST /account/security/mfa).
func (s *Server) handleAccountMFAConfirm(c *gin.Context) {
	if s.requireUser(c) == nil {
		return
	}
	if codes, ok := s.confirmEnrol(c, c.Request.Context(), "/account/security/mfa", false); ok {
		s.showRecoveryCodes(c, codes, "/account/security")
	}
}

// handleAccountMFADisable turns the signed-in user's second factor off, unless their role requires one
// (POST /account/security/mfa/disable).
func (s *Server) handleAccountMFADisable(c *gin.Context) {
	u := s.requireUser(c)
	if u == nil {
		return
	}
	if foi.MFARequired(u, s.cfg.MFARequiredRoles) {
		s.htmlError(c, foi.Errorf(foi.ECONFLICT, "Your role must use a second factor."))
		return
	}
	if err := s.signIn().MFAReset(c.Request.Context(), u.ID); err != nil {
		s.htmlError(c, err)
		return
	}
	s.redirectFlash(c, "/account/security", "Your authenticator app is no longer used to sign in.")
}

// renderEnrol shows the enrolment page for the actor of ctx with the QR code of their pending secret.
func (s *Server) renderEnrol(c *gin.Context, ctx context.Context, action string, forced bool, status int, errs []FieldError) {
	enr, err := s.signIn().MFAEnrolStart(ctx, mfaIssuer)
	if foi.ErrorCode(err) == foi.ECONFLICT {
		if forced {
			s.renderMFACode(c, http.StatusOK, nil)
		} else {
			s.redirectFlash(c, "/account/security", "You have already set up an authenticator app.")
		}
		return
	}
	if err != nil {
		s.htmlError(c, err)
		return
	}
	qr, err := qrDataURL(enr.URL)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	p := s.page(c, "Set up an authenticator app")
	if !forced {
		p.Nav = "account"
	}
	p.Errors = errs
	p.Data = &mfaEnrolPage{QR: qr, Secret: enr.Secret, Action: action, Forced: forced}
	s.pages.HTML(c, status, "mfa_enrol", p)
}

// confirmEnrol confirms the actor's pending secret with the posted code and returns the recovery codes; with
// ok false it has shown the form again with the error.
func (s *Server) confirmEnrol(c *gin.Context, ctx context.Context, action string, forced bool) ([]string, bool) {
	code := strings.TrimSpace(c.PostForm("code"))
	if code == "" {
		s.renderEnrol(c, ctx, action, forced, http.StatusUnprocessableEntity,
			[]FieldError{{Field: "code", Message: "Enter the 6-digit code your authenticator app shows"}})
		return nil, false
	}
	codes, err := s.signIn().MFAEnrolConfirm(ctx, code)
	switch foi.ErrorCode(err) {
	case "":
		return codes, true
	case foi.EINVALID:
		s.renderEnrol(c, ctx, action, forced, http.StatusUnprocessableEntity,
			[]FieldError{{Field: "code", Message: foi.ErrorMessage(err)}})
	default:
		s.htmlError(c, err)
	}
	return nil, false
}

// showRecoveryCodes shows the recovery codes once, in a page no cache may keep.
func (s *Server) showRecoveryCodes(c *gin.Context, codes []string, next string) {
	c.Header("Cache-Control", "private, no-store")
	p := s.page(c, "Save your recovery codes")
	p.Data = &mfaCodesPage{Codes: codes, Next: safeNext(next)}
	s.pages.HTML(c, http.StatusOK, "mfa_codes", p)
}

// qrDataURL returns the QR code of an otpauth:// URL as a data: URL of a PNG, which the page's Content
// Security Policy allows (img-src 'self' data:).
func qrDataURL(otpURL string) (template.URL, error) {
	key, err := otp.NewKeyFromURL(otpURL)
	if err != nil {
		return "", err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}
