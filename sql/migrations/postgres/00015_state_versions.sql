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
CREATE FUNCTION bump_auth_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE state_versions SET auth = auth + 1 WHERE id = 1;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION bump_registers_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE state_versions SET registers = registers + 1 WHERE id = 1;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION bump_auth_and_registers_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE state_versions SET auth = auth + 1, registers = registers + 1 WHERE id = 1;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER users_insert_auth AFTER INSERT ON users FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_version();
CREATE TRIGGER users_update_auth AFTER UPDATE ON users FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_version();
CREATE TRIGGER users_delete_auth AFTER DELETE ON users FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_version();
CREATE TRIGGER api_tokens_update_auth AFTER UPDATE OF user_id, token_hash, revoked_at ON api_tokens FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_version();
CREATE TRIGGER api_tokens_delete_auth AFTER DELETE ON api_tokens FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_version();
CREATE TRIGGER parties_insert_versions AFTER INSERT ON parties FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_and_registers_versions();
CREATE TRIGGER parties_update_versions AFTER UPDATE ON parties FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_and_registers_versions();
CREATE TRIGGER parties_delete_versions AFTER DELETE ON parties FOR EACH STATEMENT EXECUTE FUNCTION bump_auth_and_registers_versions();
CREATE TRIGGER contacts_insert_registers AFTER INSERT ON contacts FOR EACH STATEMENT EXECUTE FUNCTION bump_registers_version();
CREATE TRIGGER contacts_update_registers AFTER UPDATE ON contacts FOR EACH STATEMENT EXECUTE FUNCTION bump_registers_version();
CREATE TRIGGER contacts_delete_registers AFTER DELETE ON contacts FOR EACH STATEMENT EXECUTE FUNCTION bump_registers_version();
CREATE TRIGGER assets_insert_registers AFTER INSERT ON assets FOR EACH STATEMENT EXECUTE FUNCTION bump_registers_version();
CREATE TRIGGER assets_update_registers AFTER UPDATE ON assets FOR EACH STATEMENT EXECUTE FUNCTION bump_registers_version();
CREATE TRIGGER assets_delete_registers AFTER DELETE ON assets FOR EACH STATEMENT EXECUTE FUNCTION bump_registers_version();
CREATE TRIGGER exchanges_insert_registers AFTER INSERT ON exchanges FOR EACH STATEMENT EXECUTE FUNCTION bump_registers_version();
CREATE TRIGGER exchanges_update_registers AFTER UPDATE ON exchanges FOR EACH STATEMENT EXECUTE FUNCTION bump_registers_version();
CREATE TRIGGER exchanges_delete_registers AFTER DELETE ON exchanges FOR EACH STATEMENT EXECUTE FUNCTION bump_registers_version();

-- +goose Down
DROP TRIGGER users_insert_auth ON users;
DROP TRIGGER users_update_auth ON users;
DROP TRIGGER users_delete_auth ON users;
DROP TRIGGER api_tokens_update_auth ON api_tokens;
DROP TRIGGER api_tokens_delete_auth ON api_tokens;
DROP TRIGGER parties_insert_versions ON parties;
DROP TRIGGER parties_update_versions ON parties;
DROP TRIGGER parties_delete_versions ON parties;
DROP TRIGGER contacts_insert_registers ON contacts;
DROP TRIGGER contacts_update_registers ON contacts;
DROP TRIGGER contacts_delete_registers ON contacts;
DROP TRIGGER assets_insert_registers ON assets;
DROP TRIGGER assets_update_registers ON assets;
DROP TRIGGER assets_delete_registers ON assets;
DROP TRIGGER exchanges_insert_registers ON exchanges;
DROP TRIGGER exchanges_update_registers ON exchanges;
DROP TRIGGER exchanges_delete_registers ON exchanges;
DROP FUNCTION bump_auth_version();
DROP FUNCTION bump_registers_version();
DROP FUNCTION bump_auth_and_registers_versions();
DROP TABLE state_versions;
