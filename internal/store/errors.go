package store

import (
	"database/sql"
	"errors"

	"foidesk/internal/foi"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// mapError turns driver errors into domain errors: no rows is ENOTFOUND and a uniqueness violation is
// ECONFLICT, on both engines. Domain errors and anything else pass through unchanged.
func (d *DB) mapError(err error) error {
	var fe *foi.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return err
	case errors.Is(err, sql.ErrNoRows):
		return foi.Errorf(foi.ENOTFOUND, "Not found.")
	case isUniqueViolation(err):
		return foi.Errorf(foi.ECONFLICT, "That already exists.")
	}
	return err
}

// isUniqueViolation reports whether err is a unique or primary-key constraint failure on either engine.
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		code := liteErr.Code()
		return code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}
