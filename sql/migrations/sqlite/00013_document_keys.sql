-- +goose Up
-- Documents and representation attachments at rest: envelope encryption (internal/crypt). key_id names the
-- key-encryption key that wrapped the row's data key (wrapped_key); content is then the AES-256-GCM ciphertext.
-- key_id '' marks a row stored before a key was configured, in plain; 'foidesk keys rotate' seals those too.
-- The twin of this file for the other engine has the same columns (checked by the parity test).

ALTER TABLE documents ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN wrapped_key BLOB;
ALTER TABLE representation_attachments ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
ALTER TABLE representation_attachments ADD COLUMN wrapped_key BLOB;

-- +goose Down
ALTER TABLE representation_attachments DROP COLUMN wrapped_key;
ALTER TABLE representation_attachments DROP COLUMN key_id;
ALTER TABLE documents DROP COLUMN wrapped_key;
ALTER TABLE documents DROP COLUMN key_id;
