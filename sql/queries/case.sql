-- name: CaseCounterNext :one
-- The next reference number for a party and year; the row stays locked until the transaction ends, so numbers
-- are handed out without gaps.
INSERT INTO case_counters (party_id, year, last_seq) VALUES (@party_id, @year, 1)
ON CONFLICT (party_id, year) DO UPDATE SET last_seq = case_counters.last_seq + 1
RETURNING last_seq;

-- name: CaseInsert :one
INSERT INTO cases (party_id, reference, regime, received_at, received_on, channel, subject, request_text, status,
                   is_open, assignee_id, queue_on, due_on, statutory_due_on, deadline_provisional, deadline_flag,
                   version, created_by, created_at, updated_at)
VALUES (@party_id, @reference, @regime, @received_at, @received_on, @channel, @subject, @request_text, @status,
        TRUE, @assignee_id, @queue_on, @due_on, @statutory_due_on, @deadline_provisional, '', 1, @created_by,
        @now, @now)
RETURNING id;

-- name: RequesterInsert :exec
INSERT INTO requesters (case_id, name, email, address, type) VALUES (@case_id, @name, @email, @address, @type);

-- name: RequesterGet :one
SELECT * FROM requesters WHERE case_id = @case_id;

-- name: CaseGet :one
SELECT cases.*, parties.code AS party_code
FROM cases JOIN parties ON parties.id = cases.party_id
WHERE cases.id = @id;

-- name: CaseUpdateState :execrows
-- Writes the case's state after a domain rule ran; 0 rows means the version moved on (a concurrent change).
UPDATE cases
SET status = @status, is_open = @is_open, assignee_id = @assignee_id, queue_on = @queue_on, due_on = @due_on,
    statutory_due_on = @statutory_due_on, deadline_provisional = @deadline_provisional,
    deadline_flag = @deadline_flag, outcome = @outcome,
    responded_on = COALESCE(responded_on, sqlc.narg('responded_on')), closed_on = COALESCE(closed_on, sqlc.narg('closed_on')),
    subject = @subject, request_text = @request_text, version = version + 1, updated_at = @now
WHERE id = @id AND version = @version;

-- name: CaseListOpenIDs :many
SELECT id FROM cases WHERE is_open = TRUE ORDER BY id;

-- name: CaseRecentForRequester :many
-- Cases of a party received on or after a date from a requester with this email (duplicate detection).
-- CROSS JOIN makes SQLite start from the requester's email (few rows) rather than the party's recent cases
-- (many); PostgreSQL plans it as an ordinary join. The few rows are ordered in Go, sparing a sort.
SELECT c.id, c.reference, c.request_text, c.received_on
FROM requesters r CROSS JOIN cases c
WHERE c.id = r.case_id AND r.email = @email AND c.party_id = @party_id AND c.received_on >= @since
  AND r.email <> ''
LIMIT 50;

-- name: CaseEventInsert :exec
INSERT INTO case_events (case_id, kind, on_date, until_date, note, created_by, created_at)
VALUES (@case_id, @kind, @on_date, @until_date, @note, @created_by, @now);

-- name: CaseEventList :many
SELECT * FROM case_events WHERE case_id = @case_id ORDER BY on_date, id;

-- name: CaseAssetSet :exec
INSERT INTO case_assets (case_id, asset_id, confirmed) VALUES (@case_id, @asset_id, @confirmed)
ON CONFLICT (case_id, asset_id) DO UPDATE SET confirmed = excluded.confirmed;

-- name: CaseAssetList :many
SELECT a.id, a.code, a.name, a.provider_party_id, ca.confirmed
FROM case_assets ca JOIN assets a ON a.id = ca.asset_id
WHERE ca.case_id = @case_id
ORDER BY a.code;

-- name: AssetGetByCode :one
-- An asset with who provides it and who receives it under its exchange: all a case needs to know whom to consult.
SELECT assets.id, assets.code, assets.name, assets.provider_party_id, assets.exchange_id,
       provider.code AS provider_code, exchanges.recipient_party_id, recipient.code AS recipient_code
FROM assets
JOIN parties provider ON provider.id = assets.provider_party_id
JOIN exchanges ON exchanges.id = assets.exchange_id
JOIN parties recipient ON recipient.id = exchanges.recipient_party_id
WHERE assets.code = @code;

-- name: DocumentNextVersion :one
SELECT CAST(COALESCE(MAX(version), 0) + 1 AS BIGINT) AS next_version FROM documents
WHERE case_id = @case_id AND name = @name;

-- name: DocumentInsert :one
INSERT INTO documents (case_id, name, version, content_type, size, sha256, content, key_id, wrapped_key,
                       uploaded_by, uploaded_at)
VALUES (@case_id, @name, @version, @content_type, @size, @sha256, @content, @key_id, @wrapped_key, @uploaded_by, @now)
RETURNING id;

-- name: DocumentList :many
SELECT id, case_id, name, version, content_type, size, sha256, uploaded_by, uploaded_at
FROM documents WHERE case_id = @case_id ORDER BY name, version;

-- name: DocumentGet :one
SELECT * FROM documents WHERE id = @id AND case_id = @case_id;

-- name: ResponseUpsert :exec
INSERT INTO responses (case_id, outcome, letter, status, drafted_by, drafted_at, approved_by, approved_at)
VALUES (@case_id, @outcome, @letter, @status, @drafted_by, @now, @approved_by, @approved_at)
ON CONFLICT (case_id) DO UPDATE SET outcome = excluded.outcome, letter = excluded.letter,
    status = excluded.status, drafted_by = excluded.drafted_by, drafted_at = excluded.drafted_at,
    approved_by = excluded.approved_by, approved_at = excluded.approved_at;

-- name: ResponseGet :one
SELECT * FROM responses WHERE case_id = @case_id;

-- name: ResponseExemptionsClear :exec
DELETE FROM response_exemptions WHERE case_id = @case_id;

-- name: ResponseExemptionInsert :exec
INSERT INTO response_exemptions (case_id, section, favour_disclosure, favour_withholding, conclusion)
VALUES (@case_id, @section, @favour_disclosure, @favour_withholding, @conclusion);

-- name: ResponseExemptionList :many
SELECT * FROM response_exemptions WHERE case_id = @case_id ORDER BY section;

-- name: InternalReviewUpsert :exec
INSERT INTO internal_reviews (case_id, requested_on, target_on, longstop_on, late, decided_on, outcome, reviewer_id)
VALUES (@case_id, @requested_on, @target_on, @longstop_on, @late, @decided_on, @outcome, @reviewer_id)
ON CONFLICT (case_id) DO UPDATE SET requested_on = excluded.requested_on, target_on = excluded.target_on,
    longstop_on = excluded.longstop_on, late = excluded.late, decided_on = excluded.decided_on,
    outcome = excluded.outcome, reviewer_id = excluded.reviewer_id;

-- name: InternalReviewGet :one
SELECT * FROM internal_reviews WHERE case_id = @case_id;

-- name: ICOAppealUpsert :exec
INSERT INTO ico_appeals (case_id, complaint_on, decision_notice_on, compliance_on, outcome, tribunal)
VALUES (@case_id, @complaint_on, @decision_notice_on, @compliance_on, @outcome, @tribunal)
ON CONFLICT (case_id) DO UPDATE SET complaint_on = excluded.complaint_on,
    decision_notice_on = excluded.decision_notice_on, compliance_on = excluded.compliance_on,
    outcome = excluded.outcome, tribunal = excluded.tribunal;

-- name: ICOAppealGet :one
SELECT * FROM ico_appeals WHERE case_id = @case_id;

-- name: LetterTemplateList :many
SELECT * FROM letter_templates ORDER BY key;

-- name: LetterTemplateGet :one
SELECT * FROM letter_templates WHERE key = @key;

-- name: LetterTemplateUpsert :exec
INSERT INTO letter_templates (key, title, body, updated_by, updated_at)
VALUES (@key, @title, @body, @updated_by, @now)
ON CONFLICT (key) DO UPDATE SET title = excluded.title, body = excluded.body, updated_by = excluded.updated_by,
    updated_at = excluded.updated_at;

-- name: IdempotencyGet :one
SELECT * FROM idempotency_keys WHERE user_id = @user_id AND key = @key;

-- name: IdempotencyInsert :exec
INSERT INTO idempotency_keys (user_id, key, request_hash, record_type, record_id, created_at)
VALUES (@user_id, @key, @request_hash, @record_type, @record_id, @now);

-- name: UserGetInParty :one
SELECT * FROM users WHERE id = @id AND party_id = @party_id;
