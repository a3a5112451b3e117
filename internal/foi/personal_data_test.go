package foi

import (
	"testing"
)

func TestCheckPersonalData_FlagsPositiveSamples(t *testing.T) {
	for _, tc := range []struct {
		text string
		kind PersonalDataKind
		want string
	}{
		{"Write to jane.doe+foi@example.co.uk for more.", PDEmail, "jane.doe+foi@example.co.uk"},
		{"Contact O'Brien@Dept.GOV.UK today", PDEmail, "O'Brien@Dept.GOV.UK"},
		{"Call 020 7946 0018 after nine.", PDPhone, "020 7946 0018"},
		{"Mobile: 07700 900123.", PDPhone, "07700 900123"},
		{"Mobile: 07700900123", PDPhone, "07700900123"},
		{"Phone +44 20 7946 0018 please", PDPhone, "+44 20 7946 0018"},
		{"Phone +44 (0)161 496 0000", PDPhone, "+44 (0)161 496 0000"},
		{"Phone (0161) 496-0000", PDPhone, "(0161) 496-0000"},
		{"She lives at SW1A 2AA.", PDPostcode, "SW1A 2AA"},
		{"Postcode M1 1AE near the station", PDPostcode, "M1 1AE"},
		{"Postcode B338TH", PDPostcode, "B338TH"},
		{"Postcode EC1A 1BB", PDPostcode, "EC1A 1BB"},
		{"Postcode W1A 0AX", PDPostcode, "W1A 0AX"},
		{"lives at sw1a 2aa now", PDPostcode, "sw1a 2aa"},
		{"Postcode Ec1a 1bB", PDPostcode, "Ec1a 1bB"},
		{"NI number JH 12 34 56 C held", PDNINumber, "JH 12 34 56 C"},
		{"NINO ab123456c", PDNINumber, "ab123456c"},
		{"A reply to Mrs Ada Lovelace-King was sent", PDRequesterName, "Ada Lovelace-King"},
		{"as LOVELACE-KING asked", PDRequesterName, "LOVELACE-KING"},
		{"ada   lovelace-king wrote", PDRequesterName, "ada   lovelace-king"},
	} {
		flags := CheckPersonalData([]string{"summary"}, map[string]string{"summary": tc.text}, "Ada Lovelace-King")
		found := false
		for _, f := range flags {
			if f.Kind == tc.kind && f.Match == tc.want && f.Field == "summary" && tc.text[f.Offset:f.Offset+len(f.Match)] == f.Match {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: flags %+v, want %s %q", tc.text, flags, tc.kind, tc.want)
		}
	}
}

func TestCheckPersonalData_LeavesNegativeSamplesAlone(t *testing.T) {
	for _, text := range []string{
		"The department received 1,234 requests in 2025 and answered 1,100 of them within 20 working days.",
		"Reference DFE-FOI-2026-000123, section 40(2) and regulation 12(5)(a) applied.",
		"Budget of £2,500,000 for 2026-27; see table 3.4.",
		"Data shared under the MoU of 12 March 2024 (version 2.1).",
		"The NPD holds records for 8 million pupils; 10 per cent were matched.",
		"An email address was removed. The phone line is staffed.",
		"Version 20260301 of the dataset; batch 1234567.",
		"Telephone numbers are not held.",
		"Tables A1 and B2 show the figures for Q1 2026.",
		"The BG 12 34 56 A sample is not a real NI number.",
		"Adam was not involved.", // a first name alone is not flagged; "King" alone is not the surname
		"The Lovelace report on kingfishers.",
		"The office is on the 2nd floor; see rows a1 to a20 and item b2.",
		"Quarter q1 2026 and wave 3 of the survey.",
	} {
		if flags := CheckPersonalData([]string{"title"}, map[string]string{"title": text}, "Ada Lovelace-King"); len(flags) != 0 {
			t.Errorf("%q: %+v, want no flags", text, flags)
		}
	}
}

func TestCheckPersonalData_FieldsInOrderAndNoDoubleFlags(t *testing.T) {
	texts := map[string]string{
		"title":         "Request from Ada King",
		"summary":       "Reply to ada.king@example.org or 0161 496 0000",
		"released_text": "Nothing personal here.",
	}
	flags := CheckPersonalData([]string{"title", "summary", "released_text"}, texts, "Ada King")
	if len(flags) != 3 || flags[0].Field != "title" || flags[0].Kind != PDRequesterName || flags[0].Match != "Ada King" ||
		flags[1].Kind != PDEmail || flags[2].Kind != PDPhone {
		t.Fatalf("flags %+v", flags)
	}
	if flags := CheckPersonalData([]string{"title"}, texts, ""); len(flags) != 0 {
		t.Errorf("no requester name: %+v", flags)
	}
}
