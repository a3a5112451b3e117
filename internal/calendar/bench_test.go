package calendar

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/gb"
)

// benchDates returns 4096 pseudo-random receipt dates in 2013-2028, the same on every run.
func benchDates() []Date {
	r := rand.New(rand.NewPCG(2025, 1))
	first, last := NewDate(2013, 1, 1), NewDate(2028, 12, 31)
	ds := make([]Date, 4096)
	for i := range ds {
		ds[i] = first.AddDays(r.IntN(last.Sub(first) + 1))
	}
	return ds
}

var sinkDate Date
var sinkTime time.Time

// BenchmarkAddWorkingDays20 compares day-20 deadlines over the same 4096 receipt dates: the prefix-count index,
// a naive day-by-day loop over the same Calendar, and rickar/cal's BusinessCalendar with gb.Holidays (England and
// Wales only, so it is also wrong for FOIA; shown for speed).
func BenchmarkAddWorkingDays20(b *testing.B) {
	c := Default()
	ds := benchDates()
	b.Run("index", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			d, err := c.AddWorkingDays(ds[i&4095], 20)
			if err != nil {
				b.Fatal(err)
			}
			sinkDate = d
		}
	})
	b.Run("dayloop", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			d, ok := dayLoop(c, ds[i&4095], 20)
			if !ok {
				b.Fatal("out of range")
			}
			sinkDate = d
		}
	})
	b.Run("rickar", func(b *testing.B) {
		bc := cal.NewBusinessCalendar()
		bc.AddHoliday(gb.Holidays...)
		ts := make([]time.Time, len(ds))
		for i, d := range ds {
			ts[i] = d.Time()
		}
		for i := 0; b.Loop(); i++ {
			sinkTime = bc.WorkdaysFrom(ts[i&4095], 20)
		}
	})
}

// BenchmarkDeadline is a full FOIA computation with a clarification, two fee pauses and a PIT extension,
// including the trace.
func BenchmarkDeadline(b *testing.B) {
	c := Default()
	ds := benchDates()
	b.Run("plain", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			dl, err := c.Deadline(DeadlineInput{Received: ds[i&4095]})
			if err != nil {
				b.Fatal(err)
			}
			sinkDate = dl.Due
		}
	})
	b.Run("events", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			r := ds[i&4095]
			dl, err := c.Deadline(DeadlineInput{
				Received:  r,
				Clarified: r.AddDays(3),
				Fees:      []FeePause{{r.AddDays(10), r.AddDays(17)}, {r.AddDays(24), r.AddDays(25)}},
				Extension: ExtensionPIT,
			})
			if err != nil {
				b.Fatal(err)
			}
			sinkDate = dl.Due
		}
	})
}

// BenchmarkNew is the one-off cost of building a Calendar (embedded data plus rule years to 2099).
func BenchmarkNew(b *testing.B) {
	hs := EmbeddedHolidays()
	for b.Loop() {
		if _, err := New(hs, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchmarkInputsAgree checks that the index and the day loop agree on every benchmark input, and counts
// how often rickar/cal (England and Wales only) differs from the FOIA union calendar.
func TestBenchmarkInputsAgree(t *testing.T) {
	c := Default()
	bc := cal.NewBusinessCalendar()
	bc.AddHoliday(gb.Holidays...)
	wrong := 0
	for _, d := range benchDates() {
		a, _ := c.AddWorkingDays(d, 20)
		l, _ := dayLoop(c, d, 20)
		if a != l {
			t.Fatalf("%s: index %s, loop %s", d, a, l)
		}
		tm := bc.WorkdaysFrom(d.Time(), 20)
		if LondonDate(tm) != a {
			wrong++
		}
	}
	t.Logf("rickar/cal gb.Holidays differs from the FOIA calendar on %d of 4096 inputs", wrong)
	if wrong == 0 {
		t.Error("expected rickar/cal (England and Wales only) to miss some Scottish and NI holidays")
	}
}
