-- +goose Up
-- state_versions: counters the database itself bumps (by trigger) whenever something an instance caches changes:
-- who may use which API token (auth) and the registers a new request is routed by (registers). An instance reads
-- them with the calendar's version and drops its caches when they moved, so a revoked token or an edited contact
-- is seen by every instance at its next request, whichever path (UI, API, CLI, SQL by hand) wrote it.
CREATE TABLE state_versions (
    id        BIGINT PRIMARY KEY CHECK (id = 1),
    auth      BIGINT NOT NULL,
    registers BIGINT NOT NULL
);
INSERT INTO state_versions (id, auth, registers) VALUES (1, 0, 0);

-- +goose StatementBegin
CREATE TRIGGER users_insert_auth AFTER INSERT ON users
BEGIN UPDATE state_versions SET auth = auth + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER users_update_auth AFTER UPDATE ON users
BEGIN UPDATE state_versions SET auth = auth + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER users_delete_auth AFTER DELETE ON users
BEGIN UPDATE state_versions SET auth = auth + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER api_tokens_update_auth AFTER UPDATE OF user_id, token_hash, revoked_at ON api_tokens
BEGIN UPDATE state_versions SET auth = auth + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER api_tokens_delete_auth AFTER DELETE ON api_tokens
BEGIN UPDATE state_versions SET auth = auth + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER parties_insert_versions AFTER INSERT ON parties
BEGIN UPDATE state_versions SET auth = auth + 1, registers = registers + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER parties_update_versions AFTER UPDATE ON parties
BEGIN UPDATE state_versions SET auth = auth + 1, registers = registers + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER parties_delete_versions AFTER DELETE ON parties
BEGIN UPDATE state_versions SET auth = auth + 1, registers = registers + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER contacts_insert_registers AFTER INSERT ON contacts
BEGIN UPDATE state_versions SET registers = registers + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER contacts_update_registers AFTER UPDATE ON contacts
BEGIN UPDATE state_versions SET registers = registers + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER contacts_delete_registers AFTER DELETE ON contacts
BEGIN UPDATE state_versions SET registers = registers + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER assets_insert_registers AFTER INSERT ON assets
BEGIN UPDATE state_versions SET registers = registers + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER assets_update_registers AFTER UPDATE ON assets
BEGIN UPDATE state_versions SET registers = registers + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER assets_delete_registers AFTER DELETE ON assets
BEGIN UPDATE state_versions SET registers = registers + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER exchanges_insert_registers AFTER INSERT ON exchanges
BEGIN UPDATE state_versions SET registers = registers + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER exchanges_update_registers AFTER UPDATE ON exchanges
BEGIN UPDATE state_versions SET registers = registers + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER exchanges_delete_registers AFTER DELETE ON exchanges
BEGIN UPDATE state_versions SET registers = registers + 1 WHERE id = 1; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER users_insert_auth;
DROP TRIGGER users_update_auth;
DROP TRIGGER users_delete_auth;
DROP TRIGGER api_tokens_update_auth;
DROP TRIGGER api_tokens_delete_auth;
DROP TRIGGER parties_insert_versions;
DROP TRIGGER parties_update_versions;
DROP TRIGGER parties_delete_versions;
DROP TRIGGER contacts_insert_registers;
DROP TRIGGER contacts_update_registers;
DROP TRIGGER contacts_delete_registers;
DROP TRIGGER assets_insert_registers;
DROP TRIGGER assets_update_registers;
DROP TRIGGER assets_delete_registers;
DROP TRIGGER exchanges_insert_registers;
DROP TRIGGER exchanges_update_registers;
DROP TRIGGER exchanges_delete_registers;
DROP TABLE state_versions;
