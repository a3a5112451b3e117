package calendar

import (
	"errors"
	"strings"
	"testing"
)

// Section 10 of the rules file: statutory/ICO day 20 for each receipt date (day 0, any day).
var statutoryVectors = []struct{ received, due, why string }{
	{"2014-03-16", "2014-04-14", "NI St Patrick's (SLC example)"},
	{"2024-01-03", "2024-01-31", "baseline"},
	{"2024-03-08", "2024-04-10", "NI 18 Mar substitute"},
	{"2024-06-14", "2024-07-15", "NI Boyne 12 Jul"},
	{"2024-11-15", "2024-12-16", "Scot St Andrew's substitute 2 Dec"},
	{"2024-12-02", "2025-01-03", "non-working receipt day; 2 Jan Scot"},
	{"2024-12-20", "2025-01-23", "Christmas + 2 Jan Scot"},
	{"2025-03-01", "2025-03-31", "weekend receipt; 17 Mar NI"},
	{"2025-07-11", "2025-08-12", "NI 14 Jul, Scot 4 Aug"},
	{"2025-12-20", "2026-01-22", "Christmas; 2 Jan Scot"},
	{"2026-03-14", "2026-04-15", "weekend receipt; 17 Mar NI; Easter"},
	{"2026-12-05", "2027-01-07", "weekend; Christmas substitutes; 2 Jan Scot"},
	{"2027-07-02", "2027-08-03", "NI 12 Jul, Scot 2 Aug"},
	{"2022-09-01", "2022-09-30", "Funeral 19 Sep (all divisions)"},
}

func TestStatutoryVectors(t *testing.T) {
	c := Default()
	for _, v := range statutoryVectors {
		for _, regime := range []Regime{RegimeFOIA, RegimeEIR, ""} {
			dl, err := c.Deadline(DeadlineInput{Regime: regime, Received: mustDate(t, v.received)})
			if err != nil {
				t.Fatalf("%s: %v", v.received, err)
			}
			if dl.Due.String() != v.due || dl.StatutoryDue != dl.Due || dl.Receipt.String() != v.received || dl.Paused || dl.Provisional {
				t.Errorf("%s (%s, %s): got %+v, want due %s", v.received, v.why, regime, dl, v.due)
			}
		}
		got, _ := c.AddWorkingDays(mustDate(t, v.received), 20)
		if got.String() != v.due {
			t.Errorf("AddWorkingDays(%s, 20) = %s, want %s", v.received, got, v.due)
		}
	}
}

// The clock-manipulation table: all for a receipt on Mon 2025-01-06 (normal day 20 = Mon 2025-02-03).
func TestClockManipulations(t *testing.T) {
	c := Default()
	d := func(s string) Date { return mustDate(t, s) }
	recv := d("2025-01-06")
	for _, tc := range []struct {
		name           string
		in             DeadlineInput
		statutory, due string
	}{
		{"plain", DeadlineInput{Received: recv}, "2025-02-03", "2025-02-03"},
		{"fees", DeadlineInput{Received: recv, Fees: []FeePause{{d("2025-01-15"), d("2025-02-03")}}}, "2025-02-21", "2025-02-21"},
		{"clarification", DeadlineInput{Received: recv, Clarified: d("2025-01-20")}, "2025-02-17", "2025-02-17"},
		{"pit", DeadlineInput{Received: recv, Extension: ExtensionPIT}, "2025-02-03", "2025-03-03"},
		{"eir reg 7", DeadlineInput{Regime: RegimeEIR, Received: recv, Extension: ExtensionEIRComplex}, "2025-02-03", "2025-03-03"},
		{"eir fees", DeadlineInput{Regime: RegimeEIR, Received: recv, Fees: []FeePause{{d("2025-01-15"), d("2025-02-03")}}}, "2025-02-21", "2025-02-21"},
		{"pit with fees", DeadlineInput{Received: recv, Extension: ExtensionPIT, Fees: []FeePause{{d("2025-01-15"), d("2025-02-03")}}}, "2025-02-21", "2025-03-24"}, // 17 Mar NI skipped
		// Notice and payment on the same working day: that one day is disregarded.
		{"same-day fee", DeadlineInput{Received: recv, Fees: []FeePause{{d("2025-01-15"), d("2025-01-15")}}}, "2025-02-04", "2025-02-04"},
		// Two pauses: 15-17 Jan (3 days) and 22-23 Jan (2 days).
		{"two fees", DeadlineInput{Received: recv, Fees: []FeePause{{d("2025-01-22"), d("2025-01-23")}, {d("2025-01-15"), d("2025-01-17")}}}, "2025-02-10", "2025-02-10"},
		// Overlapping pauses count each disregarded day once: 15-24 Jan = 8 working days.
		{"overlapping fees", DeadlineInput{Received: recv, Fees: []FeePause{{d("2025-01-15"), d("2025-01-22")}, {d("2025-01-20"), d("2025-01-24")}}}, "2025-02-13", "2025-02-13"},
		// A notice after day 20 has no effect.
		{"late fee", DeadlineInput{Received: recv, Fees: []FeePause{{d("2025-02-04"), d("2025-02-10")}}}, "2025-02-03", "2025-02-03"},
		// A notice on day 20 itself pauses (day 19 elapsed, one to go after payment).
		{"fee on day 20", DeadlineInput{Received: recv, Fees: []FeePause{{d("2025-02-03"), d("2025-02-05")}}}, "2025-02-06", "2025-02-06"},
		// A notice on the day of receipt: days from payment.
		{"fee on day 0", DeadlineInput{Received: recv, Fees: []FeePause{{d("2025-01-06"), d("2025-01-08")}}}, "2025-02-05", "2025-02-05"},
		// A fee paid before a later clarification has no effect; the clarification resets the clock.
		{"fee then clarification", DeadlineInput{Received: recv, Clarified: d("2025-01-20"), Fees: []FeePause{{d("2025-01-08"), d("2025-01-10")}}}, "2025-02-17", "2025-02-17"},
		// A fee notice before the clarification, paid after it: the clock starts at payment.
		{"fee across clarification", DeadlineInput{Received: recv, Clarified: d("2025-01-20"), Fees: []FeePause{{d("2025-01-08"), d("2025-01-22")}}}, "2025-02-19", "2025-02-19"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dl, err := c.Deadline(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if dl.StatutoryDue.String() != tc.statutory || dl.Due.String() != tc.due || dl.Paused {
				t.Errorf("got statutory %s due %s paused %v, want %s / %s\n%s", dl.StatutoryDue, dl.Due, dl.Paused, tc.statutory, tc.due, traceText(dl))
			}
		})
	}
}

func traceText(dl Deadline) string {
	var b strings.Builder
	for _, s := range dl.Trace {
		b.WriteString(s.Kind + "\t" + s.Text + "\n")
	}
	return b.String()
}

func TestUnpaidFeePauses(t *testing.T) {
	c := Default()
	dl, err := c.Deadline(DeadlineInput{Received: mustDate(t, "2025-01-06"), Fees: []FeePause{{Notice: mustDate(t, "2025-01-15")}}})
	if err != nil {
		t.Fatal(err)
	}
	if !dl.Paused || !dl.Due.IsZero() || !dl.StatutoryDue.IsZero() {
		t.Fatalf("unpaid fee: %+v", dl)
	}
	if !strings.Contains(traceText(dl), "clock stopped after day 6 of 20; the fee is unpaid") {
		t.Errorf("trace:\n%s", traceText(dl))
	}
	// Unpaid but given after the deadline: no pause.
	dl, _ = c.Deadline(DeadlineInput{Received: mustDate(t, "2025-01-06"), Fees: []FeePause{{Notice: mustDate(t, "2025-02-10")}}})
	if dl.Paused || dl.Due.String() != "2025-02-03" {
		t.Errorf("late unpaid fee: %+v", dl)
	}
	// PIT: a notice between day 20 and day 40 leaves the s.17 date and pauses only the extended target.
	dl, _ = c.Deadline(DeadlineInput{Received: mustDate(t, "2025-01-06"), Extension: ExtensionPIT, Fees: []FeePause{{Notice: mustDate(t, "2025-02-10")}}})
	if !dl.Paused || !dl.Due.IsZero() || dl.StatutoryDue.String() != "2025-02-03" {
		t.Errorf("PIT unpaid fee: %+v", dl)
	}
}

func TestDeadlineTrace(t *testing.T) {
	c := Default()
	dl, err := c.Deadline(DeadlineInput{Received: mustDate(t, "2026-12-05")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"receipt\t2026-12-05 date of receipt, day 0 (Saturday, not a working day)",
		"skipped\t2026-12-06 Sunday",
		"skipped\t2026-12-12 to 2026-12-13 weekend",
		"skipped\t2026-12-19 to 2026-12-20 weekend",
		"skipped\t2026-12-25 Christmas Day",
		"skipped\t2026-12-26 to 2026-12-27 weekend",
		"skipped\t2026-12-28 Boxing Day (substitute day)",
		"skipped\t2027-01-01 New Year’s Day",
		"skipped\t2027-01-02 to 2027-01-03 weekend",
		"skipped\t2027-01-04 2nd January (Scotland, substitute day)",
		"due\t2027-01-07 due: day 20 (FOIA s.10(1))",
	}
	if got := traceText(dl); got != strings.Join(want, "\n")+"\n" {
		t.Errorf("trace:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}

	// Fees, clarification and PIT all show up, in date order.
	dl, err = c.Deadline(DeadlineInput{Received: mustDate(t, "2025-01-03"), Clarified: mustDate(t, "2025-01-06"),
		Fees: []FeePause{{mustDate(t, "2025-01-15"), mustDate(t, "2025-02-03")}}, Extension: ExtensionPIT})
	if err != nil {
		t.Fatal(err)
	}
	got := traceText(dl)
	for _, s := range []string{
		"receipt\t2025-01-03 request received (superseded by the clarification)\n",
		"clarification\t2025-01-06 clarification received: new date of receipt, day 0\n",
		"fee-pause\t2025-01-15 fee notice given: clock stopped after day 6 of 40\n",
		"fee-pause\t2025-02-03 fee received: clock restarts, 34 working days remain\n",
		"extension\t2025-02-21 day 20: s.17(1) refusal notice",
		"due\t2025-03-24 due: day 40",
	} {
		if !strings.Contains(got, s) {
			t.Errorf("trace lacks %q:\n%s", s, got)
		}
	}
	if strings.Contains(got, "2025-01-18") { // a weekend inside the pause is not listed
		t.Errorf("weekend inside the pause listed:\n%s", got)
	}
	for i := 1; i < len(dl.Trace); i++ {
		if dl.Trace[i].Date.Before(dl.Trace[i-1].Date) {
			t.Errorf("trace out of order at %d:\n%s", i, got)
		}
	}
	// Every bank holiday between receipt and due is named.
	dl, _ = c.Deadline(DeadlineInput{Received: mustDate(t, "2025-07-11")})
	got = traceText(dl)
	for _, s := range []string{"2025-07-14 Battle of the Boyne (Orangemen’s Day) (Northern Ireland, substitute day)", "2025-08-04 Summer bank holiday (Scotland)"} {
		if !strings.Contains(got, s) {
			t.Errorf("trace lacks %q:\n%s", s, got)
		}
	}
}

func TestDeadlineErrors(t *testing.T) {
	c := Default()
	d := func(s string) Date { return mustDate(t, s) }
	recv := d("2025-01-06")
	for _, tc := range []struct {
		name  string
		in    DeadlineInput
		want  string
		outOf bool
	}{
		{"no receipt", DeadlineInput{}, "date of receipt is required", false},
		{"clarification before receipt", DeadlineInput{Received: recv, Clarified: d("2025-01-05")}, "clarification 2025-01-05 is before the request was received (2025-01-06)", false},
		{"fee paid before notice", DeadlineInput{Received: recv, Fees: []FeePause{{d("2025-01-15"), d("2025-01-14")}}}, "fee 1 was paid (2025-01-14) before its notice was given (2025-01-15)", false},
		{"fee notice before receipt", DeadlineInput{Received: recv, Fees: []FeePause{{d("2025-01-03"), d("2025-01-14")}}}, "fee notice 1 (2025-01-03) is before the request was received", false},
		{"fee notice no date", DeadlineInput{Received: recv, Fees: []FeePause{{Paid: d("2025-01-14")}}}, "fee notice 1 has no date", false},
		{"pit under eir", DeadlineInput{Regime: RegimeEIR, Received: recv, Extension: ExtensionPIT}, "no public interest test extension under the EIR", false},
		{"eir-complex under foia", DeadlineInput{Received: recv, Extension: ExtensionEIRComplex}, "does not apply under FOIA", false},
		{"unknown regime", DeadlineInput{Regime: "dpa", Received: recv}, `unknown regime "dpa"`, false},
		{"unknown extension", DeadlineInput{Received: recv, Extension: "s12"}, `unknown extension "s12"`, false},
		{"receipt out of range", DeadlineInput{Received: d("2011-06-01")}, "date of receipt 2011-06-01 is outside the supported range", true},
		{"due out of range", DeadlineInput{Received: d("2099-12-20")}, "deadline falls after the supported range", true},
		{"fee out of range", DeadlineInput{Received: recv, Fees: []FeePause{{recv, d("2100-02-01")}}}, "fee payment 1 2100-02-01 is outside", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Deadline(tc.in)
			if err == nil || !errors.Is(err, ErrInvalid) || errors.Is(err, ErrOutOfRange) != tc.outOf || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q (out of range %v)", err, tc.want, tc.outOf)
			}
		})
	}
}

func TestDeadlineProvisional(t *testing.T) {
	c := Default()
	dl, err := c.Deadline(DeadlineInput{Received: mustDate(t, "2028-12-20")})
	if err != nil || !dl.Provisional || dl.Due.String() != "2029-01-23" {
		t.Errorf("across 2029: %+v %v", dl, err) // 25, 26 Dec 2028; 1, 2 Jan 2029 skipped
	}
	dl, _ = c.Deadline(DeadlineInput{Received: mustDate(t, "2028-11-01")})
	if dl.Provisional {
		t.Errorf("2028 deadline marked provisional: %+v", dl)
	}
}

func TestReviewDeadline(t *testing.T) {
	c := Default()
	// EIR reg 11 (response 2025-02-03): representations due 40 working days later.
	target, longstop, err := c.ReviewDeadline(RegimeEIR, mustDate(t, "2025-02-03"))
	if err != nil || target.String() != "2025-04-01" || longstop.String() != "2025-04-01" {
		t.Errorf("EIR from 02-03: %s %s %v", target, longstop, err)
	}
	// Representations received 2025-03-03: decision due 2025-05-01.
	target, longstop, err = c.ReviewDeadline(RegimeEIR, mustDate(t, "2025-03-03"))
	if err != nil || target.String() != "2025-05-01" || longstop.String() != "2025-05-01" {
		t.Errorf("EIR from 03-03: %s %s %v", target, longstop, err)
	}
	target, longstop, err = c.ReviewDeadline(RegimeFOIA, mustDate(t, "2025-01-06"))
	if err != nil || target.String() != "2025-02-03" || longstop.String() != "2025-03-03" {
		t.Errorf("FOIA: %s %s %v", target, longstop, err)
	}
	if _, _, err := c.ReviewDeadline("x", mustDate(t, "2025-01-06")); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad regime: %v", err)
	}
	if _, _, err := c.ReviewDeadline(RegimeFOIA, mustDate(t, "2099-12-01")); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("out of range: %v", err)
	}
}

func TestRespondBy(t *testing.T) {
	c := Default()
	d := func(s string) Date { return mustDate(t, s) }
	for _, tc := range []struct {
		sent    string
		days    int
		caseDue string
		margin  int
		want    string
	}{
		{"2025-01-06", 5, "2025-02-03", 5, "2025-01-13"},  // sent + 5 is earlier
		{"2025-01-20", 10, "2025-02-03", 5, "2025-01-27"}, // capped at 5 working days before due
		{"2025-02-01", 5, "2025-02-03", 5, "2025-02-01"},  // cap before sent: never before sent
		{"2025-01-06", 5, "", 5, "2025-01-13"},            // no case deadline
		{"2025-03-07", 5, "2025-03-31", 5, "2025-03-14"},  // 5 days after Fri 7 Mar
		{"2025-03-14", 5, "2025-03-31", 5, "2025-03-24"},  // 17 Mar NI is skipped: capped at 24 Mar
	} {
		var due Date
		if tc.caseDue != "" {
			due = d(tc.caseDue)
		}
		got, err := c.RespondBy(d(tc.sent), tc.days, due, tc.margin)
		if err != nil || got.String() != tc.want {
			t.Errorf("RespondBy(%s, %d, %s, %d) = %s, %v; want %s", tc.sent, tc.days, tc.caseDue, tc.margin, got, err, tc.want)
		}
	}
	if _, err := c.RespondBy(d("2025-01-06"), -1, Date{}, 5); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative: %v", err)
	}
	if _, err := c.RespondBy(Date{}, 5, Date{}, 5); !errors.Is(err, ErrInvalid) {
		t.Errorf("zero sent: %v", err)
	}
}
