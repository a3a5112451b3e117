package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store"
	"foidesk/internal/store/storetest"
)

// importRow returns a valid row of an FOI log for DFE, received on the given day.
func importRow(row int, receivedAt, oldRef string) foi.ImportRow {
	return foi.ImportRow{Row: row, Party: "DFE", Regime: "foia", ReceivedAt: receivedAt, Channel: "email",
		Subject:       fmt.Sprintf("Request %d about school buildings", row),
		RequestText:   fmt.Sprintf("Please send the condition survey of school %d, and the cost of repairs in 2025.", row),
		RequesterName: "Ada Requester", RequesterEmail: fmt.Sprintf("ada%d@example.org", row), RequesterType: "public",
		Reference: oldRef}
}

// cliImport is the command line importing, recording the DFE officer as the cases' creator.
func (w *caseWorld) cliImport(t *testing.T, rows []foi.ImportRow, opts store.ImportOptions) (store.ImportReport, error) {
	t.Helper()
	if opts.CreatedBy == "" {
		opts.CreatedBy = w.dfeOfficer.Email
	}
	return w.d.ImportCases(cliCtx(), "DFE", rows, opts)
}

func (w *caseWorld) allCases(t *testing.T) []foi.CaseSummary {
	t.Helper()
	page, err := w.d.FindCases(w.officerCtx, foi.CaseFilter{Limit: foi.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	return page.Cases
}

// auditDetails returns the detail of each audit event with the action, oldest first.
func auditDetails(t *testing.T, d *store.DB, action string) []map[string]any {
	t.Helper()
	rows, err := store.RawDB(d).Query("SELECT detail FROM audit_events WHERE action = $1 ORDER BY seq", action)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []map[string]any
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		m := map[string]any{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func TestImportCases_NumbersInReceiptOrderWithTheCalendarInForceAndAudits(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		first := w.mustCreate(t, w.officerCtx, newCaseInput("2026-01-05"))
		eir := importRow(4, "03/11/2025", "OLD/EIR/9")
		eir.Regime, eir.Channel, eir.RequesterEmail = "EIR", "Phone", ""
		eir.AssetCodes = "NPD-Pupil-Matches; cid-person-records;"
		rows := []foi.ImportRow{
			importRow(2, "2026-02-20T16:30:00Z", "FOI/2026/17"),
			importRow(3, "2026-02-02", "FOI/2026/11"),
			eir,
		}
		rep, err := w.cliImport(t, rows, store.ImportOptions{Source: "log.csv"})
		if err != nil {
			t.Fatalf("import: %v (%v)", err, rep.Rejected)
		}
		want := []store.ImportedRow{
			{Row: 4, OldReference: "OLD/EIR/9", Reference: "DFE-EIR-2025-000001"},
			{Row: 3, OldReference: "FOI/2026/11", Reference: "DFE-FOI-2026-000002"},
			{Row: 2, OldReference: "FOI/2026/17", Reference: "DFE-FOI-2026-000003"},
		}
		if fmt.Sprint(rep.Imported) != fmt.Sprint(want) || len(rep.Rejected) != 0 || rep.DryRun {
			t.Fatalf("report = %+v, want imported %+v", rep, want)
		}
		if next := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-01")); next.Reference != "DFE-FOI-2026-000004" {
			t.Errorf("after the import the next reference is %s (first was %s): the counter must be shared", next.Reference, first.Reference)
		}
		byRef := map[string]foi.CaseSummary{}
		for _, c := range w.allCases(t) {
			byRef[c.Reference] = c
		}
		for _, tc := range []struct {
			ref      string
			regime   calendar.Regime
			received calendar.Date
		}{
			{"DFE-FOI-2026-000003", calendar.RegimeFOIA, calendar.NewDate(2026, 2, 20)},
			{"DFE-FOI-2026-000002", calendar.RegimeFOIA, calendar.NewDate(2026, 2, 2)},
			{"DFE-EIR-2025-000001", calendar.RegimeEIR, calendar.NewDate(2025, 11, 3)},
		} {
			c, ok := byRef[tc.ref]
			if !ok {
				t.Fatalf("%s not in the queue", tc.ref)
			}
			dl, err := calendar.Default().Deadline(calendar.DeadlineInput{Regime: tc.regime, Received: tc.received})
			if err != nil {
				t.Fatal(err)
			}
			if c.ReceivedOn != tc.received || c.DueOn != dl.Due || c.Status != foi.StatusReceived || c.AssigneeID != 0 {
				t.Errorf("%s: received %s due %s status %s assignee %d; want received %s due %s, received, unassigned",
					tc.ref, c.ReceivedOn, c.DueOn, c.Status, c.AssigneeID, tc.received, dl.Due)
			}
		}
		got, err := d.FindCaseByID(w.officerCtx, byRef["DFE-EIR-2025-000001"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Channel != foi.ChannelPhone || got.Requester.Name != "Ada Requester" ||
			strings.Join(got.AssetCodes, ",") != "cid-person-records,npd-pupil-matches" {
			t.Errorf("EIR case = channel %s requester %+v assets %v", got.Channel, got.Requester, got.AssetCodes)
		}
		events := auditDetails(t, d, "case.import")
		if len(events) != 3 || events[0]["old_reference"] != "OLD/EIR/9" || events[0]["row"] != float64(4) ||
			events[0]["reference"] != "DFE-EIR-2025-000001" || events[0]["created_by"] != w.dfeOfficer.Email {
			t.Errorf("case.import events = %v", events)
		}
		summary := auditDetails(t, d, "case.import.summary")
		if len(summary) != 1 || summary[0]["imported"] != float64(3) || summary[0]["source"] != "log.csv" {
			t.Errorf("summary events = %v", summary)
		}
		if _, err := d.VerifyAudit(context.Background()); err != nil {
			t.Errorf("audit chain: %v", err)
		}
	})
}

func TestImportCases_BadRowsImportNothingAndAreAllReported(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		badEmail := importRow(3, "2026-02-02", "A-3")
		badEmail.RequesterEmail = "not an email"
		badDate, unknownAsset := importRow(5, "31/02/2026", "A-5"), importRow(6, "2026-02-03", "A-6")
		unknownAsset.AssetCodes = "no-such-asset"
		rows := []foi.ImportRow{importRow(2, "2026-02-02", "A-2"), badEmail, importRow(4, "2026-02-03", "A-4"), badDate,
			unknownAsset}
		rep, err := w.cliImport(t, rows, store.ImportOptions{})
		wantCode(t, err, foi.EINVALID)
		got := map[string]bool{}
		for _, e := range rep.Rejected {
			got[fmt.Sprintf("%d:%s", e.Row, e.Field)] = true
			if e.Message == "" {
				t.Errorf("row %d %s has no reason", e.Row, e.Field)
			}
		}
		if len(rep.Rejected) != 3 || !got["3:requester_email"] || !got["5:received_at"] || !got["6:asset_codes"] {
			t.Fatalf("rejected = %+v", rep.Rejected)
		}
		if len(rep.Imported) != 0 || len(w.allCases(t)) != 0 {
			t.Fatalf("a bad file imported %d cases (report %v)", len(w.allCases(t)), rep.Imported)
		}
		if c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-01")); c.Reference != "DFE-FOI-2026-000001" {
			t.Errorf("after a failed import the first reference is %s", c.Reference)
		}
		if n := len(auditDetails(t, d, "case.import")); n != 0 {
			t.Errorf("a failed import left %d audit events", n)
		}
	})
}

func TestImportCases_SkipInvalidImportsTheRest(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		bad := importRow(3, "2026-02-02", "A-3")
		bad.Regime, bad.Channel = "", "fax"
		rows := []foi.ImportRow{importRow(2, "2026-02-02", "A-2"), bad, importRow(4, "2026-02-03", "A-4")}
		rep, err := w.cliImport(t, rows, store.ImportOptions{SkipInvalid: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Imported) != 2 || rep.Imported[0].Reference != "DFE-FOI-2026-000001" ||
			rep.Imported[1].Reference != "DFE-FOI-2026-000002" || foi.RejectedRowCount(rep.Rejected) != 1 ||
			rep.Rejected[0].Row != 3 {
			t.Fatalf("report = %+v", rep)
		}
		if n := len(w.allCases(t)); n != 2 {
			t.Fatalf("cases = %d, want 2", n)
		}
		// Nothing valid left: still an error, and nothing written.
		rep, err = w.cliImport(t, []foi.ImportRow{bad}, store.ImportOptions{SkipInvalid: true})
		wantCode(t, err, foi.EINVALID)
		if len(rep.Rejected) == 0 {
			t.Fatal("no rejection reported")
		}
	})
}

func TestImportCases_DryRunWritesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		bad := importRow(4, "2026-02-02", "A-4")
		bad.Subject = ""
		rows := []foi.ImportRow{importRow(2, "2026-02-02", "A-2"), importRow(3, "2026-02-03", "A-3"), bad}
		rep, err := w.cliImport(t, rows, store.ImportOptions{DryRun: true, SkipInvalid: true})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.DryRun || len(rep.Imported) != 2 || rep.Imported[1].Reference != "DFE-FOI-2026-000002" ||
			len(rep.Rejected) != 1 || rep.Rejected[0].Field != "subject" {
			t.Fatalf("dry run report = %+v", rep)
		}
		// Without --skip-invalid the dry run says a real import would fail.
		rep, err = w.cliImport(t, rows, store.ImportOptions{DryRun: true})
		wantCode(t, err, foi.EINVALID)
		if len(rep.Rejected) != 1 || len(rep.Imported) != 0 {
			t.Fatalf("dry run report = %+v", rep)
		}
		if n := len(w.allCases(t)); n != 0 {
			t.Fatalf("a dry run stored %d cases", n)
		}
		if n := len(auditDetails(t, d, "case.import")) + len(auditDetails(t, d, "case.import.summary")); n != 0 {
			t.Errorf("a dry run left %d audit events", n)
		}
		if c := w.mustCreate(t, w.officerCtx, newCaseInput("2026-03-01")); c.Reference != "DFE-FOI-2026-000001" {
			t.Errorf("after a dry run the first reference is %s: the counter moved", c.Reference)
		}
	})
}

func TestImportCases_HistoricRowsKeepStatusOutcomeAndResponseDate(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		closed := importRow(2, "2025-06-02", "H-1")
		closed.Status, closed.Outcome, closed.RespondedOn = "Closed", "partially withheld", "27/06/2025"
		responded := importRow(3, "2025-07-01", "H-2")
		responded.Status, responded.Outcome = "responded", "not_held"
		withdrawn := importRow(4, "2025-08-01", "H-3")
		withdrawn.Status = "withdrawn"
		waiting := importRow(5, "2026-02-02", "H-4")
		waiting.Status = "awaiting clarification"
		rep, err := w.cliImport(t, []foi.ImportRow{closed, responded, withdrawn, waiting}, store.ImportOptions{})
		if err != nil {
			t.Fatalf("import: %v %v", err, rep.Rejected)
		}
		type state struct {
			status, outcome     string
			open                bool
			responded, closedOn calendar.Date
			flag                string
		}
		read := func(ref string) state {
			t.Helper()
			var s state
			var outcome *string
			err := store.RawDB(d).QueryRow(`SELECT status, outcome, is_open, responded_on, closed_on, deadline_flag
				FROM cases WHERE reference = $1`, ref).Scan(&s.status, &outcome, &s.open, &s.responded, &s.closedOn, &s.flag)
			if err != nil {
				t.Fatalf("read %s: %v", ref, err)
			}
			if outcome != nil {
				s.outcome = *outcome
			}
			return s
		}
		refs := map[int]string{}
		for _, r := range rep.Imported {
			refs[r.Row] = r.Reference
		}
		if s := read(refs[2]); s.status != "closed" || s.outcome != "partially_withheld" || s.open ||
			s.responded != calendar.NewDate(2025, 6, 27) || s.closedOn != calendar.NewDate(2025, 6, 27) {
			t.Errorf("closed row: %+v", s)
		}
		if s := read(refs[3]); s.status != "responded" || s.outcome != "not_held" || s.open || !s.responded.IsZero() {
			t.Errorf("responded row (no response date given): %+v", s)
		}
		if s := read(refs[4]); s.status != "withdrawn" || s.open || s.outcome != "" {
			t.Errorf("withdrawn row: %+v", s)
		}
		if s := read(refs[5]); s.status != "awaiting_clarification" || !s.open || !strings.Contains(s.flag, "clarification") {
			t.Errorf("awaiting clarification row: %+v", s)
		}
		open, err := d.FindCases(w.officerCtx, foi.CaseFilter{Open: boolPtr(true)})
		if err != nil || len(open.Cases) != 1 || open.Cases[0].Reference != refs[5] {
			t.Errorf("open queue = %+v, %v", open.Cases, err)
		}
		// A responded or closed row needs its outcome.
		noOutcome := importRow(2, "2025-06-02", "")
		noOutcome.Status = "closed"
		rep, err = w.cliImport(t, []foi.ImportRow{noOutcome}, store.ImportOptions{})
		wantCode(t, err, foi.EINVALID)
		if len(rep.Rejected) != 1 || rep.Rejected[0].Field != "outcome" {
			t.Errorf("closed without outcome: %+v", rep.Rejected)
		}
	})
}

func TestImportCases_WhoMayImport(t *testing.T) {
	storetest.Run(t, func(t *testing.T, d *store.DB) {
		w := newCaseWorld(t, d)
		rows := []foi.ImportRow{importRow(2, "2026-02-02", "")}
		_, err := d.ImportCases(w.hoCtx, "DFE", rows, store.ImportOptions{})
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.ImportCases(w.auditorCtx, "DFE", rows, store.ImportOptions{})
		wantCode(t, err, foi.EFORBIDDEN)
		_, err = d.ImportCases(context.Background(), "DFE", rows, store.ImportOptions{})
		wantCode(t, err, foi.EUNAUTHORIZED)
		_, err = d.ImportCases(cliCtx(), "XYZ", rows, store.ImportOptions{CreatedBy: w.dfeOfficer.Email})
		wantCode(t, err, foi.ENOTFOUND)
		_, err = d.ImportCases(cliCtx(), "DFE", rows, store.ImportOptions{})
		wantCode(t, err, foi.EINVALID) // the command line must name the creator
		_, err = d.ImportCases(cliCtx(), "DFE", rows, store.ImportOptions{CreatedBy: w.hoOfficer.Email})
		wantCode(t, err, foi.EINVALID) // not of DFE
		_, err = d.ImportCases(cliCtx(), "DFE", rows, store.ImportOptions{CreatedBy: w.dfeAuditor.Email})
		wantCode(t, err, foi.EINVALID) // an auditor logs no requests
		_, err = d.ImportCases(cliCtx(), "DFE", nil, store.ImportOptions{CreatedBy: w.dfeOfficer.Email})
		wantCode(t, err, foi.EINVALID)
		rep, err := d.ImportCases(w.dmCtx, "dfe", rows, store.ImportOptions{})
		if err != nil || len(rep.Imported) != 1 {
			t.Fatalf("a DFE decision-maker importing: %+v, %v", rep, err)
		}
		var createdBy int64
		if err := store.RawDB(d).QueryRow("SELECT created_by FROM cases WHERE reference = $1",
			rep.Imported[0].Reference).Scan(&createdBy); err != nil || createdBy != w.dfeDM.ID {
			t.Errorf("created_by = %d (%v), want the decision-maker %d", createdBy, err, w.dfeDM.ID)
		}
	})
}

// BenchmarkImportCases imports 1,000 rows per operation into a fresh database.
func BenchmarkImportCases(b *testing.B) {
	engines := map[string]func(testing.TB) *store.DB{"sqlite": storetest.OpenSQLite}
	if os.Getenv(storetest.PostgresEnv) != "" {
		engines["postgres"] = storetest.OpenPostgres
	}
	for _, name := range []string{"sqlite", "postgres"} {
		open, ok := engines[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			const n = 1000
			rows := make([]foi.ImportRow, n)
			start := calendar.NewDate(2025, time.January, 6)
			for i := range rows {
				day := start.AddDays(i % 300)
				rows[i] = importRow(i+2, day.String(), fmt.Sprintf("OLD-%05d", i))
				if i%3 == 0 {
					rows[i].AssetCodes = "npd-pupil-matches"
				}
				if i%4 == 0 {
					rows[i].Status, rows[i].Outcome = "closed", "granted_in_full"
				}
			}
			for b.Loop() {
				b.StopTimer()
				d := open(b)
				d.Now = func() time.Time { return fixedNow }
				if _, err := d.SeedDemo(cliCtx()); err != nil {
					b.Fatal(err)
				}
				if _, _, err := d.CreateUser(cliCtx(), foi.NewUser{Email: "o@dfe.test", Name: "Officer",
					Role: foi.RoleOfficer, PartyCode: "DFE", Password: "correct horse battery"}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				rep, err := d.ImportCases(cliCtx(), "DFE", rows, store.ImportOptions{CreatedBy: "o@dfe.test"})
				if err != nil || len(rep.Imported) != n {
					b.Fatalf("import: %v (%d imported, %v)", err, len(rep.Imported), rep.Rejected)
				}
			}
		})
	}
}
