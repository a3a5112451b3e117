-- Reminders and chasers: the daily scan (internal/store/reminder.go), its lock, what it already reported,
-- and users' email preferences.

-- name: ScanLockAcquire :many
-- Takes the named lock for holder until expires_at, or takes over one that expired before @now; returns no
-- row when another holder's lock is still live.
INSERT INTO scan_locks (name, holder, expires_at)
VALUES (@name, @holder, @expires_at)
ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
WHERE scan_locks.expires_at < @now
RETURNING holder;

-- name: ScanLockRelease :execrows
DELETE FROM scan_locks WHERE name = @name AND holder = @holder;

-- name: ScanLockGet :one
SELECT * FROM scan_locks WHERE name = @name;

-- name: ReminderCases :many
-- Open cases with a deadline and an active assignee: what the deadline reminders look at.
SELECT c.id, c.due_on, c.assignee_id, u.email, u.name
FROM cases c JOIN users u ON u.id = c.assignee_id
WHERE c.is_open = TRUE AND c.due_on IS NOT NULL AND u.active = TRUE
ORDER BY c.id;

-- name: ReminderAgreementContacts :many
-- Active contacts of the parties to agreements in force that have a review date, escalation tier first.
SELECT a.id AS agreement_id, a.code, a.review_on, ct.email, ct.name, ct.tier, ct.responsibilities
FROM agreements a
JOIN agreement_parties ap ON ap.agreement_id = a.id
JOIN contacts ct ON ct.party_id = ap.party_id
WHERE a.review_on IS NOT NULL AND a.status IN ('active', 'under_review') AND ct.active = TRUE
ORDER BY a.id, CASE ct.tier WHEN 'escalation' THEN 0 ELSE 1 END, ct.email;

-- name: ReminderSentHas :one
SELECT COUNT(*) FROM reminders_sent
WHERE kind = @kind AND record_type = @record_type AND record_id = @record_id AND due_on = @due_on;

-- name: ReminderSentRecord :execrows
INSERT INTO reminders_sent (kind, record_type, record_id, due_on, sent_on)
VALUES (@kind, @record_type, @record_id, @due_on, @sent_on)
ON CONFLICT (kind, record_type, record_id, due_on) DO NOTHING;

-- name: UserPreferenceDigestUserIDs :many
SELECT user_id FROM user_preferences WHERE digest = TRUE ORDER BY user_id;

-- name: UserPreferenceGet :one
SELECT * FROM user_preferences WHERE user_id = @user_id;

-- name: UserPreferenceSetDigest :exec
INSERT INTO user_preferences (user_id, digest, updated_at)
VALUES (@user_id, @digest, @now)
ON CONFLICT (user_id) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at;
