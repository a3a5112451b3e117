-- +goose Up
-- The case list's text search (issue 7: a search matching nothing read every case of the party, 60-125 ms on
-- 100,000 cases). cases_fts indexes the subject and request text of every case by trigrams, so that a word of
-- three or more characters is found as a case-insensitive substring through the index: see caseSearchSQL in
-- internal/store/dialect.go. It holds no copy of the text (content='cases': external content); the triggers
-- keep it in step with the cases, re-indexing a case only when its text changed. The twin of this file for
-- PostgreSQL is a trigram index (pg_trgm) on the same text.
CREATE VIRTUAL TABLE cases_fts USING fts5(subject, request_text, content = 'cases', content_rowid = 'id',
    tokenize = 'trigram');
INSERT INTO cases_fts (cases_fts) VALUES ('rebuild');

-- +goose StatementBegin
CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO cases_fts (rowid, subject, request_text) VALUES (new.id, new.subject, new.request_text);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases
BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, subject, request_text)
    VALUES ('delete', old.id, old.subject, old.request_text);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER cases_fts_update AFTER UPDATE OF subject, request_text ON cases
WHEN old.subject IS NOT new.subject OR old.request_text IS NOT new.request_text
BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, subject, request_text)
    VALUES ('delete', old.id, old.subject, old.request_text);
    INSERT INTO cases_fts (rowid, subject, request_text) VALUES (new.id, new.subject, new.request_text);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER cases_fts_insert;
DROP TRIGGER cases_fts_delete;
DROP TRIGGER cases_fts_update;
DROP TABLE cases_fts;
