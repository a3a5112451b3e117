-- +goose Up
-- Sign-in security (issue 9): throttling of failed sign-ins per account and per client address, sessions with
-- an idle timeout and an absolute lifetime, TOTP second factor with single-use recovery codes, and the short
-- challenge between a correct password and the second factor. The PostgreSQL twin of this file has the same
-- tables and columns (checked by the parity test).

-- signin_failures: one row per failed sign-in attempt, counted in a sliding window per account (the SHA-256 of
-- the normalised email, so unknown addresses are not kept in clear) and per client address. Shared by every
-- instance through the database.
CREATE TABLE signin_failures (
    id        INTEGER PRIMARY KEY,
    key_kind  TEXT NOT NULL CHECK (key_kind IN ('account', 'address')),
    key_value TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX signin_failures_key ON signin_failures (key_kind, key_value, failed_at);

-- user_mfa: a user's TOTP secret; confirmed_at is NULL while enrolment waits for the first code. last_step is
-- the last time step accepted, so a code is never accepted twice.
CREATE TABLE user_mfa (
    user_id      BIGINT PRIMARY KEY REFERENCES users (id),
    totp_secret  TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    last_step    BIGINT NOT NULL
);

-- mfa_recovery_codes: ten single-use codes per enrolment; only the SHA-256 of each is kept.
CREATE TABLE mfa_recovery_codes (
    user_id   BIGINT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMP,
    PRIMARY KEY (user_id, code_hash)
);

-- signin_challenges: a correct password waiting for its second factor (or for enrolment); id is the SHA-256 of
-- the challenge cookie's secret.
CREATE TABLE signin_challenges (
    id         TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    next_path  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX signin_challenges_user ON signin_challenges (user_id);

-- +goose Down
DROP INDEX signin_challenges_user;
DROP TABLE signin_challenges;
DROP TABLE mfa_recovery_codes;
DROP TABLE user_mfa;
DROP INDEX signin_failures_key;
DROP TABLE signin_failures;
