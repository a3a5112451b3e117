-- +goose Up
-- Consultations (MoU 3.2, s.45 Code Part 3): one case's request to one other party for representations before
-- disclosure, every version of the consulted party's representations, and the decision-maker's consideration.
-- The disclosure gate reads these in the transaction that approves a response.

CREATE TABLE consultations (
    id                   INTEGER PRIMARY KEY,
    case_id              BIGINT NOT NULL REFERENCES cases (id),
    owner_party_id       BIGINT NOT NULL REFERENCES parties (id),
    consulted_party_id   BIGINT NOT NULL REFERENCES parties (id),
    status               TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'representations_received', 'considered',
                             'closed_without_representations', 'waived')),
    question             TEXT NOT NULL,
    information_at_issue TEXT NOT NULL,
    contact_email        TEXT NOT NULL, -- the consulted party's BAU FOI contact it went to ("" while a draft)
    sent_on              DATE,
    respond_by           DATE,
    reminders_sent       BIGINT NOT NULL,
    last_reminder_on     DATE,
    escalated_on         DATE,
    closure_reasons      TEXT NOT NULL,
    waiver_reasons       TEXT NOT NULL,
    resolved_on          DATE,
    version              BIGINT NOT NULL,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    UNIQUE (case_id, consulted_party_id)
);
CREATE INDEX consultations_consulted ON consultations (consulted_party_id, status, id);
CREATE INDEX consultations_owner ON consultations (owner_party_id, status, id);

-- consultation_representations keeps every version the consulted party submitted.
CREATE TABLE consultation_representations (
    consultation_id     BIGINT NOT NULL REFERENCES consultations (id),
    version             BIGINT NOT NULL,
    position            TEXT NOT NULL CHECK (position IN ('no_objection', 'object_in_part', 'object_in_full')),
    summary             TEXT NOT NULL,
    harm                TEXT NOT NULL,
    proposed_exemptions TEXT NOT NULL, -- JSON array of {section, reasons}
    proposed_redactions TEXT NOT NULL, -- JSON array of {document_id, passage, reasons}
    submitted_by        BIGINT NOT NULL REFERENCES users (id),
    submitted_at        TIMESTAMP NOT NULL,
    PRIMARY KEY (consultation_id, version)
);

CREATE TABLE consultation_considerations (
    consultation_id        BIGINT PRIMARY KEY REFERENCES consultations (id),
    outcome                TEXT NOT NULL CHECK (outcome IN ('accepted', 'partly_accepted', 'not_accepted')),
    reasons                TEXT NOT NULL,
    representation_version BIGINT NOT NULL,
    considered_by          BIGINT NOT NULL REFERENCES users (id),
    considered_at          TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE consultation_considerations;
DROP TABLE consultation_representations;
DROP TABLE consultations;
