package foi

import (
	"context"
	"time"
)

// Session is a signed-in web session.
type Session struct {
	User      *User
	CSRFToken string
	ExpiresAt time.Time
}

// AuthService signs people in and out and resolves credentials to users.
type AuthService interface {
	// Authenticate returns the active user with this email and password, or EUNAUTHORIZED.
	Authenticate(ctx context.Context, email, password string) (*User, error)
	// CreateSession starts a web session and returns the secret for the cookie.
	CreateSession(ctx context.Context, user *User, userAgent string) (secret string, s Session, err error)
	// SessionBySecret returns the live session for a cookie secret, or EUNAUTHORIZED.
	SessionBySecret(ctx context.Context, secret string) (Session, error)
	// EndSession signs a session out.
	EndSession(ctx context.Context, secret string) error
	// UserByToken returns the active user an API token belongs to, or EUNAUTHORIZED.
	UserByToken(ctx context.Context, token string) (*User, error)
}

// Registers is a snapshot of the registers: parties with contacts, agreements with versions, exchanges and
// information assets with aliases.
type Registers struct {
	Parties    []Party
	Contacts   []Contact
	Agreements []Agreement
	Exchanges  []Exchange
	Assets     []Asset
}

// PartyCode returns the code of the party with this id, or "".
func (r *Registers) PartyCode(id int64) string {
	for _, p := range r.Parties {
		if p.ID == id {
			return p.Code
		}
	}
	return ""
}

// PartyName returns the name of the party with this id, or "".
func (r *Registers) PartyName(id int64) string {
	for _, p := range r.Parties {
		if p.ID == id {
			return p.Name
		}
	}
	return ""
}

// RegisterService reads (and, for admins, changes) the registers.
type RegisterService interface {
	// Registers returns the registers; EUNAUTHORIZED without a signed-in actor.
	Registers(ctx context.Context) (Registers, error)
}
