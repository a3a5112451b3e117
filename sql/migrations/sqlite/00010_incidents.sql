-- +goose Up
-- Incidents (MoU 4.5): a data loss, wrongful disclosure or security breach touching another party's
-- information, reported by one party (party_id) to the parties affected (incident_parties, each with when its
-- security-incidents contacts were told), with the actions log, the ICO notification decision (UK GDPR, 72
-- hours from aware_at) and the closure. The PostgreSQL twin of this file has the same tables and columns
-- (checked by the parity test).
CREATE TABLE incidents (
    id              INTEGER PRIMARY KEY,
    party_id        BIGINT NOT NULL REFERENCES parties (id),
    kind            TEXT NOT NULL CHECK (kind IN ('data_loss', 'wrongful_disclosure', 'security_breach')),
    description     TEXT NOT NULL,
    aware_at        TIMESTAMP NOT NULL,
    case_id         BIGINT REFERENCES cases (id),
    consultation_id BIGINT REFERENCES consultations (id),
    asset_id        BIGINT REFERENCES assets (id),
    reported_by     BIGINT REFERENCES users (id), -- NULL from the command line
    reported_label  TEXT NOT NULL,
    reported_at     TIMESTAMP NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    ico_decision    TEXT NOT NULL CHECK (ico_decision IN ('', 'notify', 'not_notify')),
    ico_reasons     TEXT NOT NULL,
    ico_decided_at  TIMESTAMP,
    ico_notified_at TIMESTAMP,
    closure_summary TEXT NOT NULL,
    closed_at       TIMESTAMP,
    version         BIGINT NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX incidents_open ON incidents (status, aware_at);
CREATE INDEX incidents_case ON incidents (case_id);

-- incident_parties: the parties whose information the incident touched; notified_at is NULL until one of the
-- party's security-incidents contacts was sent the notice (notified: the addresses, comma-separated).
CREATE TABLE incident_parties (
    incident_id BIGINT NOT NULL REFERENCES incidents (id),
    party_id    BIGINT NOT NULL REFERENCES parties (id),
    notified_at TIMESTAMP,
    notified    TEXT NOT NULL,
    PRIMARY KEY (incident_id, party_id)
);
CREATE INDEX incident_parties_party ON incident_parties (party_id, incident_id);

-- incident_actions: the actions log, oldest first (seq 1, 2, ...).
CREATE TABLE incident_actions (
    incident_id BIGINT NOT NULL REFERENCES incidents (id),
    seq         BIGINT NOT NULL,
    note        TEXT NOT NULL,
    taken_by    BIGINT REFERENCES users (id), -- NULL from the command line or foidesk
    taken_label TEXT NOT NULL,
    taken_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (incident_id, seq)
);

-- +goose Down
DROP TABLE incident_actions;
DROP TABLE incident_parties;
DROP TABLE incidents;
