package foi

import (
	"errors"
	"time"
)

// ThrottlePolicy limits failed sign-ins: at most AccountLimit failures per account and AddressLimit per client
// address within any Window (a sliding window). A successful sign-in clears the account's failures.
type ThrottlePolicy struct {
	Window       time.Duration
	AccountLimit int
	AddressLimit int
}

// DefaultThrottle is the policy foidesk uses unless configured: 5 failures per account and 20 per address in
// 15 minutes.
var DefaultThrottle = ThrottlePolicy{Window: 15 * time.Minute, AccountLimit: 5, AddressLimit: 20}

// RetryAt returns when a key with these recent failures (newest first, all within the window before now) may
// try again: the zero time when fewer than limit failures are in the window, otherwise the moment the
// limit-th newest failure leaves the window.
func (p ThrottlePolicy) RetryAt(recent []time.Time, limit int, now time.Time) time.Time {
	if limit <= 0 || len(recent) < limit {
		return time.Time{}
	}
	at := recent[limit-1].Add(p.Window)
	if !at.After(now) {
		return time.Time{}
	}
	return at
}

// Throttled returns the ETOOMANY error for a sign-in refused until retryAt; its Detail carries "retry_at".
func Throttled(retryAt time.Time) *Error {
	return &Error{Code: ETOOMANY, Message: "Too many sign-in attempts. Try again later.",
		Detail: map[string]any{"retry_at": retryAt}}
}

// RetryAtOf returns the time a throttled error (ETOOMANY) says to try again at, or the zero time.
func RetryAtOf(err error) time.Time {
	var e *Error
	if errors.As(err, &e) && e.Code == ETOOMANY {
		if t, ok := e.Detail["retry_at"].(time.Time); ok {
			return t
		}
	}
	return time.Time{}
}
