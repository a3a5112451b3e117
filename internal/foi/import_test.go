package foi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
)

var fullHeader = []string{"party", "regime", "received_at", "channel", "subject", "request_text", "requester_name",
	"requester_email", "requester_address", "requester_type", "asset_codes", "reference", "status", "outcome",
	"responded_on"}

func TestParseImportHeader_MatchesNamesLoosely(t *testing.T) {
	h, err := foi.ParseImportHeader([]string{"\ufeffParty", " REGIME ", "Received At", "channel", "Subject",
		"request-text", "Requester Name", "requester__email", "Requester-Address", "requester_type", "Asset Codes",
		"", ""}, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []foi.ImportColumn{foi.ColParty, foi.ColRegime, foi.ColReceivedAt, foi.ColRequestText,
		foi.ColRequesterEmail, foi.ColAssetCodes} {
		if _, ok := h.Index(c); !ok {
			t.Errorf("%d: column %s not found", i, c)
		}
	}
	if h.Has(foi.ColStatus) {
		t.Error("status is not in the header")
	}
	if i, _ := h.Index(foi.ColRequesterEmail); i != 7 {
		t.Errorf("requester_email at %d, want 7", i)
	}
}

func TestParseImportHeader_Errors(t *testing.T) {
	without := func(drop ...string) []string {
		var out []string
		for _, c := range fullHeader {
			keep := true
			for _, d := range drop {
				keep = keep && c != d
			}
			if keep {
				out = append(out, c)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name       string
		header     []string
		partyGiven bool
		wants      []string // "" means no error
	}{
		{"full", fullHeader, false, nil},
		{"optional columns left out", without("asset_codes", "reference", "status", "outcome", "responded_on"), false, nil},
		{"party left out with --party", without("party"), true, nil},
		{"party left out", without("party"), false, []string{"missing the required column party", "--party"}},
		{"required missing", without("subject", "requester_type"), false, []string{"required columns subject, requester_type"}},
		{"unknown", append(without(), "Notes", "Officer"), false, []string{`Unknown columns "Notes", "Officer"`, "the columns are party"}},
		{"one unknown", append(without(), "notes"), false, []string{`Unknown column "notes":`}},
		{"twice", append(without(), "Subject"), false, []string{"subject appears twice", "columns E and P"}},
		{"nameless", append([]string{"party", ""}, without("party")...), false, []string{"Column B of the header has no name"}},
		{"empty", []string{"", " "}, false, []string{"no header row"}},
	} {
		_, err := foi.ParseImportHeader(tc.header, tc.partyGiven)
		if tc.wants == nil {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if foi.ErrorCode(err) != foi.EINVALID {
			t.Errorf("%s: error %v, want EINVALID", tc.name, err)
			continue
		}
		for _, w := range tc.wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", tc.name, err, w)
			}
		}
	}
}

func TestImportRows_NumbersRowsAsASpreadsheetAndSkipsBlankOnes(t *testing.T) {
	rec := func(subject string) []string {
		r := make([]string, len(fullHeader))
		r[4] = subject
		return r
	}
	_, rows, err := foi.ImportRows([][]string{fullHeader, rec("a"), {"", "  "}, rec("b"), {"x"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].Row != 2 || rows[0].Subject != "a" || rows[1].Row != 4 || rows[2].Row != 5 ||
		rows[2].Party != "x" {
		t.Fatalf("rows = %+v", rows)
	}
	_, _, err = foi.ImportRows([][]string{fullHeader, append(rec("a"), "", "stray")}, false)
	if foi.ErrorCode(err) != foi.EINVALID || !strings.Contains(err.Error(), "Row 2 has a value in column Q") {
		t.Fatalf("a value past the header: %v", err)
	}
	if _, _, err := foi.ImportRows(nil, false); foi.ErrorCode(err) != foi.EINVALID {
		t.Fatalf("no records: %v", err)
	}
}

func TestImportParty(t *testing.T) {
	rows := []foi.ImportRow{{Party: "dfe"}, {Party: " DFE"}, {Party: ""}}
	if p, err := foi.ImportParty("", rows); err != nil || p != "DFE" {
		t.Errorf("one party: %q %v", p, err)
	}
	if p, err := foi.ImportParty("ho", rows); err != nil || p != "HO" {
		t.Errorf("given: %q %v", p, err)
	}
	_, err := foi.ImportParty("", append(rows, foi.ImportRow{Party: "HO"}))
	if foi.ErrorCode(err) != foi.EINVALID || !strings.Contains(err.Error(), "2 parties (DFE, HO)") {
		t.Errorf("two parties: %v", err)
	}
	if _, err := foi.ImportParty("", []foi.ImportRow{{}}); foi.ErrorCode(err) != foi.EINVALID {
		t.Errorf("no party: %v", err)
	}
}

// importNow is Tue 2026-03-10 12:00 UTC, as intakeNow.
var importNow = intakeNow

func goodImportRow() foi.ImportRow {
	return foi.ImportRow{Row: 2, Party: "DFE", Regime: "FOIA", ReceivedAt: "09/03/2026", Channel: "Email",
		Subject: "School buildings", RequestText: "Please send the condition surveys of 2025.",
		RequesterName: "Ada Requester", RequesterEmail: "Ada@Example.org", RequesterType: "Member of the public",
		AssetCodes: "NPD-Pupil-Matches; ;cid-person-records;", Reference: " FOI/2026/17 "}
}

func TestImportRowValidate_AcceptsALogAsItIsUsuallyWritten(t *testing.T) {
	c, errs := goodImportRow().Validate("dfe", importNow)
	if errs != nil {
		t.Fatal(errs)
	}
	if c.ReceivedOn != calendar.NewDate(2026, 3, 9) || c.Status != foi.StatusReceived || c.OldReference != "FOI/2026/17" ||
		c.Case.Requester.Type != foi.RequesterPublic || c.Case.Requester.Email != "ada@example.org" ||
		strings.Join(c.Case.AssetCodes, ",") != "npd-pupil-matches,cid-person-records" || c.Row != 2 {
		t.Errorf("case = %+v", c)
	}
	for _, tc := range []struct {
		in   string
		on   calendar.Date
		at   time.Time
		name string
	}{
		{"2026-03-09", calendar.NewDate(2026, 3, 9), time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), "ISO date"},
		{"1/3/2026", calendar.NewDate(2026, 3, 1), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), "short UK date"},
		{"2026-03-08T23:30:00Z", calendar.NewDate(2026, 3, 8), time.Date(2026, 3, 8, 23, 30, 0, 0, time.UTC), "RFC 3339"},
		// Summer time: 00:30 in London on 1 July 2025 is 23:30 UTC on 30 June, and the London date counts.
		{"01/07/2025 00:30", calendar.NewDate(2025, 7, 1), time.Date(2025, 6, 30, 23, 30, 0, 0, time.UTC), "UK date and time"},
		{"2025-07-01 00:30:00", calendar.NewDate(2025, 7, 1), time.Date(2025, 6, 30, 23, 30, 0, 0, time.UTC), "ISO without zone"},
	} {
		r := goodImportRow()
		r.ReceivedAt = tc.in
		c, errs := r.Validate("DFE", importNow)
		if errs != nil || c.ReceivedOn != tc.on || !c.ReceivedAt.Equal(tc.at) {
			t.Errorf("%s %q: on %s at %v (%v), want %s at %v", tc.name, tc.in, c.ReceivedOn, c.ReceivedAt, errs, tc.on, tc.at)
		}
	}
	r := goodImportRow()
	r.Regime, r.Channel, r.RequesterType, r.RequesterEmail = "eir", "In person", "mp", ""
	r.Status, r.Outcome, r.RespondedOn = "Closed", "Withheld in full", "10/03/2026"
	c, errs = r.Validate("DFE", importNow)
	if errs != nil || c.Case.Channel != foi.ChannelInPerson || c.Status != foi.StatusClosed ||
		c.Outcome != foi.OutcomeWithheldInFull || c.RespondedOn != calendar.NewDate(2026, 3, 10) {
		t.Errorf("historic EIR row: %+v %v", c, errs)
	}
}

func TestImportRowValidate_NamesEveryProblemByColumn(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(r *foi.ImportRow)
		want   map[string]string // column -> part of the message
	}{
		{"other party", func(r *foi.ImportRow) { r.Party = "HO" }, map[string]string{"party": "for HO"}},
		{"bad email and type", func(r *foi.ImportRow) { r.RequesterEmail, r.RequesterType = "nope", "alien" },
			map[string]string{"requester_email": "correct format", "requester_type": "type of requester"}},
		{"unreal date", func(r *foi.ImportRow) { r.ReceivedAt = "31/02/2026" }, map[string]string{"received_at": "27/03/2026"}},
		{"US date", func(r *foi.ImportRow) { r.ReceivedAt = "03/25/2026" }, map[string]string{"received_at": "like 2026-03-27"}},
		{"future", func(r *foi.ImportRow) { r.ReceivedAt = "11/03/2026" }, map[string]string{"received_at": "today or in the past"}},
		{"missing", func(r *foi.ImportRow) { r.ReceivedAt, r.Subject, r.Regime = "", " ", "" },
			map[string]string{"received_at": "Enter the date", "subject": "Enter a subject", "regime": "FOIA or the EIR"}},
		{"phone under FOIA", func(r *foi.ImportRow) { r.Channel = "phone" }, map[string]string{"channel": "in writing"}},
		{"bad asset code", func(r *foi.ImportRow) { r.AssetCodes = "ok-code;Bad Code!" }, map[string]string{"asset_codes": `"Bad Code!"`}},
		{"unknown status", func(r *foi.ImportRow) { r.Status = "finished" }, map[string]string{"status": "received, awaiting_clarification"}},
		{"closed without outcome", func(r *foi.ImportRow) { r.Status = "closed" }, map[string]string{"outcome": "closed needs one"}},
		{"outcome while open", func(r *foi.ImportRow) { r.Outcome = "granted_in_full" }, map[string]string{"outcome": "open case"}},
		{"unknown outcome", func(r *foi.ImportRow) { r.Status, r.Outcome = "responded", "yes" }, map[string]string{"outcome": "granted_in_full"}},
		{"EIR cost refusal", func(r *foi.ImportRow) { r.Regime, r.Status, r.Outcome = "eir", "responded", "refused_cost" },
			map[string]string{"outcome": "no cost limit"}},
		{"response date while open", func(r *foi.ImportRow) { r.RespondedOn = "2026-03-09" }, map[string]string{"responded_on": "Only a responded"}},
		{"response before receipt", func(r *foi.ImportRow) { r.Status, r.Outcome, r.RespondedOn = "responded", "not_held", "08/03/2026" },
			map[string]string{"responded_on": "on or after"}},
		{"response tomorrow", func(r *foi.ImportRow) { r.Status, r.Outcome, r.RespondedOn = "responded", "not_held", "2026-03-11" },
			map[string]string{"responded_on": "today or in the past"}},
		{"response not a date", func(r *foi.ImportRow) { r.Status, r.Outcome, r.RespondedOn = "responded", "not_held", "soon" },
			map[string]string{"responded_on": "date of the response"}},
	} {
		r := goodImportRow()
		r.Row = 9
		tc.change(&r)
		_, errs := r.Validate("DFE", importNow)
		got := map[string]string{}
		for _, e := range errs {
			if e.Row != 9 {
				t.Errorf("%s: error on row %d", tc.name, e.Row)
			}
			got[e.Field] += e.Message
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: errors %v, want columns %v", tc.name, errs, tc.want)
		}
		for col, part := range tc.want {
			if !strings.Contains(got[col], part) {
				t.Errorf("%s: %s error %q does not say %q (all: %v)", tc.name, col, got[col], part, errs)
			}
		}
	}
}

func TestValidateImportRows_RejectsRepeatedOldReferencesAndSortsByRow(t *testing.T) {
	var rows []foi.ImportRow
	for i := 2; i <= 5; i++ {
		r := goodImportRow()
		r.Row, r.Reference = i, fmt.Sprintf("R-%d", i)
		rows = append(rows, r)
	}
	rows[2].Reference = "r-2"      // row 4 repeats row 2
	rows[3].RequesterEmail = "bad" // row 5
	valid, rejected := foi.ValidateImportRows("DFE", rows, importNow)
	if len(valid) != 2 || valid[0].Row != 2 || valid[1].Row != 3 {
		t.Errorf("valid = %+v", valid)
	}
	if len(rejected) != 2 || rejected[0].String() != "row 4: reference: The reference r-2 is also on row 2: each old case may be imported once" ||
		rejected[1].Row != 5 || foi.RejectedRowCount(rejected) != 2 {
		t.Errorf("rejected = %v", rejected)
	}
}

func TestColumnLetter(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := foi.ColumnLetter(i); got != want {
			t.Errorf("ColumnLetter(%d) = %s, want %s", i, got, want)
		}
	}
}
