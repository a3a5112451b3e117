package store_test

import (
	"context"
	"testing"
	"time"

	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func TestParties_AdminAddsAndRenamesAuditedOthersForbiddenBadInputChangesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		d.Now = func() time.Time { return fixedNow }
		mustSeed(t, d)
		admin := userCtx(mustCreateUser(t, d, "admin@test.example", foi.RoleAdmin, ""))
		officer := userCtx(mustCreateUser(t, d, "officer@test.example", foi.RoleOfficer, "DFE"))

		_, err := d.CreateParty(officer, foi.NewParty{Code: "DWP", Name: "Department for Work and Pensions"})
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.RenameParty(officer, "DFE", "Renamed")
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.Parties(context.Background())
		wantCode(t, err, foi.EUNAUTHORIZED)

		p, err := d.CreateParty(admin, foi.NewParty{Code: " dwp ", Name: "  Department for Work and Pensions "})
		if err != nil || p.ID == 0 || p.Code != "DWP" || p.Name != "Department for Work and Pensions" {
			t.Fatalf("create: %+v, %v", p, err)
		}
		_, err = d.CreateParty(admin, foi.NewParty{Code: "DWP", Name: "Another"})
		wantCode(t, err, foi.ECONFLICT)
		_, err = d.CreateParty(admin, foi.NewParty{Code: "D-1", Name: ""})
		if fields := foi.ErrorFields(err); foi.ErrorCode(err) != foi.EINVALID || len(fields) != 2 ||
			fields[0].Field != "code" || fields[1].Field != "name" {
			t.Fatalf("bad party: %v %+v", err, fields)
		}

		r, err := d.RenameParty(admin, "dwp", " DWP (renamed) ")
		if err != nil || r.ID != p.ID || r.Code != "DWP" || r.Name != "DWP (renamed)" {
			t.Fatalf("rename: %+v, %v", r, err)
		}
		_, err = d.RenameParty(admin, "DWP", " ")
		wantCode(t, err, foi.EINVALID)
		_, err = d.RenameParty(admin, "NOPE", "Nobody")
		wantCode(t, err, foi.ENOTFOUND)

		// Anyone signed in reads them; nothing the refused calls sent was written.
		list, err := d.Parties(officer)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, x := range list {
			codes = append(codes, x.Code)
		}
		if len(list) != 3 || codes[0] != "DFE" || codes[1] != "DWP" || codes[2] != "HO" {
			t.Fatalf("parties: %v", codes)
		}
		got, err := d.FindParty(officer, "dwp")
		if err != nil || got.Name != "DWP (renamed)" {
			t.Fatalf("find: %+v %v", got, err)
		}
		_, err = d.FindParty(officer, "D-1")
		wantCode(t, err, foi.ENOTFOUND)
		for action, want := range map[string]int{"register.party.create": 1, "register.party.update": 1} {
			if n := countAudit(t, d, action); n != want {
				t.Errorf("%s: %d events, want %d", action, n, want)
			}
		}

		// The new party's officers log cases numbered under its code.
		dwp := userCtx(mustCreateUser(t, d, "o@dwp.test", foi.RoleOfficer, "DWP"))
		out, err := d.CreateCase(dwp, newCaseInput("2026-02-20T16:30:00Z"), foi.Idempotency{})
		if err != nil || out.Case.Reference != "DWP-FOI-2026-000001" {
			t.Fatalf("a case of the new party: %v %v", out.Case, err)
		}
	})
}
