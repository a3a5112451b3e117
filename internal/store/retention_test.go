package store_test

import (
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// closeCase takes a case that was responded to through to closed.
func (w *caseWorld) closeResponded(t *testing.T, c *foi.Case) *foi.Case {
	t.Helper()
	out, err := w.d.TransitionCase(w.officerCtx, c.ID, 0, foi.StatusClosed, "")
	if err != nil {
		t.Fatalf("close: %v", err)
	}
	return out
}

// withdraw withdraws a new case (closed_on today).
func (w *caseWorld) withdrawn(t *testing.T) *foi.Case {
	t.Helper()
	c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-02-20T16:30:00Z"))
	out, err := w.d.TransitionCase(w.officerCtx, c.ID, 0, foi.StatusWithdrawn, "The requester withdrew.")
	if err != nil {
		t.Fatalf("withdraw: %v", err)
	}
	return out
}

func dueScopes(ds []foi.RetentionDue) []string {
	var out []string
	for _, d := range ds {
		held := ""
		if d.Held() {
			held = " held"
		}
		out = append(out, d.Reference+" "+string(d.Scope)+" "+d.DueOn.String()+held)
	}
	return out
}

func TestRetention_DestroysWhatIsDueLeavesTombstonesAndRespectsHolds(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		admin := mustCreateUser(t, d, "admin@test.example", foi.RoleAdmin, "")
		adminCtx := userCtx(admin)

		// A: responded and closed, with a document. B: withdrawn. C: withdrawn, held by hand. D: closed with an
		// internal review open. E: withdrawn, with an open incident about it.
		a := w.respond(t)
		if _, err := d.UploadDocument(w.officerCtx, a.ID, foi.NewDocument{Name: "records.csv", Content: []byte("name,address\nAda,1 High St\n")}); err != nil {
			t.Fatal(err)
		}
		a = w.closeResponded(t, a)
		b := w.withdrawn(t)
		c := w.withdrawn(t)
		dcase := w.closeResponded(t, w.respond(t))
		if _, err := d.RequestInternalReview(w.officerCtx, dcase.ID, 0, calendar.NewDate(2026, 3, 2)); err != nil {
			t.Fatal(err)
		}
		e := w.withdrawn(t)
		if _, err := d.ReportIncident(w.officerCtx, wrongfulDisclosure(e.ID)); err != nil {
			t.Fatal(err)
		}
		// Holds: only the case's party's officers and decision-makers (and admins), with reasons.
		_, err := d.PlaceLegalHold(w.hoCtx, c.ID, "Litigation.")
		wantCode(t, err, foi.ENOTFOUND)
		_, err = d.PlaceLegalHold(w.officerCtx, c.ID, " ")
		wantCode(t, err, foi.EINVALID)
		hold, err := d.PlaceLegalHold(w.officerCtx, c.ID, "Subject of a court case.")
		if err != nil {
			t.Fatal(err)
		}

		// Schedules: admins change them; requester details go after one year.
		_, err = d.SetRetentionSchedule(w.dmCtx, foi.RetentionSchedule{RecordType: foi.RetentionRequesterDetails, Months: 12, Enabled: true})
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.SetRetentionSchedule(adminCtx, foi.RetentionSchedule{RecordType: foi.RetentionRequesterDetails, Months: 0, Enabled: true})
		wantCode(t, err, foi.EINVALID)
		if _, err := d.SetRetentionSchedule(adminCtx, foi.RetentionSchedule{RecordType: foi.RetentionRequesterDetails, Months: 12, Enabled: true}); err != nil {
			t.Fatal(err)
		}
		ss, err := d.RetentionSchedules(w.auditorCtx)
		if err != nil || len(ss) != 3 || ss[0].Months != 36 || ss[1].Months != 72 || !ss[2].Enabled || ss[2].UpdatedBy != "admin@test.example" {
			t.Fatalf("schedules %+v %v", ss, err)
		}
		_, err = d.RetentionSchedules(w.liaisonCtx)
		wantCode(t, err, foi.EFORBIDDEN)

		// Next month's report a year on: requester details of every case, C, D and E held.
		d.Now = func() time.Time { return fixedNow.AddDate(1, 0, 0) }
		due, err := d.RetentionDueBetween(w.auditorCtx, calendar.NewDate(2027, 3, 1), calendar.NewDate(2027, 3, 31))
		if err != nil {
			t.Fatal(err)
		}
		want := []string{a.Reference + " requester_details 2027-03-02", b.Reference + " requester_details 2027-03-02",
			c.Reference + " requester_details 2027-03-02 held", dcase.Reference + " requester_details 2027-03-02 held",
			e.Reference + " requester_details 2027-03-02 held"}
		if got := dueScopes(due); !slices.Equal(got, want) {
			t.Fatalf("due %v\nwant %v", got, want)
		}
		// A dry run destroys nothing; a run takes the requester details of A and B.
		d.Now = func() time.Time { return fixedNow.AddDate(1, 0, 1) }
		dry, err := d.RunRetention(cliCtx(), true)
		if err != nil || len(dry.Destroyed) != 2 || len(dry.Held) != 3 {
			t.Fatalf("dry run %+v %v", dry, err)
		}
		if got, _ := d.FindCaseByID(w.officerCtx, a.ID); got.Requester.Name != "Ada Requester" {
			t.Fatalf("dry run destroyed: %+v", got.Requester)
		}
		_, err = d.RunRetention(w.dmCtx, false)
		wantCode(t, err, foi.EFORBIDDEN)
		run, err := d.RunRetention(adminCtx, false)
		if err != nil || len(run.Destroyed) != 2 || run.Destroyed[0].ID == 0 || run.Destroyed[0].Destroyed["requester"] != 1 {
			t.Fatalf("run %+v %v", run, err)
		}
		msgs, err := d.ListOutbox(cliCtx(), "")
		if err != nil {
			t.Fatal(err)
		}
		emails := 0
		for _, m := range msgs {
			if m.Template == foi.TmplResponseSent && m.DedupeKey == "response_sent:"+strconv.FormatInt(a.ID, 10) {
				emails++
				if m.To != "" || len(m.Data) != 0 {
					t.Errorf("the response email keeps the requester: %q %v", m.To, m.Data)
				}
			}
		}
		if emails != 1 {
			t.Errorf("%d response emails of case A", emails)
		}
		got, _ := d.FindCaseByID(w.officerCtx, a.ID)
		if got.Requester.Name != "" || got.Requester.Email != "" || got.Requester.Type != foi.RequesterMedia ||
			got.RequestText == "" || got.Status != foi.StatusClosed {
			t.Fatalf("requester details kept: %+v", got)
		}

		// Three years after closure the case files of A and B go; C, D and E stay held.
		d.Now = func() time.Time { return fixedNow.AddDate(3, 0, 1) }
		run, err = d.RunRetention(cliCtx(), false)
		if err != nil {
			t.Fatal(err)
		}
		if len(run.Destroyed) != 2 || run.Destroyed[0].CaseID != a.ID || run.Destroyed[0].Scope != foi.DestroyCaseFile ||
			run.Destroyed[0].Destroyed["documents"] != 1 || len(run.Held) != 6 {
			t.Fatalf("run %+v", run)
		}
		got, _ = d.FindCaseByID(w.officerCtx, a.ID)
		if got.RequestText != "" || got.Subject != "Destroyed under the retention schedule" || got.Status != foi.StatusClosed ||
			got.Outcome != foi.OutcomePartiallyWithheld || got.Regime != calendar.RegimeFOIA || got.ReceivedOn != a.ReceivedOn ||
			got.DueOn != a.DueOn {
			t.Fatalf("destroyed case %+v", got)
		}
		docs, err := d.ListDocuments(w.officerCtx, a.ID)
		if err != nil || len(docs) != 1 {
			t.Fatalf("documents %v %v", docs, err)
		}
		if _, content, err := d.DownloadDocument(w.officerCtx, a.ID, docs[0].ID); err != nil || len(content) != 0 {
			t.Fatalf("document content %q %v", content, err)
		}
		stones, err := d.Tombstones(w.auditorCtx)
		if err != nil || len(stones) != 4 || stones[0].Scope != foi.DestroyCaseFile || stones[0].Schedule != foi.RetentionCaseFile ||
			stones[0].Months != 36 {
			t.Fatalf("tombstones %+v %v", stones, err)
		}
		if got := incidentAudit(t, d, "case", strconv.FormatInt(a.ID, 10)); !slices.Contains(got, "retention.destroy") {
			t.Errorf("audit %v", got)
		}

		// Releasing the hold lets C go on the next run; twice is a conflict.
		if _, err := d.ReleaseLegalHold(w.officerCtx, hold.ID, "The court case ended."); err != nil {
			t.Fatal(err)
		}
		_, err = d.ReleaseLegalHold(w.officerCtx, hold.ID, "Again.")
		wantCode(t, err, foi.ECONFLICT)
		run, err = d.RunRetention(cliCtx(), false)
		if err != nil || len(run.Destroyed) != 2 || run.Destroyed[0].CaseID != c.ID || len(run.Held) != 4 {
			t.Fatalf("after release %+v %v", run, err)
		}
		// Nothing is destroyed twice.
		run, err = d.RunRetention(cliCtx(), false)
		if err != nil || len(run.Destroyed) != 0 {
			t.Fatalf("second run %+v %v", run, err)
		}
	})
}

func TestRetention_StatisticsAreUnchangedByDestruction(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		mustSeed(t, d)
		officer := mustCreateUser(t, d, "officer@dfe.test", foi.RoleOfficer, "DFE")
		cases := generateStatsCases(300)
		insertStatsCases(t, d, cases, officer.ID)
		raw := store.RawDB(d)
		closed := 0
		for i, c := range cases {
			if c.status.Open() || c.status == foi.StatusResponded {
				continue
			}
			on := c.received.AddDays(30)
			if !c.responded.IsZero() {
				on = c.responded
			}
			if _, err := raw.Exec(`UPDATE cases SET closed_on = $1 WHERE reference = $2`, on, "STATS-"+strconv.Itoa(i)); err != nil {
				t.Fatal(err)
			}
			closed++
		}
		d.Now = func() time.Time { return time.Date(2036, 1, 1, 12, 0, 0, 0, time.UTC) }
		q := foi.ReportQuery{From: statsFrom, To: statsTo}
		before, err := d.Stats(cliCtx(), q)
		if err != nil {
			t.Fatal(err)
		}
		consultations, err := d.ConsultationReport(cliCtx(), q)
		if err != nil {
			t.Fatal(err)
		}
		run, err := d.RunRetention(cliCtx(), false)
		if err != nil {
			t.Fatal(err)
		}
		// Every closed case is destroyed but those with an undecided review or appeal.
		if len(run.Destroyed) == 0 || len(run.Held) == 0 || len(run.Destroyed)+len(run.Held) != closed {
			t.Fatalf("destroyed %d, held %d, closed %d", len(run.Destroyed), len(run.Held), closed)
		}
		var blank int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM cases WHERE request_text = ''`).Scan(&blank); err != nil || blank != len(run.Destroyed) {
			t.Fatalf("blanked %d of %d: %v", blank, len(run.Destroyed), err)
		}
		after, err := d.Stats(cliCtx(), q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(before, after) {
			t.Errorf("statistics changed by destruction:\nbefore %+v\nafter  %+v", before, after)
		}
		expectStats(t, cases, "").check(t, after)
		consultationsAfter, err := d.ConsultationReport(cliCtx(), q)
		if err != nil || !reflect.DeepEqual(consultations, consultationsAfter) {
			t.Errorf("consultation report changed: %v", err)
		}
	})
}
