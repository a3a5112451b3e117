package web

import (
	"net/http"

	"foidesk/internal/foi"

	"github.com/gin-gonic/gin"
)

// The admin pages (issue 7): registers, users, calendar, letter templates and the outbox, under /admin, for
// admins only. Anyone else gets the GOV.UK 404, as for any unknown URL, so the pages never hint that they exist.
// They use the services the configured case service also implements (the store implements them all), so Config
// needs no new field; a case service without one answers the error page.

// adminSection is one entry of the admin index.
type adminSection struct{ Href, Title, Description string }

// adminSections lists the admin pages in the order the index shows them.
var adminSections = []adminSection{
	{"/admin/parties", "Parties", "The organisations that share information and receive requests; add one or change its name."},
	{"/admin/contacts", "Parties and contacts", "Who foidesk notifies at each party, by tier and responsibility."},
	{"/admin/agreements", "Agreements", "Data-sharing agreements, their version history, status and review dates."},
	{"/admin/exchanges", "Exchanges", "Process-level exchanges: who provides what to whom, on what legal basis, reviewed every 6 months."},
	{"/admin/assets", "Information assets", "What each party provides under an exchange, and the aliases that spot it in requests."},
	{"/admin/users", "Users and roles", "Who signs in, their role and party; deactivate users and issue API tokens."},
	{"/admin/calendar", "Calendar", "Bank holiday data, provisional years, imports and one-off days."},
	{"/admin/templates", "Letter templates", "The letters foidesk drafts for requesters."},
	{"/admin/outbox", "Outbox", "Emails waiting, sent and given up on; retry dead letters."},
	{"/admin/retention", "Retention and legal holds", "How long case files and requester details are kept, legal holds, and what is destroyed next month."},
}

// AdminNavItems returns the navigation items of the admin and audit pages the user may open: "Admin" for an
// admin, "Audit" for an auditor or admin, and "Retention" for the others who may read the retention page
// (auditors and decision-makers; an admin reaches it from the admin index). pageUser appends them to the
// service navigation.
func AdminNavItems(u *foi.User) []NavItem {
	var items []NavItem
	admin := foi.Can(u, foi.ActionManageRegisters, foi.Scope{}) == nil
	if admin {
		items = append(items, NavItem{Key: "admin", Label: "Admin", Href: "/admin"})
	}
	if foi.Can(u, foi.ActionReadAudit, foi.Scope{}) == nil {
		items = append(items, NavItem{Key: "audit", Label: "Audit", Href: "/audit"})
	}
	if !admin && foi.Can(u, foi.ActionReadRetention, foi.Scope{}) == nil {
		items = append(items, NavItem{Key: "retention", Label: "Retention", Href: "/admin/retention"})
	}
	return items
}

// requireAllowed returns the signed-in user when they may perform action; otherwise it shows the 404 page
// (or sends a signed-out visitor to sign in) and returns nil.
func (s *Server) requireAllowed(c *gin.Context, action foi.Action) *foi.User {
	u := s.requireUser(c)
	if u == nil {
		return nil
	}
	if foi.Can(u, action, foi.Scope{}) != nil {
		s.htmlError(c, foi.Errorf(foi.ENOTFOUND, "no such page"))
		return nil
	}
	return u
}

// serviceFor returns the service get returns when the signed-in user may perform action; otherwise, or when
// there is no such service, it answers as requireAllowed does (or with the error page) and returns false.
func serviceFor[T any](s *Server, c *gin.Context, action foi.Action, get func() (T, error)) (T, bool) {
	var zero T
	if s.requireAllowed(c, action) == nil {
		return zero, false
	}
	svc, err := get()
	if err != nil {
		s.htmlError(c, err)
		return zero, false
	}
	return svc, true
}

// adminRegisters returns the registers for a register page, when the signed-in user may manage them; otherwise
// it answers as requireAllowed does (or with the error page) and returns false.
func (s *Server) adminRegisters(c *gin.Context) (foi.Registers, bool) {
	if s.requireAllowed(c, foi.ActionManageRegisters) == nil {
		return foi.Registers{}, false
	}
	reg, err := s.cfg.Registers.Registers(c.Request.Context())
	if err != nil {
		s.htmlError(c, err)
		return foi.Registers{}, false
	}
	return reg, true
}

// adminPage returns the Page of an admin page, with the Admin navigation item current.
func (s *Server) adminPage(c *gin.Context, title string) *Page { return s.navPage(c, title, "admin") }

// navPage returns the Page of an admin or audit page with the navigation item nav current, adding the admin
// and audit items the user may open when the navigation lacks them.
func (s *Server) navPage(c *gin.Context, title, nav string) *Page {
	p := s.page(c, title)
	p.Nav = nav
	if p.User != nil {
		for _, it := range AdminNavItems(mustUser(c)) {
			if !hasNav(p.User.NavItems, it.Key) {
				p.User.NavItems = append(p.User.NavItems, it)
			}
		}
	}
	return p
}

// hasNav reports whether items has an item with this key.
func hasNav(items []NavItem, key string) bool {
	for _, it := range items {
		if it.Key == key {
			return true
		}
	}
	return false
}

// mustUser returns the signed-in user; callers have checked there is one.
func mustUser(c *gin.Context) *foi.User {
	sess, _ := session(c)
	return sess.User
}

// handleAdminIndex shows the admin index (GET /admin): a link to each section.
func (s *Server) handleAdminIndex(c *gin.Context) {
	if s.requireAllowed(c, foi.ActionManageRegisters) == nil {
		return
	}
	p := s.adminPage(c, "Admin")
	p.Data = adminSections
	s.pages.HTML(c, http.StatusOK, "admin", p)
}

// failField is Form.Fail for a register form whose conflict (a duplicate code, version, reference or email)
// is about one input: the conflict's message goes on that input, so the error summary links to it.
func failField(f *Form, err error, conflictField string) bool {
	if foi.ErrorCode(err) == foi.ECONFLICT {
		f.AddError(conflictField, foi.ErrorMessage(err))
		return true
	}
	return f.Fail(err)
}

// requireChoice records message on the select or radios name when nothing is chosen. Called before the service,
// it puts a "Select …" message where the service would say "Enter …", the service's other errors still
// following (only the first error of an input is kept).
func requireChoice(f *Form, name, message string) {
	if f.Trim(name) == "" {
		f.AddError(name, message)
	}
}

// userAdmin returns the user administration service behind the auth or case service.
func (s *Server) userAdmin() (foi.UserAdminService, error) {
	if us, ok := s.cfg.Auth.(foi.UserAdminService); ok {
		return us, nil
	}
	if us, ok := s.cfg.Cases.(foi.UserAdminService); ok {
		return us, nil
	}
	return nil, errNoService("user administration")
}

// calendarAdmin returns the calendar administration service behind the case service.
func (s *Server) calendarAdmin() (foi.CalendarAdminService, error) {
	if cs, ok := s.cfg.Cases.(foi.CalendarAdminService); ok {
		return cs, nil
	}
	return nil, errNoService("calendar administration")
}

// outbox returns the outbox service behind the case service.
func (s *Server) outbox() (foi.OutboxService, error) {
	if os, ok := s.cfg.Cases.(foi.OutboxService); ok {
		return os, nil
	}
	return nil, errNoService("outbox")
}

// auditLog returns the audit service behind the case service.
func (s *Server) auditLog() (foi.AuditService, error) {
	if as, ok := s.cfg.Cases.(foi.AuditService); ok {
		return as, nil
	}
	return nil, errNoService("audit log")
}

func init() {
	// govukDate writes a calendar.Date as GOV.UK does ("9 March 2026"), "" for the zero date.
	templateFuncs["govukDate"] = govukDate
}
