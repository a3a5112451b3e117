-- The outbox: emails written in the same transaction as the change that causes them, delivered by the
-- worker. The worker's hot statements (claiming a batch, marking a batch sent, releasing unsent claims) differ
-- per engine (FOR UPDATE SKIP LOCKED on PostgreSQL, a JSON array of ids) and live, prepared once, in
-- internal/store/dialect.go; everything else is here.

-- name: OutboxEnqueue :execrows
INSERT INTO outbox (template, recipient_email, recipient_name, data, link, message_id, status, attempts,
                    next_attempt_at, locked_until, last_error, dedupe_key, created_at, sent_at)
VALUES (@template, @recipient_email, @recipient_name, @data, @link, @message_id, 'pending', 0,
        @now, NULL, '', sqlc.narg('dedupe_key'), @now, NULL)
ON CONFLICT (dedupe_key) DO NOTHING;

-- name: OutboxGet :one
SELECT * FROM outbox WHERE id = @id;

-- name: OutboxGetByMessageID :one
SELECT * FROM outbox WHERE message_id = @message_id;

-- name: OutboxMarkRetry :execrows
UPDATE outbox SET status = 'pending', next_attempt_at = @next_attempt_at, locked_until = NULL,
                  last_error = @last_error
WHERE id = @id AND status = 'sending';

-- name: OutboxMarkDead :execrows
UPDATE outbox SET status = 'dead', locked_until = NULL, last_error = @last_error
WHERE id = @id AND status = 'sending';

-- name: OutboxSweepExpired :execrows
UPDATE outbox SET status = 'pending', locked_until = NULL, next_attempt_at = @now,
                  last_error = 'lock expired: the worker stopped before finishing'
WHERE status = 'sending' AND locked_until <= @now;

-- name: OutboxList :many
SELECT * FROM outbox
WHERE @status = '' OR status = @status
ORDER BY id DESC
LIMIT @max_rows;

-- name: OutboxDeadIDs :many
SELECT id FROM outbox WHERE status = 'dead' ORDER BY id;

-- name: OutboxRetry :execrows
UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = @now, locked_until = NULL
WHERE id = @id AND status = 'dead';

-- name: OutboxCountByStatus :many
SELECT status, COUNT(*) AS n FROM outbox GROUP BY status ORDER BY status;
