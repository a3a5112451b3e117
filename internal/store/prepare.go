package store

import (
	"context"
	"database/sql"

	"foidesk/internal/store/db"
)

// writeQueries returns the prepared queries of the writing pool.
func (d *DB) writeQueries() *db.Queries { return d.prepared(d.write, &d.prepWrite) }

// readQueries returns the prepared queries of the reading pool.
func (d *DB) readQueries() *db.Queries {
	if d.read == d.write {
		return d.writeQueries()
	}
	return d.prepared(d.read, &d.prepRead)
}

// prepared returns the queries prepared on pool, preparing them on first use. database/sql then reuses each
// statement on every connection it was prepared on, including inside transactions (Queries.WithTx). Until
// preparing succeeds (before the schema is migrated, say) it returns unprepared queries, which work the same,
// only slower.
func (d *DB) prepared(pool *sql.DB, slot **db.Queries) *db.Queries {
	d.prepMu.Lock()
	defer d.prepMu.Unlock()
	if *slot != nil {
		return *slot
	}
	q, err := db.Prepare(context.Background(), pool)
	if err != nil {
		d.log.Debug("queries not prepared yet", "err", err)
		return db.New(pool)
	}
	*slot = q
	return q
}

// closePrepared closes the prepared queries.
func (d *DB) closePrepared() {
	d.prepMu.Lock()
	defer d.prepMu.Unlock()
	for _, q := range []*db.Queries{d.prepWrite, d.prepRead} {
		if q != nil {
			q.Close()
		}
	}
	d.prepWrite, d.prepRead = nil, nil
}
