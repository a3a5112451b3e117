package foi

import (
	"context"
	"time"
)

// UserAdminService manages the people who sign in (admins only: anyone else gets EFORBIDDEN). Every change is
// audited as user.* or token.* in the transaction that makes it.
type UserAdminService interface {
	// ListUsers returns every user, by email.
	ListUsers(ctx context.Context) ([]User, error)
	// CreateUser creates a user and returns it with its password: the one given, or a generated one. EINVALID
	// names each bad field (an unknown party as "party"); ECONFLICT when the email is taken.
	CreateUser(ctx context.Context, in NewUser) (User, string, error)
	// SetUserActive activates or deactivates the user with this id; a deactivated user cannot sign in and
	// their sessions and API tokens stop working at once. ENOTFOUND for no such user, ECONFLICT for an
	// admin deactivating themselves.
	SetUserActive(ctx context.Context, id int64, active bool) (User, error)
	// CreateToken issues an API token named name for the user with this email and returns it (only its hash
	// is kept, so it is shown once). ENOTFOUND for an unknown email.
	CreateToken(ctx context.Context, email, name string) (string, error)
	// ListTokens returns the API tokens of the user with this id, oldest first, revoked ones included (never
	// the tokens themselves, which are not kept). ENOTFOUND for no such user.
	ListTokens(ctx context.Context, userID int64) ([]APIToken, error)
	// RevokeToken revokes the API token tokenID of the user userID: it stops working at once. ENOTFOUND for no
	// such live token of that user.
	RevokeToken(ctx context.Context, userID, tokenID int64) error
}

// APIToken is an API token as an admin sees it: its name and use, never its secret.
type APIToken struct {
	ID         int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}
