package foi

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a user may do. Every user but an admin belongs to one party.
type Role string

// The roles.
const (
	RoleAdmin         Role = "admin"
	RoleOfficer       Role = "officer"
	RoleDecisionMaker Role = "decision-maker"
	RoleLiaison       Role = "liaison"
	RoleAuditor       Role = "auditor"
)

// Roles lists every role in display order.
var Roles = []Role{RoleOfficer, RoleDecisionMaker, RoleLiaison, RoleAuditor, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// Label returns the role's name for people ("Decision-maker").
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Admin"
	case RoleOfficer:
		return "FOI officer"
	case RoleDecisionMaker:
		return "Decision-maker"
	case RoleLiaison:
		return "Liaison"
	case RoleAuditor:
		return "Auditor"
	}
	return string(r)
}

// User is a person who signs in to foidesk.
type User struct {
	ID        int64
	Email     string
	Name      string
	Role      Role
	PartyID   int64  // 0 for an admin without a party
	PartyCode string // "" for an admin without a party
	Active    bool
	CreatedAt time.Time
}

// NewUser is the input for creating a user.
type NewUser struct {
	Email     string
	Name      string
	Role      Role
	PartyCode string
	Password  string // empty: the store generates one and returns it
}

// MinPasswordLength is the shortest password foidesk accepts.
const MinPasswordLength = 12

// Validate checks the shape of a new user and returns an EINVALID error naming each bad field.
func (u *NewUser) Validate() error {
	var v Validation
	u.Email = NormalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	u.PartyCode = strings.ToUpper(strings.TrimSpace(u.PartyCode))
	v.Check(ValidEmail(u.Email), "email", "Enter an email address in the correct format, like name@example.gov.uk")
	v.Check(u.Name != "", "name", "Enter the user's name")
	v.Check(utf8.RuneCountInString(u.Name) <= 200, "name", "Name must be 200 characters or fewer")
	if !u.Role.Valid() {
		v.Add("role", "Role must be one of officer, decision-maker, liaison, auditor, admin")
	}
	if u.Role != RoleAdmin && u.Role.Valid() {
		v.Check(u.PartyCode != "", "party", "Enter the party the user belongs to, like DFE")
	}
	if u.Password != "" {
		v.Check(utf8.RuneCountInString(u.Password) >= MinPasswordLength, "password",
			"Password must be at least 12 characters")
	}
	return v.Err()
}

// NormalizeEmail trims and lower-cases an email address; addresses are compared in this form.
func NormalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// ValidEmail reports whether s is one plain address (no display name) with a dotted domain.
func ValidEmail(s string) bool {
	if s == "" || len(s) > 254 || strings.ContainsAny(s, " <>,") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".")
}
