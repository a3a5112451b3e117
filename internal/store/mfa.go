package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base32"
	"errors"
	"strconv"
	"strings"
	"time"

	"foidesk/internal/crypt"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// ChallengeLifetime is how long a correct password waits for its second factor (or enrolment).
const ChallengeLifetime = 10 * time.Minute

// totpPeriod is the TOTP time step, in seconds (RFC 6238's default, which every authenticator app uses).
const totpPeriod = 30

// MFAStatus returns the actor's second factor. It returns EUNAUTHORIZED when no user acts.
func (d *DB) MFAStatus(ctx context.Context) (foi.MFAStatus, error) {
	u := foi.ActorFrom(ctx).User
	if u == nil {
		return foi.MFAStatus{}, foi.Errorf(foi.EUNAUTHORIZED, "Sign in to continue.")
	}
	var st foi.MFAStatus
	err := d.readTx(ctx, func(q *db.Queries) error {
		row, err := q.MFAGet(ctx, u.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		st.Enabled = row.ConfirmedAt != nil
		n, err := q.RecoveryCodeCountUnused(ctx, u.ID)
		st.RecoveryCodesLeft = int(n)
		return err
	})
	return st, err
}

// MFAEnrolStart gives the actor a TOTP secret to confirm and returns its otpauth URL for the QR code: the
// pending one when it was made less than ChallengeLifetime ago, otherwise a new one replacing it. It returns ECONFLICT when a second factor is already confirmed, EUNAUTHORIZED when no user
// acts. The secret is never returned again once confirmed.
func (d *DB) MFAEnrolStart(ctx context.Context, issuer string) (foi.MFAEnrolment, error) {
	var out foi.MFAEnrolment
	err := d.inTx(ctx, func(tx *Tx) error {
		u := tx.actor.User
		if u == nil {
			return foi.Errorf(foi.EUNAUTHORIZED, "Sign in to continue.")
		}
		opts := totp.GenerateOpts{Issuer: issuer, AccountName: u.Email, Period: totpPeriod,
			Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
		row, err := tx.MFAGet(ctx, u.ID)
		switch {
		case err == nil && row.ConfirmedAt != nil:
			return foi.Errorf(foi.ECONFLICT, "You have already set up an authenticator app.")
		case err == nil && row.CreatedAt.After(tx.now.Add(-ChallengeLifetime)):
			// The same page shown again (a wrong code, a reload) keeps the secret the app may have scanned.
			secret, err := d.openTOTP(row)
			if err != nil {
				return err
			}
			if opts.Secret, err = base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret); err != nil {
				return err
			}
		}
		key, err := totp.Generate(opts)
		if err != nil {
			return err
		}
		out = foi.MFAEnrolment{URL: key.URL(), Secret: key.Secret()}
		if opts.Secret != nil {
			return nil
		}
		s, err := d.sealTOTP(u.ID, key.Secret())
		if err != nil {
			return err
		}
		p := db.MFAPutParams{UserID: u.ID, Now: tx.now, KeyID: s.keyID, WrappedKey: s.wrapped, SealedSecret: s.content}
		if s.keyID == "" {
			p.TotpSecret, p.SealedSecret = string(s.content), nil
		}
		return tx.MFAPut(ctx, p)
	})
	return out, err
}

// MFAEnrolConfirm confirms the actor's pending secret with a code from the app and returns the new recovery
// codes (foi.RecoveryCodeCount of them, shown once; only their hashes are kept). It returns EINVALID for a
// wrong code, ECONFLICT when no enrolment is pending. The enrolment is audited.
func (d *DB) MFAEnrolConfirm(ctx context.Context, code string) ([]string, error) {
	var codes []string
	err := d.inTx(ctx, func(tx *Tx) error {
		u := tx.actor.User
		if u == nil {
			return foi.Errorf(foi.EUNAUTHORIZED, "Sign in to continue.")
		}
		row, err := tx.MFAGet(ctx, u.ID)
		if err != nil || row.ConfirmedAt != nil {
			return foi.Errorf(foi.ECONFLICT, "There is no authenticator app waiting to be confirmed. Start again.")
		}
		secret, err := d.openTOTP(row)
		if err != nil {
			return err
		}
		step, ok := matchTOTP(secret, code, tx.now)
		if !ok {
			return &foi.Error{Code: foi.EINVALID, Message: "Enter the 6-digit code your authenticator app shows",
				Fields: []foi.FieldError{{Field: "code", Message: "Enter the 6-digit code your authenticator app shows"}}}
		}
		if err := tx.MFAConfirm(ctx, db.MFAConfirmParams{UserID: u.ID, Now: &tx.now, LastStep: step}); err != nil {
			return err
		}
		if codes, err = tx.newRecoveryCodes(ctx, u.ID); err != nil {
			return err
		}
		tx.audit("mfa.enrol", "user", u.ID, u.PartyID, map[string]any{"recovery_codes": len(codes)})
		return nil
	})
	return codes, err
}

// newRecoveryCodes replaces a user's recovery codes with new ones and returns them.
func (tx *Tx) newRecoveryCodes(ctx context.Context, userID int64) ([]string, error) {
	if err := tx.RecoveryCodeDeleteAll(ctx, userID); err != nil {
		return nil, err
	}
	codes := make([]string, foi.RecoveryCodeCount)
	for i := range codes {
		b := make([]byte, 8)
		rand.Read(b)
		s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:10]
		codes[i] = s[:5] + "-" + s[5:]
		if err := tx.RecoveryCodeAdd(ctx, db.RecoveryCodeAddParams{UserID: userID, CodeHash: hashSecret(s)}); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// MFAVerify checks a second factor for the actor: a current TOTP code (each accepted once; a secret stored in
// plain is then sealed when the store has a keyring) or an unused recovery code (then used up; audited with how
// many are left). It is behind the sign-in throttle: ETOOMANY
// when the actor's account or address has too many failures, EUNAUTHORIZED for a wrong code (counted as a
// failure); a success clears the account's failures.
func (d *DB) MFAVerify(ctx context.Context, code string) error {
	u := foi.ActorFrom(ctx).User
	if u == nil {
		return foi.Errorf(foi.EUNAUTHORIZED, "Sign in to continue.")
	}
	key := accountKey(u.Email)
	if err := d.checkThrottle(ctx, key, u.Email); err != nil {
		return err
	}
	ok := false
	err := d.inTx(ctx, func(tx *Tx) error {
		row, err := tx.MFAGet(ctx, u.ID)
		if err != nil || row.ConfirmedAt == nil {
			return nil
		}
		secret, err := d.openTOTP(row)
		if err != nil {
			return err
		}
		if step, match := matchTOTP(secret, code, tx.now); match {
			n, err := tx.MFAUseStep(ctx, db.MFAUseStepParams{UserID: u.ID, Step: step})
			if ok = n == 1; !ok || err != nil || row.KeyID != "" || d.keys == nil {
				return err
			}
			// A secret stored before there was a key is sealed at its first use since.
			s, err := d.sealTOTP(u.ID, secret)
			if err != nil {
				return err
			}
			return tx.MFASetKey(ctx, db.MFASetKeyParams{UserID: u.ID, KeyID: s.keyID, WrappedKey: s.wrapped, SealedSecret: s.content})
		}
		norm := normalizeRecoveryCode(code)
		if len(norm) != 10 {
			return nil
		}
		n, err := tx.RecoveryCodeUse(ctx, db.RecoveryCodeUseParams{UserID: u.ID, CodeHash: hashSecret(norm), Now: &tx.now})
		if err != nil || n == 0 {
			return err
		}
		ok = true
		left, err := tx.RecoveryCodeCountUnused(ctx, u.ID)
		tx.audit("mfa.recovery_used", "user", u.ID, u.PartyID, map[string]any{"left": left})
		return err
	})
	if err != nil {
		return d.internal("verify second factor", err)
	}
	if !ok {
		if err := d.recordFailure(ctx, key); err != nil {
			return err
		}
		return foi.Errorf(foi.EUNAUTHORIZED, "Enter a correct code from your authenticator app, or a recovery code.")
	}
	return d.clearFailures(ctx, key)
}

// MFAReset removes a user's second factor and recovery codes, so they must enrol again where a second factor
// is required. The user themself or an admin may; ENOTFOUND for an unknown user. It is audited.
func (d *DB) MFAReset(ctx context.Context, userID int64) error {
	return d.inTx(ctx, func(tx *Tx) error {
		target, err := tx.selfOrAdmin(ctx, userID)
		if err != nil {
			return err
		}
		n, err := tx.MFADelete(ctx, userID)
		if err != nil {
			return err
		}
		if err := tx.RecoveryCodeDeleteAll(ctx, userID); err != nil {
			return err
		}
		if n > 0 {
			tx.audit("mfa.disable", "user", userID, target.PartyID, nil)
		}
		return nil
	})
}

// totpAAD binds a sealed TOTP secret to its user: a secret copied into another user's row does not decrypt.
func totpAAD(userID int64) []byte { return []byte("foidesk-totp:" + strconv.FormatInt(userID, 10)) }

// sealTOTP returns a user's TOTP secret as user_mfa stores it: sealed under the active key, or in plain
// (key id ”) without a keyring.
func (d *DB) sealTOTP(userID int64, secret string) (sealed, error) {
	if d.keys == nil {
		return sealed{content: []byte(secret)}, nil
	}
	s, err := d.keys.Seal([]byte(secret), totpAAD(userID))
	if err != nil {
		return sealed{}, d.internal("seal second factor", err)
	}
	return sealed{keyID: s.KeyID, wrapped: s.WrappedKey, content: s.Ciphertext}, nil
}

// openTOTP returns the TOTP secret of a user_mfa row. A secret sealed under a key the store does not hold,
// or one that does not decrypt, fails loudly with EINTERNAL naming the key: never a wrong secret.
func (d *DB) openTOTP(row db.UserMfa) (string, error) {
	if row.KeyID == "" {
		return row.TotpSecret, nil
	}
	if d.keys == nil || !d.keys.Has(row.KeyID) {
		return "", foi.Errorf(foi.EINTERNAL, "the second factor of user %d is encrypted under key %q, which is not configured (--key-file)", row.UserID, row.KeyID)
	}
	plain, err := d.keys.Open(crypt.Sealed{KeyID: row.KeyID, WrappedKey: row.WrappedKey, Ciphertext: row.SealedSecret}, totpAAD(row.UserID))
	if err != nil {
		d.log.Error("second factor does not decrypt", "user", row.UserID, "key", row.KeyID, "err", err)
		return "", foi.Errorf(foi.EINTERNAL, "the second factor of user %d does not decrypt under key %q: the key is wrong or the stored bytes changed", row.UserID, row.KeyID)
	}
	return string(plain), nil
}

// matchTOTP returns the time step of the code when it is the secret's code for now or the step either side
// (clock drift), and whether it matched.
func matchTOTP(secret, code string, now time.Time) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return 0, false
	}
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	for _, skew := range []int64{0, -1, 1} {
		at := now.Add(time.Duration(skew*totpPeriod) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, at, opts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return at.Unix() / totpPeriod, true
		}
	}
	return 0, false
}

// normalizeRecoveryCode returns a recovery code as stored before hashing: lower case, no dashes or spaces.
func normalizeRecoveryCode(code string) string {
	return strings.NewReplacer("-", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(code)))
}

// StartChallenge records that the user gave a correct password and must now give a second factor or enrol
// one, and returns the secret for the challenge cookie (only its hash is kept; it lasts ChallengeLifetime).
func (d *DB) StartChallenge(ctx context.Context, user *foi.User, next string) (string, error) {
	secret := randomToken(32)
	err := d.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.ChallengeDeleteExpired(ctx, tx.now); err != nil {
			return err
		}
		return tx.ChallengeCreate(ctx, db.ChallengeCreateParams{ID: hashSecret(secret), UserID: user.ID,
			NextPath: truncate(next, 1000), Now: tx.now, ExpiresAt: tx.now.Add(ChallengeLifetime)})
	})
	return secret, err
}

// Challenge returns the active user of a live challenge and the path to go to after it, or EUNAUTHORIZED.
func (d *DB) Challenge(ctx context.Context, secret string) (*foi.User, string, error) {
	q := d.readQueries()
	row, err := q.ChallengeGet(ctx, db.ChallengeGetParams{ID: hashSecret(secret), Now: d.now()})
	if err != nil {
		return nil, "", foi.Errorf(foi.EUNAUTHORIZED, "Your sign-in has timed out. Sign in again.")
	}
	user, err := d.userByID(ctx, q, row.UserID)
	if err != nil || !user.Active {
		return nil, "", foi.Errorf(foi.EUNAUTHORIZED, "Sign in to continue.")
	}
	return user, row.NextPath, nil
}

// EndChallenge removes a challenge; an unknown one is not an error.
func (d *DB) EndChallenge(ctx context.Context, secret string) error {
	return d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ChallengeDelete(ctx, hashSecret(secret))
		return err
	})
}

// SSOUser returns the active user whose email the identity provider (issuer) verified, auditing the sign-in
// ("signin.sso"), or EUNAUTHORIZED (audited as "signin.sso_refused") when there is no such active user.
func (d *DB) SSOUser(ctx context.Context, email, issuer string) (*foi.User, error) {
	email = foi.NormalizeEmail(email)
	var user *foi.User
	err := d.inTx(ctx, func(tx *Tx) error {
		r, err := tx.UserGetByEmail(ctx, email)
		if err != nil || !r.Active {
			tx.audit("signin.sso_refused", "user", 0, 0, map[string]any{"email": truncate(email, 254), "issuer": issuer})
			return nil
		}
		u := userFrom(r.ID, r.Email, r.Name, r.Role, r.PartyID, r.PartyCode, r.Active, r.CreatedAt)
		user = &u
		tx.actor.User = user
		tx.audit("signin.sso", "user", u.ID, u.PartyID, map[string]any{"issuer": issuer})
		return nil
	})
	if err != nil {
		return nil, d.internal("single sign-on", err)
	}
	if user == nil {
		return nil, foi.Errorf(foi.EUNAUTHORIZED, "There is no active foidesk account for %s.", email)
	}
	return user, nil
}

var _ foi.SignInService = (*DB)(nil)
