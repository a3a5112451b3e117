-- +goose Up
-- Retention and destruction (MoU 4.5, s.46 Code of Practice). retention_schedules holds the schedules an admin
-- configured (the defaults of foi.DefaultRetentionSchedules apply to the others); legal_holds the manual holds
-- on cases; retention_tombstones what was destroyed, when and under which schedule (one row per case and
-- scope). Destruction blanks contents in place and keeps every row the statistics count. The other engine's
-- twin of this file has the same tables and columns (checked by the parity test).
CREATE TABLE retention_schedules (
    record_type TEXT PRIMARY KEY CHECK (record_type IN ('case_file', 'case_file_after_appeal', 'requester_details')),
    months      BIGINT NOT NULL,
    enabled     INTEGER NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE legal_holds (
    id              INTEGER PRIMARY KEY,
    case_id         BIGINT NOT NULL REFERENCES cases (id),
    reasons         TEXT NOT NULL,
    placed_by       TEXT NOT NULL,
    placed_at       TIMESTAMP NOT NULL,
    released_by     TEXT NOT NULL,
    released_at     TIMESTAMP,
    release_reasons TEXT NOT NULL
);
CREATE INDEX legal_holds_case ON legal_holds (case_id, id);

CREATE TABLE retention_tombstones (
    id           INTEGER PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    scope        TEXT NOT NULL CHECK (scope IN ('requester_details', 'case_file')),
    schedule     TEXT NOT NULL,
    months       BIGINT NOT NULL,
    due_on       DATE NOT NULL,
    destroyed    TEXT NOT NULL, -- JSON object: what was removed, counted
    destroyed_by TEXT NOT NULL,
    destroyed_at TIMESTAMP NOT NULL,
    UNIQUE (case_id, scope)
);

-- cases_closed: the retention scan's way into the closed cases, oldest closure first.
CREATE INDEX cases_closed ON cases (closed_on, id) WHERE closed_on IS NOT NULL;

-- +goose Down
DROP INDEX cases_closed;
DROP TABLE retention_tombstones;
DROP TABLE legal_holds;
DROP TABLE retention_schedules;
