-- name: DisclosureEntryInsert :one
INSERT INTO disclosure_log_entries (case_id, party_id, reference, title, summary, released_text, outcome, responded_on,
    status, proposed_by, proposed_at, withdrawal_reasons, version, updated_at)
VALUES (@case_id, @party_id, @reference, @title, @summary, @released_text, @outcome, @responded_on, 'proposed',
    @proposed_by, @now, '', 1, @now)
RETURNING id;

-- name: DisclosureEntryGet :one
SELECT sqlc.embed(e), p.code AS party_code FROM disclosure_log_entries e JOIN parties p ON p.id = e.party_id WHERE e.id = @id;

-- name: DisclosureEntryLiveForCase :one
SELECT id FROM disclosure_log_entries WHERE case_id = @case_id AND status <> 'withdrawn';

-- name: DisclosureEntryUpdate :execrows
UPDATE disclosure_log_entries
SET title = @title, summary = @summary, released_text = @released_text, status = @status,
    published_by = sqlc.narg('published_by'), published_at = sqlc.narg('published_at'),
    withdrawn_by = sqlc.narg('withdrawn_by'), withdrawn_at = sqlc.narg('withdrawn_at'),
    withdrawal_reasons = @withdrawal_reasons, version = version + 1, updated_at = @now
WHERE id = @id AND version = @version;

-- name: DisclosureEntriesByParty :many
SELECT sqlc.embed(e), p.code AS party_code FROM disclosure_log_entries e JOIN parties p ON p.id = e.party_id
WHERE e.party_id = @party_id ORDER BY e.id DESC LIMIT 500;

-- name: DisclosureEntriesPublic :many
-- The public log: published entries and the tombstones of withdrawn ones, newest publication first.
SELECT sqlc.embed(e), p.code AS party_code FROM disclosure_log_entries e JOIN parties p ON p.id = e.party_id
WHERE e.status IN ('published', 'withdrawn') AND e.published_at IS NOT NULL
ORDER BY e.published_at DESC, e.id DESC LIMIT @max_rows;

-- name: DisclosureFlagsDelete :exec
DELETE FROM disclosure_log_flags WHERE entry_id = @entry_id;

-- name: DisclosureFlagInsert :exec
INSERT INTO disclosure_log_flags (entry_id, seq, field, kind, matched, at_offset, resolution, reasons, resolved_by, resolved_at)
VALUES (@entry_id, @seq, @field, @kind, @matched, @at_offset, @resolution, @reasons, sqlc.narg('resolved_by'), sqlc.narg('resolved_at'));

-- name: DisclosureFlagList :many
SELECT * FROM disclosure_log_flags WHERE entry_id = @entry_id ORDER BY seq;

-- name: DisclosureDocumentsDelete :exec
DELETE FROM disclosure_log_documents WHERE entry_id = @entry_id;

-- name: DisclosureDocumentInsert :exec
INSERT INTO disclosure_log_documents (entry_id, document_id) VALUES (@entry_id, @document_id);

-- name: DisclosureDocumentList :many
SELECT d.id, d.name, d.content_type, d.size
FROM disclosure_log_documents x JOIN documents d ON d.id = x.document_id
WHERE x.entry_id = @entry_id ORDER BY d.name, d.version;

-- name: DisclosureCaseDocument :one
SELECT id FROM documents WHERE id = @id AND case_id = @case_id;
