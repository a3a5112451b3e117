-- +goose Up
-- Foundation: parties and their contacts, agreements, exchanges and information assets (the registers),
-- users, sessions, API tokens, and the hash-chained audit log.
-- The PostgreSQL twin of this file has the same tables and columns (checked by the schema-parity test).

CREATE TABLE parties (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE contacts (
    id               INTEGER PRIMARY KEY,
    party_id         BIGINT NOT NULL REFERENCES parties (id),
    name             TEXT NOT NULL,
    email            TEXT NOT NULL,
    tier             TEXT NOT NULL CHECK (tier IN ('bau', 'escalation')),
    responsibilities TEXT NOT NULL, -- comma-separated foi.Responsibility values
    active           INTEGER NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    UNIQUE (party_id, email)
);

CREATE TABLE agreements (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'active', 'under_review', 'terminated')),
    review_on   DATE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE agreement_parties (
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    party_id     BIGINT NOT NULL REFERENCES parties (id),
    PRIMARY KEY (agreement_id, party_id)
);

CREATE TABLE agreement_versions (
    id           INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    version      TEXT NOT NULL,
    issued_on    DATE NOT NULL,
    summary      TEXT NOT NULL,
    UNIQUE (agreement_id, version)
);

CREATE TABLE exchanges (
    id                 INTEGER PRIMARY KEY,
    agreement_id       BIGINT NOT NULL REFERENCES agreements (id),
    reference          TEXT NOT NULL UNIQUE,
    title              TEXT NOT NULL,
    provider_party_id  BIGINT NOT NULL REFERENCES parties (id),
    recipient_party_id BIGINT NOT NULL REFERENCES parties (id),
    legal_basis        TEXT NOT NULL,
    business_owner     TEXT NOT NULL,
    start_on           DATE NOT NULL,
    review_on          DATE,
    created_at         TIMESTAMP NOT NULL,
    CHECK (provider_party_id <> recipient_party_id)
);

CREATE TABLE assets (
    id                INTEGER PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    provider_party_id BIGINT NOT NULL REFERENCES parties (id),
    exchange_id       BIGINT NOT NULL REFERENCES exchanges (id),
    description       TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL
);

CREATE TABLE asset_aliases (
    asset_id BIGINT NOT NULL REFERENCES assets (id),
    alias    TEXT NOT NULL,
    PRIMARY KEY (asset_id, alias)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'decision-maker', 'liaison', 'auditor')),
    party_id      BIGINT REFERENCES parties (id),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    CHECK (role = 'admin' OR party_id IS NOT NULL)
);

-- sessions: server-side web sessions; id is the SHA-256 of the cookie's secret, so a database leak does not
-- leak live sessions.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    ip           TEXT NOT NULL,
    user_agent   TEXT NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);

-- api_tokens: bearer tokens for the JSON API; only the SHA-256 of the token is stored.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);

-- audit_events: append-only, hash-chained. audit_head holds the newest seq and hash; updating it first in
-- each writing transaction serialises appenders on both engines, so the chain never forks.
CREATE TABLE audit_events (
    seq         BIGINT PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    actor_id    BIGINT NOT NULL,
    actor_label TEXT NOT NULL,
    action      TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    party_id    BIGINT NOT NULL,
    ip          TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_events_record ON audit_events (record_type, record_id);
CREATE INDEX audit_events_at ON audit_events (at);

CREATE TABLE audit_head (
    id        BIGINT PRIMARY KEY CHECK (id = 1),
    seq       BIGINT NOT NULL,
    hash      TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_events;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE asset_aliases;
DROP TABLE assets;
DROP TABLE exchanges;
DROP TABLE agreement_versions;
DROP TABLE agreement_parties;
DROP TABLE agreements;
DROP TABLE contacts;
DROP TABLE parties;
