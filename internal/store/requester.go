package store

import (
	"context"

	"foidesk/internal/foi"
)

var _ foi.RequesterService = (*DB)(nil)

// RevealRequester returns the requester of a case the caller may read and audits requester.read.
func (d *DB) RevealRequester(ctx context.Context, caseID int64) (foi.CaseRequester, error) {
	var out foi.CaseRequester
	err := d.inTx(ctx, func(tx *Tx) error {
		c, err := tx.readableCase(ctx, caseID)
		if err != nil {
			return err
		}
		out = foi.CaseRequester{CaseID: c.ID, Reference: c.Reference}
		if c.Requester != nil {
			out.Requester = *c.Requester
		}
		tx.audit("requester.read", "case", c.ID, c.PartyID, map[string]any{"reference": c.Reference})
		return nil
	})
	return out, err
}
