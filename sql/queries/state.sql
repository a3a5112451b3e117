-- name: StateVersionsGet :one
-- The versions of everything an instance caches, in one read (see migration 00015 and store/state.go).
SELECT calendar_state.version AS calendar, state_versions.auth, state_versions.registers
FROM calendar_state CROSS JOIN state_versions
WHERE calendar_state.id = 1 AND state_versions.id = 1;
