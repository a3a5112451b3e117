-- Disputes (MoU section 8) on consultations: the dispute, its steps and the dispute-clock reminders.

-- name: DisputeInsert :one
INSERT INTO disputes (consultation_id, case_id, owner_party_id, consulted_party_id, raised_by, raised_by_party_id,
                      reasons, stage, opened_on, step_ends_on, escalation_working_days, outcome, outcome_reasons,
                      resolved_on, version, created_at, updated_at)
VALUES (@consultation_id, @case_id, @owner_party_id, @consulted_party_id, @raised_by, sqlc.narg('raised_by_party_id'),
        @reasons, @stage, @opened_on, sqlc.narg('step_ends_on'), @escalation_working_days, '', '', NULL, 1, @now, @now)
RETURNING id;

-- name: DisputeUpdate :execrows
-- Moves a dispute on with optimistic concurrency: 0 rows when another transaction changed it first.
UPDATE disputes
SET stage = @stage, step_ends_on = sqlc.narg('step_ends_on'), outcome = @outcome, outcome_reasons = @outcome_reasons,
    resolved_on = sqlc.narg('resolved_on'), version = version + 1, updated_at = @now
WHERE id = @id AND version = @version;

-- name: DisputeGet :one
SELECT d.*, k.reference AS case_reference, k.due_on AS case_due_on, o.code AS owner_party_code,
       p.code AS consulted_party_code
FROM disputes d
JOIN cases k ON k.id = d.case_id
JOIN parties o ON o.id = d.owner_party_id
JOIN parties p ON p.id = d.consulted_party_id
WHERE d.id = @id;

-- name: DisputeOpenForConsultation :one
SELECT id FROM disputes WHERE consultation_id = @consultation_id AND stage <> 'resolved';

-- name: DisputeIDsByConsultation :many
SELECT id FROM disputes WHERE consultation_id = @consultation_id ORDER BY id;

-- name: DisputeIDsByCase :many
SELECT id FROM disputes WHERE case_id = @case_id ORDER BY id;

-- name: DisputeStepInsert :exec
INSERT INTO dispute_steps (dispute_id, seq, stage, started_on, ends_on, warning, note, taken_by, taken_at)
VALUES (@dispute_id, @seq, @stage, @started_on, sqlc.narg('ends_on'), @warning, @note, sqlc.narg('taken_by'), @now);

-- name: DisputeStepList :many
SELECT * FROM dispute_steps WHERE dispute_id = @dispute_id ORDER BY seq;

-- name: DisputeClockList :many
-- Open disputes whose current step's clock has run out by @today: the reminder scan's work.
SELECT id FROM disputes
WHERE stage <> 'resolved' AND step_ends_on <= @today
ORDER BY id;

-- name: DisputeReminderRecord :execrows
-- Records a dispute-clock reminder; 0 rows when that (dispute, kind, date) was reminded before.
INSERT INTO dispute_reminders (dispute_id, kind, due_on, sent_on)
VALUES (@dispute_id, @kind, @due_on, @sent_on)
ON CONFLICT (dispute_id, kind, due_on) DO NOTHING;
