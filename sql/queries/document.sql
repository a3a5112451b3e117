-- name: DocumentListByCase :many
-- Every version of every document of a case, without the content: by name, newest version first.
SELECT id, case_id, name, version, content_type, size, sha256, uploaded_by, uploaded_at
FROM documents
WHERE case_id = @case_id
ORDER BY name, version DESC;

-- name: DocumentLockCase :exec
-- Takes the case row's lock for the rest of the transaction (PostgreSQL; SQLite has a single writer), so that
-- concurrent uploads of one name to one case number their versions one after the other. It changes nothing.
UPDATE cases SET version = version WHERE id = @case_id;
