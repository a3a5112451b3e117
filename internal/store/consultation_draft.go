package store

import (
	"context"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// checkVersion returns EPRECONDITION when ifVersion is set and is not the consultation's version.
func checkVersion(k *foi.Consultation, ifVersion int64) error {
	if ifVersion != 0 && ifVersion != k.Version {
		return foi.Errorf(foi.EPRECONDITION, "The consultation changed while you were working on it: reload it and try again.")
	}
	return nil
}

// draftContext checks ifVersion against consultation k and returns its case and the calendar in force, which
// bound its respond-by date.
func (tx *Tx) draftContext(ctx context.Context, k *foi.Consultation, ifVersion int64) (*foi.Case, *calendar.Calendar, error) {
	if err := checkVersion(k, ifVersion); err != nil {
		return nil, nil, err
	}
	c, err := tx.loadCase(ctx, k.CaseID, false)
	if err != nil {
		return nil, nil, err
	}
	cal, err := calendarIn(ctx, tx.Queries)
	return c, cal, err
}

// EditConsultationDraft changes a draft consultation's question, information at issue or chosen respond-by
// date (foi.Consultation.EditDraft, bounded by the case's deadline less the decision margin with the calendar
// in force) for an officer or decision-maker of the case's party, and audits it as consultation.draft.edit.
func (d *DB) EditConsultationDraft(ctx context.Context, id, ifVersion int64, ch foi.DraftChange) (*foi.Consultation, error) {
	return d.changeConsultation(ctx, id, foi.ActionWorkCase, "consultation.draft.edit", func(tx *Tx, k *foi.Consultation) (any, error) {
		c, cal, err := tx.draftContext(ctx, k, ifVersion)
		if err != nil {
			return nil, err
		}
		if err := k.EditDraft(ch, calendar.LondonDate(tx.now), cal, c.DueOn, foi.DefaultDecisionMarginWorkingDays); err != nil {
			return nil, err
		}
		return map[string]any{"case_id": c.ID, "question_changed": ch.Question != nil,
			"information_at_issue_changed": ch.InformationAtIssue != nil, "respond_by": k.RespondBy}, nil
	})
}

// SendConsultation sends a draft consultation to the consulted party's business-as-usual FOI contact for an
// officer or decision-maker of the case's party: respond-by from the clock (or the date chosen on the draft,
// still within its bound), the consultation_sent email queued in the same transaction, audited as
// consultation.send. Without such a contact it is EINVALID on contact_email and stays a draft.
func (d *DB) SendConsultation(ctx context.Context, id, ifVersion int64) (*foi.Consultation, error) {
	return d.changeConsultation(ctx, id, foi.ActionWorkCase, "consultation.send", func(tx *Tx, k *foi.Consultation) (any, error) {
		c, cal, err := tx.draftContext(ctx, k, ifVersion)
		if err != nil {
			return nil, err
		}
		var contact *db.Contact
		if k.Status == foi.ConsultationDraft { // anything else gets the domain's conflict from Send
			if contact, err = tx.foiContact(ctx, k.ConsultedPartyID); err != nil {
				return nil, err
			}
			if contact != nil {
				k.ContactEmail = contact.Email
			}
		}
		warning, err := k.Send(calendar.LondonDate(tx.now), cal, c.DueOn, 0, foi.DefaultDecisionMarginWorkingDays)
		if err != nil {
			return nil, err
		}
		if err := tx.queueConsultationSent(ctx, c, k, contact); err != nil {
			return nil, err
		}
		return map[string]any{"case_id": c.ID, "consulted_party": k.ConsultedPartyCode, "respond_by": k.RespondBy,
			"contact": k.ContactEmail, "warning": warning}, nil
	})
}
