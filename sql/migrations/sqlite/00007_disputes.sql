-- +goose Up
-- Disputes (MoU section 8) on consultations: at most one open dispute per consultation, the ladder's steps
-- (business as usual, escalation, formal notification, resolved) with their clocks and deadline warnings, and
-- the dispute-clock reminders the daily scan has sent (one row per dispute, kind and date). Also the release
-- of an approved response: when it goes to the requester and the advance notice the consulted parties got
-- (MoU 4.5). The PostgreSQL twin of this file has the same tables and columns (checked by the parity test).
CREATE TABLE disputes (
    id                      INTEGER PRIMARY KEY,
    consultation_id         BIGINT NOT NULL REFERENCES consultations (id),
    case_id                 BIGINT NOT NULL REFERENCES cases (id),
    owner_party_id          BIGINT NOT NULL REFERENCES parties (id),
    consulted_party_id      BIGINT NOT NULL REFERENCES parties (id),
    raised_by               TEXT NOT NULL CHECK (raised_by IN ('automatic', 'owner', 'consulted')),
    raised_by_party_id      BIGINT REFERENCES parties (id), -- NULL when foidesk opened it after a consideration
    reasons                 TEXT NOT NULL,
    stage                   TEXT NOT NULL CHECK (stage IN ('bau', 'escalation', 'formal', 'resolved')),
    opened_on               DATE NOT NULL,
    step_ends_on            DATE, -- NULL once resolved
    escalation_working_days BIGINT NOT NULL,
    outcome                 TEXT NOT NULL CHECK (outcome IN ('', 'disclose', 'disclose_in_part', 'withhold', 'withdrawn')),
    outcome_reasons         TEXT NOT NULL,
    resolved_on             DATE,
    version                 BIGINT NOT NULL,
    created_at              TIMESTAMP NOT NULL,
    updated_at              TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX disputes_one_open ON disputes (consultation_id) WHERE stage <> 'resolved';
CREATE INDEX disputes_case ON disputes (case_id, id);
CREATE INDEX disputes_open ON disputes (stage, step_ends_on) WHERE stage <> 'resolved';

-- dispute_steps: every rung a dispute stood on, oldest first (seq 1, 2, ...).
CREATE TABLE dispute_steps (
    dispute_id BIGINT NOT NULL REFERENCES disputes (id),
    seq        BIGINT NOT NULL,
    stage      TEXT NOT NULL CHECK (stage IN ('bau', 'escalation', 'formal', 'resolved')),
    started_on DATE NOT NULL,
    ends_on    DATE, -- NULL for the resolved entry
    warning    TEXT NOT NULL,
    note       TEXT NOT NULL,
    taken_by   BIGINT REFERENCES users (id), -- NULL when foidesk took the step
    taken_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (dispute_id, seq)
);

CREATE TABLE dispute_reminders (
    dispute_id BIGINT NOT NULL REFERENCES disputes (id),
    kind       TEXT NOT NULL,
    due_on     DATE NOT NULL,
    sent_on    DATE NOT NULL,
    PRIMARY KEY (dispute_id, kind, due_on)
);

-- response_releases: when an approved response goes to the requester, and the advance notice the consulted
-- parties got (notice_working_days; reasons when a decision-maker shortened it).
CREATE TABLE response_releases (
    case_id             BIGINT PRIMARY KEY REFERENCES cases (id),
    release_on          DATE NOT NULL,
    notice_working_days BIGINT NOT NULL,
    notice_reasons      TEXT NOT NULL,
    message_id          TEXT, -- the response email's Message-ID, NULL when the letter goes by post
    decided_by          BIGINT REFERENCES users (id), -- NULL when the command line approved it
    decided_at          TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE response_releases;
DROP TABLE dispute_reminders;
DROP TABLE dispute_steps;
DROP TABLE disputes;
