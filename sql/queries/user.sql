-- name: UserCreate :one
INSERT INTO users (email, name, role, party_id, password_hash, active, created_at)
VALUES (@email, @name, @role, @party_id, @password_hash, TRUE, @now)
RETURNING *;

-- name: UserGetByEmail :one
SELECT users.*, COALESCE(parties.code, '') AS party_code
FROM users LEFT JOIN parties ON parties.id = users.party_id
WHERE users.email = @email;

-- name: UserGet :one
SELECT users.*, COALESCE(parties.code, '') AS party_code
FROM users LEFT JOIN parties ON parties.id = users.party_id
WHERE users.id = @id;

-- name: UserList :many
SELECT users.*, COALESCE(parties.code, '') AS party_code
FROM users LEFT JOIN parties ON parties.id = users.party_id
ORDER BY users.email;

-- name: UserSetPassword :exec
UPDATE users SET password_hash = @password_hash WHERE id = @id;

-- name: SessionCreate :exec
INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
VALUES (@id, @user_id, @csrf_token, @now, @now, @expires_at, @ip, @user_agent);

-- name: SessionGet :one
SELECT * FROM sessions WHERE id = @id AND expires_at > @now;

-- name: SessionTouch :exec
UPDATE sessions SET last_seen_at = @now, expires_at = @expires_at WHERE id = @id;

-- name: SessionDelete :execrows
DELETE FROM sessions WHERE id = @id;

-- name: SessionDeleteExpired :execrows
DELETE FROM sessions WHERE expires_at <= @now;

-- name: TokenCreate :one
INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (@user_id, @name, @token_hash, @now)
RETURNING *;

-- name: TokenUserGet :one
-- The live token with this hash and its user, in one read.
SELECT api_tokens.id AS token_id, api_tokens.last_used_at, users.*, COALESCE(parties.code, '') AS party_code
FROM api_tokens
JOIN users ON users.id = api_tokens.user_id
LEFT JOIN parties ON parties.id = users.party_id
WHERE api_tokens.token_hash = @token_hash AND api_tokens.revoked_at IS NULL;

-- name: TokenTouch :exec
UPDATE api_tokens SET last_used_at = @now WHERE id = @id;
