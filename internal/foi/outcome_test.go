package foi_test

import (
	"strings"
	"testing"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
)

func TestOutcomeLabels(t *testing.T) {
	for _, o := range foi.Outcomes {
		if !o.Valid() || o.Label() == string(o) {
			t.Errorf("%s: valid %v label %q", o, o.Valid(), o.Label())
		}
	}
	if foi.Outcome("maybe").Valid() {
		t.Error("unknown outcome valid")
	}
	if !foi.OutcomeWithheldInFull.Resolvable() || foi.OutcomeNotHeld.Resolvable() {
		t.Error("Resolvable")
	}
}

func TestValidateDecision(t *testing.T) {
	pit := foi.PublicInterestTest{FavourDisclosure: "Transparency about data sharing.",
		FavourWithholding: "Prejudice to immigration control.", Conclusion: "Balance favours withholding."}
	tests := []struct {
		name       string
		regime     calendar.Regime
		outcome    foi.Outcome
		exemptions []string
		pit        map[string]foi.PublicInterestTest
		fields     []string // nil: valid
	}{
		{name: "granted in full", outcome: foi.OutcomeGrantedInFull},
		{name: "not held", outcome: foi.OutcomeNotHeld},
		{name: "absolute exemption needs no test", outcome: foi.OutcomeWithheldInFull, exemptions: []string{"40(2)", "s.41"}},
		{name: "qualified with test", outcome: foi.OutcomePartiallyWithheld, exemptions: []string{"s.31(1)(e)", "40(2)"},
			pit: map[string]foi.PublicInterestTest{"31(1)(e)": pit}},
		{name: "test keyed by another spelling", outcome: foi.OutcomeWithheldInFull, exemptions: []string{"section 35(1)(a)"},
			pit: map[string]foi.PublicInterestTest{"s35(1)(a)": pit}},
		{name: "ncnd with qualified test", outcome: foi.OutcomeNCND, exemptions: []string{"24(1)"},
			pit: map[string]foi.PublicInterestTest{"24(1)": pit}},
		{name: "cost refusal", outcome: foi.OutcomeRefusedCost},
		{name: "cost refusal citing s.12", outcome: foi.OutcomeRefusedCost, exemptions: []string{"s.12"}},
		{name: "vexatious", outcome: foi.OutcomeRefusedVexatious, exemptions: []string{"14(1)"}},
		{name: "EIR with test", regime: calendar.RegimeEIR, outcome: foi.OutcomeWithheldInFull,
			exemptions: []string{"12(4)(b)"}, pit: map[string]foi.PublicInterestTest{"reg 12(4)(b)": pit}},
		{name: "EIR reg 13 needs no test", regime: calendar.RegimeEIR, outcome: foi.OutcomePartiallyWithheld,
			exemptions: []string{"13"}},
		{name: "advice and assistance", outcome: foi.OutcomeAdviceAndAssistance},

		{name: "unknown regime", regime: "dpa", outcome: foi.OutcomeGrantedInFull, fields: []string{"regime"}},
		{name: "unknown outcome", outcome: "maybe", fields: []string{"outcome"}},
		{name: "EIR cost", regime: calendar.RegimeEIR, outcome: foi.OutcomeRefusedCost, fields: []string{"outcome"}},
		{name: "EIR vexatious", regime: calendar.RegimeEIR, outcome: foi.OutcomeRefusedVexatious, fields: []string{"outcome"}},
		{name: "withheld without exemptions", outcome: foi.OutcomeWithheldInFull, fields: []string{"exemptions"}},
		{name: "partial without exemptions", outcome: foi.OutcomePartiallyWithheld, fields: []string{"exemptions"}},
		{name: "ncnd without exemptions", outcome: foi.OutcomeNCND, fields: []string{"exemptions"}},
		{name: "granted with exemptions", outcome: foi.OutcomeGrantedInFull, exemptions: []string{"40(2)"},
			fields: []string{"exemptions"}},
		{name: "not held with exemptions", outcome: foi.OutcomeNotHeld, exemptions: []string{"21"}, fields: []string{"exemptions"}},
		{name: "unknown and duplicate exemptions", outcome: foi.OutcomeWithheldInFull,
			exemptions: []string{"40(2)", "s.99", "s40(2)", ""}, fields: []string{"exemptions[1]", "exemptions[2]", "exemptions[3]"}},
		{name: "qualified without test", outcome: foi.OutcomeWithheldInFull, exemptions: []string{"40(2)", "43(2)"},
			fields: []string{"public_interest.43(2)"}},
		{name: "qualified with empty conclusion", outcome: foi.OutcomePartiallyWithheld, exemptions: []string{"31(1)(e)"},
			pit:    map[string]foi.PublicInterestTest{"31(1)(e)": {FavourDisclosure: "x", FavourWithholding: "y", Conclusion: "  "}},
			fields: []string{"public_interest.31(1)(e)"}},
		{name: "too long test", outcome: foi.OutcomePartiallyWithheld, exemptions: []string{"42"},
			pit: map[string]foi.PublicInterestTest{"42": {FavourDisclosure: strings.Repeat("x", foi.MaxPublicInterestText+1),
				Conclusion: "c"}},
			fields: []string{"public_interest.42"}},
		{name: "s.12 as an exemption", outcome: foi.OutcomeWithheldInFull, exemptions: []string{"s.12"},
			fields: []string{"exemptions[0]"}},
		{name: "s.14 as an exemption", outcome: foi.OutcomePartiallyWithheld, exemptions: []string{"40(2)", "14(2)"},
			fields: []string{"exemptions[1]"}},
		{name: "cost refusal with an exemption", outcome: foi.OutcomeRefusedCost, exemptions: []string{"40(2)"},
			fields: []string{"exemptions[0]"}},
		{name: "vexatious with s.12", outcome: foi.OutcomeRefusedVexatious, exemptions: []string{"12"},
			fields: []string{"exemptions[0]"}},
		{name: "EIR without test", regime: calendar.RegimeEIR, outcome: foi.OutcomeWithheldInFull,
			exemptions: []string{"12(5)(b)", "12(4)(e)"}, pit: map[string]foi.PublicInterestTest{"12(4)(e)": pit},
			fields: []string{"public_interest.12(5)(b)"}},
		{name: "FOIA section under EIR", regime: calendar.RegimeEIR, outcome: foi.OutcomeWithheldInFull,
			exemptions: []string{"40(2)"}, fields: []string{"exemptions[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			regime := tt.regime
			if regime == "" {
				regime = calendar.RegimeFOIA
			}
			err := foi.ValidateDecision(regime, tt.outcome, tt.exemptions, tt.pit)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("%v %v", err, foi.ErrorFields(err))
				}
				return
			}
			wantCaseFields(t, err, tt.fields...)
		})
	}
	err := foi.ValidateDecision(calendar.RegimeEIR, foi.OutcomeRefusedCost, nil, nil)
	if !strings.Contains(foi.ErrorMessage(err), "12(4)(b)") {
		t.Errorf("EIR cost message = %q", foi.ErrorMessage(err))
	}
}
