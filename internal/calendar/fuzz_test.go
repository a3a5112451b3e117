package calendar

import (
	"errors"
	"testing"
	"time"
)

// dayLoop is the naive reference: step one calendar day at a time, counting working days.
func dayLoop(c *Calendar, d Date, n int) (Date, bool) {
	_, last := c.Range()
	for n > 0 {
		d = d.AddDays(1)
		if d.After(last) {
			return Date{}, false
		}
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d, true
}

// spanDate maps any int to a date in the supported span.
func spanDate(off int) Date {
	m := off % spanDays
	if m < 0 {
		m += spanDays
	}
	return spanFirst.AddDays(m)
}

func FuzzAddWorkingDays(f *testing.F) {
	for _, v := range statutoryVectors {
		f.Add(mustDate(f, v.received).Sub(spanFirst), 20)
	}
	f.Add(0, 0)
	f.Add(0, 1)
	f.Add(spanDays-1, 1)
	f.Add(spanDays-30, 20)
	f.Add(-5, 40)
	f.Add(6000, 250)
	c := Default()
	f.Fuzz(func(t *testing.T, off, n int) {
		d := spanDate(off)
		n %= 300
		if n < 0 {
			n = -n
		}
		got, err := c.AddWorkingDays(d, n)
		want, ok := dayLoop(c, d, n)
		if !ok {
			if !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, %v; want ErrOutOfRange", d, n, got, err)
			}
			return
		}
		if err != nil || got != want {
			t.Fatalf("AddWorkingDays(%s, %d) = %s, %v; day loop gives %s", d, n, got, err, want)
		}
		if n == 0 {
			if got != d {
				t.Fatalf("n=0 moved %s to %s", d, got)
			}
			return
		}
		if !c.IsWorkingDay(got) {
			t.Fatalf("AddWorkingDays(%s, %d) = %s, not a working day (%s)", d, n, got, c.NonWorkingReason(got))
		}
		if next, err := c.AddWorkingDays(d, n+1); err == nil && !next.After(got) {
			t.Fatalf("n+1 gives %s, not after %s", next, got)
		}
		if k, err := c.WorkingDaysBetween(d, got); err != nil || k != n {
			t.Fatalf("WorkingDaysBetween(%s, %s) = %d, %v; want %d", d, got, k, err, n)
		}
		// Subtracting back lands on the last working day on or before d.
		back, err := c.SubtractWorkingDays(got, n)
		if err == nil {
			wantBack := d
			for !c.IsWorkingDay(wantBack) {
				wantBack = wantBack.AddDays(-1)
			}
			if back != wantBack {
				t.Fatalf("SubtractWorkingDays(%s, %d) = %s, want %s", got, n, back, wantBack)
			}
		}
	})
}

func FuzzDeadlinePause(f *testing.F) {
	f.Add(4754, 9, 19, 3, 0)  // 2025-01-06; notice 15 Jan, paid 3 Feb
	f.Add(4754, 0, 0, 0, 1)   // notice on the day of receipt, paid the same day, PIT
	f.Add(4754, 40, 5, 10, 0) // notice after the deadline
	f.Add(100, 3, 300, 2, 2)  // long pause, EIR reg 7
	f.Add(31000, 10, 5, 10, 0)
	c := Default()
	f.Fuzz(func(t *testing.T, off, noticeAfter, payLen, clarifyAfter, ext int) {
		abs := func(v, m int) int {
			v %= m
			if v < 0 {
				v = -v
			}
			return v
		}
		recv := spanDate(off)
		in := DeadlineInput{Received: recv}
		switch abs(ext, 3) {
		case 1:
			in.Extension = ExtensionPIT
		case 2:
			in.Regime, in.Extension = RegimeEIR, ExtensionEIRComplex
		}
		base, err := c.Deadline(in)
		if err != nil {
			if !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("%+v: %v", in, err)
			}
			return
		}
		if !c.IsWorkingDay(base.Due) || !c.IsWorkingDay(base.StatutoryDue) || base.Due.Before(base.StatutoryDue) {
			t.Fatalf("%+v: %+v", in, base)
		}
		notice := recv.AddDays(abs(noticeAfter, 80))
		paid := notice.AddDays(abs(payLen, 120))
		paused := in
		paused.Fees = []FeePause{{notice, paid}}
		got, err := c.Deadline(paused)
		if err != nil {
			if !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("%+v: %v", paused, err)
			}
			return
		}
		if got.Due.Before(base.Due) || got.StatutoryDue.Before(base.StatutoryDue) {
			t.Fatalf("pause shortened the clock: %s -> %s (%+v)", base.Due, got.Due, paused)
		}
		// A longer pause never gives an earlier deadline either.
		longer := paused
		longer.Fees = []FeePause{{notice, paid.AddDays(1)}}
		if l, err := c.Deadline(longer); err == nil && l.Due.Before(got.Due) {
			t.Fatalf("longer pause gave %s before %s", l.Due, got.Due)
		}
		// A later clarification never gives an earlier deadline.
		clar := in
		clar.Clarified = recv.AddDays(abs(clarifyAfter, 60))
		if cl, err := c.Deadline(clar); err == nil && cl.Due.Before(base.Due) {
			t.Fatalf("clarification gave %s before %s", cl.Due, base.Due)
		}
		// The trace starts at receipt, is in date order and has one due step, on the due date (an ignored fee
		// notice after the deadline may follow it).
		tr := got.Trace
		dues := 0
		for i, s := range tr {
			if i > 0 && s.Date.Before(tr[i-1].Date) {
				t.Fatalf("trace out of order: %+v", tr)
			}
			if s.Kind == "due" {
				dues++
				if s.Date != got.Due {
					t.Fatalf("due step %s, Due %s", s.Date, got.Due)
				}
			}
		}
		if len(tr) < 2 || tr[0].Kind != "receipt" || dues != 1 {
			t.Fatalf("trace %+v", tr)
		}
	})
}

func FuzzDate(f *testing.F) {
	f.Add(2026, 12, 25)
	f.Add(2024, 2, 29)
	f.Add(1, 1, 1)
	f.Add(9999, 12, 31)
	f.Add(2025, 13, 40)
	f.Fuzz(func(t *testing.T, y, m, d int) {
		y, m, d = 1+abs(y)%9998, m%50, d%400
		tm := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if tm.Year() < 1 || tm.Year() > 9999 {
			return
		}
		got := NewDate(y, time.Month(m), d)
		if got.String() != tm.Format(time.DateOnly) || got.Weekday() != tm.Weekday() || !got.Time().Equal(tm) {
			t.Fatalf("NewDate(%d,%d,%d) = %s %s, time gives %s", y, m, d, got, got.Weekday(), tm.Format(time.DateOnly))
		}
		back, err := ParseDate(got.String())
		if err != nil || back != got {
			t.Fatalf("ParseDate(%s) = %v, %v", got, back, err)
		}
	})
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func FuzzLondonDate(f *testing.F) {
	f.Add(int64(1782862200)) // 2026-06-30T23:30:00Z
	f.Add(int64(1774740600)) // 2026-03-28T23:30:00Z
	f.Add(int64(0))
	f.Add(int64(-1))
	f.Add(int64(4102444799))
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		f.Skip("no tz data")
	}
	f.Fuzz(func(t *testing.T, u int64) {
		u %= 1 << 33 // about 1697..2242
		tm := time.Unix(u, 0)
		if tm.Year() > 2037 { // the tz database's rules are extrapolated; ours are the same rule
			tm = tm.AddDate(2037-tm.Year(), 0, 0)
		}
		y, m, d := tm.In(loc).Date()
		if got := LondonDate(tm); got != NewDate(y, m, d) {
			t.Fatalf("LondonDate(%s) = %s, tz gives %d-%02d-%02d", tm.UTC().Format(time.RFC3339), got, y, m, d)
		}
	})
}

func FuzzParseGovUK(f *testing.F) {
	f.Add(embeddedJSON)
	f.Add([]byte("{" + goodEW + "," + scot(scotEvents) + "," + goodNI + "}"))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"scotland":{"division":"scotland","events":[{"title":"x","date":"2025-13-01"}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		hs, err := ParseGovUK(b)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		for i, h := range hs {
			if h.Date.IsZero() || h.Title == "" || len(h.Divisions) == 0 || (i > 0 && h.Date.Before(hs[i-1].Date)) {
				t.Fatalf("bad result %+v", h)
			}
		}
		if _, err := New(hs, nil); err != nil {
			t.Fatalf("New rejects ParseGovUK output: %v", err)
		}
	})
}
