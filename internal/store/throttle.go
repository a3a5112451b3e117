package store

import (
	"context"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// The kinds of key failed sign-ins are counted by.
const (
	throttleAccount = "account"
	throttleAddress = "address"
)

func (d *DB) throttlePolicy() foi.ThrottlePolicy {
	if p := d.signin.throttle; p != nil {
		return *p
	}
	return foi.DefaultThrottle
}

// accountKey is what failures are counted by for an email: its SHA-256, so addresses that are not accounts
// are not kept in clear.
func accountKey(email string) string { return hashSecret(foi.NormalizeEmail(email)) }

// PasswordSignIn is Authenticate behind the sign-in throttle. It returns ETOOMANY (foi.RetryAtOf gives when to
// try again; the refusal is audited) when the account or the actor's address has too many failures in the
// window, EUNAUTHORIZED for a wrong email or password (recorded as a failure for both), and on success the
// user, clearing the account's failures.
func (d *DB) PasswordSignIn(ctx context.Context, email, password string) (*foi.User, error) {
	key := accountKey(email)
	if err := d.checkThrottle(ctx, key, email); err != nil {
		return nil, err
	}
	user, err := d.Authenticate(ctx, email, password)
	if foi.ErrorCode(err) == foi.EUNAUTHORIZED {
		if ferr := d.recordFailure(ctx, key); ferr != nil {
			return nil, ferr
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	if err := d.clearFailures(ctx, key); err != nil {
		return nil, err
	}
	return user, nil
}

// checkThrottle returns ETOOMANY, after auditing the refused attempt, when the account key or the actor's
// address is over its limit; nil otherwise.
func (d *DB) checkThrottle(ctx context.Context, key, email string) error {
	p := d.throttlePolicy()
	ip := foi.ActorFrom(ctx).IP
	var retry time.Time
	var which string
	err := d.inTx(ctx, func(tx *Tx) error {
		since := tx.now.Add(-p.Window)
		for _, k := range []struct {
			kind, value string
			limit       int
		}{{throttleAccount, key, p.AccountLimit}, {throttleAddress, ip, p.AddressLimit}} {
			if k.value == "" || k.limit <= 0 {
				continue
			}
			recent, err := tx.SigninFailureRecent(ctx, db.SigninFailureRecentParams{KeyKind: k.kind, KeyValue: k.value,
				Since: since, MaxRows: int32(k.limit)})
			if err != nil {
				return err
			}
			if at := p.RetryAt(recent, k.limit, tx.now); at.After(retry) {
				retry, which = at, k.kind
			}
		}
		if retry.IsZero() {
			return nil
		}
		var userID, partyID int64
		if u, err := tx.UserGetByEmail(ctx, foi.NormalizeEmail(email)); err == nil {
			userID, partyID = u.ID, deref(u.PartyID)
		}
		tx.audit("signin.throttled", "user", userID, partyID,
			map[string]any{"email": truncate(foi.NormalizeEmail(email), 254), "by": which, "retry_at": retry})
		return nil
	})
	if err != nil {
		return d.internal("check sign-in throttle", err)
	}
	if !retry.IsZero() {
		return foi.Throttled(retry)
	}
	return nil
}

// recordFailure counts a failed sign-in against the account key and the actor's address, and prunes
// failures older than the window.
func (d *DB) recordFailure(ctx context.Context, key string) error {
	ip := foi.ActorFrom(ctx).IP
	err := d.inTx(ctx, func(tx *Tx) error {
		if err := tx.SigninFailureAdd(ctx, db.SigninFailureAddParams{KeyKind: throttleAccount, KeyValue: key, Now: tx.now}); err != nil {
			return err
		}
		if ip != "" {
			if err := tx.SigninFailureAdd(ctx, db.SigninFailureAddParams{KeyKind: throttleAddress, KeyValue: ip, Now: tx.now}); err != nil {
				return err
			}
		}
		_, err := tx.SigninFailurePrune(ctx, tx.now.Add(-d.throttlePolicy().Window))
		return err
	})
	if err != nil {
		return d.internal("record sign-in failure", err)
	}
	return nil
}

// clearFailures forgets an account's failures after a successful sign-in.
func (d *DB) clearFailures(ctx context.Context, key string) error {
	err := d.inTx(ctx, func(tx *Tx) error {
		return tx.SigninFailureClear(ctx, db.SigninFailureClearParams{KeyKind: throttleAccount, KeyValue: key})
	})
	if err != nil {
		return d.internal("clear sign-in failures", err)
	}
	return nil
}
