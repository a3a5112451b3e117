package web

import (
	"net/http"
	"net/url"
	"strconv"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// handleSignOutEverywhere ends every session of the signed-in user, on every device, and shows the sign-in
// page (POST /sign-out-everywhere). API tokens are not affected.
func (s *Server) handleSignOutEverywhere(c *gin.Context) {
	u := s.requireUser(c)
	if u == nil {
		return
	}
	svc := s.signIn()
	if svc == nil {
		s.handleNotFound(c)
		return
	}
	if _, err := svc.RevokeSessions(c.Request.Context(), u.ID); err != nil {
		s.htmlError(c, err)
		return
	}
	s.clearCookie(c, sessionCookie)
	c.Redirect(http.StatusSeeOther, "/?"+url.Values{"signed_out": {"1"}}.Encode())
}

// handleAdminUserSessions ends every session of a user (POST /admin/users/{id}/sessions/revoke); admins only.
func (s *Server) handleAdminUserSessions(c *gin.Context) {
	s.adminUserAction(c, func(id int64) (string, error) {
		n, err := s.signIn().RevokeSessions(c.Request.Context(), id)
		return "Signed the user out of " + strconv.Itoa(n) + " " + plural(n, "session", "sessions") + ".", err
	})
}

// handleAdminUserMFAReset removes a user's second factor, so they enrol again at their next sign-in where
// their role requires one (POST /admin/users/{id}/mfa/reset); admins only.
func (s *Server) handleAdminUserMFAReset(c *gin.Context) {
	s.adminUserAction(c, func(id int64) (string, error) {
		return "The user's authenticator app and recovery codes were removed.", s.signIn().MFAReset(c.Request.Context(), id)
	})
}

// adminUserAction runs do on the user of the path's id when an admin asks, and goes back to the users page
// with do's message.
func (s *Server) adminUserAction(c *gin.Context, do func(id int64) (string, error)) {
	if s.requireAllowed(c, foi.ActionManageUsers) == nil {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || s.signIn() == nil {
		s.handleNotFound(c)
		return
	}
	msg, err := do(id)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	s.redirectFlash(c, "/admin/users", msg)
}
