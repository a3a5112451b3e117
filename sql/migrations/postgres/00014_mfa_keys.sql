-- +goose Up
-- TOTP secrets at rest: envelope encryption with the same keyring as documents (internal/crypt). With a key,
-- key_id names the key-encryption key that wrapped the row's data key (wrapped_key), sealed_secret holds the
-- AES-256-GCM ciphertext of the secret and totp_secret is ''. key_id '' marks a secret stored in plain in
-- totp_secret (no key configured); 'foidesk keys rotate' seals those too.
-- The twin of this file for the other engine has the same columns (checked by the parity test).

ALTER TABLE user_mfa ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
ALTER TABLE user_mfa ADD COLUMN wrapped_key BYTEA;
ALTER TABLE user_mfa ADD COLUMN sealed_secret BYTEA;

-- +goose Down
ALTER TABLE user_mfa DROP COLUMN sealed_secret;
ALTER TABLE user_mfa DROP COLUMN wrapped_key;
ALTER TABLE user_mfa DROP COLUMN key_id;
