package store_test

import (
	"context"
	"fmt"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// The inbox lists at most 1,000 consultations; the open ones must not be crowded out by a long history of
// resolved ones (it used to take the 1,000 oldest and keep the open ones among them: none), and the list of
// every consultation shows the newest 1,000, not the oldest.
func TestFindConsultations_OpenOnesAfterAThousandResolvedOnesStillShow(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		insertResolvedConsultations(t, d, 1001)
		c := w.mustCreate(t, w.officerCtx, withHOAsset(newCaseInput("2026-02-20T16:30:00Z")))
		for name, ctx := range map[string]context.Context{"HO liaison": w.liaisonCtx, "DFE officer": w.officerCtx} {
			open, err := d.FindConsultations(ctx, foi.ConsultationFilter{Open: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(open) != 1 || open[0].CaseID != c.ID || open[0].Status != foi.ConsultationSent {
				t.Errorf("%s's open consultations: %d, want the one of case %d", name, len(open), c.ID)
			}
			// Every consultation: the newest 1,000, oldest first, so the one just sent is the last.
			all, err := d.FindConsultations(ctx, foi.ConsultationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 1000 || all[len(all)-1].CaseID != c.ID || all[0].ID >= all[1].ID {
				t.Errorf("%s's consultations: %d, the last of case %d; want 1,000 ending with case %d",
					name, len(all), all[len(all)-1].CaseID, c.ID)
			}
		}
	})
}

// insertResolvedConsultations writes n DFE cases, each with a considered consultation of HO, behind the
// store's back.
func insertResolvedConsultations(t *testing.T, d *store.DB, n int) {
	t.Helper()
	tx, err := store.RawDB(d).Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var dfe, ho, officer int64
	if err := tx.QueryRow(`SELECT (SELECT id FROM parties WHERE code = 'DFE'), (SELECT id FROM parties WHERE code = 'HO'),
		(SELECT id FROM users WHERE email = 'o@dfe.test')`).Scan(&dfe, &ho, &officer); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		var id int64
		if err := tx.QueryRow(`INSERT INTO cases (party_id, reference, regime, received_at, received_on, channel, subject,
			request_text, status, is_open, queue_on, due_on, statutory_due_on, deadline_provisional, deadline_flag,
			version, created_by, created_at, updated_at)
			VALUES ($1, $2, 'foia', $3, '2025-01-06', 'email', 'Old request', 'Old request', 'closed', $4,
			'2025-02-03', '2025-02-03', '2025-02-03', $4, '', 1, $5, $3, $3) RETURNING id`,
			dfe, fmt.Sprintf("OLD-%d", i), fixedNow, false, officer).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO consultations (case_id, owner_party_id, consulted_party_id, status, question,
			information_at_issue, contact_email, sent_on, respond_by, reminders_sent, closure_reasons, waiver_reasons,
			version, created_at, updated_at)
			VALUES ($1, $2, $3, 'considered', 'Representations', '', 'foi@ho.example', '2025-01-07', '2025-01-14', 0,
			'', '', 1, $4, $4)`, id, dfe, ho, fixedNow); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
