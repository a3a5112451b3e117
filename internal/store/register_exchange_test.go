package store_test

import (
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

func newExchange() foi.NewExchange {
	return foi.NewExchange{AgreementCode: "DFE-HO-MOU", Reference: "mou-a6-dfe-ho", Title: "School census extract",
		ProviderPartyCode: "dfe", RecipientPartyCode: "HO", LegalBasis: "Education Act 1996 s.537A",
		BusinessOwner: "Deputy Director, Data", StartOn: calendar.NewDate(2026, time.February, 1),
		ReviewOn: calendar.NewDate(2026, time.August, 1)}
}

func TestRegisterExchanges_AdminsCreateAndReviewWithinSixMonthsAndEveryoneReads(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		admin := userCtx(mustCreateUser(t, d, "admin@test.example", foi.RoleAdmin, ""))
		officer := userCtx(mustCreateUser(t, d, "officer@test.example", foi.RoleOfficer, "DFE"))

		_, err := d.CreateExchange(officer, newExchange())
		wantCode(t, err, foi.EFORBIDDEN)
		x, err := d.CreateExchange(admin, newExchange())
		if err != nil || x.Reference != "MOU-A6-DFE-HO" || x.ProviderPartyCode != "DFE" || x.RecipientPartyCode != "HO" ||
			x.AgreementCode != "DFE-HO-MOU" || x.ReviewOn != calendar.NewDate(2026, time.August, 1) {
			t.Fatalf("create exchange: %+v, %v", x, err)
		}
		_, err = d.CreateExchange(admin, newExchange())
		wantCode(t, err, foi.ECONFLICT)

		// 31 August plus 6 months is the last day of February: a day later is refused.
		late := newExchange()
		late.Reference, late.StartOn, late.ReviewOn = "MOU-A7", calendar.NewDate(2025, time.August, 31), calendar.NewDate(2026, time.March, 1)
		_, err = d.CreateExchange(admin, late)
		wantFields(t, err, "review_on")
		late.ReviewOn = calendar.NewDate(2026, time.February, 28)
		if _, err := d.CreateExchange(admin, late); err != nil {
			t.Fatalf("review on the last day of February: %v", err)
		}
		bad := foi.NewExchange{AgreementCode: "NOPE", Reference: "bad ref", ProviderPartyCode: "HO", RecipientPartyCode: "HO",
			StartOn: calendar.NewDate(2026, time.February, 1)}
		_, err = d.CreateExchange(admin, bad)
		wantFields(t, err, "agreement", "reference", "title", "legal_basis", "business_owner", "review_on", "recipient_party")

		// A review recorded moves the 6-month window; a date change outside it is refused and changes nothing.
		reviewed, next := calendar.NewDate(2026, time.July, 20), calendar.NewDate(2027, time.January, 20)
		x, err = d.UpdateExchange(admin, "MOU-A6-DFE-HO", foi.ExchangeChange{ReviewedOn: &reviewed, ReviewOn: &next})
		if err != nil || x.ReviewedOn != reviewed || x.ReviewOn != next {
			t.Fatalf("record review: %+v, %v", x, err)
		}
		tooLate := calendar.NewDate(2027, time.January, 21)
		_, err = d.UpdateExchange(admin, "MOU-A6-DFE-HO", foi.ExchangeChange{ReviewOn: &tooLate})
		wantFields(t, err, "review_on")
		title := "Renamed"
		_, err = d.UpdateExchange(officer, "MOU-A6-DFE-HO", foi.ExchangeChange{Title: &title})
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.UpdateExchange(admin, "NOPE", foi.ExchangeChange{Title: &title})
		wantCode(t, err, foi.ENOTFOUND)

		// Reads: any signed-in user; the agreement lists its exchanges.
		got, err := d.FindExchange(officer, "mou-a6-dfe-ho")
		if err != nil || got.ReviewOn != next || got.Title != "School census extract" {
			t.Fatalf("find exchange: %+v, %v", got, err)
		}
		ag, err := d.FindAgreement(officer, "DFE-HO-MOU")
		if err != nil || len(ag.Exchanges) != 4 || len(ag.Versions) == 0 {
			t.Fatalf("find agreement: %+v, %v", ag, err)
		}
		a, err := d.FindAsset(officer, "npd-pupil-matches")
		if err != nil || a.ExchangeReference != "MOU-A5-DFE-HO" || a.ProviderPartyCode != "DFE" || len(a.Aliases) == 0 {
			t.Fatalf("find asset: %+v, %v", a, err)
		}
		c, err := d.CreateContact(admin, newHOContact())
		if err != nil {
			t.Fatal(err)
		}
		gc, err := d.FindContact(officer, c.ID)
		if err != nil || gc.Email != "harriet@homeoffice.test" || gc.PartyCode != "HO" {
			t.Fatalf("find contact: %+v, %v", gc, err)
		}
		for _, err := range []error{
			func() error { _, err := d.FindAgreement(officer, "NOPE"); return err }(),
			func() error { _, err := d.FindExchange(officer, "NOPE"); return err }(),
			func() error { _, err := d.FindAsset(officer, "nope"); return err }(),
			func() error { _, err := d.FindContact(officer, 999999); return err }(),
		} {
			wantCode(t, err, foi.ENOTFOUND)
		}
		for action, want := range map[string]int{"register.exchange.create": 2, "register.exchange.update": 1} {
			if n := countAudit(t, d, action); n != want {
				t.Errorf("%s: %d events, want %d", action, n, want)
			}
		}
	})
}

func TestRegisterContacts_InvalidRecipientAddressesAreRejected(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		admin := userCtx(mustCreateUser(t, d, "admin@test.example", foi.RoleAdmin, ""))
		ok, err := d.CreateContact(admin, newHOContact())
		if err != nil {
			t.Fatal(err)
		}
		for _, email := range []string{"", "foi", "foi@localhost", "Harriet <h@ho.test>", "a@ho.test, b@ho.test", "a b@ho.test"} {
			in := newHOContact()
			in.Contact.Email = email
			_, err := d.CreateContact(admin, in)
			wantFields(t, err, "email")
			_, err = d.UpdateContact(admin, ok.ID, in)
			wantFields(t, err, "email")
		}
		got, err := d.FindContact(admin, ok.ID)
		if err != nil || got.Email != "harriet@homeoffice.test" {
			t.Fatalf("contact changed: %+v, %v", got, err)
		}
	})
}

// wantFields fails unless err is EINVALID naming every one of fields.
func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	wantCode(t, err, foi.EINVALID)
	got := map[string]bool{}
	for _, f := range foi.ErrorFields(err) {
		got[f.Field] = true
	}
	for _, f := range fields {
		if !got[f] {
			t.Errorf("no error for %s in %v", f, foi.ErrorFields(err))
		}
	}
}
