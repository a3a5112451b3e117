package store

import (
	"context"
	"strconv"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// MaxCaseHistory is the most events CaseHistory returns.
const MaxCaseHistory = 500

// CaseHistory returns the changes to a case, newest first and at most MaxCaseHistory: its audit events without
// the views. ENOTFOUND unless the caller may read the case. Reading the history is audited
// (case.history.read).
func (d *DB) CaseHistory(ctx context.Context, id int64) ([]foi.AuditEvent, error) {
	var out []foi.AuditEvent
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.readableCase(ctx, id)
		if err != nil {
			return err
		}
		rows, err := tx.AuditListRecordChanges(ctx, db.AuditListRecordChangesParams{RecordType: "case",
			RecordID: strconv.FormatInt(c.ID, 10), MaxRows: MaxCaseHistory})
		if err != nil {
			return err
		}
		for _, r := range rows {
			out = append(out, auditFromRow(r))
		}
		tx.audit("case.history.read", "case", c.ID, c.PartyID, nil)
		return nil
	})
	return out, err
}
