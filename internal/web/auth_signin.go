package web

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// challengeCookie holds the secret of a sign-in waiting for its second factor (or for enrolment).
const challengeCookie = "foidesk_signin"

// signIn returns the sign-in security service: Config.SignIn, or Auth when it implements it, or nil (then
// sign-in is a password alone, unthrottled).
func (s *Server) signIn() foi.SignInService {
	if s.cfg.SignIn != nil {
		return s.cfg.SignIn
	}
	if svc, ok := s.cfg.Auth.(foi.SignInService); ok {
		return svc
	}
	return nil
}

// passwordSignIn checks an email and password, behind the throttle when there is a sign-in service.
func (s *Server) passwordSignIn(c *gin.Context, email, password string) (*foi.User, error) {
	if svc := s.signIn(); svc != nil {
		return svc.PasswordSignIn(c.Request.Context(), email, password)
	}
	return s.cfg.Auth.Authenticate(c.Request.Context(), email, password)
}

// throttled answers a throttled sign-in (ETOOMANY) with 429, a Retry-After header and the page saying when to
// try again, and reports whether it did.
func (s *Server) throttled(c *gin.Context, err error) bool {
	if foi.ErrorCode(err) != foi.ETOOMANY {
		return false
	}
	retry := foi.RetryAtOf(err)
	if wait := time.Until(retry); wait > 0 {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	}
	p := s.page(c, "Too many sign-in attempts")
	p.Data = retryPhrase(retry, time.Now())
	s.pages.HTML(c, http.StatusTooManyRequests, "toomany", p)
	c.Abort()
	return true
}

// retryPhrase completes "You can try to sign in again …": "in 12 minutes" within the hour, otherwise the
// London time ("at 3:45pm", with the date when it is not today); "" when unknown.
func retryPhrase(at, now time.Time) string {
	if at.IsZero() {
		return ""
	}
	if wait := at.Sub(now); wait <= time.Hour {
		m := int(math.Ceil(wait.Minutes()))
		if m <= 1 {
			return "in 1 minute"
		}
		return fmt.Sprintf("in %d minutes", m)
	}
	at, now = at.In(London), now.In(London)
	if at.Format(time.DateOnly) == now.Format(time.DateOnly) {
		return "at " + formatTime(at, "3:04pm")
	}
	return "at " + formatTime(at, "3:04pm on 2 January 2006")
}

// afterPassword goes on from a correct password: to the second factor's form when the user has one, to
// enrolment when their role requires one (nothing else is reachable before it), otherwise straight to a session.
func (s *Server) afterPassword(c *gin.Context, user *foi.User, next string) {
	svc := s.signIn()
	if svc == nil {
		s.startSession(c, user, next)
		return
	}
	ctx := foi.WithActor(c.Request.Context(), foi.Actor{User: user, IP: c.ClientIP()})
	st, err := svc.MFAStatus(ctx)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	if !st.Enabled && !foi.MFARequired(user, s.cfg.MFARequiredRoles) {
		s.startSession(c, user, next)
		return
	}
	secret, err := svc.StartChallenge(ctx, user, next)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	s.setCookie(c, challengeCookie, secret, 0)
	// The next step answers this POST directly: it has no page of its own to come back to.
	if st.Enabled {
		s.renderMFACode(c, http.StatusOK, nil)
		return
	}
	s.renderEnrol(c, ctx, "/sign-in/enrol", true, http.StatusOK, nil)
}

// beginSession replaces any earlier session with a new one for the user (so a session fixed before sign-in
// is worthless), sets its cookie and makes it the request's session; it reports whether it did, having answered the error otherwise.
func (s *Server) beginSession(c *gin.Context, user *foi.User) bool {
	ctx := c.Request.Context()
	if old, ok := c.Get(ctxSecret); ok {
		if err := s.cfg.Auth.EndSession(ctx, old.(string)); err != nil {
			s.htmlError(c, err)
			return false
		}
	}
	secret, sess, err := s.cfg.Auth.CreateSession(ctx, user, c.Request.UserAgent())
	if err != nil {
		s.htmlError(c, err)
		return false
	}
	s.setCookie(c, sessionCookie, secret, 0)
	s.clearCookie(c, csrfCookie)
	// A page rendered by this same request (the recovery codes) shows the new session, with its CSRF token.
	c.Set(ctxSession, sess)
	c.Set(ctxSecret, secret)
	return true
}
