package foi

import (
	"context"
	"strings"
)

// RecoveryCodeCount is how many single-use recovery codes an enrolment in the second factor issues.
const RecoveryCodeCount = 10

// DefaultMFARoles are the roles that must use a second factor with a local password unless configured
// otherwise.
var DefaultMFARoles = []Role{RoleDecisionMaker, RoleAdmin}

// ParseRoles returns the roles in a comma-separated list ("decision-maker,admin"; "decision_maker" is
// accepted too; "none" or "" is the empty list), or an EINVALID error naming the first unknown role.
func ParseRoles(s string) ([]Role, error) {
	var roles []Role
	for _, p := range strings.Split(s, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" || p == "none" {
			continue
		}
		r := Role(strings.ReplaceAll(p, "_", "-"))
		if !r.Valid() {
			return nil, Errorf(EINVALID, "Unknown role %q: want officer, decision-maker, liaison, auditor or admin", p)
		}
		roles = append(roles, r)
	}
	return roles, nil
}

// MFARequired reports whether a user with a local password must use a second factor, given the roles that
// require one.
func MFARequired(u *User, roles []Role) bool {
	for _, r := range roles {
		if u != nil && u.Role == r {
			return true
		}
	}
	return false
}

// MFAStatus is a user's second factor.
type MFAStatus struct {
	Enabled           bool // a TOTP authenticator is enrolled and confirmed
	RecoveryCodesLeft int
}

// MFAEnrolment is a TOTP enrolment waiting for its first code: the otpauth:// URL an authenticator app reads
// (shown as a QR code) and the secret for typing in by hand.
type MFAEnrolment struct {
	URL    string
	Secret string
}

// SignInService is the security around signing in: throttling, the second factor, session revocation and
// single sign-on. Methods that act on "the actor" take the user from the context's Actor.
type SignInService interface {
	// PasswordSignIn is Authenticate behind the throttle: ETOOMANY (see RetryAtOf) when the account or the
	// client address has too many recent failures, EUNAUTHORIZED for a wrong email or password (counted as a
	// failure); a success clears the account's failures.
	PasswordSignIn(ctx context.Context, email, password string) (*User, error)
	// StartChallenge records that the user gave a correct password and must now give a second factor (or
	// enrol one); it returns the secret for the challenge cookie.
	StartChallenge(ctx context.Context, user *User, next string) (secret string, err error)
	// Challenge returns the user and next path of a live challenge, or EUNAUTHORIZED.
	Challenge(ctx context.Context, secret string) (*User, string, error)
	// EndChallenge removes a challenge; an unknown one is not an error.
	EndChallenge(ctx context.Context, secret string) error
	// MFAStatus returns the actor's second factor.
	MFAStatus(ctx context.Context) (MFAStatus, error)
	// MFAEnrolStart gives the actor a new TOTP secret to confirm; ECONFLICT when one is already confirmed.
	MFAEnrolStart(ctx context.Context, issuer string) (MFAEnrolment, error)
	// MFAEnrolConfirm confirms the pending secret with a code from the app and returns the recovery codes, shown
	// once; EINVALID for a wrong code, ECONFLICT when nothing is pending.
	MFAEnrolConfirm(ctx context.Context, code string) ([]string, error)
	// MFAVerify checks a TOTP code or a recovery code for the actor, behind the throttle: ETOOMANY, or
	// EUNAUTHORIZED for a wrong code (counted as a failure).
	MFAVerify(ctx context.Context, code string) error
	// MFAReset removes a user's second factor and recovery codes: the user themself or an admin.
	MFAReset(ctx context.Context, userID int64) error
	// RevokeSessions ends every session of a user (the user themself or an admin) and returns how many ended.
	RevokeSessions(ctx context.Context, userID int64) (int, error)
	// SSOUser returns the active user with a verified email from the identity provider, or EUNAUTHORIZED.
	SSOUser(ctx context.Context, email, issuer string) (*User, error)
}
