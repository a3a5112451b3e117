package calendar

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestNonWorkingReason(t *testing.T) {
	c := Default()
	for _, tc := range []struct{ date, want string }{
		{"2026-12-25", "Christmas Day"},
		{"2026-12-28", "Boxing Day (substitute day)"},
		{"2026-12-29", ""},
		{"2026-04-03", "Good Friday"},
		{"2026-04-06", "Easter Monday (England and Wales, Northern Ireland)"},
		{"2026-08-03", "Summer bank holiday (Scotland)"},
		{"2026-08-31", "Summer bank holiday (England and Wales, Northern Ireland)"},
		{"2026-03-17", "St Patrick’s Day (Northern Ireland)"},
		{"2024-03-18", "St Patrick’s Day (Northern Ireland, substitute day)"},
		{"2024-12-02", "St Andrew’s Day (Scotland, substitute day)"},
		{"2025-07-14", "Battle of the Boyne (Orangemen’s Day) (Northern Ireland, substitute day)"},
		{"2025-01-02", "2nd January (Scotland)"},
		{"2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II"},
		{"2023-05-08", "Bank holiday for the coronation of King Charles III"},
		{"2012-01-02", "New Year’s Day (England and Wales, Northern Ireland, substitute day); 2nd January (Scotland)"},
		{"2026-03-14", "Saturday"},
		{"2026-03-15", "Sunday"},
		{"2027-12-25", "Saturday, Christmas Day"},
		{"2027-12-26", "Sunday"}, // gov.uk lists only the substitute (28th)
		{"2027-12-27", "Christmas Day (substitute day)"},
		{"2026-03-16", ""},
		{"2011-12-30", "outside the supported calendar (2012-01-01 to 2099-12-31)"},
		{"2100-01-04", "outside the supported calendar (2012-01-01 to 2099-12-31)"},
		{"2031-03-17", "St Patrick’s Day (Northern Ireland)"}, // provisional year
	} {
		d := mustDate(t, tc.date)
		if got := c.NonWorkingReason(d); got != tc.want {
			t.Errorf("NonWorkingReason(%s) = %q, want %q", tc.date, got, tc.want)
		}
		if inSpan := !strings.HasPrefix(tc.want, "outside"); c.IsWorkingDay(d) != (tc.want == "") && inSpan {
			t.Errorf("IsWorkingDay(%s) = %v disagrees with reason %q", tc.date, c.IsWorkingDay(d), tc.want)
		}
	}
	if c.IsWorkingDay(Date{}) || c.IsWorkingDay(mustDate(t, "2100-01-04")) {
		t.Error("out-of-range dates must not be working days")
	}
}

// TestUnionCount: the FOIA non-working weekday set is 13 days in each of 2024-2027 (rules file §8b).
func TestUnionCount(t *testing.T) {
	c := Default()
	for y := 2024; y <= 2027; y++ {
		n := 0
		for d := NewDate(y, 1, 1); d.Year() == y; d = d.AddDays(1) {
			if !isWeekend(d) && !c.IsWorkingDay(d) {
				n++
			}
		}
		if n != 13 {
			t.Errorf("%d: %d weekday non-working days, want 13", y, n)
		}
	}
}

func TestOverrides(t *testing.T) {
	hs := EmbeddedHolidays()
	received := mustDate(t, "2026-09-01")
	base, _ := Default().AddWorkingDays(received, 20)
	if base.String() != "2026-09-29" {
		t.Fatalf("base deadline %s", base)
	}
	// A proclaimed extra bank holiday inside the window moves the deadline a day later.
	extra, err := New(hs, []Override{{Date: mustDate(t, "2026-09-14"), Title: "Bank holiday for a state occasion"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := extra.AddWorkingDays(received, 20); got.String() != "2026-09-30" {
		t.Errorf("with extra holiday: %s, want 2026-09-30", got)
	}
	if r := extra.NonWorkingReason(mustDate(t, "2026-09-14")); r != "Bank holiday for a state occasion" {
		t.Errorf("reason %q", r)
	}
	// An untitled proclamation gets a generic name.
	if c, err := New(hs, []Override{{Date: mustDate(t, "2026-09-14")}}); err != nil || c.NonWorkingReason(mustDate(t, "2026-09-14")) != "Extra bank holiday" {
		t.Errorf("untitled override: %v", err)
	}
	// A cancelled holiday (here Scotland's 3 August 2026) becomes a working day: a deadline across it is a day earlier.
	from := mustDate(t, "2026-07-20")
	before, _ := Default().AddWorkingDays(from, 20)
	cancelled, err := New(hs, []Override{{Date: mustDate(t, "2026-08-03"), Working: true, Title: "moved"}})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := cancelled.AddWorkingDays(from, 20)
	if before.String() != "2026-08-18" || after.String() != "2026-08-17" {
		t.Errorf("cancelled holiday: before %s after %s", before, after)
	}
	if !cancelled.IsWorkingDay(mustDate(t, "2026-08-03")) || cancelled.NonWorkingReason(mustDate(t, "2026-08-03")) != "" {
		t.Error("cancelled day still non-working")
	}
	// The Default calendar is untouched.
	if Default().IsWorkingDay(mustDate(t, "2026-08-03")) {
		t.Error("Default changed")
	}
	// Bad overrides.
	for _, tc := range []struct {
		name  string
		o     []Override
		want  string
		outOf bool
	}{
		{"saturday", []Override{{Date: mustDate(t, "2026-03-14"), Working: true}}, "2026-03-14 is a Saturday, which is never a working day", false},
		{"christmas", []Override{{Date: mustDate(t, "2026-12-25"), Working: true}}, "Christmas Day, which is never", false},
		{"good friday", []Override{{Date: mustDate(t, "2026-04-03"), Working: true}}, "Good Friday, which is never", false},
		{"duplicate", []Override{{Date: mustDate(t, "2026-09-14")}, {Date: mustDate(t, "2026-09-14"), Working: true}}, "override 2: 2026-09-14 already has an override", false},
		{"zero", []Override{{}}, "override 1: no date", false},
		{"range", []Override{{Date: mustDate(t, "2100-01-04")}}, "outside the supported range", true},
	} {
		_, err := New(hs, tc.o)
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) || errors.Is(err, ErrOutOfRange) != tc.outOf {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
}

func TestNewRejectsBadHolidays(t *testing.T) {
	d := mustDate(t, "2026-09-14")
	for _, tc := range []struct {
		h    Holiday
		want string
	}{
		{Holiday{Title: "X", Divisions: []string{DivisionScotland}}, "no date"},
		{Holiday{Date: d, Divisions: []string{DivisionScotland}}, "no title"},
		{Holiday{Date: d, Title: "X"}, "no divisions"},
		{Holiday{Date: d, Title: "X", Divisions: []string{"wales"}}, `unknown division "wales"`},
	} {
		if _, err := New([]Holiday{tc.h}, nil); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v", tc.h, err)
		}
	}
}

func TestProvisional(t *testing.T) {
	c := Default()
	if c.Provisional(mustDate(t, "2028-12-31")) || c.Provisional(mustDate(t, "2012-01-01")) || !c.Provisional(mustDate(t, "2029-01-01")) {
		t.Error("Default provisional boundary wrong")
	}
	// 2029 from the rules: St Patrick's Day (Saturday 17 March 2029) is substituted on Monday 19th.
	if r := c.NonWorkingReason(mustDate(t, "2029-03-19")); r != "St Patrick’s Day (Northern Ireland, substitute day)" {
		t.Errorf("2029-03-19: %q", r)
	}
	got, err := c.AddWorkingDays(mustDate(t, "2029-03-01"), 20)
	if err != nil || got.String() != "2029-04-03" { // 19 Mar, Good Friday 30 Mar and Easter Monday 2 Apr skipped
		t.Errorf("2029 deadline %s, %v", got, err)
	}
	// A calendar with no data is provisional everywhere, and still knows Christmas and Good Friday.
	bare, err := New(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bare.Provisional(mustDate(t, "2025-06-01")) || bare.IsWorkingDay(mustDate(t, "2025-04-18")) {
		t.Error("rule-only calendar wrong")
	}
	// A rule-only calendar agrees with the data in 2025, a year with no one-offs.
	for d := mustDate(t, "2025-01-01"); d.Year() == 2025; d = d.AddDays(1) {
		if bare.IsWorkingDay(d) != c.IsWorkingDay(d) {
			t.Errorf("%s: rules %v data %v", d, bare.IsWorkingDay(d), c.IsWorkingDay(d))
		}
	}
	// Data that stops in 2020 makes 2021 provisional.
	var short []Holiday
	for _, h := range EmbeddedHolidays() {
		if h.Date.Year() <= 2020 {
			short = append(short, h)
		}
	}
	sc, _ := New(short, nil)
	if sc.Provisional(mustDate(t, "2020-12-31")) || !sc.Provisional(mustDate(t, "2021-01-01")) {
		t.Error("short data boundary wrong")
	}
	if first, last := c.Range(); first.String() != "2012-01-01" || last.String() != "2099-12-31" {
		t.Errorf("Range %s..%s", first, last)
	}
}

func TestWorkingDayArithmetic(t *testing.T) {
	c := Default()
	d := mustDate(t, "2025-03-01") // Saturday
	if got, _ := c.AddWorkingDays(d, 0); got != d {
		t.Error("n=0 must return d")
	}
	if got, _ := c.AddWorkingDays(d, 1); got.String() != "2025-03-03" {
		t.Errorf("day 1 = %s", got)
	}
	if got, _ := c.AddWorkingDays(mustDate(t, "2025-03-14"), 1); got.String() != "2025-03-18" {
		t.Errorf("over St Patrick's Day: %s", got)
	}
	if n, _ := c.WorkingDaysBetween(d, mustDate(t, "2025-03-31")); n != 20 {
		t.Errorf("WorkingDaysBetween = %d", n)
	}
	if n, _ := c.WorkingDaysBetween(mustDate(t, "2025-03-31"), d); n != -20 {
		t.Errorf("reverse WorkingDaysBetween = %d", n)
	}
	if got, _ := c.SubtractWorkingDays(mustDate(t, "2025-03-31"), 20); got.String() != "2025-02-28" {
		t.Errorf("SubtractWorkingDays = %s", got) // the 20th working day before 31 March is Friday 28 Feb
	}
	if got, _ := c.SubtractWorkingDays(mustDate(t, "2025-03-18"), 1); got.String() != "2025-03-14" {
		t.Errorf("SubtractWorkingDays over 17 Mar = %s", got)
	}
	for _, tc := range []struct {
		name  string
		f     func() error
		outOf bool
	}{
		{"negative add", func() error { _, err := c.AddWorkingDays(d, -1); return err }, false},
		{"negative sub", func() error { _, err := c.SubtractWorkingDays(d, -1); return err }, false},
		{"zero date", func() error { _, err := c.AddWorkingDays(Date{}, 1); return err }, false},
		{"before span", func() error { _, err := c.AddWorkingDays(mustDate(t, "2011-12-31"), 1); return err }, true},
		{"past span", func() error { _, err := c.AddWorkingDays(mustDate(t, "2099-12-20"), 20); return err }, true},
		{"sub before span", func() error { _, err := c.SubtractWorkingDays(mustDate(t, "2012-01-10"), 20); return err }, true},
		{"between", func() error { _, err := c.WorkingDaysBetween(d, mustDate(t, "2100-01-01")); return err }, true},
	} {
		err := tc.f()
		if err == nil || !errors.Is(err, ErrInvalid) || errors.Is(err, ErrOutOfRange) != tc.outOf {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
	// The last working day of the span is reachable; one more is not.
	last, _ := c.SubtractWorkingDays(mustDate(t, "2099-12-31"), 0)
	for !c.IsWorkingDay(last) {
		last = last.AddDays(-1)
	}
	prev, _ := c.SubtractWorkingDays(last, 1)
	if got, err := c.AddWorkingDays(prev, 1); err != nil || got != last {
		t.Errorf("last working day: %s, %v", got, err)
	}
	if _, err := c.AddWorkingDays(last, 1); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("past last working day: %v", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	c := Default()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				d := mustDate(t, "2013-01-01").AddDays((i*37 + g*101) % 5800)
				due, err := c.AddWorkingDays(d, 20)
				if err != nil || !c.IsWorkingDay(due) {
					t.Errorf("%s: %s %v", d, due, err)
					return
				}
				_ = c.NonWorkingReason(due)
			}
		}(g)
	}
	wg.Wait()
}
