-- +goose Up
-- outbox: emails owed because of a recorded change, written in the same transaction as the change and
-- delivered after commit by the worker (at least once, always with the same message_id). data holds a JSON
-- object of string fields (references, dates): never case content, never requester data.
-- The PostgreSQL twin of this file has the same tables and columns (checked by the schema-parity test).
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    template        TEXT NOT NULL,
    recipient_email TEXT NOT NULL,
    recipient_name  TEXT NOT NULL,
    data            TEXT NOT NULL,
    link            TEXT NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
    attempts        BIGINT NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until    TIMESTAMP,
    last_error      TEXT NOT NULL,
    dedupe_key      TEXT UNIQUE,
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP,
    CHECK (status <> 'sending' OR locked_until IS NOT NULL)
);
-- The claim walks this index in order; the sweeper reads the second.
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_locked ON outbox (locked_until) WHERE status = 'sending';
CREATE INDEX outbox_status ON outbox (status, id);

-- +goose Down
DROP TABLE outbox;
