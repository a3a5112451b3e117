package store_test

import (
	"strconv"
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func TestCaseHistory_ListsTheChangesNewestFirstWithoutTheViews(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-20"))
		if _, err := w.d.FindCaseByID(w.officerCtx, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.d.TransitionCase(w.officerCtx, c.ID, 0, foi.StatusInProgress, "started"); err != nil {
			t.Fatal(err)
		}
		events, err := w.d.CaseHistory(w.officerCtx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
			if e.RecordID != strconv.FormatInt(c.ID, 10) || e.RecordType != "case" {
				t.Errorf("event of another record: %+v", e)
			}
		}
		if len(actions) != 2 || actions[0] == "case.create" || actions[1] != "case.create" {
			t.Fatalf("history %v, want the transition then case.create", actions)
		}
		if events[0].ActorLabel != "o@dfe.test" {
			t.Errorf("actor %q", events[0].ActorLabel)
		}
		// Reading the history is itself audited, but is not a change.
		again, _ := w.d.CaseHistory(w.officerCtx, c.ID)
		if len(again) != 2 {
			t.Errorf("a view shows in the history: %d events", len(again))
		}
		for _, ctx := range []struct {
			name string
			err  error
		}{{"HO officer", errOf(w.d.CaseHistory(w.hoCtx, c.ID))}, {"HO liaison", errOf(w.d.CaseHistory(w.liaisonCtx, c.ID))}} {
			if foi.ErrorCode(ctx.err) != foi.ENOTFOUND {
				t.Errorf("%s: %v, want not found", ctx.name, ctx.err)
			}
		}
		if _, err := w.d.CaseHistory(w.auditorCtx, c.ID); err != nil {
			t.Errorf("auditor: %v", err)
		}
	})
}

func errOf[T any](_ T, err error) error { return err }

func TestCaseWorkers_AreTheOfficersAndDecisionMakersOfTheCallersParty(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		users, err := w.d.CaseWorkers(w.officerCtx)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, u := range users {
			seen[u.Email] = true
			if u.PartyID != w.dfeOfficer.PartyID || (u.Role != foi.RoleOfficer && u.Role != foi.RoleDecisionMaker) {
				t.Errorf("not a DFE case worker: %+v", u)
			}
		}
		if !seen["o@dfe.test"] || !seen["dm@dfe.test"] || seen["a@dfe.test"] || seen["o@ho.test"] {
			t.Errorf("case workers %v", seen)
		}
		if _, err := w.d.CaseWorkers(w.liaisonCtx); foi.ErrorCode(err) != foi.EFORBIDDEN {
			t.Errorf("liaison: %v", err)
		}
	})
}
