-- name: CalendarVersion :one
SELECT version FROM calendar_state WHERE id = 1;

-- name: CalendarBump :one
UPDATE calendar_state SET version = version + 1 WHERE id = 1 RETURNING version;

-- name: HolidayImportLatest :one
SELECT * FROM holiday_imports ORDER BY id DESC LIMIT 1;

-- name: HolidayImportCreate :one
INSERT INTO holiday_imports (source, sha256, data, first_on, last_on, imported_by, imported_at)
VALUES (@source, @sha256, @data, @first_on, @last_on, @imported_by, @now)
RETURNING id;

-- name: CalendarOverrideList :many
SELECT * FROM calendar_overrides ORDER BY on_date;

-- name: CalendarOverrideUpsert :exec
INSERT INTO calendar_overrides (on_date, working, title, created_by, created_at)
VALUES (@on_date, @working, @title, @created_by, @now)
ON CONFLICT (on_date) DO UPDATE SET working = excluded.working, title = excluded.title,
    created_by = excluded.created_by, created_at = excluded.created_at;

-- name: CalendarOverrideDelete :execrows
DELETE FROM calendar_overrides WHERE on_date = @on_date;
