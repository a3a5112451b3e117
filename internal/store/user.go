package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// TokenPrefix starts every API token, so a leaked one is easy to recognise.
const TokenPrefix = "foi_"

// CreateUser creates a user and returns it with its password: the one given, or a generated one. Only an
// admin (or the command line) may. It returns EINVALID for bad fields or an unknown party, ECONFLICT when the
// email is taken, EFORBIDDEN/EUNAUTHORIZED for the wrong actor.
func (d *DB) CreateUser(ctx context.Context, in foi.NewUser) (foi.User, string, error) {
	if err := in.Validate(); err != nil {
		return foi.User{}, "", err
	}
	password := in.Password
	if password == "" {
		password = GeneratePassword()
	}
	hash := hashPassword(password)
	var user foi.User
	err := d.inTx(ctx, func(tx *Tx) error {
		if err := tx.can(foi.ActionManageUsers, foi.Scope{}); err != nil {
			return err
		}
		var partyID *int64
		if in.PartyCode != "" {
			p, err := tx.PartyGetByCode(ctx, in.PartyCode)
			if err != nil {
				return &foi.Error{Code: foi.EINVALID, Message: "Unknown party " + in.PartyCode,
					Fields: []foi.FieldError{{Field: "party", Message: "Unknown party " + in.PartyCode}}}
			}
			partyID = &p.ID
		}
		if _, err := tx.UserGetByEmail(ctx, in.Email); err == nil {
			return &foi.Error{Code: foi.ECONFLICT, Message: "A user with email " + in.Email + " already exists",
				Fields: []foi.FieldError{{Field: "email", Message: "A user with this email already exists"}}}
		}
		row, err := tx.UserCreate(ctx, db.UserCreateParams{Email: in.Email, Name: in.Name, Role: string(in.Role),
			PartyID: partyID, PasswordHash: hash, Now: tx.now})
		if err != nil {
			return err
		}
		user = userFrom(row.ID, row.Email, row.Name, row.Role, row.PartyID, in.PartyCode, row.Active, row.CreatedAt)
		tx.audit("user.create", "user", user.ID, user.PartyID,
			map[string]any{"email": user.Email, "role": user.Role, "party": in.PartyCode})
		return nil
	})
	return user, password, err
}

// Authenticate returns the active user with this email and password, or EUNAUTHORIZED (the same error for an
// unknown email, a wrong password and a disabled account). A successful sign-in is audited.
func (d *DB) Authenticate(ctx context.Context, email, password string) (*foi.User, error) {
	email = foi.NormalizeEmail(email)
	row, err := d.readQueries().UserGetByEmail(ctx, email)
	if err != nil {
		checkPassword(dummyHash, password)
		return nil, foi.Errorf(foi.EUNAUTHORIZED, "Enter a correct email address and password.")
	}
	if !checkPassword(row.PasswordHash, password) || !row.Active {
		return nil, foi.Errorf(foi.EUNAUTHORIZED, "Enter a correct email address and password.")
	}
	u := userFrom(row.ID, row.Email, row.Name, row.Role, row.PartyID, row.PartyCode, row.Active, row.CreatedAt)
	return &u, nil
}

// CreateToken issues an API token for the user with this email and returns it; only its hash is stored.
// Admins (and the command line) may issue tokens for anyone, others only for themselves. It returns
// ENOTFOUND for an unknown email.
func (d *DB) CreateToken(ctx context.Context, email, name string) (string, error) {
	email = foi.NormalizeEmail(email)
	token := TokenPrefix + randomToken(32)
	err := d.inTx(ctx, func(tx *Tx) error {
		row, err := tx.UserGetByEmail(ctx, email)
		if err != nil {
			return foi.Errorf(foi.ENOTFOUND, "No user with email %s.", email)
		}
		if self := tx.actor.User; self == nil || self.ID != row.ID {
			if err := tx.can(foi.ActionManageUsers, foi.Scope{}); err != nil {
				return err
			}
		}
		if strings.TrimSpace(name) == "" {
			name = "API token"
		}
		t, err := tx.TokenCreate(ctx, db.TokenCreateParams{UserID: row.ID, Name: truncate(name, 100),
			TokenHash: hashSecret(token), Now: tx.now})
		if err != nil {
			return err
		}
		tx.audit("token.create", "api_token", t.ID, deref(row.PartyID), map[string]any{"user": email, "name": name})
		return nil
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// UserByToken returns the active user an API token belongs to, or EUNAUTHORIZED.
func (d *DB) UserByToken(ctx context.Context, token string) (*foi.User, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return nil, foi.Errorf(foi.EUNAUTHORIZED, "Invalid API token.")
	}
	v, err := d.versions(ctx)
	if err != nil {
		return nil, err
	}
	hash := hashSecret(token)
	t, ok := d.tokens.get(v.Auth, hash)
	if !ok {
		if t, err = d.readQueries().TokenUserGet(ctx, hash); err != nil || !t.Active {
			return nil, foi.Errorf(foi.EUNAUTHORIZED, "Invalid API token.")
		}
	}
	u := userFrom(t.ID, t.Email, t.Name, t.Role, t.PartyID, t.PartyCode, t.Active, t.CreatedAt)
	user := &u
	now := d.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if err := d.writeQueries().TokenTouch(ctx, db.TokenTouchParams{ID: t.TokenID, Now: &now}); err != nil {
			return nil, d.internal("touch token", err)
		}
		t.LastUsedAt = &now
	}
	d.tokens.put(v.Auth, hash, t)
	return user, nil
}

// ListUsers returns every user, by email. Only an admin may.
func (d *DB) ListUsers(ctx context.Context) ([]foi.User, error) {
	if err := canCtx(ctx, foi.ActionManageUsers, foi.Scope{}); err != nil {
		return nil, err
	}
	rows, err := db.New(d.read).UserList(ctx)
	if err != nil {
		return nil, d.internal("list users", err)
	}
	users := make([]foi.User, len(rows))
	for i, r := range rows {
		users[i] = userFrom(r.ID, r.Email, r.Name, r.Role, r.PartyID, r.PartyCode, r.Active, r.CreatedAt)
	}
	return users, nil
}

func (d *DB) userByID(ctx context.Context, q *db.Queries, id int64) (*foi.User, error) {
	r, err := q.UserGet(ctx, id)
	if err != nil {
		return nil, d.mapError(err)
	}
	u := userFrom(r.ID, r.Email, r.Name, r.Role, r.PartyID, r.PartyCode, r.Active, r.CreatedAt)
	return &u, nil
}

func userFrom(id int64, email, name, role string, partyID *int64, partyCode string, active bool, created time.Time) foi.User {
	return foi.User{ID: id, Email: email, Name: name, Role: foi.Role(role), PartyID: deref(partyID),
		PartyCode: partyCode, Active: active, CreatedAt: created}
}

// hashSecret returns the hex SHA-256 of a session or token secret, which is what the database stores.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// itoa formats an id for messages.
func itoa(id int64) string { return strconv.FormatInt(id, 10) }
