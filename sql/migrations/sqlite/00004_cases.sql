-- +goose Up
-- Cases: FOI and EIR requests a party received, with the requester kept apart, clock events, the assets a
-- request touches, documents (stored in the database), the decision and response, internal review and ICO
-- appeal, and the letter templates responses are rendered from.

-- case_counters hands out gap-free reference numbers per party and year: the upsert takes the row's lock until
-- the creating transaction ends, and a rollback gives the number back.
CREATE TABLE case_counters (
    party_id BIGINT NOT NULL REFERENCES parties (id),
    year     BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (party_id, year)
);

CREATE TABLE cases (
    id                  INTEGER PRIMARY KEY,
    party_id            BIGINT NOT NULL REFERENCES parties (id),
    reference           TEXT NOT NULL UNIQUE,
    regime              TEXT NOT NULL CHECK (regime IN ('foia', 'eir')),
    received_at         TIMESTAMP NOT NULL,
    received_on         DATE NOT NULL,
    channel             TEXT NOT NULL CHECK (channel IN ('email', 'post', 'web', 'phone', 'in-person')),
    subject             TEXT NOT NULL,
    request_text        TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('received', 'awaiting_clarification', 'on_hold_fee',
                            'in_progress', 'awaiting_representations', 'pending_approval', 'responded', 'closed',
                            'withdrawn', 'lapsed')),
    is_open             INTEGER NOT NULL, -- status is one of the open ones
    assignee_id         BIGINT REFERENCES users (id),
    queue_on            DATE NOT NULL, -- due_on, or 9999-12-31 while the clock is paused: the queue's order
    due_on              DATE,
    statutory_due_on    DATE,
    deadline_provisional INTEGER NOT NULL,
    deadline_flag       TEXT NOT NULL, -- why an officer should look again at the deadline ("" when none)
    outcome             TEXT,
    responded_on        DATE,
    closed_on           DATE,
    version             BIGINT NOT NULL,
    created_by          BIGINT NOT NULL REFERENCES users (id),
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX cases_queue ON cases (party_id, is_open, queue_on, id);
CREATE INDEX cases_assignee_queue ON cases (assignee_id, is_open, queue_on, id);
CREATE INDEX cases_party_all ON cases (party_id, queue_on, id);
CREATE INDEX cases_party_received ON cases (party_id, received_on);

-- requesters: kept apart from the case so that packs, exports and most reads never touch them.
CREATE TABLE requesters (
    case_id BIGINT PRIMARY KEY REFERENCES cases (id),
    name    TEXT NOT NULL,
    email   TEXT NOT NULL,
    address TEXT NOT NULL,
    type    TEXT NOT NULL CHECK (type IN ('public', 'media', 'mp', 'business', 'campaign', 'other'))
);
CREATE INDEX requesters_email ON requesters (email);

CREATE TABLE case_events (
    id         INTEGER PRIMARY KEY,
    case_id    BIGINT NOT NULL REFERENCES cases (id),
    kind       TEXT NOT NULL CHECK (kind IN ('clarification_sought', 'clarification_received', 'fee_notice',
                   'fee_paid', 'pit_extension', 'eir_extension')),
    on_date    DATE NOT NULL,
    until_date DATE, -- pit_extension only: the s.17(2) estimate when it is not the 40th working day
    note       TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE TABLE case_assets (
    case_id   BIGINT NOT NULL REFERENCES cases (id),
    asset_id  BIGINT NOT NULL REFERENCES assets (id),
    confirmed INTEGER NOT NULL,
    PRIMARY KEY (case_id, asset_id)
);

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    name         TEXT NOT NULL,
    version      BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_by  BIGINT NOT NULL REFERENCES users (id),
    uploaded_at  TIMESTAMP NOT NULL,
    UNIQUE (case_id, name, version)
);

-- responses: the decision and the letter. status: pending_approval (drafted by an officer), approved (sent).
CREATE TABLE responses (
    case_id     BIGINT PRIMARY KEY REFERENCES cases (id),
    outcome     TEXT NOT NULL,
    letter      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending_approval', 'approved')),
    drafted_by  BIGINT NOT NULL REFERENCES users (id),
    drafted_at  TIMESTAMP NOT NULL,
    approved_by BIGINT REFERENCES users (id),
    approved_at TIMESTAMP
);

CREATE TABLE response_exemptions (
    case_id            BIGINT NOT NULL REFERENCES cases (id),
    section            TEXT NOT NULL,
    favour_disclosure  TEXT NOT NULL,
    favour_withholding TEXT NOT NULL,
    conclusion         TEXT NOT NULL,
    PRIMARY KEY (case_id, section)
);

CREATE TABLE internal_reviews (
    case_id      BIGINT PRIMARY KEY REFERENCES cases (id),
    requested_on DATE NOT NULL,
    target_on    DATE NOT NULL,
    longstop_on  DATE NOT NULL,
    late         INTEGER NOT NULL,
    decided_on   DATE,
    outcome      TEXT,
    reviewer_id  BIGINT REFERENCES users (id)
);

CREATE TABLE ico_appeals (
    case_id            BIGINT PRIMARY KEY REFERENCES cases (id),
    complaint_on       DATE NOT NULL,
    decision_notice_on DATE,
    compliance_on      DATE,
    outcome            TEXT,
    tribunal           INTEGER NOT NULL
);

-- idempotency_keys lets an API client retry a create safely: the same key and body return the same record.
CREATE TABLE idempotency_keys (
    user_id      BIGINT NOT NULL REFERENCES users (id),
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    record_type  TEXT NOT NULL,
    record_id    BIGINT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE letter_templates (
    key        TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE letter_templates;
DROP TABLE idempotency_keys;
DROP TABLE ico_appeals;
DROP TABLE internal_reviews;
DROP TABLE response_exemptions;
DROP TABLE responses;
DROP TABLE documents;
DROP TABLE case_assets;
DROP TABLE case_events;
DROP TABLE requesters;
DROP TABLE cases;
DROP TABLE case_counters;
