package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

const (
	sessionCookie = "foidesk_session"
	csrfCookie    = "foidesk_csrf" // double-submit token for forms shown before sign-in
	ctxSession    = "foidesk.session"
	ctxSecret     = "foidesk.secret"
)

// loadSession resolves the session cookie, if any, and puts the actor (user and client address) into the
// request's context. It never rejects: pages that need a user call requireUser.
func (s *Server) loadSession(c *gin.Context) {
	actor := foi.Actor{IP: c.ClientIP(), Via: via(c)}
	if secret, err := c.Cookie(sessionCookie); err == nil && secret != "" {
		sess, err := s.cfg.Auth.SessionBySecret(c.Request.Context(), secret)
		switch foi.ErrorCode(err) {
		case "":
			actor.User = sess.User
			c.Set(ctxSession, sess)
			c.Set(ctxSecret, secret)
		case foi.EUNAUTHORIZED:
			s.clearCookie(c, sessionCookie)
		default:
			s.htmlError(c, err)
			return
		}
	}
	c.Request = c.Request.WithContext(foi.WithActor(c.Request.Context(), actor))
	c.Next()
}

// session returns the signed-in session, if any.
func session(c *gin.Context) (foi.Session, bool) {
	v, ok := c.Get(ctxSession)
	if !ok {
		return foi.Session{}, false
	}
	return v.(foi.Session), true
}

// requireUser returns the signed-in user, or sends the browser to sign in and returns nil.
func (s *Server) requireUser(c *gin.Context) *foi.User {
	if sess, ok := session(c); ok {
		return sess.User
	}
	c.Redirect(http.StatusSeeOther, "/?next="+safeNext(c.Request.URL.RequestURI()))
	c.Abort()
	return nil
}

// csrfToken returns the token forms must carry: the session's when signed in, otherwise a double-submit
// cookie set here.
func (s *Server) csrfToken(c *gin.Context) string {
	if sess, ok := session(c); ok {
		return sess.CSRFToken
	}
	if v, err := c.Cookie(csrfCookie); err == nil && len(v) >= 32 {
		return v
	}
	b := make([]byte, 32)
	rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	s.setCookie(c, csrfCookie, v, 0)
	// The same request may render the token; make the cookie visible to it.
	c.Request.AddCookie(&http.Cookie{Name: csrfCookie, Value: v})
	return v
}

// checkCSRF rejects any unsafe request to an HTML route whose csrf_token field does not match.
func (s *Server) checkCSRF(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	want := ""
	if sess, ok := session(c); ok {
		want = sess.CSRFToken
	} else if v, err := c.Cookie(csrfCookie); err == nil {
		want = v
	}
	got := c.PostForm("csrf_token")
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		s.log.Warn("csrf token mismatch", "path", c.Request.URL.Path, "ip", c.ClientIP())
		s.pages.HTML(c, http.StatusForbidden, "error", s.page(c, "Sorry, there is a problem with the service"))
		c.Abort()
		return
	}
	c.Next()
}

// authenticateAPI resolves the bearer token into the request's actor, or answers 401.
func (s *Server) authenticateAPI(c *gin.Context) {
	h := c.GetHeader("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token == "" {
		s.apiError(c, foi.Errorf(foi.EUNAUTHORIZED, "Send an API token: Authorization: Bearer foi_..."))
		return
	}
	user, err := s.cfg.Auth.UserByToken(c.Request.Context(), strings.TrimSpace(token))
	if err != nil {
		s.apiError(c, err)
		return
	}
	actor := foi.Actor{User: user, IP: c.ClientIP(), Via: via(c)}
	c.Request = c.Request.WithContext(foi.WithActor(c.Request.Context(), actor))
	c.Next()
}

// via names the page or endpoint a request reached, as the audit log records it ("GET /cases/:id"): the
// reason the data it shows was read. An unknown URL is its path.
func via(c *gin.Context) string {
	route := c.FullPath()
	if route == "" {
		route = c.Request.URL.Path
	}
	return c.Request.Method + " " + route
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site; maxAge 0 makes it last the browser
// session.
func (s *Server) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.cfg.SecureCookies || c.Request.TLS != nil, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearCookie(c *gin.Context, name string) { s.setCookie(c, name, "", -1) }

// safeNext returns path when it is a local path on this site, "/" otherwise, so sign-in never redirects
// elsewhere.
func safeNext(path string) string {
	if path == "" || path[0] != '/' || strings.HasPrefix(path, "//") || strings.ContainsAny(path, "\\\r\n") {
		return "/"
	}
	return path
}
