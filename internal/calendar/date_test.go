package calendar

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

func TestDateAgreesWithTimePackage(t *testing.T) {
	start := time.Date(1899, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 80000; i++ { // 1899 .. ~2118
		tm := start.AddDate(0, 0, i)
		d := NewDate(tm.Year(), tm.Month(), tm.Day())
		if d.Year() != tm.Year() || d.Month() != tm.Month() || d.Day() != tm.Day() || d.Weekday() != tm.Weekday() {
			t.Fatalf("%s: got %04d-%02d-%02d %s", tm.Format(time.DateOnly), d.Year(), d.Month(), d.Day(), d.Weekday())
		}
		if got := d.String(); got != tm.Format(time.DateOnly) {
			t.Fatalf("String: got %q want %q", got, tm.Format(time.DateOnly))
		}
		if !d.Time().Equal(tm) {
			t.Fatalf("Time: got %v want %v", d.Time(), tm)
		}
		if i > 0 && d.Sub(NewDate(start.Year(), start.Month(), start.Day())) != i {
			t.Fatalf("Sub wrong at %s", d)
		}
	}
}

func TestNewDateNormalises(t *testing.T) {
	for _, tc := range []struct {
		y    int
		m    time.Month
		d    int
		want string
	}{
		{2025, 13, 1, "2026-01-01"},
		{2025, 2, 29, "2025-03-01"},
		{2024, 2, 29, "2024-02-29"},
		{2026, 1, 0, "2025-12-31"},
		{2026, 0, 1, "2025-12-01"},
		{2026, -11, 1, "2025-01-01"},
	} {
		if got := NewDate(tc.y, tc.m, tc.d).String(); got != tc.want {
			t.Errorf("NewDate(%d,%d,%d) = %s, want %s", tc.y, tc.m, tc.d, got, tc.want)
		}
	}
	if !NewDate(0, 12, 31).IsZero() || !(Date{}).IsZero() || NewDate(1, 1, 1).IsZero() {
		t.Error("IsZero wrong")
	}
}

func TestParseDate(t *testing.T) {
	for _, ok := range []string{"2026-12-25", "2024-02-29", "0001-01-01", "9999-12-31"} {
		d, err := ParseDate(ok)
		if err != nil || d.String() != ok {
			t.Errorf("ParseDate(%q) = %v, %v", ok, d, err)
		}
	}
	for _, bad := range []string{"", "2025-13-01", "2025-02-29", "2025-1-01", "2025/01/01", "20250101", "2025-01-01T00:00:00Z",
		" 2025-01-01", "2025-01-32", "0000-01-01", "2025-00-10", "2025-04-31", "+025-01-01", "2025-01-0a"} {
		if _, err := ParseDate(bad); err == nil || !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseDate(%q): err = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestDateComparisons(t *testing.T) {
	a, b := mustDate(t, "2025-01-06"), mustDate(t, "2025-02-03")
	if !a.Before(b) || a.After(b) || a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("comparisons wrong")
	}
	if b.Sub(a) != 28 || a.AddDays(28) != b || b.AddDays(-28) != a {
		t.Error("arithmetic wrong")
	}
	if a != NewDate(2025, time.January, 6) {
		t.Error("== wrong")
	}
}

func TestLondonDate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2026-03-28T23:30:00Z", "2026-03-28"},      // GMT
		{"2026-06-30T23:30:00Z", "2026-07-01"},      // BST: 00:30 on 1 July
		{"2026-06-30T22:59:59Z", "2026-06-30"},      // BST 23:59:59
		{"2026-06-30T23:00:00Z", "2026-07-01"},      // BST midnight
		{"2026-03-29T00:30:00Z", "2026-03-29"},      // BST starts 01:00 UTC on 29 March 2026
		{"2026-03-28T23:59:59Z", "2026-03-28"},      //
		{"2026-10-24T23:30:00Z", "2026-10-25"},      // still BST on the night before it ends (25 Oct 2026)
		{"2026-10-25T23:30:00Z", "2026-10-25"},      // GMT again
		{"2026-07-01T00:30:00+01:00", "2026-07-01"}, // offset given
		{"2026-07-01T08:30:00+09:00", "2026-07-01"}, // 23:30Z on 30 June = 00:30 BST on 1 July
		{"2026-01-01T05:00:00+05:30", "2025-12-31"}, // 23:30Z
		{"2026-12-31T23:59:59.999Z", "2026-12-31"},  // fractional seconds
		{"1990-07-01T23:30:00Z", "1990-07-02"},      // legacy path, BST
		{"1970-06-01T23:30:00Z", "1970-06-02"},      // British Standard Time (GMT+1 all year)
		{"1970-12-01T23:30:00Z", "1970-12-02"},      //
		{"1980-12-01T23:30:00Z", "1980-12-01"},      //
	} {
		d, err := ParseReceipt(tc.in)
		if err != nil {
			t.Fatalf("ParseReceipt(%q): %v", tc.in, err)
		}
		if d.String() != tc.want {
			t.Errorf("ParseReceipt(%q) = %s, want %s", tc.in, d, tc.want)
		}
	}
	if d, err := ParseReceipt("2026-03-28"); err != nil || d.String() != "2026-03-28" {
		t.Errorf("ParseReceipt(date) = %v, %v", d, err)
	}
	for _, bad := range []string{"", "yesterday", "2026-03-28T23:30:00", "2026-03-28 23:30:00Z", "2026-13-28T23:30:00Z"} {
		if _, err := ParseReceipt(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseReceipt(%q): err = %v, want ErrInvalid", bad, err)
		}
	}
}

// TestLondonDateAgreesWithTZData checks the hand-coded BST rule against the tz database, every 30 minutes
// around each transition and every 7h13m otherwise, 1996-2099.
func TestLondonDateAgreesWithTZData(t *testing.T) {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no tz data:", err)
	}
	check := func(tm time.Time) {
		y, m, d := tm.In(loc).Date()
		if got, want := LondonDate(tm), NewDate(y, m, d); got != want {
			t.Fatalf("LondonDate(%s) = %s, want %s", tm.Format(time.RFC3339), got, want)
		}
	}
	for y := 1996; y <= 2099; y++ {
		for _, u := range []int64{bstStart(y), bstEnd(y)} {
			for dt := int64(-26 * 3600); dt <= 26*3600; dt += 1800 {
				check(time.Unix(u+dt, 0))
				check(time.Unix(u+dt-1, 0))
			}
		}
	}
	end := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	for tm := time.Date(1996, 1, 1, 0, 0, 0, 0, time.UTC); tm.Before(end); tm = tm.Add(7*time.Hour + 13*time.Minute) {
		check(tm)
	}
}

func TestDateText(t *testing.T) {
	type rec struct {
		D Date  `json:"d"`
		Z Date  `json:"z"`
		P *Date `json:"p,omitempty"`
	}
	b, err := json.Marshal(rec{D: mustDate(t, "2026-12-25")})
	if err != nil || string(b) != `{"d":"2026-12-25","z":""}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var r rec
	if err := json.Unmarshal([]byte(`{"d":"2027-01-07","z":""}`), &r); err != nil || r.D.String() != "2027-01-07" || !r.Z.IsZero() {
		t.Fatalf("Unmarshal = %+v, %v", r, err)
	}
	if err := json.Unmarshal([]byte(`{"d":"2027-02-30"}`), &r); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Unmarshal bad date: %v", err)
	}
	if (Date{}).String() != "" {
		t.Error("zero String not empty")
	}
	if s := mustDate(t, "2026-12-25").GoString(); s != "calendar.NewDate(2026, 12, 25)" {
		t.Errorf("GoString = %s", s)
	}
}

func TestDateSQL(t *testing.T) {
	d := mustDate(t, "2026-12-25")
	if v, err := d.Value(); err != nil || v != "2026-12-25" {
		t.Errorf("Value = %v, %v", v, err)
	}
	if v, err := (Date{}).Value(); err != nil || v != nil {
		t.Errorf("zero Value = %v, %v", v, err)
	}
	for _, src := range []any{
		"2026-12-25", []byte("2026-12-25"), "2026-12-25T00:00:00Z", "2026-12-25 00:00:00+00:00",
		time.Date(2026, 12, 25, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 25, 23, 0, 0, 0, time.FixedZone("x", -5*3600)), // fields as given, no conversion
	} {
		var got Date
		if err := got.Scan(src); err != nil || got != d {
			t.Errorf("Scan(%#v) = %v, %v", src, got, err)
		}
	}
	got := d
	if err := got.Scan(nil); err != nil || !got.IsZero() {
		t.Errorf("Scan(nil) = %v, %v", got, err)
	}
	for _, bad := range []any{42, "2026-12-32", "", 3.5} {
		if err := got.Scan(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("Scan(%#v): err = %v", bad, err)
		}
	}
}
