package foi

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"foidesk/internal/calendar"
)

func TestTimingOf_ComparesTheResponseWithBothDeadlines(t *testing.T) {
	d := calendar.NewDate(2026, 2, 2) // day 20
	for _, tc := range []struct {
		name                 string
		responded, statutory calendar.Date
		due                  calendar.Date
		want                 Timeliness
	}{
		{"on day 20", d, d, d, TimelinessMet},
		{"early", d.AddDays(-3), d, d, TimelinessMet},
		{"a day late, no extension", d.AddDays(1), d, d, TimelinessExceeded},
		{"within a PIT extension", d.AddDays(10), d, d.AddDays(28), TimelinessExtended},
		{"on the extended deadline", d.AddDays(28), d, d.AddDays(28), TimelinessExtended},
		{"after the extended deadline", d.AddDays(29), d, d.AddDays(28), TimelinessExceeded},
		{"no deadline recorded", d, calendar.Date{}, calendar.Date{}, TimelinessNoDeadline},
	} {
		if got := TimingOf(tc.responded, tc.statutory, tc.due).Class(); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	if tm := TimingOf(calendar.Date{}, d, d.AddDays(28)); tm.Responded || !tm.Extended || tm.ByDue {
		t.Errorf("unanswered extended case: %+v", tm)
	}
}

// statsFixture is a small period worked by hand: 10 FOIA and 2 EIR requests.
func statsFixture() StatsInput {
	met := StatsTiming{Responded: true, HasDeadline: true, ByStatutory: true, ByDue: true}
	late := StatsTiming{Responded: true, HasDeadline: true}
	ext := StatsTiming{Responded: true, HasDeadline: true, ByDue: true, Extended: true}
	foia, eir := calendar.RegimeFOIA, calendar.RegimeEIR
	return StatsInput{
		Cases: []StatsCases{
			{foia, StatusResponded, OutcomeGrantedInFull, met, 3, 0},
			{foia, StatusClosed, OutcomePartiallyWithheld, ext, 1, 0},
			{foia, StatusResponded, OutcomeRefusedCost, late, 1, 0},
			{foia, StatusResponded, OutcomeRefusedVexatious, met, 1, 0},
			{foia, StatusResponded, OutcomeNotHeld, met, 1, 0},
			{foia, StatusInProgress, OutcomeGrantedInFull, StatsTiming{HasDeadline: true}, 1, 0}, // a draft: not yet processed
			{foia, StatusOnHoldFee, "", StatsTiming{}, 1, 0},
			{foia, StatusWithdrawn, "", StatsTiming{}, 1, 0},
			{eir, StatusResponded, OutcomeWithheldInFull, met, 1, 0},
			{eir, StatusAwaitingClarification, "", StatsTiming{}, 1, 0},
		},
		Sections: []StatsSection{
			{foia, "40(2)", 2}, {foia, "43(2)", 1}, {foia, "12", 1}, {foia, "14(1)", 1}, {eir, "12(5)(a)", 1},
		},
		Reviews: []StatsOutcomeCount{{Outcome: ReviewUpheld, Count: 2}, {Outcome: ReviewOverturned, Count: 1}, {Count: 1}},
		Appeals: []StatsOutcomeCount{{Outcome: ICONotUpheld, Count: 1}, {Outcome: "", Tribunal: true, Count: 1}},
		Extensions: []StatsExtension{
			// 2026-02-02 + 20 working days (day 40) and + 5; and an EIR reg 7 extension.
			{foia, calendar.NewDate(2026, 2, 2), calendar.NewDate(2026, 3, 2), 2},
			{foia, calendar.NewDate(2026, 2, 2), calendar.NewDate(2026, 2, 9), 1},
			{foia, calendar.NewDate(2026, 2, 2), calendar.NewDate(2026, 4, 2), 1},
			{eir, calendar.NewDate(2026, 2, 2), calendar.NewDate(2026, 3, 2), 1},
		},
	}
}

func rowCounts(rows []StatsRow) map[string]int {
	m := map[string]int{}
	for _, r := range rows {
		if r.Count != 0 {
			m[r.Key] = r.Count
		}
	}
	return m
}

func wantCounts(t *testing.T, table string, rows []StatsRow, want map[string]int) {
	t.Helper()
	got := rowCounts(rows)
	if len(got) != len(want) {
		t.Errorf("%s: %v, want %v", table, got, want)
		return
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %v, want %v", table, got, want)
			return
		}
	}
}

func TestComputeStats_BuildsTheCabinetOfficeTables(t *testing.T) {
	q := ReportQuery{From: calendar.NewDate(2026, 1, 1), To: calendar.NewDate(2026, 3, 31), Party: "DFE"}
	s := ComputeStats(nil, q, calendar.NewDate(2026, 4, 20), statsFixture())
	if s.Received != 12 || s.ReceivedEIR != 2 || s.ReceivedFOIA != 10 {
		t.Errorf("received %d, EIR %d, FOIA %d", s.Received, s.ReceivedEIR, s.ReceivedFOIA)
	}
	wantCounts(t, "status", s.Status, map[string]int{MonitorProcessed: 8, MonitorNotProcessed: 1,
		MonitorOnHoldFee: 1, MonitorOnHoldOther: 1, MonitorWithdrawn: 1})
	wantCounts(t, "timeliness", s.Timeliness, map[string]int{"met": 6, "permitted_extension": 1, "exceeded": 1})
	if v, ok := s.InTime.Value(); !ok || v != 87.5 || s.Processed != 8 {
		t.Errorf("in time %v%% of %d", v, s.Processed)
	}
	wantCounts(t, "outcomes", s.Outcomes, map[string]int{"granted_in_full": 3, "partially_withheld": 1,
		"refused_cost": 1, "refused_vexatious": 1, "not_held": 1, "withheld_in_full": 1, "not_yet_processed": 1,
		"on_hold": 2, "withdrawn": 1})
	// Resolvable: 3 granted + 1 partial + 1 withheld + 2 procedural + 1 not yet processed = 8.
	if s.Resolvable != 8 || s.GrantedInFull != (Percent{3, 8}) || s.GrantedExcludingSections != (Percent{3, 6}) ||
		s.WithheldInFull != (Percent{3, 8}) {
		t.Errorf("resolvable %d granted %+v excluding %+v withheld %+v", s.Resolvable, s.GrantedInFull,
			s.GrantedExcludingSections, s.WithheldInFull)
	}
	if v, _ := s.GrantedInFull.Value(); v != 37.5 {
		t.Errorf("granted in full %v%%", v)
	}
	for _, r := range s.Outcomes {
		if (r.Key == "not_held" || r.Key == "on_hold") && r.Percent != nil {
			t.Errorf("%s is not resolvable but has a share", r.Key)
		}
	}
	wantCounts(t, "reasons", s.Reasons, map[string]int{"cost_limit": 1, "vexatious": 1, "exemptions": 2})
	if s.Withheld != 4 {
		t.Errorf("withheld %d", s.Withheld)
	}
	if len(s.Sections) != 3 || s.Sections[0].Citation != "s.40(2)" || s.Sections[0].Count != 2 ||
		s.Sections[1].Citation != "reg 12(5)(a)" || s.Sections[0].Name == "" {
		t.Errorf("sections %+v (s.12 and s.14 are reasons, not exemptions)", s.Sections)
	}
	wantCounts(t, "reviews", s.Reviews, map[string]int{"upheld": 2, "overturned": 1, "pending": 1})
	if s.ReviewsReceived != 4 || s.AppealsReceived != 2 || s.Tribunal != 1 {
		t.Errorf("reviews %d appeals %d tribunal %d", s.ReviewsReceived, s.AppealsReceived, s.Tribunal)
	}
	wantCounts(t, "appeals", s.Appeals, map[string]int{"not_upheld": 1, "pending": 1})
	wantCounts(t, "extensions", s.Extensions, map[string]int{"pit_11_20": 2, "pit_1_10": 1, "pit_over_20": 1, "eir_reg7": 1})
}

func TestComputeStats_NothingReceivedLeavesSharesUndefined(t *testing.T) {
	s := ComputeStats(nil, ReportQuery{}, calendar.Date{}, StatsInput{})
	if _, ok := s.InTime.Value(); ok {
		t.Error("in time is defined with nothing processed")
	}
	if _, ok := s.GrantedInFull.Value(); ok {
		t.Error("granted in full is defined with nothing resolvable")
	}
	if len(s.Status) != 6 || len(s.Timeliness) != 4 {
		t.Errorf("the tables keep their rows: %d, %d", len(s.Status), len(s.Timeliness))
	}
}

func TestReportQuery_Validate(t *testing.T) {
	d := calendar.NewDate(2026, 3, 31)
	for _, tc := range []struct {
		q     ReportQuery
		field string
	}{
		{ReportQuery{From: d, To: d, Party: " dfe "}, ""},
		{ReportQuery{From: d.AddDays(1), To: d}, "from"},
		{ReportQuery{To: d}, "from"},
		{ReportQuery{From: d}, "to"},
		{ReportQuery{From: d.AddDays(-MaxReportDays), To: d}, "from"},
	} {
		err := tc.q.Validate()
		if tc.field == "" {
			if err != nil || tc.q.Party != "DFE" {
				t.Errorf("%+v: %v", tc.q, err)
			}
			continue
		}
		if ErrorCode(err) != EINVALID || len(ErrorFields(err)) == 0 || ErrorFields(err)[0].Field != tc.field {
			t.Errorf("%+v: %v, want %s named", tc.q, err, tc.field)
		}
	}
}

func TestParseReportFormat(t *testing.T) {
	for in, want := range map[string]ReportFormat{"csv": ReportCSV, "ODS": ReportODS, " json": ReportJSON} {
		if f, err := ParseReportFormat(in); err != nil || f != want {
			t.Errorf("%q: %v %v", in, f, err)
		}
	}
	for _, in := range []string{"xlsx", "", "pdf"} {
		if _, err := ParseReportFormat(in); ErrorCode(err) != EINVALID || ErrorFields(err)[0].Field != "format" {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func TestCanReadReports(t *testing.T) {
	const dfe, ho = 1, 2
	user := func(r Role, party int64) *User { return &User{Role: r, PartyID: party, PartyCode: "X", Active: true} }
	for _, tc := range []struct {
		u     *User
		party int64
		want  string
	}{
		{user(RoleOfficer, dfe), dfe, ""},
		{user(RoleDecisionMaker, dfe), dfe, ""},
		{user(RoleAuditor, dfe), dfe, ""},
		{user(RoleAuditor, 0), ho, ""},
		{user(RoleAuditor, 0), 0, ""},
		{user(RoleAdmin, 0), 0, ""},
		{user(RoleAdmin, 0), ho, ""},
		{user(RoleOfficer, dfe), ho, EFORBIDDEN},
		{user(RoleOfficer, dfe), 0, EFORBIDDEN},
		{user(RoleAuditor, dfe), ho, EFORBIDDEN},
		{user(RoleLiaison, dfe), dfe, EFORBIDDEN},
		{&User{Role: RoleAdmin}, 0, EUNAUTHORIZED}, // inactive
		{nil, dfe, EUNAUTHORIZED},
	} {
		if got := ErrorCode(CanReadReports(tc.u, tc.party)); got != tc.want {
			t.Errorf("%+v on party %d: %q, want %q", tc.u, tc.party, got, tc.want)
		}
	}
	if CanReadReportsActor(Actor{Label: ActorCLI}, 0) != nil || CanReadReportsActor(Actor{}, 0) == nil {
		t.Error("the command line reads every report; nobody else without signing in")
	}
}

// odsCell is a cell parsed back from content.xml.
type odsCell struct {
	Type  string `xml:"value-type,attr"`
	Value string `xml:"value,attr"`
	Text  string `xml:"p"`
}

// parseODS reads an ODS file back with archive/zip and encoding/xml: its sheets by name, each a grid of cells.
func parseODS(t *testing.T, b []byte) map[string][][]odsCell {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if z.File[0].Name != "mimetype" || z.File[0].Method != zip.Store {
		t.Fatalf("the first entry is %s (method %d), want mimetype stored", z.File[0].Name, z.File[0].Method)
	}
	files := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], _ = io.ReadAll(r)
		r.Close()
	}
	if string(files["mimetype"]) != ODSContentType || !bytes.Contains(files["META-INF/manifest.xml"], []byte("content.xml")) {
		t.Fatalf("mimetype %q, manifest %s", files["mimetype"], files["META-INF/manifest.xml"])
	}
	var doc struct {
		Tables []struct {
			Name string `xml:"name,attr"`
			Rows []struct {
				Cells []odsCell `xml:"table-cell"`
			} `xml:"table-row"`
		} `xml:"body>spreadsheet>table"`
	}
	if err := xml.Unmarshal(files["content.xml"], &doc); err != nil {
		t.Fatalf("content.xml: %v", err)
	}
	sheets := map[string][][]odsCell{}
	for _, tb := range doc.Tables {
		for _, r := range tb.Rows {
			sheets[tb.Name] = append(sheets[tb.Name], r.Cells)
		}
	}
	return sheets
}

func TestWriteODS_OpensAgainWithTheSameFigures(t *testing.T) {
	q := ReportQuery{From: calendar.NewDate(2026, 1, 1), To: calendar.NewDate(2026, 3, 31), Party: "DFE"}
	s := ComputeStats(nil, q, calendar.NewDate(2026, 4, 20), statsFixture())
	var buf bytes.Buffer
	if err := WriteODS(&buf, s.Tables()); err != nil {
		t.Fatal(err)
	}
	sheets := parseODS(t, buf.Bytes())
	if len(sheets) != len(s.Tables()) {
		t.Errorf("%d sheets, want %d", len(sheets), len(s.Tables()))
	}
	received := sheets["Received"]
	if len(received) != 5 || received[0][0].Text != "Requests received" || received[2][2].Type != "float" ||
		received[2][2].Value != "12" || received[4][2].Value != "2" {
		t.Fatalf("Received sheet: %+v", received)
	}
	headline := sheets["Headline"]
	if headline[3][0].Text != "granted_in_full" || headline[3][4].Value != "37.5" {
		t.Errorf("Headline sheet: %+v", headline[3])
	}
	exemptions := sheets["Exemptions"]
	if exemptions[2][2].Text != "s.40(2)" || exemptions[2][4].Value != "2" {
		t.Errorf("Exemptions sheet: %+v", exemptions)
	}
	// Text is escaped: a title with markup survives the round trip.
	buf.Reset()
	if err := WriteODS(&buf, []ReportTable{{Name: "A&B", Title: `<x> "quoted" & more`, Columns: []string{"c"}}}); err != nil {
		t.Fatal(err)
	}
	if got := parseODS(t, buf.Bytes())["A&B"]; got[0][0].Text != `<x> "quoted" & more` {
		t.Errorf("escaped title: %+v", got)
	}
}

func TestWriteCSV_OneBlockPerTable(t *testing.T) {
	s := ComputeStats(nil, ReportQuery{From: calendar.NewDate(2026, 1, 1), To: calendar.NewDate(2026, 3, 31)},
		calendar.NewDate(2026, 4, 20), statsFixture())
	var buf bytes.Buffer
	if err := WriteCSV(&buf, s.Tables()); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(buf.String()))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i, rec := range recs {
		if rec[0] == "Timeliness of processed requests" {
			found = true
			if recs[i+1][0] != "category" || recs[i+2][0] != "met" || recs[i+2][2] != "6" || recs[i+2][3] != "75" {
				t.Errorf("timeliness block: %v %v", recs[i+1], recs[i+2])
			}
		}
		if rec[0] == "Party" && rec[1] != "all parties" {
			t.Errorf("party row %v", rec)
		}
	}
	if !found {
		t.Errorf("no timeliness table in %s", buf.String())
	}
}

func TestQuarters_SplitsThePeriodIntoCalendarQuarters(t *testing.T) {
	qs := Quarters(calendar.NewDate(2025, 11, 15), calendar.NewDate(2026, 4, 10))
	want := []string{"2025 Q4 2025-11-15 2025-12-31", "2026 Q1 2026-01-01 2026-03-31", "2026 Q2 2026-04-01 2026-04-10"}
	if len(qs) != len(want) {
		t.Fatalf("quarters %+v", qs)
	}
	for i, q := range qs {
		if got := q.Label + " " + q.From.String() + " " + q.To.String(); got != want[i] {
			t.Errorf("quarter %d: %s, want %s", i, got, want[i])
		}
	}
	if len(Quarters(calendar.NewDate(2026, 2, 1), calendar.NewDate(2026, 1, 1))) != 0 {
		t.Error("a period backwards has quarters")
	}
}

func TestComputeStats_QuarterByQuarter(t *testing.T) {
	met := StatsTiming{Responded: true, HasDeadline: true, ByStatutory: true, ByDue: true}
	late := StatsTiming{Responded: true, HasDeadline: true}
	in := StatsInput{Cases: []StatsCases{
		{calendar.RegimeFOIA, StatusResponded, OutcomeGrantedInFull, met, 3, 0},
		{calendar.RegimeFOIA, StatusResponded, OutcomeGrantedInFull, late, 1, 0},
		{calendar.RegimeEIR, StatusInProgress, "", StatsTiming{}, 2, 1},
		{calendar.RegimeFOIA, StatusResponded, OutcomeNotHeld, late, 2, 1},
	}}
	s := ComputeStats(nil, ReportQuery{From: calendar.NewDate(2026, 1, 1), To: calendar.NewDate(2026, 6, 30)}, calendar.Date{}, in)
	if len(s.Quarters) != 2 {
		t.Fatalf("quarters %+v", s.Quarters)
	}
	q1, q2 := s.Quarters[0], s.Quarters[1]
	if q1.Received != 4 || q1.InTime != (Percent{3, 4}) || q2.Received != 4 || q2.EIR != 2 || q2.InTime != (Percent{0, 2}) {
		t.Errorf("Q1 %+v, Q2 %+v", q1, q2)
	}
}
