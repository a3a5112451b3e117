package store_test

import (
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func TestListAudit_FiltersPagesAndKeepsAPartysAuditorToItsParty(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		d.Now = func() time.Time { return time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC) }
		mustSeed(t, d)
		admin := userCtx(mustCreateUser(t, d, "admin@test.example", foi.RoleAdmin, ""))
		dfeAuditor := mustCreateUser(t, d, "aud@dfe.test", foi.RoleAuditor, "DFE")
		dfeAud := userCtx(dfeAuditor)
		officer := userCtx(mustCreateUser(t, d, "o@dfe.test", foi.RoleOfficer, "DFE"))
		mustCreateUser(t, d, "o@ho.test", foi.RoleOfficer, "HO")

		_, err := d.ListAudit(officer, foi.AuditFilter{})
		wantCode(t, err, foi.EFORBIDDEN)

		all, err := d.ListAudit(admin, foi.AuditFilter{Action: "user", Limit: 200})
		if err != nil || len(all.Events) < 4 || all.NextBefore != 0 {
			t.Fatalf("admin, user.*: %d events, next %d, %v", len(all.Events), all.NextBefore, err)
		}
		if all.Events[0].Seq < all.Events[1].Seq {
			t.Error("events are not newest first")
		}
		// Pages of two, following the cursor, cover the same events once each.
		var seen []int64
		f := foi.AuditFilter{Action: "user", Limit: 2}
		for range 50 {
			p, err := d.ListAudit(admin, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range p.Events {
				seen = append(seen, e.Seq)
			}
			if p.NextBefore == 0 {
				break
			}
			f.Before = p.NextBefore
		}
		if n := len(all.Events); len(seen) != n || seen[0] != all.Events[0].Seq || seen[n-1] != all.Events[n-1].Seq {
			t.Errorf("paged: %v, want the %d of %+v", seen, n, all.Events)
		}

		// The DFE auditor sees the DFE users' creation, not HO's nor the admin's.
		want := 0
		for _, e := range all.Events {
			if e.PartyID == dfeAuditor.PartyID {
				want++
			}
		}
		mine, err := d.ListAudit(dfeAud, foi.AuditFilter{Action: "user", Limit: 200})
		if err != nil || len(mine.Events) != want || want < 2 || want == len(all.Events) {
			t.Fatalf("DFE auditor: %d events, want %d of %d, %v", len(mine.Events), want, len(all.Events), err)
		}
		for _, e := range mine.Events {
			if e.PartyID != dfeAuditor.PartyID {
				t.Errorf("DFE auditor sees %+v", e)
			}
		}
		if ho, err := d.ListAudit(dfeAud, foi.AuditFilter{PartyCode: "HO"}); err != nil || len(ho.Events) != 0 {
			t.Errorf("DFE auditor asking for HO's events: %d, %v", len(ho.Events), err)
		}
		if ho, err := d.ListAudit(admin, foi.AuditFilter{PartyCode: "ho", Actor: "CLI", Action: "user.create"}); err != nil || len(ho.Events) == 0 || ho.Events[0].RecordType != "user" {
			t.Errorf("admin asking for HO's events: %d, %v", len(ho.Events), err)
		}
		if p, err := d.ListAudit(admin, foi.AuditFilter{Actor: "CLI", RecordType: "user",
			RecordID: all.Events[0].RecordID}); err != nil || len(p.Events) != 1 {
			t.Errorf("by actor and record: %d, %v", len(p.Events), err)
		}

		// Dates are London days: the events of 1 July are in a range that ends that day and not in the next.
		july1 := calendar.NewDate(2026, time.July, 1)
		if p, _ := d.ListAudit(admin, foi.AuditFilter{From: july1, To: july1}); len(p.Events) == 0 {
			t.Error("no events on 1 July")
		}
		if p, _ := d.ListAudit(admin, foi.AuditFilter{From: july1.AddDays(1)}); len(p.Events) != 0 {
			t.Errorf("%d events from 2 July", len(p.Events))
		}
		_, err = d.ListAudit(admin, foi.AuditFilter{From: july1, To: july1.AddDays(-1)})
		wantFields(t, err, "to")
		_, err = d.ListAudit(admin, foi.AuditFilter{PartyCode: "NOPE"})
		wantFields(t, err, "party")
	})
}
