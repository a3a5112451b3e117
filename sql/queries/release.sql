-- The release of an approved response (MoU 4.5): when it goes to the requester, the advance notice the
-- consulted parties got, and the hold on the response email until the release.

-- name: ResponseReleaseUpsert :exec
INSERT INTO response_releases (case_id, release_on, notice_working_days, notice_reasons, message_id, decided_by, decided_at)
VALUES (@case_id, @release_on, @notice_working_days, @notice_reasons, sqlc.narg('message_id'), sqlc.narg('decided_by'), @now)
ON CONFLICT (case_id) DO UPDATE
SET release_on = excluded.release_on, notice_working_days = excluded.notice_working_days,
    notice_reasons = excluded.notice_reasons, message_id = excluded.message_id, decided_by = excluded.decided_by,
    decided_at = excluded.decided_at;

-- name: ResponseReleaseGet :one
SELECT * FROM response_releases WHERE case_id = @case_id;

-- name: OutboxHoldUntil :execrows
-- Holds a pending outbox message until @not_before: the worker's claim takes only rows whose next attempt is due.
UPDATE outbox SET next_attempt_at = @not_before
WHERE message_id = @message_id AND status = 'pending';
