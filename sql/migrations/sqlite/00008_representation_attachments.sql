-- +goose Up
-- Files the consulted party attaches to a version of its representations (stored in the database, like case
-- documents), and the date each process-level exchange was last reviewed (the next review is due within 6
-- months of it, or of the exchange's start).
-- The PostgreSQL twin of this file has the same tables and columns (checked by the schema-parity test).

CREATE TABLE representation_attachments (
    id                     INTEGER PRIMARY KEY,
    consultation_id        BIGINT NOT NULL REFERENCES consultations (id),
    representation_version BIGINT NOT NULL,
    name                   TEXT NOT NULL,
    content_type           TEXT NOT NULL,
    size                   BIGINT NOT NULL,
    sha256                 TEXT NOT NULL,
    content                BLOB NOT NULL,
    uploaded_by            BIGINT NOT NULL REFERENCES users (id),
    uploaded_at            TIMESTAMP NOT NULL,
    FOREIGN KEY (consultation_id, representation_version)
        REFERENCES consultation_representations (consultation_id, version)
);
CREATE INDEX representation_attachments_consultation
    ON representation_attachments (consultation_id, representation_version, id);

ALTER TABLE exchanges ADD COLUMN reviewed_on DATE;

-- +goose Down
ALTER TABLE exchanges DROP COLUMN reviewed_on;
DROP TABLE representation_attachments;
