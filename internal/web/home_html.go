package web

import (
	"net/http"
	"net/url"
	"strings"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// page returns a Page for the request: the signed-in user with their navigation, the CSRF token and the
// success message a post/redirect/get left for this page (see redirectFlash).
func (s *Server) page(c *gin.Context, title string) *Page {
	p := &Page{Title: title, CSRFToken: s.csrfToken(c)}
	if sess, ok := session(c); ok {
		p.User = pageUser(sess.User)
		p.Flash = s.takeFlash(c, sess.CSRFToken)
	}
	return p
}

// pageUser returns the layout's view of a user, with the navigation their role may use.
func pageUser(u *foi.User) *PageUser {
	pu := &PageUser{Name: u.Name, Email: u.Email, Role: string(u.Role), RoleLabel: u.Role.Label(), PartyCode: u.PartyCode}
	pu.NavItems = []NavItem{{Key: "home", Label: "Dashboard", Href: "/"}}
	if foi.Can(u, foi.ActionReadCase, foi.Scope{OwnerPartyID: u.PartyID}) == nil {
		pu.NavItems = append(pu.NavItems, NavItem{Key: "cases", Label: "Cases", Href: "/cases"})
	}
	if worksOnConsultations(u) {
		pu.NavItems = append(pu.NavItems, NavItem{Key: "consultations", Label: "Consultations", Href: "/consultations"})
	}
	if u.Role == foi.RoleDecisionMaker {
		pu.NavItems = append(pu.NavItems, NavItem{Key: "approvals", Label: "Approvals", Href: "/approvals"})
	}
	if foi.Can(u, foi.ActionReadReports, foi.Scope{OwnerPartyID: u.PartyID}) == nil {
		pu.NavItems = append(pu.NavItems, NavItem{Key: "reports", Label: "Reports", Href: "/reports"})
	} else if foi.Can(u, foi.ActionReadConsultationReports, foi.Scope{OwnerPartyID: u.PartyID}) == nil {
		pu.NavItems = append(pu.NavItems, NavItem{Key: "reports", Label: "Reports", Href: "/reports/consultations"})
	}
	if canSeeIncidents(u) {
		pu.NavItems = append(pu.NavItems, NavItem{Key: "incidents", Label: "Incidents", Href: "/incidents"})
	}
	pu.NavItems = append(pu.NavItems, AdminNavItems(u)...) // admin_html.go: "Admin" and "Audit"
	// mfa_html.go: the authenticator app and "sign out everywhere"
	pu.NavItems = append(pu.NavItems, NavItem{Key: "account", Label: "Sign-in and security", Href: "/account/security"})
	return pu
}

// handleHome shows the dashboard to a signed-in user and the sign-in form to anyone else.
func (s *Server) handleHome(c *gin.Context) {
	sess, ok := session(c)
	if !ok {
		p := s.page(c, "")
		p.Data = s.signInData(safeNext(c.Query("next"))) // oidc.go: adds the single sign-on button's link
		if c.Query("signed_out") == "1" {
			p.Flash = "You have signed out."
		}
		s.pages.HTML(c, http.StatusOK, "signin", p)
		return
	}
	p := s.page(c, "Dashboard")
	p.Nav = "home"
	if ds, ok := s.cfg.Cases.(foi.DashboardService); ok && (sess.User.Role == foi.RoleOfficer || sess.User.Role == foi.RoleDecisionMaker) {
		n, err := ds.CaseCounts(c.Request.Context())
		if err != nil {
			s.htmlError(c, err)
			return
		}
		p.Data = map[string]int{"My cases": n.Mine, "Due in the next 5 working days": n.DueSoon, "Overdue": n.Overdue,
			"Awaiting representations": n.AwaitingRepresentations}
	}
	s.pages.HTML(c, http.StatusOK, "dashboard", p)
}

// handleSignIn checks the email and password, starts a session with a fresh secret (so a session fixed
// before sign-in is worthless) and sends the user on to where they were going.
func (s *Server) handleSignIn(c *gin.Context) {
	email := strings.TrimSpace(c.PostForm("email"))
	password := c.PostForm("password")
	next := safeNext(c.PostForm("next"))
	var errs []FieldError
	if email == "" {
		errs = append(errs, FieldError{Field: "email", Message: "Enter your email address"})
	}
	if password == "" {
		errs = append(errs, FieldError{Field: "password", Message: "Enter your password"})
	}
	status := http.StatusUnprocessableEntity
	if len(errs) == 0 {
		user, err := s.passwordSignIn(c, email, password) // auth_signin.go: throttled, then MFA if needed
		if err == nil {
			s.afterPassword(c, user, next)
			return
		}
		if s.throttled(c, err) {
			return
		}
		if foi.ErrorCode(err) != foi.EUNAUTHORIZED {
			s.htmlError(c, err)
			return
		}
		status = http.StatusUnauthorized
		errs = append(errs, FieldError{Field: "email", Message: foi.ErrorMessage(err)})
	}
	p := s.page(c, "Sign in to foidesk")
	p.Errors = errs
	p.Form = map[string]string{"email": email}
	p.Data = s.signInData(next)
	s.pages.HTML(c, status, "signin", p)
}

// startSession starts a session for the user (auth_signin.go's beginSession) and sends them on to next.
func (s *Server) startSession(c *gin.Context, user *foi.User, next string) {
	if s.beginSession(c, user) {
		c.Redirect(http.StatusSeeOther, next)
	}
}

// handleSignOut ends the session and shows the sign-in page.
func (s *Server) handleSignOut(c *gin.Context) {
	if secret, ok := c.Get(ctxSecret); ok {
		if err := s.cfg.Auth.EndSession(c.Request.Context(), secret.(string)); err != nil {
			s.htmlError(c, err)
			return
		}
	}
	s.clearCookie(c, sessionCookie)
	c.Redirect(http.StatusSeeOther, "/?"+url.Values{"signed_out": {"1"}}.Encode())
}
