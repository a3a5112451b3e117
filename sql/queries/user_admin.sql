-- name: UserSetActive :execrows
UPDATE users SET active = @active WHERE id = @id;

-- name: TokenListByUser :many
SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = @user_id ORDER BY id;

-- name: TokenRevoke :execrows
UPDATE api_tokens SET revoked_at = @now WHERE id = @id AND user_id = @user_id AND revoked_at IS NULL;
