package store

import (
	"context"
	"fmt"
	"time"
)

// The dialect seam: the few statements that must differ between PostgreSQL and SQLite. Everything else is
// portable SQL in sql/queries, run through the sqlc-generated package.

// outboxClaimSQL claims the oldest due pending message. %s is the row-locking clause of the engine: on
// PostgreSQL FOR UPDATE SKIP LOCKED, so concurrent claimers on many instances each take a different row
// without waiting for each other; on SQLite nothing, because the single write connection serialises writers
// and the statement is atomic. The outer status test makes a lost race a no-op instead of a double claim.
const outboxClaimSQL = `UPDATE outbox
SET status = 'sending', attempts = attempts + 1, locked_until = $1
WHERE status = 'pending' AND id = (
    SELECT id FROM outbox
    WHERE status = 'pending' AND next_attempt_at <= $2
    ORDER BY next_attempt_at, id
    LIMIT 1 %s)
RETURNING id, template, recipient_email, recipient_name, data, link, message_id, attempts, created_at`

var (
	outboxClaimPostgres = fmt.Sprintf(outboxClaimSQL, "FOR UPDATE SKIP LOCKED")
	outboxClaimSQLite   = fmt.Sprintf(outboxClaimSQL, "")
)

// claimedRow is what the claim statement returns.
type claimedRow struct {
	ID             int64
	Template       string
	RecipientEmail string
	RecipientName  string
	Data           string
	Link           string
	MessageID      string
	Attempts       int64
	CreatedAt      time.Time
}

// claimOutbox runs the engine's claim statement on the write pool (one statement, its own transaction). It
// returns sql.ErrNoRows when no message is due.
func (d *DB) claimOutbox(ctx context.Context, now, lockedUntil time.Time) (claimedRow, error) {
	query := outboxClaimSQLite
	if d.engine == Postgres {
		query = outboxClaimPostgres
	}
	var r claimedRow
	err := d.write.QueryRowContext(ctx, query, lockedUntil, now).Scan(&r.ID, &r.Template, &r.RecipientEmail,
		&r.RecipientName, &r.Data, &r.Link, &r.MessageID, &r.Attempts, &r.CreatedAt)
	return r, err
}
