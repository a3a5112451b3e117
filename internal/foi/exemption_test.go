package foi_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
)

func TestExemptionsCatalogue(t *testing.T) {
	foia := foi.Exemptions(calendar.RegimeFOIA)
	var sections []string
	for _, e := range foia {
		sections = append(sections, e.Section)
		if e.Regime != calendar.RegimeFOIA || e.Name == "" {
			t.Errorf("%s: %+v", e.Section, e)
		}
		if e.Procedural && e.Qualified {
			t.Errorf("%s: procedural and qualified", e.Section)
		}
		if !e.Procedural && e.Section != "21" && e.NCND == "" {
			t.Errorf("%s: no NCND provision", e.Section)
		}
	}
	for _, want := range []string{"21", "22", "22A", "23(1)", "24(1)", "26(1)", "27(1)", "27(2)", "28", "29", "30(1)",
		"30(2)", "31(1)(a)", "31(1)(b)", "31(1)(c)", "31(1)(d)", "31(1)(e)", "31(1)(f)", "31(1)(g)", "31(1)(h)",
		"31(1)(i)", "32", "33", "34", "35(1)(a)", "35(1)(b)", "35(1)(c)", "35(1)(d)", "36(2)(b)(i)", "36(2)(b)(ii)",
		"36(2)(c)", "37(1)(a)", "37(1)(b)", "38(1)", "39", "40(1)", "40(2)", "41", "42", "43(1)", "43(2)", "44",
		"12", "14(1)", "14(2)"} {
		if !slices.Contains(sections, want) {
			t.Errorf("FOIA catalogue lacks %s", want)
		}
	}
	// Statutory order: Part II by section number, then the procedural grounds.
	if sections[0] != "21" || sections[len(sections)-3] != "12" || !slices.Contains(sections[:len(sections)-3], "44") {
		t.Errorf("order: %v", sections)
	}

	eir := foi.Exemptions(calendar.RegimeEIR)
	var eirSections []string
	for _, e := range eir {
		eirSections = append(eirSections, e.Section)
		if e.Regime != calendar.RegimeEIR || e.Procedural {
			t.Errorf("%s: %+v", e.Section, e)
		}
		if e.Qualified != (e.Section != "13") {
			t.Errorf("reg %s: qualified = %v", e.Section, e.Qualified)
		}
	}
	want := []string{"12(4)(a)", "12(4)(b)", "12(4)(c)", "12(4)(d)", "12(4)(e)", "12(5)(a)", "12(5)(b)", "12(5)(c)",
		"12(5)(d)", "12(5)(e)", "12(5)(f)", "12(5)(g)", "13"}
	if !slices.Equal(eirSections, want) {
		t.Errorf("EIR catalogue = %v", eirSections)
	}
	if foi.Exemptions("dpa") != nil {
		t.Error("unknown regime has a catalogue")
	}
	// A copy: changing it does not change the catalogue.
	foia[0].Name = "changed"
	if foi.Exemptions(calendar.RegimeFOIA)[0].Name == "changed" {
		t.Error("Exemptions returned the catalogue itself")
	}
}

func TestExemptionAbsoluteOrQualified(t *testing.T) {
	tests := []struct {
		regime     calendar.Regime
		section    string
		qualified  bool
		procedural bool
		ncnd       string
	}{
		{calendar.RegimeFOIA, "21", false, false, ""},
		{calendar.RegimeFOIA, "22", true, false, "s.22(2)"},
		{calendar.RegimeFOIA, "23(1)", false, false, "s.23(5)"},
		{calendar.RegimeFOIA, "24(1)", true, false, "s.24(2)"},
		{calendar.RegimeFOIA, "31(1)(e)", true, false, "s.31(3)"},
		{calendar.RegimeFOIA, "32", false, false, "s.32(3)"},
		{calendar.RegimeFOIA, "34", false, false, "s.34(2)"},
		{calendar.RegimeFOIA, "35(1)(a)", true, false, "s.35(3)"},
		{calendar.RegimeFOIA, "36(2)(b)(ii)", true, false, "s.36(3)"},
		{calendar.RegimeFOIA, "37(1)(a)", false, false, "s.37(2)"},
		{calendar.RegimeFOIA, "37(1)(aa)", false, false, "s.37(2)"},
		{calendar.RegimeFOIA, "37(1)(ab)", false, false, "s.37(2)"},
		{calendar.RegimeFOIA, "37(1)(ac)", true, false, "s.37(2)"},
		{calendar.RegimeFOIA, "37(1)(b)", true, false, "s.37(2)"},
		{calendar.RegimeFOIA, "40(1)", false, false, "s.40(5A)"},
		{calendar.RegimeFOIA, "40(2)", false, false, "s.40(5B)"},
		{calendar.RegimeFOIA, "41", false, false, "s.41(2)"},
		{calendar.RegimeFOIA, "42", true, false, "s.42(2)"},
		{calendar.RegimeFOIA, "43(2)", true, false, "s.43(3)"},
		{calendar.RegimeFOIA, "44", false, false, "s.44(2)"},
		{calendar.RegimeFOIA, "12", false, true, "s.12(2)"},
		{calendar.RegimeFOIA, "14(1)", false, true, ""},
		{calendar.RegimeFOIA, "14(2)", false, true, ""},
		{calendar.RegimeEIR, "12(4)(b)", true, false, ""},
		{calendar.RegimeEIR, "12(4)(e)", true, false, ""},
		{calendar.RegimeEIR, "12(5)(a)", true, false, "reg 12(6)"},
		{calendar.RegimeEIR, "13", false, false, "reg 13(5A), 13(5B)"},
	}
	for _, tt := range tests {
		e, err := foi.LookupExemption(tt.regime, tt.section)
		if err != nil {
			t.Errorf("%s %s: %v", tt.regime, tt.section, err)
			continue
		}
		if e.Qualified != tt.qualified || e.Procedural != tt.procedural || e.NCND != tt.ncnd {
			t.Errorf("%s %s: qualified %v procedural %v NCND %q", tt.regime, tt.section, e.Qualified, e.Procedural, e.NCND)
		}
	}
	if e, _ := foi.LookupExemption(calendar.RegimeEIR, "13"); e.Note == "" {
		t.Error("reg 13 has no note about its own test")
	}
}

func TestLookupExemptionSpellings(t *testing.T) {
	tests := []struct {
		regime   calendar.Regime
		in       string
		section  string
		citation string
	}{
		{calendar.RegimeFOIA, "40(2)", "40(2)", "s.40(2)"},
		{calendar.RegimeFOIA, "s.40(2)", "40(2)", "s.40(2)"},
		{calendar.RegimeFOIA, "s40(2)", "40(2)", "s.40(2)"},
		{calendar.RegimeFOIA, "S 40 (2)", "40(2)", "s.40(2)"},
		{calendar.RegimeFOIA, "section 40(2)", "40(2)", "s.40(2)"},
		{calendar.RegimeFOIA, "Section 31(1)(E)", "31(1)(e)", "s.31(1)(e)"},
		{calendar.RegimeFOIA, " sec. 22a ", "22A", "s.22A"},
		{calendar.RegimeFOIA, "36(2)(b)(ii)", "36(2)(b)(ii)", "s.36(2)(b)(ii)"},
		{"", "41", "41", "s.41"},
		{calendar.RegimeFOIA, "s.12", "12", "s.12"},
		{calendar.RegimeEIR, "reg 12(5)(b)", "12(5)(b)", "reg 12(5)(b)"},
		{calendar.RegimeEIR, "Regulation 12(4)(E)", "12(4)(e)", "reg 12(4)(e)"},
		{calendar.RegimeEIR, "r.13", "13", "reg 13"},
		{calendar.RegimeEIR, "12 (5) (a)", "12(5)(a)", "reg 12(5)(a)"},
	}
	for _, tt := range tests {
		e, err := foi.LookupExemption(tt.regime, tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if e.Section != tt.section || e.Citation() != tt.citation || !strings.HasPrefix(e.Label(), tt.citation+" ") {
			t.Errorf("%q: section %q citation %q label %q", tt.in, e.Section, e.Citation(), e.Label())
		}
	}
}

func TestLookupExemptionErrors(t *testing.T) {
	tests := []struct {
		regime      calendar.Regime
		in          string
		msg         string   // substring of the message
		suggestions []string // a prefix of Detail["suggestions"]
	}{
		{calendar.RegimeFOIA, "s.31", "s.31 is not a FOIA exemption", []string{"s.31(1)(a)", "s.31(1)(b)", "s.31(1)(c)"}},
		{calendar.RegimeFOIA, "40(3)", "Did you mean s.40(1) or s.40(2)?", []string{"s.40(1)", "s.40(2)"}},
		{calendar.RegimeFOIA, "31(1)(j)", "31(1)(j)", []string{"s.31(1)(a)"}},
		{calendar.RegimeFOIA, "s.99", "s.99 is not a FOIA exemption", nil},
		{calendar.RegimeFOIA, "12(5)(b)", "reg 12(5)(b) is an EIR exception, not a FOIA exemption", nil},
		{calendar.RegimeEIR, "40(2)", "s.40(2) is a FOIA provision, not an EIR exception", nil},
		{calendar.RegimeEIR, "12(4)(f)", "Did you mean", []string{"reg 12(4)(a)"}},
		{calendar.RegimeEIR, "12", "", []string{"reg 12(4)(a)"}},
		{calendar.RegimeFOIA, "", "Enter the exemption", nil},
		{"dpa", "40(2)", "Unknown regime", nil},
	}
	for _, tt := range tests {
		_, err := foi.LookupExemption(tt.regime, tt.in)
		wantCaseCode(t, err, foi.EINVALID)
		if !strings.Contains(foi.ErrorMessage(err), tt.msg) {
			t.Errorf("%q: message %q lacks %q", tt.in, foi.ErrorMessage(err), tt.msg)
		}
		var e *foi.Error
		errors.As(err, &e)
		got, _ := e.Detail["suggestions"].([]string)
		if len(got) < len(tt.suggestions) || !slices.Equal(got[:len(tt.suggestions)], tt.suggestions) {
			t.Errorf("%q: suggestions %v, want prefix %v", tt.in, got, tt.suggestions)
		}
		if len(got) > 5 {
			t.Errorf("%q: %d suggestions", tt.in, len(got))
		}
	}
}
