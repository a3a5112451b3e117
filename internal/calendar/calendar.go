package calendar

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// The supported span of every Calendar.
const (
	firstYear = 2012
	lastYear  = 2099
)

var (
	spanFirst = NewDate(firstYear, time.January, 1)
	spanLast  = NewDate(lastYear, time.December, 31)
	spanDays  = spanLast.Sub(spanFirst) + 1
)

// Override is an administrator's one-off change to the published bank holidays: a proclaimed extra bank holiday
// (Working false, Title naming it, e.g. "Bank Holiday for the State Funeral of Queen Elizabeth II") or a bank
// holiday that has been cancelled or moved away (Working true; Title is then an optional note).
type Override struct {
	Date    Date
	Working bool
	Title   string
}

// Calendar answers FOIA s.10(6) working-day questions over 2012-01-01..2099-12-31. A working day is any day other
// than a Saturday, a Sunday, Christmas Day, Good Friday or a bank holiday in any part of the UK (the union of the
// three gov.uk divisions); office closure days are working days. A Calendar is immutable after New and safe for
// concurrent use. Every query is O(1): New precomputes, for each day of the span, the count of working days
// before it, and the list of working days by ordinal.
type Calendar struct {
	prefix    []int32         // prefix[i]: working days in [spanFirst, spanFirst+i); len spanDays+1
	ord       []int32         // ord[k]: offset from spanFirst of the (k+1)th working day of the span
	reasons   map[Date]string // why each non-weekend holiday is not a working day (and weekend holidays, prefixed)
	dataFirst int             // first and last year of the published (non-provisional) data; 0 when none
	dataLast  int             //
}

// New returns a Calendar built from the published holidays (normally EmbeddedHolidays or a fresh ParseGovUK)
// and the administrator's overrides. Years from the first to the last year of the non-Provisional holidays are
// taken as published; every other year of the span uses RuleHolidays and is Provisional. Provisional holidays
// passed in are added to whatever a year otherwise has; holidays outside the span are ignored. Christmas Day and
// Good Friday are non-working days whatever the data says. The error wraps ErrInvalid for a holiday with no date,
// title or divisions, an unknown division, two overrides for one date, or an override marking a Saturday, Sunday,
// Christmas Day or Good Friday as a working day (the statute makes them non-working); and also ErrOutOfRange for
// an override outside the span.
func New(holidays []Holiday, overrides []Override) (*Calendar, error) {
	c := &Calendar{reasons: map[Date]string{}}
	seenOverride := map[Date]bool{}
	for i, h := range holidays {
		if h.Date.IsZero() {
			return nil, invalidf("holiday %d (%q): no date", i+1, h.Title)
		}
		if strings.TrimSpace(h.Title) == "" {
			return nil, invalidf("holiday %d (%s): no title", i+1, h.Date)
		}
		if len(h.Divisions) == 0 {
			return nil, invalidf("holiday %d (%s %s): no divisions", i+1, h.Date, h.Title)
		}
		for _, div := range h.Divisions {
			if divisionIndex(div) < 0 {
				return nil, invalidf("holiday %d (%s %s): unknown division %q", i+1, h.Date, h.Title, div)
			}
		}
		if !h.Provisional {
			y := h.Date.Year()
			if c.dataFirst == 0 || y < c.dataFirst {
				c.dataFirst = y
			}
			if y > c.dataLast {
				c.dataLast = y
			}
		}
	}

	byDate := map[Date][]Holiday{}
	add := func(h Holiday) {
		if h.Date.Before(spanFirst) || h.Date.After(spanLast) {
			return
		}
		for i, o := range byDate[h.Date] {
			if o.Title == h.Title && o.Substitute == h.Substitute { // merge divisions
				for _, div := range h.Divisions {
					if !slices.Contains(o.Divisions, div) {
						o.Divisions = append(o.Divisions, div)
					}
				}
				slices.SortFunc(o.Divisions, func(a, b string) int { return divisionIndex(a) - divisionIndex(b) })
				byDate[h.Date][i] = o
				return
			}
		}
		h.Divisions = slices.Clone(h.Divisions)
		byDate[h.Date] = append(byDate[h.Date], h)
	}
	for _, h := range holidays {
		add(h)
	}
	for y := firstYear; y <= lastYear; y++ {
		if c.dataFirst == 0 || y < c.dataFirst || y > c.dataLast {
			for _, h := range RuleHolidays(y) {
				add(h)
			}
		}
		// The statute names these two whether or not they are bank holidays.
		all := divisions[:]
		if xmas := NewDate(y, time.December, 25); !hasTitle(byDate[xmas], titleChristmas) {
			add(Holiday{Date: xmas, Title: titleChristmas, Divisions: all})
		}
		if gf := easterSunday(y).AddDays(-2); !hasTitle(byDate[gf], titleGoodFriday) {
			add(Holiday{Date: gf, Title: titleGoodFriday, Divisions: all})
		}
	}

	for i, o := range overrides {
		if o.Date.IsZero() {
			return nil, invalidf("override %d: no date", i+1)
		}
		if o.Date.Before(spanFirst) || o.Date.After(spanLast) {
			return nil, outOfRangef("override %d: %s is outside the supported range %s to %s", i+1, o.Date, spanFirst, spanLast)
		}
		if seenOverride[o.Date] {
			return nil, invalidf("override %d: %s already has an override", i+1, o.Date)
		}
		seenOverride[o.Date] = true
		if o.Working {
			if isWeekend(o.Date) {
				return nil, invalidf("override %d: %s is a %s, which is never a working day", i+1, o.Date, o.Date.Weekday())
			}
			if o.Date.Month() == time.December && o.Date.Day() == 25 {
				return nil, invalidf("override %d: %s is Christmas Day, which is never a working day", i+1, o.Date)
			}
			if o.Date == easterSunday(o.Date.Year()).AddDays(-2) {
				return nil, invalidf("override %d: %s is Good Friday, which is never a working day", i+1, o.Date)
			}
			delete(byDate, o.Date)
			continue
		}
		title := strings.TrimSpace(o.Title)
		if title == "" {
			title = "Extra bank holiday"
		}
		if !hasTitle(byDate[o.Date], title) {
			add(Holiday{Date: o.Date, Title: title, Divisions: divisions[:]})
		}
	}

	for d, hs := range byDate {
		if len(hs) == 0 {
			continue
		}
		sortHolidays(hs)
		parts := make([]string, len(hs))
		for i, h := range hs {
			parts[i] = holidayReason(h)
		}
		r := strings.Join(parts, "; ")
		if isWeekend(d) {
			r = d.Weekday().String() + ", " + r
		}
		c.reasons[d] = r
	}

	c.prefix = make([]int32, spanDays+1)
	c.ord = make([]int32, 0, spanDays*5/7)
	for i := 0; i < spanDays; i++ {
		d := spanFirst.AddDays(i)
		_, holiday := c.reasons[d]
		working := !holiday && !isWeekend(d)
		c.prefix[i+1] = c.prefix[i]
		if working {
			c.prefix[i+1]++
			c.ord = append(c.ord, int32(i))
		}
	}
	c.ord = slices.Clip(c.ord)
	return c, nil
}

func hasTitle(hs []Holiday, title string) bool {
	for _, h := range hs {
		if h.Title == title {
			return true
		}
	}
	return false
}

// holidayReason names one holiday, with a division suffix when not all three divisions share it and a substitute
// marker: "Boxing Day (substitute day)", "St Andrew’s Day (Scotland, substitute day)".
func holidayReason(h Holiday) string {
	var notes []string
	if len(h.Divisions) < len(divisions) {
		for _, div := range h.Divisions {
			notes = append(notes, divisionNames[div])
		}
	}
	if h.Substitute {
		notes = append(notes, "substitute day")
	}
	if len(notes) == 0 {
		return h.Title
	}
	return h.Title + " (" + strings.Join(notes, ", ") + ")"
}

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := New(EmbeddedHolidays(), nil)
	if err != nil {
		panic("calendar: default calendar: " + err.Error())
	}
	return c
})

// Default returns the Calendar built from EmbeddedHolidays with no overrides. It is built once, on first use, and
// shared; it panics only if the embedded data is invalid, which the package tests rule out.
func Default() *Calendar { return defaultCalendar() }

// index returns d's offset from the start of the span and whether d is inside it.
func (c *Calendar) index(d Date) (int, bool) {
	i := int(d.n - spanFirst.n)
	return i, uint(i) < uint(spanDays) && !d.IsZero()
}

func rangeErr(what string, d Date) error {
	if d.IsZero() {
		return invalidf("%s: no date given", what)
	}
	return outOfRangef("%s %s is outside the supported range %s to %s", what, d, spanFirst, spanLast)
}

// IsWorkingDay reports whether d is a working day under FOIA s.10(6). It reports false for dates outside Range,
// whose status is unknown.
func (c *Calendar) IsWorkingDay(d Date) bool {
	i, ok := c.index(d)
	return ok && c.prefix[i+1] != c.prefix[i]
}

// NonWorkingReason returns "" for a working day, and otherwise why d is not one: "Saturday", "Sunday",
// "Christmas Day", "Good Friday", "Boxing Day (substitute day)", "Summer bank holiday (Scotland)",
// "St Patrick’s Day (Northern Ireland)", an override's title, several holidays joined by "; ", and a weekend
// that is also a holiday as "Saturday, Christmas Day". Divisions are named only when not all three share the
// holiday. Dates outside Range give "outside the supported calendar (2012-01-01 to 2099-12-31)".
func (c *Calendar) NonWorkingReason(d Date) string {
	if _, ok := c.index(d); !ok {
		return "outside the supported calendar (" + spanFirst.String() + " to " + spanLast.String() + ")"
	}
	if r, ok := c.reasons[d]; ok {
		return r
	}
	if isWeekend(d) {
		return d.Weekday().String()
	}
	return ""
}

// AddWorkingDays returns the nth working day after d: d itself is day 0 and may be a non-working day, and n = 0
// returns d unchanged. It runs in constant time. The error wraps ErrInvalid for n < 0, and also ErrOutOfRange
// when d or the result lies outside Range.
func (c *Calendar) AddWorkingDays(d Date, n int) (Date, error) {
	i, ok := c.index(d)
	if !ok {
		return Date{}, rangeErr("date", d)
	}
	if n <= 0 {
		if n < 0 {
			return Date{}, invalidf("cannot add %d working days", n)
		}
		return d, nil
	}
	k := int(c.prefix[i+1]) + n - 1
	if k >= len(c.ord) {
		return Date{}, outOfRangef("%d working days after %s is past the supported range (ends %s)", n, d, spanLast)
	}
	return Date{spanFirst.n + c.ord[k]}, nil
}

// SubtractWorkingDays returns the nth working day before d (n = 0 returns d unchanged), so that
// AddWorkingDays(SubtractWorkingDays(d, n), n) == d for a working day d. It runs in constant time. The error
// wraps ErrInvalid for n < 0, and also ErrOutOfRange when d or the result lies outside Range.
func (c *Calendar) SubtractWorkingDays(d Date, n int) (Date, error) {
	i, ok := c.index(d)
	if !ok {
		return Date{}, rangeErr("date", d)
	}
	if n <= 0 {
		if n < 0 {
			return Date{}, invalidf("cannot subtract %d working days", n)
		}
		return d, nil
	}
	k := int(c.prefix[i]) - n
	if k < 0 {
		return Date{}, outOfRangef("%d working days before %s is before the supported range (starts %s)", n, d, spanFirst)
	}
	return Date{spanFirst.n + c.ord[k]}, nil
}

// WorkingDaysBetween returns the number of working days in (from, to]: from is excluded and to included, so
// WorkingDaysBetween(d, AddWorkingDays(d, n)) == n. It is negative when to is before from. It runs in constant
// time. The error wraps ErrInvalid and ErrOutOfRange when either date lies outside Range.
func (c *Calendar) WorkingDaysBetween(from, to Date) (int, error) {
	i, ok := c.index(from)
	if !ok {
		return 0, rangeErr("date", from)
	}
	j, ok := c.index(to)
	if !ok {
		return 0, rangeErr("date", to)
	}
	return int(c.prefix[j+1] - c.prefix[i+1]), nil
}

// Provisional reports whether d lies in a year not covered by the published holiday data given to New (for
// Default, any year after 2028), where the holidays come from RuleHolidays and may still change.
func (c *Calendar) Provisional(d Date) bool {
	y := d.Year()
	return c.dataFirst == 0 || y < c.dataFirst || y > c.dataLast
}

// Range returns the first and last dates the Calendar supports: 2012-01-01 and 2099-12-31.
func (c *Calendar) Range() (first, last Date) { return spanFirst, spanLast }
