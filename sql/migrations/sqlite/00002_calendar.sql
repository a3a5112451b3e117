-- +goose Up
-- The working-day calendar shared by every instance: imported gov.uk bank-holiday files (the newest is in
-- force; without one the data embedded in the binary is) and admin overrides for one-off days.

CREATE TABLE holiday_imports (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    data        TEXT NOT NULL,
    first_on    DATE NOT NULL,
    last_on     DATE NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TIMESTAMP NOT NULL
);

CREATE TABLE calendar_overrides (
    on_date    DATE PRIMARY KEY,
    working    INTEGER NOT NULL,
    title      TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- calendar_state.version changes whenever the calendar does, so every instance knows to rebuild its copy.
CREATE TABLE calendar_state (
    id      BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO calendar_state (id, version) VALUES (1, 0);

-- +goose Down
DROP TABLE calendar_state;
DROP TABLE calendar_overrides;
DROP TABLE holiday_imports;
