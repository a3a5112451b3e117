package store_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// The security-incidents contacts of the seed.
var (
	hoSecurity  = []string{"dso@homeoffice.example", "security.incidents@homeoffice.example"}
	dfeSecurity = []string{"dso@education.example", "security.incidents@education.example"}
)

// incidentEmails returns the sorted recipients of the pending emails of tmpl about incident id, failing when
// one carries the incident's description.
func incidentEmails(t *testing.T, d *store.DB, tmpl string, id int64) []string {
	t.Helper()
	msgs, err := d.ListOutbox(cliCtx(), foi.OutboxPending)
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, m := range msgs {
		if m.Template != tmpl || m.Data["incident"] != foi.IncidentReference(id) {
			continue
		}
		for k, v := range m.Data {
			if strings.Contains(v, "spreadsheet") || strings.Contains(v, "Ada") {
				t.Errorf("%s carries incident content in %s: %q", tmpl, k, v)
			}
		}
		if m.Link != "/incidents/"+strings.TrimLeft(strings.TrimPrefix(foi.IncidentReference(id), "INC-"), "0") {
			t.Errorf("link %q", m.Link)
		}
		to = append(to, m.To)
	}
	slices.Sort(to)
	return to
}

// incidentAudit returns the actions of the audit events about incident id, oldest first.
func incidentAudit(t *testing.T, d *store.DB, recordType, id string) []string {
	t.Helper()
	page, err := d.ListAudit(cliCtx(), foi.AuditFilter{RecordType: recordType, RecordID: id, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range page.Events {
		out = append(out, e.Action)
	}
	slices.Reverse(out)
	return out
}

func wrongfulDisclosure(caseID int64) foi.NewIncident {
	return foi.NewIncident{Kind: foi.IncidentWrongfulDisclosure, AwareAt: "2026-03-02T09:15:00Z",
		Description:     "A spreadsheet of HO pupil matches was emailed to the wrong requester.",
		AffectedParties: []string{"ho"}, CaseID: caseID, AssetCode: "npd-pupil-matches"}
}

func TestIncidents_ReportNotifiesTheAffectedPartyAtOnceAndRunsToClosure(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-20T16:30:00Z"))

		// Bad input names each field and stores nothing.
		_, err := d.ReportIncident(w.officerCtx, foi.NewIncident{Kind: "leak", AwareAt: "yesterday",
			AffectedParties: []string{"DFE"}})
		var fe *foi.Error
		if !asDomainError(err, &fe) || fe.Code != foi.EINVALID {
			t.Fatalf("bad input: %v", err)
		}
		if got := errFields(err); !slices.Equal(got, []string{"kind", "description", "aware_at", "affected_parties"}) {
			t.Errorf("fields %v", got)
		}
		in := wrongfulDisclosure(c.ID)
		in.AffectedParties = []string{"MOJ"}
		_, err = d.ReportIncident(w.officerCtx, in)
		wantCode(t, err, foi.EINVALID)
		in = wrongfulDisclosure(c.ID)
		in.AwareAt = "2026-03-03T09:00:00Z"
		_, err = d.ReportIncident(w.officerCtx, in)
		wantCode(t, err, foi.EINVALID) // in the future
		// Liaisons and auditors report nothing; nobody reports for another party.
		_, err = d.ReportIncident(w.liaisonCtx, wrongfulDisclosure(0))
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.ReportIncident(w.auditorCtx, wrongfulDisclosure(c.ID))
		wantCode(t, err, foi.EFORBIDDEN)
		in = wrongfulDisclosure(0)
		in.ReportingParty, in.AffectedParties = "HO", []string{"DFE"}
		_, err = d.ReportIncident(w.officerCtx, in)
		wantCode(t, err, foi.EFORBIDDEN)
		in = wrongfulDisclosure(c.ID)
		_, err = d.ReportIncident(w.hoCtx, foi.NewIncident{Kind: in.Kind, AwareAt: in.AwareAt, Description: in.Description,
			AffectedParties: []string{"DFE"}, CaseID: c.ID})
		wantCode(t, err, foi.EINVALID) // not HO's case

		res, err := d.ReportIncident(w.officerCtx, wrongfulDisclosure(c.ID))
		if err != nil {
			t.Fatalf("report: %v %v", err, foi.ErrorFields(err))
		}
		inc := res.Incident
		aware := time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC)
		if inc.PartyCode != "DFE" || inc.Status != foi.IncidentOpen || !inc.AwareAt.Equal(aware) ||
			!inc.NotifyDueAt().Equal(aware.Add(24*time.Hour)) || !inc.ICODueAt().Equal(aware.Add(72*time.Hour)) ||
			inc.NotifyOverdue || inc.ICODecisionLate || !inc.AllNotified || inc.CaseReference != c.Reference ||
			inc.AssetCode != "npd-pupil-matches" || len(res.Unnotified) != 0 {
			t.Fatalf("incident %+v %v", inc, res.Unnotified)
		}
		if len(inc.Affected) != 1 || inc.Affected[0].PartyCode != "HO" || inc.Affected[0].NotifiedAt == nil ||
			!inc.Affected[0].NotifiedAt.Equal(fixedNow) || !slices.Equal(inc.Affected[0].Notified, hoSecurity) {
			t.Fatalf("affected %+v", inc.Affected)
		}
		if got := incidentEmails(t, d, foi.TmplIncidentReported, inc.ID); !slices.Equal(got, hoSecurity) {
			t.Errorf("notified %v, want %v", got, hoSecurity)
		}

		// Who sees it: DFE's officers and auditors, HO's liaisons (their information), not HO's officers.
		for _, ctx := range []context.Context{w.auditorCtx, w.liaisonCtx, w.dmCtx} {
			if got, err := d.FindIncident(ctx, inc.ID); err != nil || got.ID != inc.ID {
				t.Errorf("find: %v", err)
			}
		}
		_, err = d.FindIncident(w.hoCtx, inc.ID)
		wantCode(t, err, foi.ENOTFOUND)
		if list, err := d.ListIncidents(w.hoCtx, foi.IncidentFilter{}); err != nil || len(list) != 0 {
			t.Errorf("HO officer lists %d, %v", len(list), err)
		}
		if list, err := d.ListIncidents(w.liaisonCtx, foi.IncidentFilter{Status: foi.IncidentOpen}); err != nil || len(list) != 1 {
			t.Errorf("HO liaison lists %d, %v", len(list), err)
		}

		// The actions log, the ICO decision and the closure, each by whom the rules allow.
		_, err = d.RecordIncidentAction(w.liaisonCtx, inc.ID, "Asked the recipient to delete it.")
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.RecordIncidentAction(w.officerCtx, inc.ID, "  ")
		wantCode(t, err, foi.EINVALID)
		got, err := d.RecordIncidentAction(w.officerCtx, inc.ID, "Asked the recipient to delete it and confirm.")
		if err != nil || len(got.Actions) != 1 || got.Actions[0].ByLabel != "o@dfe.test" || got.Version != inc.Version+1 {
			t.Fatalf("action: %+v %v", got.Actions, err)
		}
		_, err = d.CloseIncident(w.officerCtx, inc.ID, "Contained.")
		wantCode(t, err, foi.ECONFLICT) // no ICO decision yet
		_, err = d.DecideICONotification(w.officerCtx, inc.ID, foi.ICODecisionInput{Decision: foi.ICONotNotify, Reasons: "Low risk."})
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.DecideICONotification(w.dmCtx, inc.ID, foi.ICODecisionInput{Decision: foi.ICONotNotify,
			Reasons: "Low risk.", NotifiedAt: "2026-03-02T09:30:00Z"})
		wantCode(t, err, foi.EINVALID)
		got, err = d.DecideICONotification(w.dmCtx, inc.ID, foi.ICODecisionInput{Decision: foi.ICONotify,
			Reasons: "Special category data of children.", NotifiedAt: "2026-03-02T09:45:00Z"})
		if err != nil || got.ICODecision != foi.ICONotify || got.ICONotifiedAt == nil || got.ICODecidedAt == nil {
			t.Fatalf("ico: %+v %v", got, err)
		}
		got, err = d.CloseIncident(w.officerCtx, inc.ID, "Recipient confirmed deletion; process changed.")
		if err != nil || got.Status != foi.IncidentClosed || got.ClosedAt == nil {
			t.Fatalf("close: %+v %v", got, err)
		}
		_, err = d.RecordIncidentAction(w.officerCtx, inc.ID, "Too late.")
		wantCode(t, err, foi.ECONFLICT)
		want := []string{"incident.report", "incident.read", "incident.read", "incident.read", "incident.action",
			"incident.ico_decision", "incident.close"}
		if got := incidentAudit(t, d, "incident", strconv.FormatInt(inc.ID, 10)); !slices.Equal(got, want) {
			t.Errorf("audit %v, want %v", got, want)
		}
	})
}

func TestIncidents_TheDailyScanNotifiesLateAndRemindsWhenClocksRunOut(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		// A third party with no security-incidents contact yet.
		if _, err := store.RawDB(d).Exec(`INSERT INTO parties (code, name, created_at) VALUES ('MOJ', 'Ministry of Justice', $1)`,
			fixedNow); err != nil {
			t.Fatal(err)
		}
		in := wrongfulDisclosure(0)
		in.AffectedParties = []string{"HO", "MOJ"}
		res, err := d.ReportIncident(w.officerCtx, in)
		if err != nil {
			t.Fatal(err)
		}
		inc := res.Incident
		if !slices.Equal(res.Unnotified, []string{"MOJ has no active security-incidents contact"}) || inc.AllNotified {
			t.Fatalf("unnotified %v", res.Unnotified)
		}
		scan := func(at time.Time) store.ScanReport {
			t.Helper()
			d.Now = func() time.Time { return at }
			r, err := d.RunReminderScan(cliCtx(), calendar.LondonDate(at))
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		// Within 24 hours: nothing to remind of.
		scan(fixedNow.Add(time.Hour))
		if got := incidentEmails(t, d, foi.TmplIncidentOverdue, inc.ID); len(got) != 0 {
			t.Fatalf("early reminder to %v", got)
		}
		// Past 24 hours with MOJ not told: DFE's security contacts are reminded, once.
		r := scan(inc.AwareAt.Add(25 * time.Hour))
		if r.Reminders[foi.ReminderIncidentNotify] != 1 {
			t.Errorf("reminders %v", r.Reminders)
		}
		if got := incidentEmails(t, d, foi.TmplIncidentOverdue, inc.ID); !slices.Equal(got, dfeSecurity) {
			t.Errorf("overdue to %v", got)
		}
		got, _ := d.FindIncident(w.officerCtx, inc.ID)
		if !got.NotifyOverdue || got.ICODecisionLate {
			t.Errorf("clocks %+v", got)
		}
		r = scan(inc.AwareAt.Add(26 * time.Hour))
		if r.Reminders[foi.ReminderIncidentNotify] != 0 {
			t.Errorf("reminded twice: %v", r.Reminders)
		}
		// MOJ gets a contact: the next scan tells it, late, and the clock is satisfied.
		if _, err := d.CreateContact(cliCtx(), foi.NewContact{PartyCode: "MOJ", Contact: foi.Contact{Name: "MoJ Security",
			Email: "security@justice.example", Tier: foi.TierBAU, Responsibilities: []foi.Responsibility{foi.RespSecurityIncident},
			Active: true}}); err != nil {
			t.Fatal(err)
		}
		scan(inc.AwareAt.Add(30 * time.Hour))
		got, _ = d.FindIncident(w.officerCtx, inc.ID)
		if got.NotifyOverdue || !got.AllNotified || got.Affected[0].PartyCode != "HO" || got.Affected[1].NotifiedAt == nil ||
			!got.Affected[1].NotifiedAt.Equal(inc.AwareAt.Add(30*time.Hour)) {
			t.Errorf("late notice %+v", got.Affected)
		}
		if to := incidentEmails(t, d, foi.TmplIncidentReported, inc.ID); !slices.Contains(to, "security@justice.example") {
			t.Errorf("MOJ not told: %v", to)
		}
		// Past 72 hours with no ICO decision: reminded once; a decision stops it.
		r = scan(inc.AwareAt.Add(73 * time.Hour))
		if r.Reminders[foi.ReminderIncidentICO] != 1 {
			t.Errorf("ico reminders %v", r.Reminders)
		}
		got, _ = d.FindIncident(w.officerCtx, inc.ID)
		if !got.ICODecisionLate {
			t.Errorf("ICO clock %+v", got)
		}
		got, err = d.DecideICONotification(w.dmCtx, inc.ID, foi.ICODecisionInput{Decision: foi.ICONotNotify, Reasons: "No risk to individuals."})
		if err != nil || got.ICODecisionLate {
			t.Fatalf("decide: %+v %v", got, err)
		}
	})
}
