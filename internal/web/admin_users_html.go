package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// usersPage is what /admin/users shows.
type usersPage struct {
	Users []userRow
	Self  int64 // the signed-in admin, who cannot deactivate themselves
}

type userRow struct {
	ID                                  int64
	Name, Email, Role, Party, CreatedOn string
	Active                              bool
}

// userFormPage is the form to add a user.
type userFormPage struct {
	Form           *Form
	Roles, Parties []Option
}

// secretPage shows a password or API token once, after the POST that made it.
type secretPage struct {
	Heading, Label, Secret, Explain string
}

// handleAdminUsers lists the users (GET /admin/users).
func (s *Server) handleAdminUsers(c *gin.Context) {
	u := s.requireAllowed(c, foi.ActionManageUsers)
	if u == nil {
		return
	}
	ua, err := s.userAdmin()
	if err != nil {
		s.htmlError(c, err)
		return
	}
	users, err := ua.ListUsers(c.Request.Context())
	if err != nil {
		s.htmlError(c, err)
		return
	}
	data := &usersPage{Self: u.ID}
	for _, x := range users {
		data.Users = append(data.Users, userRow{ID: x.ID, Name: x.Name, Email: x.Email, Role: x.Role.Label(),
			Party: x.PartyCode, Active: x.Active, CreatedOn: formatTime(x.CreatedAt, "2 January 2006")})
	}
	p := s.adminPage(c, "Users and roles")
	p.Data = data
	s.pages.HTML(c, http.StatusOK, "admin_users", p)
}

// handleAdminUserNew shows the form to add a user (GET /admin/users/new).
func (s *Server) handleAdminUserNew(c *gin.Context) {
	if s.requireAllowed(c, foi.ActionManageUsers) == nil {
		return
	}
	s.renderUserForm(c, NewForm(url.Values{"role": {string(foi.RoleOfficer)}}))
}

// handleAdminUserCreate adds a user (POST /admin/users/new). With a password typed in, the browser goes back to
// the list; without, the page shows the generated password once (it is stored only as a hash).
func (s *Server) handleAdminUserCreate(c *gin.Context) {
	ua, ok := serviceFor(s, c, foi.ActionManageUsers, s.userAdmin)
	if !ok {
		return
	}
	f := postedForm(c)
	in := foi.NewUser{Email: f.Get("email"), Name: f.Get("name"), Role: foi.Role(f.Trim("role")),
		PartyCode: f.Trim("party"), Password: f.Get("password")}
	if in.Role == foi.RoleAdmin {
		in.PartyCode = "" // an admin acts for the instance
	}
	out, password, err := ua.CreateUser(c.Request.Context(), in)
	if err != nil {
		if foi.ErrorCode(err) == foi.ECONFLICT {
			f.AddError("email", "A user with this email address already exists")
			s.renderUserForm(c, f)
			return
		}
		requireChoice(f, "role", "Select the user's role")
		if in.Role != foi.RoleAdmin {
			requireChoice(f, "party", "Select the party the user belongs to")
		}
		if f.Fail(err) {
			f.Set("password") // never echo a password back into the page
			s.renderUserForm(c, f)
			return
		}
		s.htmlError(c, err)
		return
	}
	if in.Password != "" {
		s.redirectFlash(c, "/admin/users", "User "+out.Email+" added as "+out.Role.Label()+".")
		return
	}
	s.showSecret(c, "User "+out.Email+" added", "Their password", password,
		"Give it to them securely. It is shown only once: foidesk keeps only a hash of it.")
}

// showSecret shows a secret once, in a page no cache may keep.
func (s *Server) showSecret(c *gin.Context, heading, label, secret, explain string) {
	c.Header("Cache-Control", "private, no-store")
	p := s.adminPage(c, heading)
	p.Data = &secretPage{Heading: heading, Label: label, Secret: secret, Explain: explain}
	s.pages.HTML(c, http.StatusOK, "admin_secret", p)
}

// renderUserForm shows the new user form with its choices.
func (s *Server) renderUserForm(c *gin.Context, f *Form) {
	reg, err := s.cfg.Registers.Registers(c.Request.Context())
	if err != nil {
		s.htmlError(c, err)
		return
	}
	data := &userFormPage{Form: f, Parties: partyOptions(reg, "Choose a party")}
	hints := map[foi.Role]string{foi.RoleOfficer: "Logs requests and runs cases",
		foi.RoleDecisionMaker: "Approves responses and weighs representations",
		foi.RoleLiaison:       "Answers consultations sent to their party",
		foi.RoleAuditor:       "Reads cases, reports and the audit log of their party; changes nothing",
		foi.RoleAdmin:         "Manages the registers, users and settings of the whole instance; needs no party"}
	for _, r := range foi.Roles {
		data.Roles = append(data.Roles, Option{Value: string(r), Label: r.Label(), Hint: hints[r]})
	}
	p := s.adminPage(c, "Add a user")
	p.Data = data
	s.renderForm(c, "admin_user", p, f)
}

// handleAdminUserActive activates or deactivates a user (POST /admin/users/{id}/active, active=true|false).
func (s *Server) handleAdminUserActive(c *gin.Context) {
	ua, ok := serviceFor(s, c, foi.ActionManageUsers, s.userAdmin)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "no such user"))
		return
	}
	active := c.PostForm("active") == "true"
	out, err := ua.SetUserActive(c.Request.Context(), id, active)
	if err != nil {
		if foi.ErrorCode(err) == foi.ECONFLICT {
			s.redirectFlash(c, "/admin/users", "") // the page offers no such button; nothing changed
			return
		}
		s.htmlError(c, err)
		return
	}
	verb := "deactivated: they can no longer sign in or use their API tokens"
	if active {
		verb = "reactivated"
	}
	s.redirectFlash(c, "/admin/users", "User "+out.Email+" "+verb+".")
}

// userPage is /admin/users/{id}: the user, their API tokens and the form to issue one.
type userPage struct {
	Form   *Form
	User   userRow
	Tokens []tokenRow
}

type tokenRow struct {
	ID                      int64
	Name, Created, LastUsed string
	Revoked                 string // when it was revoked, "" for a live token
}

// userInPath returns the user whose id is in the path; ENOTFOUND when there is none.
func userInPath(c *gin.Context, ua foi.UserAdminService) (foi.User, error) {
	users, err := ua.ListUsers(c.Request.Context())
	if err != nil {
		return foi.User{}, err
	}
	for _, u := range users {
		if strconv.FormatInt(u.ID, 10) == c.Param("id") {
			return u, nil
		}
	}
	return foi.User{}, foi.Errorf(foi.ENOTFOUND, "no such user")
}

// handleAdminUser shows a user with their API tokens (GET /admin/users/{id}).
func (s *Server) handleAdminUser(c *gin.Context) {
	ua, ok := serviceFor(s, c, foi.ActionManageUsers, s.userAdmin)
	if !ok {
		return
	}
	u, err := userInPath(c, ua)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	toks, err := ua.ListTokens(c.Request.Context(), u.ID)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	f := NewForm(nil)
	data := &userPage{Form: f, User: userRow{ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role.Label(),
		Party: u.PartyCode, Active: u.Active, CreatedOn: formatTime(u.CreatedAt, "2 January 2006")}}
	for _, t := range toks {
		data.Tokens = append(data.Tokens, tokenRow{ID: t.ID, Name: t.Name, Created: formatTime(t.CreatedAt, ""),
			LastUsed: formatTime(t.LastUsedAt, ""), Revoked: formatTime(t.RevokedAt, "")})
	}
	p := s.adminPage(c, u.Name)
	p.Data = data
	s.renderForm(c, "admin_user_tokens", p, f)
}

// handleAdminUserToken issues an API token for a user (POST /admin/users/{id}/tokens) and shows it once.
func (s *Server) handleAdminUserToken(c *gin.Context) {
	ua, ok := serviceFor(s, c, foi.ActionManageUsers, s.userAdmin)
	if !ok {
		return
	}
	who, err := userInPath(c, ua)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	name := strings.TrimSpace(c.PostForm("name"))
	if name == "" {
		name = "Issued on the admin page"
	}
	token, err := ua.CreateToken(c.Request.Context(), who.Email, name)
	if err != nil {
		s.htmlError(c, err)
		return
	}
	s.showSecret(c, "API token issued for "+who.Email, "The token", token,
		"Send it as Authorization: Bearer followed by the token. It is shown only once: foidesk keeps only a hash of it.")
}

// handleAdminTokenRevoke revokes one of a user's API tokens (POST /admin/users/{id}/tokens/{tokenID}/revoke).
func (s *Server) handleAdminTokenRevoke(c *gin.Context) {
	ua, ok := serviceFor(s, c, foi.ActionManageUsers, s.userAdmin)
	if !ok {
		return
	}
	userID, err1 := strconv.ParseInt(c.Param("id"), 10, 64)
	tokenID, err2 := strconv.ParseInt(c.Param("tokenID"), 10, 64)
	if err1 != nil || err2 != nil {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "no such token"))
		return
	}
	if err := ua.RevokeToken(c.Request.Context(), userID, tokenID); err != nil {
		s.htmlError(c, err)
		return
	}
	s.redirectFlash(c, "/admin/users/"+c.Param("id"), "API token revoked: it no longer works.")
}
