-- +goose Up
-- Reports and the disclosure log (issue 8). The consultation report reads consultations by the date they were
-- sent. The disclosure log holds the responses a decision-maker chose to publish: proposed, then published
-- once the disclosure gate passes and every personal-data flag on its text is resolved with reasons; a
-- withdrawn entry stays as a tombstone (status withdrawn, with who, when and why). The requester is never
-- stored here. The PostgreSQL twin of this file has the same tables and columns (checked by the parity test).
CREATE INDEX consultations_sent ON consultations (sent_on);

CREATE TABLE disclosure_log_entries (
    id                 INTEGER PRIMARY KEY,
    case_id            BIGINT NOT NULL REFERENCES cases (id),
    party_id           BIGINT NOT NULL REFERENCES parties (id),
    reference          TEXT NOT NULL, -- the case's reference
    title              TEXT NOT NULL,
    summary            TEXT NOT NULL,
    released_text      TEXT NOT NULL, -- the information released, as text
    outcome            TEXT NOT NULL,
    responded_on       DATE NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('proposed', 'published', 'withdrawn')),
    proposed_by        BIGINT NOT NULL REFERENCES users (id),
    proposed_at        TIMESTAMP NOT NULL,
    published_by       BIGINT REFERENCES users (id),
    published_at       TIMESTAMP,
    withdrawn_by       BIGINT REFERENCES users (id),
    withdrawn_at       TIMESTAMP,
    withdrawal_reasons TEXT NOT NULL,
    version            BIGINT NOT NULL,
    updated_at         TIMESTAMP NOT NULL
);
-- One live entry per case; withdrawn ones stay beside it.
CREATE UNIQUE INDEX disclosure_log_live ON disclosure_log_entries (case_id) WHERE status <> 'withdrawn';
CREATE INDEX disclosure_log_public ON disclosure_log_entries (status, published_at, id);
CREATE INDEX disclosure_log_party ON disclosure_log_entries (party_id, id);

-- disclosure_log_documents: the case documents released with an entry (the redacted versions).
CREATE TABLE disclosure_log_documents (
    entry_id    BIGINT NOT NULL REFERENCES disclosure_log_entries (id),
    document_id BIGINT NOT NULL REFERENCES documents (id),
    PRIMARY KEY (entry_id, document_id)
);

-- disclosure_log_flags: what the personal-data check found in an entry's text, and how each was resolved.
CREATE TABLE disclosure_log_flags (
    entry_id    BIGINT NOT NULL REFERENCES disclosure_log_entries (id),
    seq         BIGINT NOT NULL,
    field       TEXT NOT NULL CHECK (field IN ('title', 'summary', 'released_text')),
    kind        TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'postcode', 'ni_number', 'requester_name')),
    matched     TEXT NOT NULL,
    at_offset   BIGINT NOT NULL,
    resolution  TEXT NOT NULL CHECK (resolution IN ('', 'not_personal', 'public_role', 'consent')),
    reasons     TEXT NOT NULL,
    resolved_by BIGINT REFERENCES users (id),
    resolved_at TIMESTAMP,
    PRIMARY KEY (entry_id, seq)
);

-- +goose Down
DROP TABLE disclosure_log_flags;
DROP TABLE disclosure_log_documents;
DROP TABLE disclosure_log_entries;
DROP INDEX consultations_sent;
