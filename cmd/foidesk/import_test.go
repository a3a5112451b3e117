package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"foidesk/internal/calendar"

	"github.com/xuri/excelize/v2"
)

const importOfficer = "importer@dfe.test"

// importSetup migrates and seeds the database and creates the DFE officer imports are recorded as created by.
func importSetup(t *testing.T, dsn string) cliInvocation {
	t.Helper()
	c := cliInvocation{db: dsn, stdin: "correct horse battery staple\n"}
	c.run(t, "seed", "demo", "--passwords-file", filepath.Join(t.TempDir(), "pw")).wantOK(t, "seed demo")
	c.run(t, "user", "create", "--email", importOfficer, "--name", "Importer", "--party", "DFE", "--role", "officer",
		"--password-stdin").wantOK(t, "user create")
	return c
}

// writeFile writes content to name in a fresh directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeXLSX writes the rows to the first sheet of a new workbook; time.Time cells are Excel dates.
func writeXLSX(t *testing.T, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "log.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// caseRows returns reference -> "status due_on outcome" of every case, read behind the store's back.
func caseRows(t *testing.T, dsn string) map[string]string {
	t.Helper()
	rows, err := rawDB(t, dsn).Query("SELECT reference, status, due_on, COALESCE(outcome, '') FROM cases")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var ref, status, outcome string
		var due calendar.Date
		if err := rows.Scan(&ref, &status, &due, &outcome); err != nil {
			t.Fatal(err)
		}
		out[ref] = strings.TrimSpace(status + " " + due.String() + " " + outcome)
	}
	return out
}

func dueOn(t *testing.T, regime calendar.Regime, received calendar.Date) string {
	t.Helper()
	dl, err := calendar.Default().Deadline(calendar.DeadlineInput{Regime: regime, Received: received})
	if err != nil {
		t.Fatal(err)
	}
	return dl.Due.String()
}

const goodCSV = "\ufeffParty,Regime,Received At,Channel,Subject,Request Text,Requester Name,Requester Email," +
	"Requester Address,Requester Type,Asset Codes,Reference,Status,Outcome,Responded On\r\n" +
	"DFE,FOI,02/06/2025,email,School buildings,\"Please send the condition surveys,\nall of them.\",Ada Requester," +
	"ada@example.org,,public,npd-pupil-matches,OLD-1,,,\r\n" +
	",,,,,,,,,,,,,,\r\n" +
	"dfe,foia,2025-05-01,post,Teacher numbers,How many teachers left in 2024?,Bob Writer,,\"1 High St, York\"," +
	"media,,OLD-2,Closed,granted in full,20/05/2025\r\n" +
	"DFE,eir,2025-06-03T09:30:00+01:00,phone,Playing fields,Which playing fields were sold?,Eve Caller,,,campaign,,,,,\r\n"

func TestCLI_ImportCases(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		cliImportCases(t, tempSQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		cliImportCases(t, freshPostgres(t))
	})
}

func cliImportCases(t *testing.T, dsn string) {
	c := importSetup(t, dsn)
	csvFile := writeFile(t, "log.csv", goodCSV)

	// A dry run numbers the cases and writes nothing.
	r := c.run(t, "import", "cases", csvFile, "--as", importOfficer, "--dry-run")
	r.wantOK(t, "dry run")
	if lastLine(r.stdout) != "Dry run: 3 rows would be imported, 0 rejected; nothing was written" ||
		!strings.Contains(r.stdout, "row 4: OLD-2 would be DFE-FOI-2025-000001\n") {
		t.Fatalf("dry run printed %q", r.stdout)
	}
	if got := caseRows(t, dsn); len(got) != 0 {
		t.Fatalf("a dry run wrote %v", got)
	}

	// The real import starts at 000001: the dry run used no number. References follow the date of receipt.
	r = c.run(t, "import", "cases", csvFile, "--as", importOfficer)
	r.wantOK(t, "import CSV")
	if lastLine(r.stdout) != "Imported 3 cases (DFE-FOI-2025-000001 to DFE-FOI-2025-000002, DFE-EIR-2025-000003)" {
		t.Fatalf("summary %q", lastLine(r.stdout))
	}
	for _, want := range []string{"row 4: OLD-2 -> DFE-FOI-2025-000001\n", "row 2: OLD-1 -> DFE-FOI-2025-000002\n",
		"row 5: (no reference) -> DFE-EIR-2025-000003\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	got := caseRows(t, dsn)
	want := map[string]string{
		"DFE-FOI-2025-000001": "closed " + dueOn(t, calendar.RegimeFOIA, calendar.NewDate(2025, 5, 1)) + " granted_in_full",
		"DFE-FOI-2025-000002": "received " + dueOn(t, calendar.RegimeFOIA, calendar.NewDate(2025, 6, 2)),
		"DFE-EIR-2025-000003": "received " + dueOn(t, calendar.RegimeEIR, calendar.NewDate(2025, 6, 3)),
	}
	for ref, w := range want {
		if got[ref] != w {
			t.Errorf("%s = %q, want %q", ref, got[ref], w)
		}
	}

	// An .xlsx log, with real Excel dates, continues the numbering.
	xlsx := writeXLSX(t, [][]any{
		{"party", "regime", "received_at", "channel", "subject", "request_text", "requester_name", "requester_email",
			"requester_address", "requester_type", "reference", "status", "outcome", "responded_on"},
		{"DFE", "foia", time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), "web", "Free school meals",
			"How many pupils had free school meals?", "Cy Asker", "cy@example.org", "", "mp", 1001, "", "", ""},
		{"DFE", "foia", time.Date(2025, 7, 2, 16, 45, 0, 0, time.UTC), "email", "Academy trusts",
			"List the academy trusts.", "Di Asker", "di@example.org", "", "business", "X-7", "responded", "not_held",
			time.Date(2025, 7, 30, 0, 0, 0, 0, time.UTC)},
	})
	r = c.run(t, "import", "cases", "--as", importOfficer, "--party", "dfe", xlsx)
	r.wantOK(t, "import XLSX")
	if lastLine(r.stdout) != "Imported 2 cases (DFE-FOI-2025-000004 to DFE-FOI-2025-000005)" ||
		!strings.Contains(r.stdout, "row 2: 1001 -> DFE-FOI-2025-000004\n") {
		t.Fatalf("XLSX import printed %q", r.stdout)
	}
	got = caseRows(t, dsn)
	if w := "received " + dueOn(t, calendar.RegimeFOIA, calendar.NewDate(2025, 7, 1)); got["DFE-FOI-2025-000004"] != w {
		t.Errorf("XLSX row 2 = %q, want %q", got["DFE-FOI-2025-000004"], w)
	}
	if w := "responded " + dueOn(t, calendar.RegimeFOIA, calendar.NewDate(2025, 7, 2)) + " not_held"; got["DFE-FOI-2025-000005"] != w {
		t.Errorf("XLSX row 3 = %q, want %q", got["DFE-FOI-2025-000005"], w)
	}

	// Two bad rows: both reported, nothing imported, exit 2.
	bad := "party,regime,received_at,channel,subject,request_text,requester_name,requester_email,requester_address,requester_type\n" +
		"DFE,foia,2025-08-01,email,One,Request one,Ann,ann@example.org,,public\n" +
		"DFE,foia,2025-08-01,email,Two,Request two,Ann,not-an-email,,public\n" +
		"DFE,foia,2025-08-02,email,Three,Request three,Ann,ann@example.org,,public\n" +
		"DFE,foia,32/08/2025,fax,Four,Request four,Ann,ann@example.org,,public\n"
	badFile := writeFile(t, "bad.csv", bad)
	r = c.run(t, "import", "cases", badFile, "--as", importOfficer)
	if r.code != 2 || r.stdout != "" {
		t.Fatalf("bad rows: exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "row 3: requester_email: Enter an email address in the correct format") ||
		!strings.HasPrefix(lines[1], "row 5: received_at: ") || !strings.HasPrefix(lines[2], "row 5: channel: ") ||
		lines[3] != "foidesk import: 2 rows rejected: nothing imported (correct them, or use --skip-invalid to import the other 2)" {
		t.Fatalf("bad rows: stderr\n%s", r.stderr)
	}
	if n := len(caseRows(t, dsn)); n != 5 {
		t.Fatalf("cases after a rejected file = %d, want still 5", n)
	}

	// --skip-invalid imports the good rows and says what it skipped.
	r = c.run(t, "import", "cases", badFile, "--as", importOfficer, "--skip-invalid")
	if r.code != 0 || strings.Count(r.stderr, "\n") != 3 {
		t.Fatalf("--skip-invalid: exit %d stderr %q", r.code, r.stderr)
	}
	if lastLine(r.stdout) != "Imported 2 cases (DFE-FOI-2025-000006 to DFE-FOI-2025-000007); skipped 2 rows rejected (listed on stderr)" {
		t.Fatalf("--skip-invalid summary %q", lastLine(r.stdout))
	}
	if n := len(caseRows(t, dsn)); n != 7 {
		t.Fatalf("cases = %d, want 7", n)
	}
	c.run(t, "audit", "verify").wantOK(t, "audit verify after imports")
}

func TestCLI_ImportCasesBadInputExits2WithOneLine(t *testing.T) {
	dsn := tempSQLite(t)
	c := importSetup(t, dsn)
	good := writeFile(t, "log.csv", goodCSV)
	header := "party,regime,received_at,channel,subject,request_text,requester_name,requester_email,requester_address,requester_type\n"
	for _, tc := range []struct {
		name  string
		args  []string
		wants []string
	}{
		{"no what", []string{"import"}, []string{"import cases FILE"}},
		{"wrong what", []string{"import", "users", good}, []string{`unknown import "users"`}},
		{"no file", []string{"import", "cases", "--as", importOfficer}, []string{"name the .csv or .xlsx file"}},
		{"no --as", []string{"import", "cases", good}, []string{"--as is required"}},
		{"unknown flag", []string{"import", "cases", good, "--force"}, []string{"-force"}},
		{"two files", []string{"import", "cases", good, "--as", importOfficer, good}, []string{"unexpected argument"}},
		{"missing file", []string{"import", "cases", filepath.Join(t.TempDir(), "nope.csv"), "--as", importOfficer},
			[]string{"nope.csv: cannot read the file: no such file or directory"}},
		{"unknown extension", []string{"import", "cases", writeFile(t, "log.txt", goodCSV), "--as", importOfficer},
			[]string{"cannot import .txt files", ".csv or .xlsx"}},
		{"not a workbook", []string{"import", "cases", writeFile(t, "log.xlsx", goodCSV), "--as", importOfficer},
			[]string{"log.xlsx: not a readable .xlsx workbook"}},
		{"not UTF-8", []string{"import", "cases", writeFile(t, "l.csv", header+"DFE,foia,2025-01-06,post,Caf\xe9,x,y,,,public\n"),
			"--as", importOfficer}, []string{"not UTF-8", "CSV UTF-8"}},
		{"bad quoting", []string{"import", "cases", writeFile(t, "q.csv", header+"DFE,\"foia,x\n"), "--as", importOfficer},
			[]string{"not valid CSV at line"}},
		{"unknown columns", []string{"import", "cases", writeFile(t, "u.csv", "Notes,"+header), "--as", importOfficer},
			[]string{`Unknown column "Notes"`}},
		{"missing columns", []string{"import", "cases", writeFile(t, "m.csv", "party,subject\nDFE,x\n"), "--as", importOfficer},
			[]string{"missing the required columns regime, received_at"}},
		{"header only", []string{"import", "cases", writeFile(t, "h.csv", header), "--as", importOfficer},
			[]string{"h.csv has no rows to import"}},
		{"empty", []string{"import", "cases", writeFile(t, "e.csv", ""), "--as", importOfficer}, []string{"e.csv: The file is empty"}},
		{"two parties", []string{"import", "cases", writeFile(t, "p.csv", header+"DFE,foia,2025-01-06,post,a,b,c,,,public\n"+
			"HO,foia,2025-01-06,post,a,b,c,,,public\n"), "--as", importOfficer}, []string{"2 parties (DFE, HO)", "--party"}},
		{"unknown party", []string{"import", "cases", good, "--as", importOfficer, "--party", "XYZ"}, []string{"There is no party XYZ"}},
		{"creator of another party", []string{"import", "cases", good, "--as", importOfficer, "--party", "HO"},
			[]string{importOfficer + " cannot be the creator", "of HO"}},
		{"unknown creator", []string{"import", "cases", good, "--as", "who@dfe.test"}, []string{"There is no user who@dfe.test"}},
	} {
		c.run(t, tc.args...).wantFail(t, tc.name, 2, tc.wants...)
	}
	if n := len(caseRows(t, dsn)); n != 0 {
		t.Fatalf("bad input imported %d cases", n)
	}
	// With --party, rows of another party are rejected one by one.
	r := c.run(t, "import", "cases", writeFile(t, "p.csv", header+"DFE,foia,2025-01-06,post,a,b,c,,,public\n"+
		"HO,foia,2025-01-06,post,a,b,c,,,public\n"), "--as", importOfficer, "--party", "DFE", "--dry-run")
	if r.code != 2 || !strings.HasPrefix(r.stderr, "row 3: party: This row is for HO, but the import is for DFE") ||
		r.stdout != "Dry run: 1 row rejected, 1 row valid\n" {
		t.Fatalf("another party's row: exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
}
