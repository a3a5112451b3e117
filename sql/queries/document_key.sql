-- Keys of documents and representation attachments at rest (internal/store/document_key.go).

-- name: DocumentKeyIDs :many
-- Every key id under which some document, attachment or TOTP secret is stored ('' for plain ones).
SELECT DISTINCT key_id FROM documents
UNION
SELECT DISTINCT key_id FROM representation_attachments
UNION
SELECT DISTINCT key_id FROM user_mfa;

-- name: DocumentNotUnderKey :many
-- Up to max_rows documents stored under another key than @key_id (or in plain), by id after @after_id.
SELECT id, sha256, key_id, wrapped_key, content FROM documents
WHERE key_id <> @key_id AND id > @after_id ORDER BY id LIMIT @max_rows;

-- name: DocumentSetKey :exec
UPDATE documents SET key_id = @key_id, wrapped_key = @wrapped_key, content = @content WHERE id = @id;

-- name: AttachmentNotUnderKey :many
-- As DocumentNotUnderKey, for representation attachments.
SELECT id, sha256, key_id, wrapped_key, content FROM representation_attachments
WHERE key_id <> @key_id AND id > @after_id ORDER BY id LIMIT @max_rows;

-- name: AttachmentSetKey :exec
UPDATE representation_attachments SET key_id = @key_id, wrapped_key = @wrapped_key, content = @content WHERE id = @id;

-- name: MFANotUnderKey :many
-- As DocumentNotUnderKey, for TOTP secrets (by user id).
SELECT user_id, key_id, wrapped_key, totp_secret, sealed_secret FROM user_mfa
WHERE key_id <> @key_id AND user_id > @after_id ORDER BY user_id LIMIT @max_rows;

-- name: MFASetKey :exec
UPDATE user_mfa SET key_id = @key_id, wrapped_key = @wrapped_key, sealed_secret = @sealed_secret, totp_secret = ''
WHERE user_id = @user_id;
