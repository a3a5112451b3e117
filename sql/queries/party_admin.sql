-- Parties as admins add and rename them (store/party.go). The reads are in party.sql.

-- name: PartyInsert :one
INSERT INTO parties (code, name, created_at) VALUES (@code, @name, @now)
ON CONFLICT (code) DO NOTHING
RETURNING *;

-- name: PartyRename :one
UPDATE parties SET name = @name WHERE id = @id
RETURNING *;
