package calendar

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// The three bank-holiday divisions of the UK, as named in gov.uk's bank-holidays.json.
const (
	DivisionEnglandAndWales = "england-and-wales"
	DivisionScotland        = "scotland"
	DivisionNorthernIreland = "northern-ireland"
)

// divisions lists the divisions in canonical order.
var divisions = [...]string{DivisionEnglandAndWales, DivisionScotland, DivisionNorthernIreland}

// divisionNames are the human names used in NonWorkingReason.
var divisionNames = map[string]string{
	DivisionEnglandAndWales: "England and Wales",
	DivisionScotland:        "Scotland",
	DivisionNorthernIreland: "Northern Ireland",
}

func divisionIndex(div string) int {
	for i, d := range divisions {
		if d == div {
			return i
		}
	}
	return -1
}

// Holiday is one bank holiday: a date, its gov.uk title (with curly apostrophes, e.g. "St Patrick’s Day"), the
// divisions in which it is a bank holiday (canonical order: england-and-wales, scotland, northern-ireland),
// whether it is a substitute day for a holiday that fell at a weekend, and whether it was derived from the rules
// rather than published by gov.uk.
type Holiday struct {
	Date        Date
	Title       string
	Divisions   []string
	Substitute  bool
	Provisional bool
}

//go:embed data/uk-bank-holidays.json
var embeddedJSON []byte

var embedded = sync.OnceValues(func() ([]Holiday, error) { return ParseGovUK(embeddedJSON) })

// EmbeddedHolidays returns a fresh copy of the bank holidays shipped with the binary (the gov.uk snapshot in
// data/uk-bank-holidays.json, 2012-2028), as ParseGovUK returns them. It panics only if that file is invalid,
// which the package tests rule out.
func EmbeddedHolidays() []Holiday {
	hs, err := embedded()
	if err != nil {
		panic("calendar: embedded bank-holiday data: " + err.Error())
	}
	return cloneHolidays(hs)
}

func cloneHolidays(hs []Holiday) []Holiday {
	out := make([]Holiday, len(hs))
	for i, h := range hs {
		h.Divisions = slices.Clone(h.Divisions)
		out[i] = h
	}
	return out
}

type govukFile map[string]*struct {
	Division string `json:"division"`
	Events   []struct {
		Title string `json:"title"`
		Date  string `json:"date"`
		Notes string `json:"notes"`
	} `json:"events"`
}

// ParseGovUK parses and validates a gov.uk bank-holidays.json document (https://www.gov.uk/bank-holidays.json).
// It returns the holidays sorted by date, one Holiday per distinct (date, title, substitute) with the divisions
// that share it merged, none of them Provisional. The error (wrapping ErrInvalid) says exactly what is wrong,
// naming the division and the 1-based event number: malformed JSON; a missing, unknown or mislabelled division;
// a division with no events; `scotland event 4: date "2025-13-01" is not a date`; an empty title; a date listed
// twice in one division; a year with no events between a division's first and last year; or divisions covering
// different years.
func ParseGovUK(b []byte) ([]Holiday, error) {
	var f govukFile
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&f); err != nil {
		return nil, invalidf("bank holidays: %s", describeJSONError(err))
	}
	if dec.More() {
		return nil, invalidf("bank holidays: unexpected data after the JSON object")
	}
	for name := range f {
		if divisionIndex(name) < 0 {
			return nil, invalidf("bank holidays: unknown division %q", name)
		}
	}
	type key struct {
		d     Date
		title string
		sub   bool
	}
	merged := map[key]*Holiday{}
	var spanDiv string
	var spanFirst, spanLast int
	for _, div := range divisions {
		fd := f[div]
		if fd == nil {
			return nil, invalidf("bank holidays: division %q is missing", div)
		}
		if fd.Division != div {
			return nil, invalidf("bank holidays: division %q is labelled %q", div, fd.Division)
		}
		if len(fd.Events) == 0 {
			return nil, invalidf("bank holidays: %s has no events", div)
		}
		seen := map[Date]int{}
		years := map[int]bool{}
		first, last := 0, 0
		for i, ev := range fd.Events {
			d, ok := parseDate(ev.Date)
			if !ok {
				return nil, invalidf("%s event %d: date %q is not a date", div, i+1, ev.Date)
			}
			title := strings.TrimSpace(ev.Title)
			if title == "" {
				return nil, invalidf("%s event %d (%s): title is empty", div, i+1, ev.Date)
			}
			if j, dup := seen[d]; dup {
				return nil, invalidf("%s event %d: date %s is already event %d", div, i+1, ev.Date, j)
			}
			seen[d] = i + 1
			y := d.Year()
			years[y] = true
			if first == 0 || y < first {
				first = y
			}
			if y > last {
				last = y
			}
			k := key{d, title, strings.EqualFold(strings.TrimSpace(ev.Notes), "Substitute day")}
			h := merged[k]
			if h == nil {
				h = &Holiday{Date: d, Title: title, Substitute: k.sub}
				merged[k] = h
			}
			h.Divisions = append(h.Divisions, div)
		}
		for y := first; y <= last; y++ {
			if !years[y] {
				return nil, invalidf("bank holidays: %s has no events in %d (years must be contiguous, %d-%d)", div, y, first, last)
			}
		}
		if spanDiv == "" {
			spanDiv, spanFirst, spanLast = div, first, last
		} else if first != spanFirst || last != spanLast {
			return nil, invalidf("bank holidays: %s covers %d-%d but %s covers %d-%d", div, first, last, spanDiv, spanFirst, spanLast)
		}
	}
	out := make([]Holiday, 0, len(merged))
	for _, h := range merged {
		out = append(out, *h)
	}
	sortHolidays(out)
	return out, nil
}

// sortHolidays orders holidays by date, then the widest first, then by title.
func sortHolidays(hs []Holiday) {
	slices.SortFunc(hs, func(a, b Holiday) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		if c := len(b.Divisions) - len(a.Divisions); c != 0 {
			return c
		}
		return strings.Compare(a.Title, b.Title)
	})
}

// Titles used by gov.uk.
const (
	titleNewYear      = "New Year’s Day"
	title2ndJanuary   = "2nd January"
	titleStPatrick    = "St Patrick’s Day"
	titleGoodFriday   = "Good Friday"
	titleEasterMonday = "Easter Monday"
	titleEarlyMay     = "Early May bank holiday"
	titleSpring       = "Spring bank holiday"
	titleBoyne        = "Battle of the Boyne (Orangemen’s Day)"
	titleSummer       = "Summer bank holiday"
	titleStAndrew     = "St Andrew’s Day"
	titleChristmas    = "Christmas Day"
	titleBoxing       = "Boxing Day"
)

type fixedHoliday struct {
	month time.Month
	day   int
	title string
}

// fixedByDivision lists each division's fixed-date holidays in date order.
var fixedByDivision = map[string][]fixedHoliday{
	DivisionEnglandAndWales: {{time.January, 1, titleNewYear}, {time.December, 25, titleChristmas}, {time.December, 26, titleBoxing}},
	DivisionScotland: {{time.January, 1, titleNewYear}, {time.January, 2, title2ndJanuary}, {time.November, 30, titleStAndrew},
		{time.December, 25, titleChristmas}, {time.December, 26, titleBoxing}},
	DivisionNorthernIreland: {{time.January, 1, titleNewYear}, {time.March, 17, titleStPatrick}, {time.July, 12, titleBoyne},
		{time.December, 25, titleChristmas}, {time.December, 26, titleBoxing}},
}

// RuleHolidays returns the bank holidays of year y derived from each nation's standing rules, all marked
// Provisional: New Year's Day; 2 January (Scotland); St Patrick's Day 17 March (Northern Ireland); Good Friday;
// Easter Monday (England and Wales, Northern Ireland); the first and last Mondays of May; the Battle of the Boyne
// 12 July (Northern Ireland); the first Monday of August (Scotland) or the last (England and Wales, Northern
// Ireland); St Andrew's Day 30 November (Scotland); Christmas Day and Boxing Day. A fixed-date holiday that falls
// on a Saturday or Sunday is replaced by a substitute day: the next weekday that is not already a holiday in that
// division. One-off proclamations (a moved Early May, jubilees, funerals, coronations) cannot be predicted and are
// not included. The result is sorted as ParseGovUK sorts.
func RuleHolidays(y int) []Holiday {
	easter := easterSunday(y)
	type dated struct {
		title string
		sub   bool
	}
	type mkey struct {
		d     Date
		title string
		sub   bool
	}
	merged := map[mkey]*Holiday{}
	for _, div := range divisions {
		days := map[Date]dated{}
		days[easter.AddDays(-2)] = dated{title: titleGoodFriday}
		days[nthMonday(y, time.May, 1)] = dated{title: titleEarlyMay}
		days[nthMonday(y, time.May, -1)] = dated{title: titleSpring}
		if div == DivisionScotland {
			days[nthMonday(y, time.August, 1)] = dated{title: titleSummer}
		} else {
			days[easter.AddDays(1)] = dated{title: titleEasterMonday}
			days[nthMonday(y, time.August, -1)] = dated{title: titleSummer}
		}
		var weekend []fixedHoliday
		for _, f := range fixedByDivision[div] {
			d := NewDate(y, f.month, f.day)
			if isWeekend(d) {
				weekend = append(weekend, f)
			} else {
				days[d] = dated{title: f.title}
			}
		}
		for _, f := range weekend {
			d := NewDate(y, f.month, f.day)
			for {
				d = d.AddDays(1)
				if _, taken := days[d]; !taken && !isWeekend(d) {
					break
				}
			}
			days[d] = dated{title: f.title, sub: true}
		}
		for d, v := range days {
			k := mkey{d, v.title, v.sub}
			h := merged[k]
			if h == nil {
				h = &Holiday{Date: d, Title: v.title, Substitute: v.sub, Provisional: true}
				merged[k] = h
			}
			h.Divisions = append(h.Divisions, div)
		}
	}
	out := make([]Holiday, 0, len(merged))
	for _, h := range merged {
		out = append(out, *h)
	}
	sortHolidays(out)
	return out
}

func isWeekend(d Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// nthMonday returns the nth Monday of the month (n >= 1), or the last one when n is -1.
func nthMonday(y int, m time.Month, n int) Date {
	if n < 0 {
		last := NewDate(y, m+1, 0)
		return last.AddDays(-((int(last.Weekday()) - int(time.Monday) + 7) % 7))
	}
	first := NewDate(y, m, 1)
	return first.AddDays((int(time.Monday)-int(first.Weekday())+7)%7 + 7*(n-1))
}

// easterSunday returns Western Easter Sunday of year y (anonymous Gregorian computus).
func easterSunday(y int) Date {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDate(y, time.Month(month), day)
}

// describeJSONError says what is wrong with a file that does not decode, in words that do not name Go types.
func describeJSONError(err error) string {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("not valid JSON (at byte %d: %v)", syntax.Offset, syntax)
	case errors.As(err, &typeErr):
		where := typeErr.Field
		if where == "" {
			where = "the top level"
		}
		return fmt.Sprintf("not in gov.uk format: %s holds a JSON %s where the format has an object of divisions with events", where, typeErr.Value)
	}
	return "not valid JSON: " + err.Error()
}
