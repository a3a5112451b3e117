-- name: AuditHeadAdvance :one
-- Takes the row lock on the chain's head for the rest of the transaction (PostgreSQL) and reserves n
-- sequence numbers; SQLite's single writer gives the same guarantee.
UPDATE audit_head SET seq = seq + CAST(@n AS BIGINT) WHERE id = 1
RETURNING CAST(seq - CAST(@n AS BIGINT) AS BIGINT) AS prev_seq, hash AS prev_hash;

-- name: AuditHeadSet :exec
UPDATE audit_head SET hash = @hash WHERE id = 1;

-- name: AuditHeadGet :one
SELECT seq, hash FROM audit_head WHERE id = 1;

-- name: AuditListAfter :many
SELECT * FROM audit_events WHERE seq > @after_seq ORDER BY seq LIMIT @max_rows;
