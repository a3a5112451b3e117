package store

import "database/sql"

// RawDB exposes the writing pool to tests that tamper with rows behind the store's back.
func RawDB(d *DB) *sql.DB { return d.write }
