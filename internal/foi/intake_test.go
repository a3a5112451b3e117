package foi_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
)

// intakeNow is the instant the intake tests validate against: Tue 2026-03-10 12:00 UTC.
var intakeNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func validNewCase() foi.NewCase {
	return foi.NewCase{
		Regime:      calendar.RegimeFOIA,
		ReceivedAt:  "2026-03-09T09:30:00Z",
		Channel:     foi.ChannelEmail,
		Subject:     "Pupil data shared with the Home Office",
		RequestText: "Please provide the number of NPD pupil matches sent to the Home Office in 2025.",
		Requester:   foi.Requester{Name: "A Requester", Email: "a.requester@example.com", Type: foi.RequesterPublic},
		AssetCodes:  []string{"npd-pupil-matches"},
	}
}

func TestNewCaseValidateNormalises(t *testing.T) {
	n := validNewCase()
	n.Regime = " FOIA "
	n.Channel = " Email"
	n.Subject = "  Pupil data  "
	n.Requester = foi.Requester{Name: "  A   Requester ", Email: " A.Requester@Example.COM ", Type: " Media "}
	n.AssetCodes = []string{" NPD-Pupil-Matches ", "cid-person-records", "npd-pupil-matches"}
	received, on, err := n.Validate(intakeNow)
	if err != nil {
		t.Fatal(err)
	}
	if !received.Equal(time.Date(2026, 3, 9, 9, 30, 0, 0, time.UTC)) || on.String() != "2026-03-09" {
		t.Errorf("received %v on %s", received, on)
	}
	if n.Regime != calendar.RegimeFOIA || n.Channel != foi.ChannelEmail || n.Subject != "Pupil data" {
		t.Errorf("normalised: %q %q %q", n.Regime, n.Channel, n.Subject)
	}
	if n.Requester.Name != "A Requester" || n.Requester.Email != "a.requester@example.com" || n.Requester.Type != foi.RequesterMedia {
		t.Errorf("requester: %+v", n.Requester)
	}
	if !slices.Equal(n.AssetCodes, []string{"npd-pupil-matches", "cid-person-records"}) {
		t.Errorf("asset codes: %v", n.AssetCodes)
	}
}

func TestNewCaseValidateReceivedAt(t *testing.T) {
	tests := []struct {
		in      string
		want    string // London date, or "" for an error
		instant time.Time
	}{
		{in: "2026-03-09", want: "2026-03-09", instant: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)},
		{in: "2026-03-10", want: "2026-03-10"},                  // today
		{in: "2025-06-30T23:30:00Z", want: "2025-07-01"},        // BST: the London date is the next day
		{in: "2025-12-31T23:30:00Z", want: "2025-12-31"},        // GMT
		{in: "2026-03-10T11:59:59.5+00:00", want: "2026-03-10"}, // just before now
		{in: "2026-03-10T12:00:01Z"},                            // after now
		{in: "2026-03-11"},                                      // tomorrow
		{in: "2026-02-30"},                                      // no such day
		{in: "09/03/2026"},                                      // wrong form
		{in: "2026-03-09T09:30:00"},                             // no zone
		{in: "2011-12-31"},                                      // before the calendar
		{in: ""},
	}
	for _, tt := range tests {
		n := validNewCase()
		n.ReceivedAt = tt.in
		received, on, err := n.Validate(intakeNow)
		if tt.want == "" {
			wantCaseFields(t, err, "received_at")
			continue
		}
		if err != nil || on.String() != tt.want {
			t.Errorf("%q: on %s err %v", tt.in, on, err)
		}
		if !tt.instant.IsZero() && !received.Equal(tt.instant) {
			t.Errorf("%q: received %v", tt.in, received)
		}
		if calendar.LondonDate(received) != on {
			t.Errorf("%q: London date of %v is not %s", tt.in, received, on)
		}
	}
	n := validNewCase()
	n.ReceivedAt = ""
	_, _, err := n.Validate(intakeNow)
	if msg := foi.ErrorFields(err)[0].Message; msg != "Enter the date the request was received" {
		t.Errorf("message = %q", msg)
	}
	n.ReceivedAt = "2026-04-01"
	_, _, err = n.Validate(intakeNow)
	if msg := foi.ErrorFields(err)[0].Message; !strings.Contains(msg, "today or in the past") {
		t.Errorf("future message = %q", msg)
	}
}

func TestNewCaseValidateNamesEachBadField(t *testing.T) {
	tests := []struct {
		name   string
		change func(n *foi.NewCase)
		fields []string
	}{
		{"no regime", func(n *foi.NewCase) { n.Regime = "" }, []string{"regime"}},
		{"unknown regime", func(n *foi.NewCase) { n.Regime = "dpa" }, []string{"regime"}},
		{"no channel", func(n *foi.NewCase) { n.Channel = "" }, []string{"channel"}},
		{"unknown channel", func(n *foi.NewCase) { n.Channel = "fax" }, []string{"channel"}},
		{"FOIA by phone", func(n *foi.NewCase) { n.Channel = foi.ChannelPhone }, []string{"channel"}},
		{"FOIA in person", func(n *foi.NewCase) { n.Channel = foi.ChannelInPerson }, []string{"channel"}},
		{"no subject", func(n *foi.NewCase) { n.Subject = "   " }, []string{"subject"}},
		{"long subject", func(n *foi.NewCase) { n.Subject = strings.Repeat("é", 201) }, []string{"subject"}},
		{"no request text", func(n *foi.NewCase) { n.RequestText = "" }, []string{"request_text"}},
		{"long request text", func(n *foi.NewCase) { n.RequestText = strings.Repeat("a", 20001) }, []string{"request_text"}},
		{"FOIA without a name", func(n *foi.NewCase) { n.Requester.Name = "" }, []string{"requester.name"}},
		{"long name", func(n *foi.NewCase) { n.Requester.Name = strings.Repeat("n", 201) }, []string{"requester.name"}},
		{"email channel without email", func(n *foi.NewCase) { n.Requester.Email = "" }, []string{"requester.email"}},
		{"web channel without email", func(n *foi.NewCase) { n.Channel = foi.ChannelWeb; n.Requester.Email = "" },
			[]string{"requester.email"}},
		{"bad email", func(n *foi.NewCase) { n.Requester.Email = "not-an-email" }, []string{"requester.email"}},
		{"bad email by post", func(n *foi.NewCase) { n.Channel = foi.ChannelPost; n.Requester.Email = "x@y" },
			[]string{"requester.email"}},
		{"long address", func(n *foi.NewCase) { n.Requester.Address = strings.Repeat("a", 1001) }, []string{"requester.address"}},
		{"no requester type", func(n *foi.NewCase) { n.Requester.Type = "" }, []string{"requester.type"}},
		{"unknown requester type", func(n *foi.NewCase) { n.Requester.Type = "lobbyist" }, []string{"requester.type"}},
		{"bad asset code", func(n *foi.NewCase) { n.AssetCodes = []string{"npd-pupil-matches", "NPD pupil matches!"} },
			[]string{"asset_codes[1]"}},
		{"empty asset code", func(n *foi.NewCase) { n.AssetCodes = []string{"", "npd-pupil-matches"} }, []string{"asset_codes[0]"}},
		{"EIR by phone, nobody to answer", func(n *foi.NewCase) {
			n.Regime, n.Channel, n.Requester = calendar.RegimeEIR, foi.ChannelPhone, foi.Requester{Type: foi.RequesterPublic}
		}, []string{"requester.name"}},
		{"everything at once", func(n *foi.NewCase) { *n = foi.NewCase{AssetCodes: []string{"x y"}} },
			[]string{"regime", "received_at", "channel", "subject", "request_text", "requester.type", "asset_codes[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := validNewCase()
			tt.change(&n)
			received, on, err := n.Validate(intakeNow)
			wantCaseFields(t, err, tt.fields...)
			if !received.IsZero() || !on.IsZero() {
				t.Errorf("returned %v %s with an error", received, on)
			}
		})
	}
}

func TestNewCaseValidateAccepts(t *testing.T) {
	tests := []struct {
		name   string
		change func(n *foi.NewCase)
	}{
		{"as is", func(n *foi.NewCase) {}},
		{"EIR by phone with a name", func(n *foi.NewCase) {
			n.Regime, n.Channel = calendar.RegimeEIR, foi.ChannelPhone
			n.Requester = foi.Requester{Name: "Caller", Type: foi.RequesterPublic}
		}},
		{"EIR in person with an address only", func(n *foi.NewCase) {
			n.Regime, n.Channel = calendar.RegimeEIR, foi.ChannelInPerson
			n.Requester = foi.Requester{Address: "1 High Street, Anytown AB1 2CD", Type: foi.RequesterOther}
		}},
		{"EIR by email with no name", func(n *foi.NewCase) {
			n.Regime = calendar.RegimeEIR
			n.Requester.Name = ""
		}},
		{"FOIA by post with name and address, no email", func(n *foi.NewCase) {
			n.Channel = foi.ChannelPost
			n.Requester = foi.Requester{Name: "A Writer", Address: "1 High Street", Type: foi.RequesterMP}
		}},
		{"FOIA by web", func(n *foi.NewCase) { n.Channel = foi.ChannelWeb }},
		{"subject and text at the limits", func(n *foi.NewCase) {
			n.Subject = strings.Repeat("é", 200)
			n.RequestText = strings.Repeat("a", 20000)
		}},
		{"no assets", func(n *foi.NewCase) { n.AssetCodes = nil }},
	}
	for _, tt := range tests {
		n := validNewCase()
		tt.change(&n)
		if _, _, err := n.Validate(intakeNow); err != nil {
			t.Errorf("%s: %v %v", tt.name, err, foi.ErrorFields(err))
		}
	}
}

func TestChannelAndRequesterTypeLabels(t *testing.T) {
	for _, c := range foi.Channels {
		if !c.Valid() || c.Label() == "" {
			t.Errorf("channel %s", c)
		}
	}
	if foi.ChannelPhone.Written() || foi.ChannelInPerson.Written() || !foi.ChannelPost.Written() {
		t.Error("Written")
	}
	for _, r := range foi.RequesterTypes {
		if !r.Valid() || r.Label() == string(r) {
			t.Errorf("requester type %s", r)
		}
	}
}

func TestFormatAndParseReference(t *testing.T) {
	tests := []struct {
		party  string
		regime calendar.Regime
		year   int
		seq    int
		want   string
	}{
		{"DFE", calendar.RegimeFOIA, 2026, 123, "DFE-FOI-2026-000123"},
		{"HO", calendar.RegimeEIR, 2026, 7, "HO-EIR-2026-000007"},
		{" ho ", "", 2025, 1, "HO-FOI-2025-000001"},
		{"DFE", calendar.RegimeFOIA, 2026, 1234567, "DFE-FOI-2026-1234567"},
	}
	for _, tt := range tests {
		got := foi.FormatReference(tt.party, tt.regime, tt.year, tt.seq)
		if got != tt.want {
			t.Errorf("FormatReference = %q, want %q", got, tt.want)
		}
		party, regime, year, seq, err := foi.ParseReference(strings.ToLower(got))
		if err != nil || party != strings.ToUpper(strings.TrimSpace(tt.party)) || year != tt.year || seq != tt.seq ||
			(regime != tt.regime && !(tt.regime == "" && regime == calendar.RegimeFOIA)) {
			t.Errorf("ParseReference(%q) = %q %q %d %d %v", got, party, regime, year, seq, err)
		}
	}
	for _, bad := range []string{"", "DFE-FOI-2026-123", "DFE-DPA-2026-000123", "DFE-FOI-26-000123", "DFE-FOI-2026-000000",
		"1DFE-FOI-2026-000123", "DFE-FOI-2026-000123-X"} {
		_, _, _, _, err := foi.ParseReference(bad)
		wantCaseCode(t, err, foi.EINVALID)
	}
}

func TestSimilarRequest(t *testing.T) {
	base := "Please provide the number of pupils whose details the Department for Education shared with the Home Office in 2024."
	tests := []struct {
		a, b string
		want bool
	}{
		{base, base, true},
		{base, "Under the Freedom of Information Act 2000, please provide the NUMBER of pupils whose details the " +
			"Department for Education shared with the Home Office in 2024. Thank you.", true},
		{base, "Dear Sir or Madam, for 2024: the number of pupils whose details the Department for Education shared with " +
			"the Home Office. Yours faithfully, Jo", true},
		// A neighbouring year is flagged: requests for similar information may be aggregated under s.12(4).
		{base, "Please provide the number of pupils whose details the Department for Education shared with the Home Office in 2023.", true},
		// A paraphrase with different words is not.
		{base, "Dear Sir or Madam, how many pupil's details did the Department for Education share with the Home Office in 2024?", false},
		{"Copies of the MoU between DfE and the Home Office on pupil data.",
			"Copies of the MoU between DfE and the Home Office on pupil data. Also all emails about its review in 2023.", true},
		{base, "Please provide the number of teachers whose pay the Department for Education reviewed in 2024.", false},
		{base, "Please provide the Home Office's spending on hotels for asylum seekers in 2024.", false},
		{"Pupil data", "Please provide all pupil data held on my son.", false},
		{"", "", false},
		{"the and of", "the and of", false}, // only stop words
	}
	for _, tt := range tests {
		if got := foi.SimilarRequest(tt.a, tt.b); got != tt.want {
			t.Errorf("SimilarRequest(%q, %q) = %v", tt.a, tt.b, got)
		}
		if got := foi.SimilarRequest(tt.b, tt.a); got != tt.want {
			t.Errorf("SimilarRequest is not symmetric for %q", tt.a)
		}
	}
}

func TestSameRequester(t *testing.T) {
	tests := []struct {
		a, b foi.Requester
		want bool
	}{
		{foi.Requester{Email: "A@Example.com"}, foi.Requester{Email: " a@example.com", Name: "Other"}, true},
		{foi.Requester{Email: "a@example.com", Name: "Same"}, foi.Requester{Email: "b@example.com", Name: "Same"}, false},
		{foi.Requester{Name: "Jo Bloggs", Address: "1 High St, Anytown SW1A 2AA"},
			foi.Requester{Name: "jo  bloggs", Address: "1 High St Anytown sw1a2aa"}, true},
		{foi.Requester{Name: "Jo Bloggs", Address: "1 High St"}, foi.Requester{Name: "Jo Bloggs", Address: "2 High St"}, false},
		{foi.Requester{Name: "Jo Bloggs"}, foi.Requester{Name: "Jo Bloggs"}, false}, // a name alone is not enough
		{foi.Requester{Email: "a@example.com", Name: "Jo", Address: "1 High St"}, foi.Requester{Name: "Jo", Address: "1 High St"}, true},
		{foi.Requester{}, foi.Requester{}, false},
	}
	for _, tt := range tests {
		if got := foi.SameRequester(tt.a, tt.b); got != tt.want {
			t.Errorf("SameRequester(%+v, %+v) = %v", tt.a, tt.b, got)
		}
	}
}

func TestDuplicateWindowStart(t *testing.T) {
	cal := calendar.Default()
	on := caseDay(t, "2025-04-01")
	start, err := foi.DuplicateWindowStart(cal, on)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := cal.WorkingDaysBetween(start, on); n != 60 {
		t.Errorf("start %s is %d working days before %s", start, n, on)
	}
	if start.String() != "2025-01-06" {
		t.Errorf("start = %s", start)
	}
	if s2, err := foi.DuplicateWindowStart(nil, on); err != nil || s2 != start {
		t.Errorf("nil calendar: %s %v", s2, err)
	}
	_, err = foi.DuplicateWindowStart(cal, calendar.Date{})
	wantCaseCode(t, err, foi.EINVALID)
	_, err = foi.DuplicateWindowStart(cal, caseDay(t, "2012-01-10"))
	wantCaseCode(t, err, foi.EINVALID)
}
