-- Retention and destruction: schedules, legal holds, the closed cases a run looks at, the erasures a
-- destruction makes (contents blanked in place, every row the statistics count kept) and the tombstones.

-- name: RetentionScheduleList :many
SELECT * FROM retention_schedules ORDER BY record_type;

-- name: RetentionScheduleUpsert :exec
INSERT INTO retention_schedules (record_type, months, enabled, updated_by, updated_at)
VALUES (@record_type, @months, @enabled, @updated_by, @now)
ON CONFLICT (record_type) DO UPDATE
SET months = excluded.months, enabled = excluded.enabled, updated_by = excluded.updated_by,
    updated_at = excluded.updated_at;

-- name: LegalHoldInsert :one
INSERT INTO legal_holds (case_id, reasons, placed_by, placed_at, released_by, released_at, release_reasons)
VALUES (@case_id, @reasons, @placed_by, @now, '', NULL, '')
RETURNING id;

-- name: LegalHoldGet :one
SELECT h.*, c.reference AS case_reference, c.party_id
FROM legal_holds h JOIN cases c ON c.id = h.case_id
WHERE h.id = @id;

-- name: LegalHoldRelease :execrows
UPDATE legal_holds SET released_by = @released_by, released_at = @now, release_reasons = @release_reasons
WHERE id = @id AND released_at IS NULL;

-- name: LegalHoldActive :many
-- The holds not released, newest first, optionally of one party's cases.
SELECT h.*, c.reference AS case_reference, c.party_id
FROM legal_holds h JOIN cases c ON c.id = h.case_id
WHERE h.released_at IS NULL AND (CAST(sqlc.narg('party_id') AS BIGINT) IS NULL OR c.party_id = sqlc.narg('party_id'))
ORDER BY h.id DESC;

-- name: LegalHoldActiveForCase :many
SELECT h.*, c.reference AS case_reference, c.party_id
FROM legal_holds h JOIN cases c ON c.id = h.case_id
WHERE h.case_id = @case_id AND h.released_at IS NULL
ORDER BY h.id;

-- name: RetentionClosedCases :many
-- The closed cases whose file has not been destroyed, closed on or before @closed_by, optionally of one party,
-- with what the schedules count from and what holds them (the open incidents are read per case).
SELECT c.id, c.reference, c.party_id, p.code AS party_code, c.closed_on,
    CAST(CASE WHEN r.case_id IS NOT NULL AND r.outcome IS NULL THEN 1 ELSE 0 END AS BIGINT) AS review_open,
    r.decided_on AS review_decided_on,
    CAST(CASE WHEN a.case_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS appeal_exists,
    CAST(CASE WHEN a.case_id IS NOT NULL AND a.outcome IS NULL THEN 1 ELSE 0 END AS BIGINT) AS appeal_open,
    a.decision_notice_on AS appeal_decided_on,
    CAST((SELECT COUNT(*) FROM retention_tombstones t WHERE t.case_id = c.id AND t.scope = 'requester_details') AS BIGINT) AS requester_destroyed
FROM cases c
JOIN parties p ON p.id = c.party_id
LEFT JOIN internal_reviews r ON r.case_id = c.id
LEFT JOIN ico_appeals a ON a.case_id = c.id
WHERE c.closed_on IS NOT NULL AND c.closed_on <= @closed_by AND c.is_open = @is_open
  AND (CAST(sqlc.narg('party_id') AS BIGINT) IS NULL OR c.party_id = sqlc.narg('party_id'))
  AND NOT EXISTS (SELECT 1 FROM retention_tombstones t WHERE t.case_id = c.id AND t.scope = 'case_file')
ORDER BY c.closed_on, c.id;

-- name: RetentionEraseRequester :execrows
UPDATE requesters SET name = '', email = '', address = '' WHERE case_id = @case_id;

-- name: RetentionEraseResponseEmail :execrows
-- The response email is the one outbox row that carries the requester's address and the letter: its
-- recipient and data go with the requester details (unless a worker is sending it this moment).
UPDATE outbox SET recipient_email = '', recipient_name = '', data = '{}'
WHERE dedupe_key = @dedupe_key AND status <> 'sending';

-- name: RetentionEraseCase :execrows
UPDATE cases SET subject = @subject, request_text = '', version = version + 1, updated_at = @now WHERE id = @case_id;

-- name: RetentionEraseCaseEvents :execrows
UPDATE case_events SET note = '' WHERE case_id = @case_id AND note <> '';

-- name: RetentionEraseDocuments :execrows
-- Empties each document and drops its data key (the content is then the empty file, in plain, with the
-- empty file's digest): what was encrypted cannot be recovered even with the key.
UPDATE documents SET content = @content, size = 0, sha256 = @sha256, key_id = '', wrapped_key = NULL
WHERE case_id = @case_id;

-- name: RetentionEraseResponse :execrows
UPDATE responses SET letter = '' WHERE case_id = @case_id;

-- name: RetentionEraseExemptionReasons :execrows
-- Keeps each section cited (the statistics count them) and removes the reasoning.
UPDATE response_exemptions SET favour_disclosure = '', favour_withholding = '', conclusion = '' WHERE case_id = @case_id;

-- name: RetentionEraseConsultations :execrows
UPDATE consultations SET question = '', information_at_issue = '', closure_reasons = '', waiver_reasons = ''
WHERE case_id = @case_id;

-- name: RetentionEraseRepresentations :execrows
UPDATE consultation_representations
SET summary = '', harm = '', proposed_exemptions = '[]', proposed_redactions = '[]'
WHERE consultation_id IN (SELECT id FROM consultations WHERE case_id = @case_id);

-- name: RetentionEraseConsiderations :execrows
UPDATE consultation_considerations SET reasons = ''
WHERE consultation_id IN (SELECT id FROM consultations WHERE case_id = @case_id);

-- name: RetentionEraseAttachments :execrows
UPDATE representation_attachments SET content = @content, size = 0, sha256 = @sha256, key_id = '', wrapped_key = NULL
WHERE consultation_id IN (SELECT id FROM consultations WHERE case_id = @case_id);

-- name: RetentionEraseDisputes :execrows
UPDATE disputes SET reasons = '', outcome_reasons = '' WHERE case_id = @case_id;

-- name: RetentionEraseDisputeSteps :execrows
UPDATE dispute_steps SET note = '' WHERE dispute_id IN (SELECT id FROM disputes WHERE case_id = @case_id);

-- name: RetentionTombstoneInsert :one
INSERT INTO retention_tombstones (case_id, scope, schedule, months, due_on, destroyed, destroyed_by, destroyed_at)
VALUES (@case_id, @scope, @schedule, @months, @due_on, @destroyed, @destroyed_by, @now)
RETURNING id;

-- name: RetentionTombstoneList :many
SELECT t.*, c.reference AS case_reference, c.party_id
FROM retention_tombstones t JOIN cases c ON c.id = t.case_id
WHERE (CAST(sqlc.narg('party_id') AS BIGINT) IS NULL OR c.party_id = sqlc.narg('party_id'))
ORDER BY t.id DESC
LIMIT 500;
