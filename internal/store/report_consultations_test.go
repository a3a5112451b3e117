package store_test

import (
	"slices"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// genConsultation is one generated consultation and, when dispute is set, the dispute opened on it.
type genConsultation struct {
	owner, consulted string
	status           foi.ConsultationStatus
	sent, respondBy  calendar.Date
	represented      calendar.Date // zero: none
	consideration    string
	dispute          string // "": none; "bau" open, else the outcome it was resolved with
}

func generateConsultations(n int) []genConsultation {
	statuses := []foi.ConsultationStatus{foi.ConsultationSent, foi.ConsultationRepresentationsReceived,
		foi.ConsultationConsidered, foi.ConsultationConsidered, foi.ConsultationClosedWithoutRepresentations,
		foi.ConsultationWaived, foi.ConsultationSent}
	outcomes := []string{"accepted", "partly_accepted", "not_accepted"}
	var out []genConsultation
	for i := 0; i < n; i++ {
		g := genConsultation{owner: "DFE", consulted: "HO", status: statuses[i%len(statuses)],
			sent: calendar.NewDate(2026, 1, 5).AddDays(i * 3)}
		if i%3 == 2 {
			g.owner, g.consulted = "HO", "DFE"
		}
		g.respondBy = g.sent.AddDays(7)
		if g.status == foi.ConsultationRepresentationsReceived || g.status == foi.ConsultationConsidered {
			g.represented = g.sent.AddDays(i % 11)
		}
		if g.status == foi.ConsultationConsidered {
			g.consideration = outcomes[i%3]
		}
		if i%5 == 0 {
			g.dispute = []string{"bau", "disclose", "withhold", "bau"}[i/5%4]
		}
		out = append(out, g)
	}
	return out
}

// insertConsultations writes the consultations on the given cases, one each.
func insertConsultations(t *testing.T, d *store.DB, gen []genConsultation, caseIDs []int64, userID int64) {
	t.Helper()
	raw := store.RawDB(d)
	party := map[string]int64{}
	for _, code := range []string{"DFE", "HO"} {
		var id int64
		if err := raw.QueryRow("SELECT id FROM parties WHERE code = $1", code).Scan(&id); err != nil {
			t.Fatal(err)
		}
		party[code] = id
	}
	at := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for i, g := range gen {
		var id int64
		err := raw.QueryRow(`INSERT INTO consultations (case_id, owner_party_id, consulted_party_id, status, question,
			information_at_issue, contact_email, sent_on, respond_by, reminders_sent, closure_reasons, waiver_reasons,
			version, created_at, updated_at) VALUES ($1, $2, $3, $4, 'Q', 'I', 'foi@ho.test', $5, $6, 0, '', '', 1, $7, $7)
			RETURNING id`, caseIDs[i], party[g.owner], party[g.consulted], string(g.status), g.sent, g.respondBy, at).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		if !g.represented.IsZero() {
			if _, err := raw.Exec(`INSERT INTO consultation_representations (consultation_id, version, position, summary,
				harm, proposed_exemptions, proposed_redactions, submitted_by, submitted_at)
				VALUES ($1, 1, 'object_in_part', 'S', 'H', '[]', '[]', $2, $3)`, id, userID,
				g.represented.Time().Add(10*time.Hour)); err != nil {
				t.Fatal(err)
			}
			// A later version does not move the turnaround.
			if _, err := raw.Exec(`INSERT INTO consultation_representations (consultation_id, version, position, summary,
				harm, proposed_exemptions, proposed_redactions, submitted_by, submitted_at)
				VALUES ($1, 2, 'object_in_full', 'S', 'H', '[]', '[]', $2, $3)`, id, userID,
				g.represented.Time().Add(30*24*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		if g.consideration != "" {
			if _, err := raw.Exec(`INSERT INTO consultation_considerations (consultation_id, outcome, reasons,
				representation_version, considered_by, considered_at) VALUES ($1, $2, 'R', 1, $3, $4)`,
				id, g.consideration, userID, at); err != nil {
				t.Fatal(err)
			}
		}
		if g.dispute != "" {
			stage, outcome := "resolved", g.dispute
			if g.dispute == "bau" {
				stage, outcome = "bau", ""
			}
			if _, err := raw.Exec(`INSERT INTO disputes (consultation_id, case_id, owner_party_id, consulted_party_id,
				raised_by, reasons, stage, opened_on, escalation_working_days, outcome, outcome_reasons, version,
				created_at, updated_at) VALUES ($1, $2, $3, $4, 'owner', 'R', $5, $6, 2, $7, '', 1, $8, $8)`,
				id, caseIDs[i], party[g.owner], party[g.consulted], stage, g.sent.AddDays(3), outcome, at); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestConsultationReport_CountsGeneratedConsultationsByPair(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		d.Now = func() time.Time { return time.Date(2026, 4, 15, 12, 0, 0, 0, time.UTC) }
		officer := mustCreateUser(t, d, "officer@dfe.test", foi.RoleOfficer, "DFE")
		gen := generateConsultations(40)
		insertStatsCases(t, d, generateStatsCases(len(gen)), officer.ID)
		var ids []int64
		rows, err := store.RawDB(d).Query("SELECT id FROM cases ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		insertConsultations(t, d, gen, ids, officer.ID)

		q := foi.ReportQuery{From: statsFrom, To: statsTo}
		r, err := d.ConsultationReport(cliCtx(), q)
		if err != nil {
			t.Fatal(err)
		}
		today := calendar.NewDate(2026, 4, 15)
		for _, pair := range [][2]string{{"DFE", "HO"}, {"HO", "DFE"}} {
			var want foi.ConsultationPair
			var days []int
			outcomes := map[string]int{}
			disputes := map[string]int{}
			for _, g := range gen {
				if g.owner != pair[0] || g.sent.After(statsTo) {
					continue
				}
				want.Sent++
				if !g.represented.IsZero() {
					want.Answered++
					if !g.represented.After(g.respondBy) {
						want.OnTime++
					}
					n, _ := calendar.Default().WorkingDaysBetween(g.sent, g.represented)
					days = append(days, n)
				}
				switch g.status {
				case foi.ConsultationSent:
					want.Open++
					if today.After(g.respondBy) {
						want.Overdue++
					}
				case foi.ConsultationRepresentationsReceived:
					want.Open++
				case foi.ConsultationConsidered:
					outcomes[g.consideration]++
				default:
					outcomes[string(g.status)]++
				}
				if g.dispute != "" && !g.sent.AddDays(3).After(statsTo) {
					want.Disputes.Opened++
					disputes[g.dispute]++
				}
			}
			var got foi.ConsultationPair
			for _, p := range r.Pairs {
				if p.Owner == pair[0] && p.Consulted == pair[1] {
					got = p
				}
			}
			if got.Sent != want.Sent || got.Answered != want.Answered || got.OnTime != want.OnTime ||
				got.Open != want.Open || got.Overdue != want.Overdue || got.Disputes.Opened != want.Disputes.Opened {
				t.Errorf("%v: got %+v, want %+v", pair, got, want)
			}
			if want.Sent < 5 || want.Answered < 2 || want.Overdue == 0 {
				t.Fatalf("%v: the generated data is too thin: %+v", pair, want)
			}
			slices.Sort(days)
			if got.Turnaround.Count != len(days) || got.Turnaround.P90 != days[(len(days)*9+9)/10-1] {
				t.Errorf("%v: turnaround %+v, days %v", pair, got.Turnaround, days)
			}
			rowsEqual(t, "outcomes", got.Outcomes, outcomes)
			gotDisputes := map[string]int{}
			for _, rr := range append(got.Disputes.Stages, got.Disputes.Outcomes...) {
				if rr.Count != 0 {
					gotDisputes[rr.Key] = rr.Count
				}
			}
			mapsEqual(t, "disputes", gotDisputes, disputes)
		}

		// A liaison of HO reads HO's pairs; an officer of DFE cannot ask for HO's.
		liaison := mustCreateUser(t, d, "liaison@ho.test", foi.RoleLiaison, "HO")
		if r, err := d.ConsultationReport(userCtx(liaison), q); err != nil || r.Query.Party != "HO" || len(r.Pairs) != 2 {
			t.Errorf("liaison: %+v %v", r.Query, err)
		}
		_, err = d.ConsultationReport(userCtx(officer), foi.ReportQuery{From: statsFrom, To: statsTo, Party: "HO"})
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.Stats(userCtx(liaison), q)
		wantCode(t, err, foi.EFORBIDDEN)
	})
}
