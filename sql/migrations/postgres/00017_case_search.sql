-- +goose Up
-- The case list's text search (issue 7: a search matching nothing read every case of the party, 60-125 ms on
-- 100,000 cases). A trigram index (the pg_trgm extension, shipped with PostgreSQL and trusted, so the
-- database's owner may create it) on the lower-cased subject and request text lets the search's
-- lower(subject || ' ' || request_text) LIKE '%word%' find the cases through the index: see caseSearchSQL in
-- internal/store/dialect.go, which must filter on exactly this expression. The twin of this file for SQLite
-- is an FTS5 table with the trigram tokenizer.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX cases_search ON cases USING gin (lower(subject || ' ' || request_text) gin_trgm_ops);

-- +goose Down
DROP INDEX cases_search;
