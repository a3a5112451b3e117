package store

import (
	"context"

	"foidesk/internal/foi"
)

// EnqueueInTx enqueues ns in one writing transaction, as store code does beside the change that causes them,
// then commits, or rolls back when fail is not nil (and returns fail).
func EnqueueInTx(ctx context.Context, d *DB, fail error, ns ...foi.Notification) error {
	return d.inTx(ctx, func(tx *Tx) error {
		for _, n := range ns {
			if err := tx.enqueue(ctx, n); err != nil {
				return err
			}
		}
		return fail
	})
}
