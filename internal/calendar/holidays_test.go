package calendar

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestEmbeddedHolidays(t *testing.T) {
	hs := EmbeddedHolidays()
	if len(hs) < 200 {
		t.Fatalf("only %d holidays", len(hs))
	}
	if hs[0].Date.String() != "2012-01-02" || hs[len(hs)-1].Date.String() != "2028-12-26" {
		t.Errorf("span %s..%s", hs[0].Date, hs[len(hs)-1].Date)
	}
	for i, h := range hs {
		if h.Provisional || h.Title == "" || len(h.Divisions) == 0 {
			t.Errorf("bad holiday %+v", h)
		}
		if i > 0 && hs[i-1].Date.After(h.Date) {
			t.Errorf("not sorted at %s", h.Date)
		}
	}
	// The copy is the caller's own.
	hs[0].Divisions[0] = "mutated"
	if EmbeddedHolidays()[0].Divisions[0] == "mutated" {
		t.Error("EmbeddedHolidays shares its slices")
	}
	// The embedded file is the shared snapshot.
	if shared, err := os.ReadFile("../../../shared/data/uk-bank-holidays.json"); err == nil && string(shared) != string(embeddedJSON) {
		t.Log("note: embedded data differs from /work/shared/data/uk-bank-holidays.json")
	}
	want := map[string]string{ // a few merged entries
		"2022-09-19": "Bank Holiday for the State Funeral of Queen Elizabeth II|england-and-wales,scotland,northern-ireland|false",
		"2024-12-02": "St Andrew’s Day|scotland|true",
		"2026-12-28": "Boxing Day|england-and-wales,scotland,northern-ireland|true",
		"2025-04-21": "Easter Monday|england-and-wales,northern-ireland|false",
	}
	for _, h := range hs {
		if w, ok := want[h.Date.String()]; ok {
			if got := fmt.Sprintf("%s|%s|%v", h.Title, strings.Join(h.Divisions, ","), h.Substitute); got != w {
				t.Errorf("%s: got %s want %s", h.Date, got, w)
			}
		}
	}
}

const (
	goodEW = `"england-and-wales":{"division":"england-and-wales","events":[{"title":"New Year’s Day","date":"2025-01-01","notes":"","bunting":true},{"title":"Christmas Day","date":"2026-12-25","notes":"","bunting":true}]}`
	goodNI = `"northern-ireland":{"division":"northern-ireland","events":[{"title":"St Patrick’s Day","date":"2025-03-17","notes":"","bunting":true},{"title":"Boxing Day","date":"2026-12-28","notes":"Substitute day","bunting":true}]}`
)

func scot(events string) string {
	return `"scotland":{"division":"scotland","events":[` + events + `]}`
}

const scotEvents = `{"title":"New Year’s Day","date":"2025-01-01","notes":""},{"title":"2nd January","date":"2025-01-02","notes":""},{"title":"St Andrew’s Day","date":"2025-12-01","notes":"Substitute day"},{"title":"Boxing Day","date":"2026-12-28","notes":"Substitute day"}`

func TestParseGovUKSmall(t *testing.T) {
	hs, err := ParseGovUK([]byte("{" + goodEW + "," + scot(scotEvents) + "," + goodNI + "}"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hs {
		got = append(got, fmt.Sprintf("%s %s %v %v", h.Date, h.Title, h.Divisions, h.Substitute))
	}
	want := []string{
		"2025-01-01 New Year’s Day [england-and-wales scotland] false",
		"2025-01-02 2nd January [scotland] false",
		"2025-03-17 St Patrick’s Day [northern-ireland] false",
		"2025-12-01 St Andrew’s Day [scotland] true",
		"2026-12-25 Christmas Day [england-and-wales] false",
		"2026-12-28 Boxing Day [scotland northern-ireland] true",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseGovUKRejects(t *testing.T) {
	ev := func(title, date string) string {
		return fmt.Sprintf(`{"title":%q,"date":%q,"notes":""}`, title, date)
	}
	scotWith := func(extra ...string) string {
		return scot(scotEvents + "," + strings.Join(extra, ","))
	}
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"not json", `{"england-and-wales":`, "not valid JSON"},
		{"array", `[]`, "not in gov.uk format"},
		{"trailing", "{" + goodEW + "," + scot(scotEvents) + "," + goodNI + "} {}", "unexpected data after"},
		{"missing scotland", "{" + goodEW + "," + goodNI + "}", `division "scotland" is missing`},
		{"unknown division", "{" + goodEW + "," + scot(scotEvents) + "," + goodNI + `,"wales":{"division":"wales","events":[]}}`, `unknown division "wales"`},
		{"mislabelled", "{" + goodEW + `,"scotland":{"division":"northern-ireland","events":[` + scotEvents + `]},` + goodNI + "}", `division "scotland" is labelled "northern-ireland"`},
		{"no events", "{" + goodEW + "," + scot("") + "," + goodNI + "}", "scotland has no events"},
		{"bad month", "{" + goodEW + "," + scot(scotEvents+","+ev("X", "2025-13-01")) + "," + goodNI + "}", `scotland event 5: date "2025-13-01" is not a date`},
		{"bad date 4", "{" + goodEW + "," + scot(ev("A", "2025-01-01")+","+ev("B", "2025-01-02")+","+ev("C", "2026-12-28")+","+ev("D", "2025-13-01")) + "," + goodNI + "}", `scotland event 4: date "2025-13-01" is not a date`},
		{"no date", "{" + goodEW + "," + scotWith(`{"title":"X"}`) + "," + goodNI + "}", `scotland event 5: date "" is not a date`},
		{"empty title", "{" + goodEW + "," + scotWith(ev("  ", "2025-11-30")) + "," + goodNI + "}", "scotland event 5 (2025-11-30): title is empty"},
		{"duplicate", "{" + goodEW + "," + scotWith(ev("Again", "2025-01-02")) + "," + goodNI + "}", "scotland event 5: date 2025-01-02 is already event 2"},
		{"gap year", "{" + goodEW + "," + scot(ev("A", "2024-01-01")+","+ev("B", "2026-01-01")) + "," + goodNI + "}", "scotland has no events in 2025 (years must be contiguous, 2024-2026)"},
		{"different spans", "{" + goodEW + "," + scotWith(ev("Later", "2027-01-01")) + "," + goodNI + "}", "scotland covers 2025-2027 but england-and-wales covers 2025-2026"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseGovUK([]byte(tc.doc))
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

func TestEasterSunday(t *testing.T) {
	for y, want := range map[int]string{
		2012: "2012-04-08", 2019: "2019-04-21", 2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05",
		2027: "2027-03-28", 2038: "2038-04-25", 2035: "2035-03-25", 2049: "2049-04-18", 2285: "2285-03-22",
	} {
		if got := easterSunday(y).String(); got != want {
			t.Errorf("Easter %d = %s, want %s", y, got, want)
		}
	}
}

// TestRuleHolidaysReproduceGovUK runs the rule generator over 2013-2028 and checks it gives exactly the gov.uk
// data except for the known one-off proclamations and one inconsistent gov.uk labelling.
func TestRuleHolidaysReproduceGovUK(t *testing.T) {
	type entry struct {
		div, date, title string
		sub              bool
	}
	flatten := func(hs []Holiday) map[entry]bool {
		m := map[entry]bool{}
		for _, h := range hs {
			for _, d := range h.Divisions {
				m[entry{d, h.Date.String(), h.Title, h.Substitute}] = true
			}
		}
		return m
	}
	var dataHs, ruleHs []Holiday
	for _, h := range EmbeddedHolidays() {
		if y := h.Date.Year(); y >= 2013 && y <= 2028 {
			dataHs = append(dataHs, h)
		}
	}
	for y := 2013; y <= 2028; y++ {
		for _, h := range RuleHolidays(y) {
			if !h.Provisional {
				t.Errorf("rule holiday %s not provisional", h.Date)
			}
			ruleHs = append(ruleHs, h)
		}
	}
	data, rules := flatten(dataHs), flatten(ruleHs)
	var diff []string
	for e := range data {
		if !rules[e] {
			diff = append(diff, fmt.Sprintf("data %s %s %s", e.date, e.div, e.title))
		}
	}
	for e := range rules {
		if !data[e] {
			diff = append(diff, fmt.Sprintf("rule %s %s %s", e.date, e.div, e.title))
		}
	}
	// Collapse the three divisions for one-offs that applied UK-wide.
	var known []string
	for _, div := range divisions {
		known = append(known,
			"data 2020-05-08 "+div+" Early May bank holiday (VE day)", // Early May moved for VE Day 75
			"rule 2020-05-04 "+div+" Early May bank holiday",
			"data 2022-06-02 "+div+" Spring bank holiday", // Platinum Jubilee: Spring moved, extra day
			"data 2022-06-03 "+div+" Platinum Jubilee bank holiday",
			"rule 2022-05-30 "+div+" Spring bank holiday",
			"data 2022-09-19 "+div+" Bank Holiday for the State Funeral of Queen Elizabeth II",
			"data 2023-05-08 "+div+" Bank holiday for the coronation of King Charles III",
		)
	}
	known = append(known, // same dates; gov.uk labelled 2023 the other way round from 2012 and 2017
		"data 2023-01-02 scotland New Year’s Day", "data 2023-01-03 scotland 2nd January",
		"rule 2023-01-02 scotland 2nd January", "rule 2023-01-03 scotland New Year’s Day")
	slices.Sort(diff)
	slices.Sort(known)
	if !slices.Equal(diff, known) {
		t.Errorf("rules vs gov.uk 2013-2028:\n got  %s\n want %s", strings.Join(diff, "\n      "), strings.Join(known, "\n      "))
	}
}

func TestRuleHolidaysFutureYears(t *testing.T) {
	for y := 2012; y <= 2099; y++ {
		hs := RuleHolidays(y)
		perDiv := map[string]int{}
		for _, h := range hs {
			if h.Date.Year() != y && !(h.Date.Month() == time.January && h.Date.Year() == y) {
				t.Errorf("%d: holiday %s %s in the wrong year", y, h.Date, h.Title)
			}
			if isWeekend(h.Date) {
				t.Errorf("%d: %s %s is at a weekend", y, h.Date, h.Title)
			}
			for _, d := range h.Divisions {
				perDiv[d]++
			}
		}
		// E&W 8, Scotland 9, NI 10 weekday bank holidays every year.
		if perDiv[DivisionEnglandAndWales] != 8 || perDiv[DivisionScotland] != 9 || perDiv[DivisionNorthernIreland] != 10 {
			t.Errorf("%d: per-division counts %v", y, perDiv)
		}
	}
	// 2029: 1 Jan Monday; 17 Mar Saturday -> Monday 19th; Boyne Thursday; St Andrew Friday; Christmas Tuesday.
	got := map[string]string{}
	for _, h := range RuleHolidays(2029) {
		got[h.Date.String()] = holidayReason(h)
	}
	for d, want := range map[string]string{
		"2029-01-01": "New Year’s Day",
		"2029-01-02": "2nd January (Scotland)",
		"2029-03-19": "St Patrick’s Day (Northern Ireland, substitute day)",
		"2029-03-30": "Good Friday",
		"2029-04-02": "Easter Monday (England and Wales, Northern Ireland)",
		"2029-05-07": "Early May bank holiday",
		"2029-05-28": "Spring bank holiday",
		"2029-07-12": "Battle of the Boyne (Orangemen’s Day) (Northern Ireland)",
		"2029-08-06": "Summer bank holiday (Scotland)",
		"2029-08-27": "Summer bank holiday (England and Wales, Northern Ireland)",
		"2029-11-30": "St Andrew’s Day (Scotland)",
		"2029-12-25": "Christmas Day",
		"2029-12-26": "Boxing Day",
	} {
		if got[d] != want {
			t.Errorf("2029 %s: got %q want %q", d, got[d], want)
		}
	}
}
