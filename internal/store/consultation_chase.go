package store

import (
	"context"
	"errors"
	"fmt"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

var _ foi.ConsultationChaseService = (*DB)(nil)

// ChaseConsultation sends a reminder or the escalation by hand (foi.Consultation.Chase) through the same
// sendChaser the daily scan uses, and records it: a reminder counts on the consultation; an escalation is also
// recorded as the scan's, so the scan does not send it again. A manual reminder's email is keyed by day, so a
// retried request sends it once. Errors: ENOTFOUND unless the caller may read the consultation's case,
// EFORBIDDEN unless they may work it, EPRECONDITION when the consulted party has no active contact to send it
// to, and Chase's errors.
func (d *DB) ChaseConsultation(ctx context.Context, id int64, kind foi.ChaseKind) (*foi.Consultation, error) {
	var out *foi.Consultation
	err := d.inTx(ctx, func(tx *Tx) error {
		k, err := tx.readableConsultation(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.can(foi.ActionWorkCase, k.Scope()); err != nil {
			return err
		}
		today := calendar.LondonDate(tx.now)
		reminder, err := k.Chase(kind, today)
		if err != nil {
			return err
		}
		row, err := tx.chaserRow(ctx, k.ID)
		if err != nil {
			return err
		}
		dedupe := foi.ChaserDedupeKey(reminder, k.ID, k.RespondBy, "")
		if reminder == foi.ChaserManual {
			dedupe += ":" + today.String()
		}
		_, _, err = tx.sendChaser(ctx, row, k, reminder, today, dedupe)
		var nobody noChaserContact
		if errors.As(err, &nobody) {
			return foi.Errorf(foi.EPRECONDITION, "Nothing was sent: %s.", nobody.why)
		} else if err != nil {
			return err
		}
		if reminder == foi.ChaserEscalation {
			if _, err := tx.ReminderSentRecord(ctx, db.ReminderSentRecordParams{Kind: string(reminder),
				RecordType: reminderConsultation, RecordID: k.ID, DueOn: k.RespondBy, SentOn: today}); err != nil {
				return err
			}
		}
		out, err = tx.loadConsultation(ctx, k.ID)
		return err
	})
	return out, err
}

// chaserRow returns the scan's row (ConsultationChaserList) of a sent consultation awaiting representations.
func (tx *Tx) chaserRow(ctx context.Context, id int64) (row db.ConsultationChaserListRow, err error) {
	rows, err := tx.ConsultationChaserList(ctx)
	if err != nil {
		return row, err
	}
	for _, r := range rows {
		if r.ID == id {
			return r, nil
		}
	}
	return row, fmt.Errorf("consultation %d is not awaiting representations", id)
}
