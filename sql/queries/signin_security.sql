-- Sign-in security (issue 9): throttling, session revocation, TOTP second factor, sign-in challenges.

-- name: SigninFailureAdd :exec
INSERT INTO signin_failures (key_kind, key_value, failed_at) VALUES (@key_kind, @key_value, @now);

-- name: SigninFailureRecent :many
-- The newest failures for one key since a time, newest first, at most limit of them.
SELECT failed_at FROM signin_failures
WHERE key_kind = @key_kind AND key_value = @key_value AND failed_at > @since
ORDER BY failed_at DESC
LIMIT @max_rows;

-- name: SigninFailureClear :exec
DELETE FROM signin_failures WHERE key_kind = @key_kind AND key_value = @key_value;

-- name: SigninFailurePrune :execrows
DELETE FROM signin_failures WHERE failed_at <= @before;

-- name: SessionDeleteByUser :execrows
DELETE FROM sessions WHERE user_id = @user_id;

-- name: SessionCountByUser :one
SELECT COUNT(*) FROM sessions WHERE user_id = @user_id AND expires_at > @now;

-- name: MFAGet :one
SELECT * FROM user_mfa WHERE user_id = @user_id;

-- name: MFAPut :exec
-- Starts (or restarts) an enrolment with a new secret, unconfirmed: in plain in totp_secret (key_id '') or
-- sealed in sealed_secret under key_id.
INSERT INTO user_mfa (user_id, totp_secret, created_at, confirmed_at, last_step, key_id, wrapped_key, sealed_secret)
VALUES (@user_id, @totp_secret, @now, NULL, 0, @key_id, @wrapped_key, @sealed_secret)
ON CONFLICT (user_id) DO UPDATE SET totp_secret = excluded.totp_secret, created_at = excluded.created_at,
    confirmed_at = NULL, last_step = 0, key_id = excluded.key_id, wrapped_key = excluded.wrapped_key,
    sealed_secret = excluded.sealed_secret;

-- name: MFAConfirm :exec
UPDATE user_mfa SET confirmed_at = @now, last_step = @last_step WHERE user_id = @user_id;

-- name: MFAUseStep :execrows
-- Accepts a time step only once: it fails (0 rows) when the step is not newer than the last one accepted.
UPDATE user_mfa SET last_step = @step WHERE user_id = @user_id AND last_step < @step;

-- name: MFADelete :execrows
DELETE FROM user_mfa WHERE user_id = @user_id;

-- name: RecoveryCodeAdd :exec
INSERT INTO mfa_recovery_codes (user_id, code_hash, used_at) VALUES (@user_id, @code_hash, NULL);

-- name: RecoveryCodeUse :execrows
UPDATE mfa_recovery_codes SET used_at = @now WHERE user_id = @user_id AND code_hash = @code_hash AND used_at IS NULL;

-- name: RecoveryCodeCountUnused :one
SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = @user_id AND used_at IS NULL;

-- name: RecoveryCodeDeleteAll :exec
DELETE FROM mfa_recovery_codes WHERE user_id = @user_id;

-- name: ChallengeCreate :exec
INSERT INTO signin_challenges (id, user_id, next_path, created_at, expires_at)
VALUES (@id, @user_id, @next_path, @now, @expires_at);

-- name: ChallengeGet :one
SELECT * FROM signin_challenges WHERE id = @id AND expires_at > @now;

-- name: ChallengeDelete :execrows
DELETE FROM signin_challenges WHERE id = @id;

-- name: ChallengeDeleteExpired :execrows
DELETE FROM signin_challenges WHERE expires_at <= @now;
