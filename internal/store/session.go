package store

import (
	"context"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// SessionLifetime is how long a web session lasts without use unless configured (the idle timeout).
const SessionLifetime = 30 * time.Minute

// SessionMaxLifetime is how long a web session lasts at most, however busy, unless configured (the absolute
// lifetime).
const SessionMaxLifetime = 12 * time.Hour

// signinConfig is the database's sign-in settings: session limits and the throttle.
type signinConfig struct {
	idle, absolute time.Duration
	throttle       *foi.ThrottlePolicy
}

// SetSessionLimits sets the idle timeout and the absolute lifetime of new and touched sessions; zero keeps
// the default (SessionLifetime, SessionMaxLifetime). Call it before serving.
func (d *DB) SetSessionLimits(idle, absolute time.Duration) {
	d.signin.idle, d.signin.absolute = idle, absolute
}

// SetThrottle sets the sign-in throttle policy; call it before serving.
func (d *DB) SetThrottle(p foi.ThrottlePolicy) { d.signin.throttle = &p }

func (d *DB) sessionIdle() time.Duration {
	if d.signin.idle > 0 {
		return d.signin.idle
	}
	return SessionLifetime
}

func (d *DB) sessionAbsolute() time.Duration {
	if d.signin.absolute > 0 {
		return d.signin.absolute
	}
	return SessionMaxLifetime
}

// sessionExpiry returns when a session created at created and last used at now ends: idle time after now,
// but never later than its absolute lifetime after created.
func (d *DB) sessionExpiry(created, now time.Time) time.Time {
	exp := now.Add(d.sessionIdle())
	if limit := created.Add(d.sessionAbsolute()); exp.After(limit) {
		return limit
	}
	return exp
}

// CreateSession starts a web session for the user and returns the secret for the session cookie. The
// database keeps only its hash. The sign-in is audited.
func (d *DB) CreateSession(ctx context.Context, user *foi.User, userAgent string) (secret string, s foi.Session, err error) {
	secret = randomToken(32)
	err = d.inTx(ctx, func(tx *Tx) error {
		s = foi.Session{User: user, CSRFToken: randomToken(32), ExpiresAt: d.sessionExpiry(tx.now, tx.now)}
		if err := tx.SessionCreate(ctx, db.SessionCreateParams{ID: hashSecret(secret), UserID: user.ID,
			CsrfToken: s.CSRFToken, Now: tx.now, ExpiresAt: s.ExpiresAt, Ip: tx.actor.IP,
			UserAgent: truncate(userAgent, 300)}); err != nil {
			return err
		}
		tx.actor.User = user
		tx.audit("session.create", "user", user.ID, user.PartyID, nil)
		return nil
	})
	return secret, s, err
}

// SessionBySecret returns the live session for a cookie secret, sliding its expiry up to its absolute
// lifetime. It returns EUNAUTHORIZED when there is none, it expired (idle or absolute), it was revoked, or
// its user is disabled.
func (d *DB) SessionBySecret(ctx context.Context, secret string) (foi.Session, error) {
	if secret == "" {
		return foi.Session{}, foi.Errorf(foi.EUNAUTHORIZED, "Sign in to continue.")
	}
	id := hashSecret(secret)
	now := d.now()
	q := d.readQueries()
	row, err := q.SessionGet(ctx, db.SessionGetParams{ID: id, Now: now})
	if err != nil || !now.Before(row.CreatedAt.Add(d.sessionAbsolute())) {
		return foi.Session{}, foi.Errorf(foi.EUNAUTHORIZED, "Your session has ended. Sign in again.")
	}
	user, err := d.userByID(ctx, q, row.UserID)
	if err != nil || !user.Active {
		return foi.Session{}, foi.Errorf(foi.EUNAUTHORIZED, "Sign in to continue.")
	}
	s := foi.Session{User: user, CSRFToken: row.CsrfToken, ExpiresAt: row.ExpiresAt}
	// Slide the expiry at most once a minute, so reads do not each write.
	if now.Sub(row.LastSeenAt) > time.Minute {
		s.ExpiresAt = d.sessionExpiry(row.CreatedAt, now)
		if err := d.writeQueries().SessionTouch(ctx, db.SessionTouchParams{ID: id, Now: now, ExpiresAt: s.ExpiresAt}); err != nil {
			return foi.Session{}, d.internal("touch session", err)
		}
	}
	return s, nil
}

// EndSession signs the session out; an unknown secret is not an error. The sign-out is audited.
func (d *DB) EndSession(ctx context.Context, secret string) error {
	return d.inTx(ctx, func(tx *Tx) error {
		n, err := tx.SessionDelete(ctx, hashSecret(secret))
		if err != nil || n == 0 {
			return err
		}
		if u := tx.actor.User; u != nil {
			tx.audit("session.end", "user", u.ID, u.PartyID, nil)
		}
		return nil
	})
}

// RevokeSessions ends every web session of a user ("sign out everywhere") and returns how many were live. The
// user themself or an admin may; it returns ENOTFOUND for an unknown user, EFORBIDDEN/EUNAUTHORIZED for the
// wrong actor. API tokens are not affected. It is audited.
func (d *DB) RevokeSessions(ctx context.Context, userID int64) (int, error) {
	var n int64
	err := d.inTx(ctx, func(tx *Tx) error {
		target, err := tx.selfOrAdmin(ctx, userID)
		if err != nil {
			return err
		}
		if n, err = tx.SessionCountByUser(ctx, db.SessionCountByUserParams{UserID: userID, Now: tx.now}); err != nil {
			return err
		}
		if _, err = tx.SessionDeleteByUser(ctx, userID); err != nil {
			return err
		}
		tx.audit("session.revoke_all", "user", userID, target.PartyID, map[string]any{"sessions": n})
		return nil
	})
	return int(n), err
}

// selfOrAdmin returns the user with this id when the actor is that user or may manage users: ENOTFOUND for an
// unknown user, EUNAUTHORIZED/EFORBIDDEN otherwise.
func (tx *Tx) selfOrAdmin(ctx context.Context, userID int64) (*foi.User, error) {
	if self := tx.actor.User; self == nil || self.ID != userID {
		if err := tx.can(foi.ActionManageUsers, foi.Scope{}); err != nil {
			return nil, err
		}
	}
	r, err := tx.UserGet(ctx, userID)
	if err != nil {
		return nil, foi.Errorf(foi.ENOTFOUND, "No user with id %d.", userID)
	}
	u := userFrom(r.ID, r.Email, r.Name, r.Role, r.PartyID, r.PartyCode, r.Active, r.CreatedAt)
	return &u, nil
}
