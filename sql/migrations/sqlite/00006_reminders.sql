-- +goose Up
-- Reminders: what the daily reminder scan has already reported (one row per kind, record and date, so a
-- second scan sends nothing new), users' email preferences, and named scan locks that keep the scan to one
-- instance at a time (a lock whose expires_at has passed may be taken over).
-- The PostgreSQL twin of this file has the same tables and columns (checked by the schema-parity test).
CREATE TABLE reminders_sent (
    kind        TEXT NOT NULL,
    record_type TEXT NOT NULL CHECK (record_type IN ('case', 'agreement', 'consultation')),
    record_id   BIGINT NOT NULL,
    due_on      DATE NOT NULL,
    sent_on     DATE NOT NULL,
    UNIQUE (kind, record_type, record_id, due_on)
);

CREATE TABLE user_preferences (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id),
    digest     INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE scan_locks (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE scan_locks;
DROP TABLE user_preferences;
DROP TABLE reminders_sent;
