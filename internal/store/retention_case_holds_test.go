package store_test

import (
	"testing"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func TestCaseLegalHolds_ListsTheActiveHoldsOfOneCaseToItsReaders(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c, other := w.withdrawn(t), w.withdrawn(t)
		first, err := d.PlaceLegalHold(w.officerCtx, c.ID, "Proceedings issued.")
		if err != nil {
			t.Fatal(err)
		}
		second, err := d.PlaceLegalHold(w.dmCtx, c.ID, "ICO investigation.")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.PlaceLegalHold(w.officerCtx, other.ID, "Another case."); err != nil {
			t.Fatal(err)
		}
		holds, err := d.CaseLegalHolds(w.auditorCtx, c.ID)
		if err != nil || len(holds) != 2 || holds[0].ID != first.ID || holds[1].ID != second.ID ||
			holds[0].Reasons != "Proceedings issued." || holds[0].CaseReference != c.Reference || holds[0].PlacedByLabel == "" {
			t.Fatalf("holds %+v %v", holds, err)
		}
		if _, err := d.ReleaseLegalHold(w.officerCtx, first.ID, "Settled."); err != nil {
			t.Fatal(err)
		}
		holds, err = d.CaseLegalHolds(w.officerCtx, c.ID)
		if err != nil || len(holds) != 1 || holds[0].ID != second.ID {
			t.Fatalf("after the release %+v %v", holds, err)
		}
		_, err = d.CaseLegalHolds(w.hoCtx, c.ID)
		wantCode(t, err, foi.ENOTFOUND)
		_, err = d.CaseLegalHolds(w.officerCtx, 999999)
		wantCode(t, err, foi.ENOTFOUND)
	})
}
