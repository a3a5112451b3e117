package store_test

import (
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func newHOContact() foi.NewContact {
	return foi.NewContact{PartyCode: "HO", Contact: foi.Contact{Name: "Harriet Escalation",
		Email: "harriet@homeoffice.test", Tier: foi.TierEscalation,
		Responsibilities: []foi.Responsibility{foi.RespFOI}, Active: true}}
}

func TestRegisterAdmin_AdminWritesAreAuditedAndOthersAreForbidden(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		admin := userCtx(mustCreateUser(t, d, "admin@test.example", foi.RoleAdmin, ""))
		officer := userCtx(mustCreateUser(t, d, "officer@test.example", foi.RoleOfficer, "DFE"))

		_, err := d.CreateContact(officer, newHOContact())
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.AddAgreementVersion(officer, "DFE-HO-MOU", foi.AgreementVersion{Version: "9.9",
			IssuedOn: calendar.NewDate(2026, time.January, 1), Summary: "x"})
		wantCode(t, err, foi.EFORBIDDEN)

		c, err := d.CreateContact(admin, newHOContact())
		if err != nil || c.ID == 0 || c.PartyCode != "HO" {
			t.Fatalf("create contact: %+v, %v", c, err)
		}
		_, err = d.CreateContact(admin, newHOContact())
		wantCode(t, err, foi.ECONFLICT)
		bad := newHOContact()
		bad.Contact.Email = "not an email"
		_, err = d.CreateContact(admin, bad)
		wantCode(t, err, foi.EINVALID)

		a, err := d.AddAgreementVersion(admin, "DFE-HO-MOU", foi.AgreementVersion{Version: "9.9",
			IssuedOn: calendar.NewDate(2026, time.January, 1), Summary: "Refreshed."})
		if err != nil || a.Versions[len(a.Versions)-1].Version != "9.9" {
			t.Fatalf("add version: %+v, %v", a, err)
		}
		for action, want := range map[string]int{"register.contact.create": 1, "register.agreement.version": 1} {
			if n := countAudit(t, d, action); n != want {
				t.Errorf("%s: %d events, want %d", action, n, want)
			}
		}
	})
}
