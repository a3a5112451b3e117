package calendar

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"sync"
	"time"
	_ "time/tzdata" // Europe/London for instants before 1996 (see LondonDate); never needs the host's zoneinfo
)

// Date is a civil calendar date with no time zone. It is a single int32 (days since 0000-12-31, so 0001-01-01 is
// day 1), comparable with == and usable as a map key. The zero value means "no date": IsZero reports true,
// String and MarshalText give "" and Value gives SQL NULL.
type Date struct{ n int32 }

// unixEpochDay is the internal day number of 1970-01-01.
const unixEpochDay = 719163

// NewDate returns the date year-month-day. Like time.Date it normalises out-of-range values, so month 13 of
// 2025 is January 2026 and 2025-02-29 is 2025-03-01. Years should lie within 1..9999; NewDate(0, 12, 31) is the
// zero Date.
func NewDate(year int, month time.Month, day int) Date {
	m := int64(month) - 1
	y := int64(year) + floorDiv(m, 12)
	m = m - floorDiv(m, 12)*12 + 1
	return fromUnixDays(daysFromCivil(y, m, 1) + int64(day) - 1)
}

// fromUnixDays returns the date that is days after 1970-01-01.
func fromUnixDays(days int64) Date { return Date{int32(days + unixEpochDay)} }

// unixDays returns the number of days from 1970-01-01 to d.
func (d Date) unixDays() int64 { return int64(d.n) - unixEpochDay }

// daysFromCivil returns the number of days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
// (Howard Hinnant's algorithm; m in 1..12, d may overflow the month).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12 // March = 0
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// ParseDate returns the date written strictly as YYYY-MM-DD (four-digit year 0001-9999, two-digit month and day,
// the day existing in that month). Any other form, including a trailing time, returns an error that wraps
// ErrInvalid.
func ParseDate(s string) (Date, error) {
	d, ok := parseDate(s)
	if !ok {
		return Date{}, invalidf("%q is not a date (want YYYY-MM-DD)", s)
	}
	return d, nil
}

func parseDate(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	num := func(s string) (int, bool) {
		v := 0
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := num(s[0:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return Date{}, false
	}
	return NewDate(y, time.Month(m), d), true
}

// daysIn returns the number of days in the month.
func daysIn(year int, m time.Month) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// ParseReceipt returns the date of receipt written either as a YYYY-MM-DD date (taken as the London date itself)
// or as an RFC 3339 timestamp with a zone or offset, such as "2026-06-30T23:30:00Z" (converted with LondonDate,
// here 2026-07-01). Anything else returns an error that wraps ErrInvalid.
func ParseReceipt(s string) (Date, error) {
	if d, ok := parseDate(s); ok {
		return d, nil
	}
	if len(s) <= 10 {
		return ParseDate(s)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return Date{}, invalidf("%q is neither a date (YYYY-MM-DD) nor an RFC 3339 timestamp", s)
	}
	return LondonDate(t), nil
}

// LondonDate returns the Europe/London calendar date of the instant t, whatever t's location or offset. It never
// reads the clock or the host's time-zone files: from 1996 on it applies the UK summer-time rule (BST from 01:00
// UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October); earlier instants use the Go
// runtime's embedded copy of the tz database.
func LondonDate(t time.Time) Date {
	u := t.Unix()
	utc := fromUnixDays(floorDiv(u, 86400))
	y := utc.Year()
	if y < 1996 {
		return legacyLondonDate(t)
	}
	if u >= bstStart(y) && u < bstEnd(y) {
		return fromUnixDays(floorDiv(u+3600, 86400))
	}
	return utc
}

// bstStart returns the Unix time at which British Summer Time begins in year y (y >= 1996).
func bstStart(y int) int64 { return lastSunday(y, time.March).unixDays()*86400 + 3600 }

// bstEnd returns the Unix time at which British Summer Time ends in year y (y >= 1996).
func bstEnd(y int) int64 { return lastSunday(y, time.October).unixDays()*86400 + 3600 }

// lastSunday returns the last Sunday of the month.
func lastSunday(y int, m time.Month) Date {
	last := NewDate(y, m+1, 0)
	return last.AddDays(-int(last.Weekday()))
}

var londonLocation = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil { // cannot happen: time/tzdata is linked in
		return time.UTC
	}
	return loc
})

func legacyLondonDate(t time.Time) Date {
	y, m, d := t.In(londonLocation()).Date()
	return NewDate(y, m, d)
}

// String returns the date as "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	var buf [10]byte
	return string(d.appendTo(buf[:0]))
}

func (d Date) appendTo(b []byte) []byte {
	y, m, dd := civilFromDays(d.unixDays())
	if y < 0 || y > 9999 {
		return fmt.Appendf(b, "%04d-%02d-%02d", y, m, dd)
	}
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+m/10), byte('0'+m%10), '-')
	return append(b, byte('0'+dd/10), byte('0'+dd%10))
}

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d.n == 0 }

// Year returns the year of d.
func (d Date) Year() int { y, _, _ := civilFromDays(d.unixDays()); return int(y) }

// Month returns the month of d.
func (d Date) Month() time.Month { _, m, _ := civilFromDays(d.unixDays()); return time.Month(m) }

// Day returns the day of the month of d.
func (d Date) Day() int { _, _, dd := civilFromDays(d.unixDays()); return int(dd) }

// Date returns the year, month and day of d.
func (d Date) Date() (year int, month time.Month, day int) {
	y, m, dd := civilFromDays(d.unixDays())
	return int(y), time.Month(m), int(dd)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Weekday((d.unixDays()%7 + 7 + 4) % 7) // 1970-01-01 was a Thursday
}

// AddDays returns the date n calendar days after d (before it when n is negative).
func (d Date) AddDays(n int) Date { return Date{d.n + int32(n)} }

// Sub returns the number of calendar days from o to d (d - o).
func (d Date) Sub(o Date) int { return int(d.n - o.n) }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.n < o.n }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.n > o.n }

// Compare returns -1 if d is before o, 0 if they are equal and +1 if d is after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.n < o.n:
		return -1
	case d.n > o.n:
		return 1
	}
	return 0
}

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time { return time.Unix(d.unixDays()*86400, 0).UTC() }

// MarshalText returns the date as "YYYY-MM-DD" ("" for the zero Date); it never fails.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return d.appendTo(make([]byte, 0, 10)), nil
}

// UnmarshalText sets d from "YYYY-MM-DD", or to the zero Date for empty text. Other text returns the ParseDate
// error (wrapping ErrInvalid) and leaves d unchanged.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value implements driver.Valuer: the "YYYY-MM-DD" string, or nil (SQL NULL) for the zero Date. It never fails.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan implements sql.Scanner. It accepts nil (the zero Date), a time.Time (its calendar date in its own
// location, with no zone conversion, as drivers return DATE columns), and a string or []byte holding
// "YYYY-MM-DD", optionally followed by a time part after 'T' or a space (the date part is used as written). Any
// other type or text returns an error wrapping ErrInvalid.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		y, m, dd := v.Date()
		*d = NewDate(y, m, dd)
		return nil
	case string:
		return d.scanString(v)
	case []byte:
		return d.scanString(string(v))
	}
	return invalidf("cannot scan %T into a calendar.Date", src)
}

func (d *Date) scanString(s string) error {
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		s = s[:10]
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// GoString returns a Go-syntax form, calendar.NewDate(2026, 12, 25), for %#v.
func (d Date) GoString() string {
	if d.IsZero() {
		return "calendar.Date{}"
	}
	y, m, dd := d.Date()
	return "calendar.NewDate(" + strconv.Itoa(y) + ", " + strconv.Itoa(int(m)) + ", " + strconv.Itoa(dd) + ")"
}
