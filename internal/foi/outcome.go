package foi

import (
	"fmt"
	"slices"
	"strings"

	"foidesk/internal/calendar"
)

// Outcome is the initial outcome of a request, in the Cabinet Office statistics categories.
type Outcome string

// The outcomes.
const (
	OutcomeGrantedInFull       Outcome = "granted_in_full"
	OutcomePartiallyWithheld   Outcome = "partially_withheld"
	OutcomeWithheldInFull      Outcome = "withheld_in_full"
	OutcomeNotHeld             Outcome = "not_held"
	OutcomeRefusedCost         Outcome = "refused_cost"          // FOIA s.12
	OutcomeRefusedVexatious    Outcome = "refused_vexatious"     // FOIA s.14(1) or (2)
	OutcomeNCND                Outcome = "ncnd"                  // neither confirm nor deny
	OutcomeAdviceAndAssistance Outcome = "advice_and_assistance" // s.1(3)/s.16: refused as unclear, help given
	OutcomeWithdrawn           Outcome = "withdrawn"
	OutcomeLapsed              Outcome = "lapsed"
)

// Outcomes lists every outcome in display order.
var Outcomes = []Outcome{
	OutcomeGrantedInFull, OutcomePartiallyWithheld, OutcomeWithheldInFull, OutcomeNotHeld, OutcomeRefusedCost,
	OutcomeRefusedVexatious, OutcomeNCND, OutcomeAdviceAndAssistance, OutcomeWithdrawn, OutcomeLapsed,
}

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool { return slices.Contains(Outcomes, o) }

// Label returns the outcome's name for people ("Withheld in full"); an unknown outcome is returned as is.
func (o Outcome) Label() string {
	switch o {
	case OutcomeGrantedInFull:
		return "Granted in full"
	case OutcomePartiallyWithheld:
		return "Partially withheld"
	case OutcomeWithheldInFull:
		return "Withheld in full"
	case OutcomeNotHeld:
		return "Information not held"
	case OutcomeRefusedCost:
		return "Refused – cost limit (s.12)"
	case OutcomeRefusedVexatious:
		return "Refused – vexatious or repeated (s.14)"
	case OutcomeNCND:
		return "Neither confirmed nor denied"
	case OutcomeAdviceAndAssistance:
		return "Advice and assistance given"
	case OutcomeWithdrawn:
		return "Withdrawn"
	case OutcomeLapsed:
		return "Lapsed"
	}
	return string(o)
}

// Resolvable reports whether the outcome counts as resolvable in the Cabinet Office statistics (granted in full,
// partially withheld, withheld in full, and the refusals and NCND that withhold).
func (o Outcome) Resolvable() bool {
	switch o {
	case OutcomeGrantedInFull, OutcomePartiallyWithheld, OutcomeWithheldInFull, OutcomeRefusedCost,
		OutcomeRefusedVexatious, OutcomeNCND:
		return true
	}
	return false
}

// PublicInterestTest records the public interest test for one qualified exemption: the factors each way and the
// conclusion reached (s.2(1)(b)/(2)(b), EIR reg 12(1)(b)).
type PublicInterestTest struct {
	FavourDisclosure  string
	FavourWithholding string
	Conclusion        string
}

// MaxPublicInterestText is the longest text foidesk accepts in each field of a PublicInterestTest.
const MaxPublicInterestText = 20000

// ValidateDecision checks a decision under regime ("" means FOIA): the outcome, the exemptions (or EIR exceptions) applied and the public
// interest test recorded for each, keyed by section in any spelling LookupExemption accepts. It returns nil when
// the decision is sound, and otherwise EINVALID naming each bad field:
//   - "regime" for an unknown regime, "outcome" for an unknown outcome or refused_cost / refused_vexatious
//     under the EIR (which has no s.12 or s.14: use reg 12(4)(b));
//   - "exemptions" when partially_withheld, withheld_in_full or ncnd lists none, or when an outcome that
//     withholds nothing (granted_in_full, not_held, advice_and_assistance, withdrawn, lapsed) lists some;
//   - "exemptions[i]" for an unknown section, a duplicate, a procedural ground (s.12, s.14) given with an
//     outcome other than its refusal, or an exemption given with a procedural refusal;
//   - "public_interest.<section>" (canonical section, e.g. "public_interest.31(1)(e)") for a qualified
//     exemption with no test or an empty conclusion, or a test field over MaxPublicInterestText.
func ValidateDecision(regime calendar.Regime, outcome Outcome, exemptions []string, pit map[string]PublicInterestTest) error {
	var v Validation
	if _, ok := exemptionCatalogue(regime); !ok {
		v.Add("regime", "Select FOIA or EIR")
		return v.Err()
	}
	if regime == "" {
		regime = calendar.RegimeFOIA
	}
	word := "exemption"
	if regime == calendar.RegimeEIR {
		word = "exception"
	}
	switch {
	case !outcome.Valid():
		v.Add("outcome", "Select the outcome of the request")
	case regime == calendar.RegimeEIR && outcome == OutcomeRefusedCost:
		v.Add("outcome", "There is no cost limit under the EIR: refuse as manifestly unreasonable under regulation 12(4)(b) "+
			"and choose withheld in full")
	case regime == calendar.RegimeEIR && outcome == OutcomeRefusedVexatious:
		v.Add("outcome", "Section 14 does not apply under the EIR: refuse as manifestly unreasonable under regulation 12(4)(b) "+
			"and choose withheld in full")
	}
	if v.Has("outcome") {
		return v.Err()
	}

	switch outcome {
	case OutcomePartiallyWithheld, OutcomeWithheldInFull, OutcomeNCND:
		if len(exemptions) == 0 {
			v.Add("exemptions", fmt.Sprintf("Choose the %ss applied when the outcome is %s", word, lowerInitial(outcome.Label())))
			return v.Err()
		}
	case OutcomeGrantedInFull, OutcomeNotHeld, OutcomeAdviceAndAssistance, OutcomeWithdrawn, OutcomeLapsed:
		if len(exemptions) > 0 {
			v.Add("exemptions", fmt.Sprintf("Remove the %ss: none apply when the outcome is %s", word, lowerInitial(outcome.Label())))
			return v.Err()
		}
	}

	// Normalise the public interest tests' keys to canonical sections.
	tests := make(map[string]PublicInterestTest, len(pit))
	for k, t := range pit {
		if e, err := LookupExemption(regime, k); err == nil {
			tests[e.Section] = t
		} else {
			tests[k] = t
		}
	}

	seen := map[string]bool{}
	for i, s := range exemptions {
		field := fmt.Sprintf("exemptions[%d]", i)
		e, err := LookupExemption(regime, s)
		if err != nil {
			if strings.TrimSpace(s) == "" {
				v.Add(field, fmt.Sprintf("Enter the %s, or remove the empty entry", word))
			} else {
				v.Add(field, ErrorMessage(err))
			}
			continue
		}
		if seen[e.Section] {
			v.Add(field, e.Citation()+" is listed more than once")
			continue
		}
		seen[e.Section] = true
		switch {
		case e.Section == "12" && outcome != OutcomeRefusedCost:
			v.Add(field, "Section 12 is a refusal ground, not an exemption: choose the outcome refused – cost limit")
			continue
		case (e.Section == "14(1)" || e.Section == "14(2)") && outcome != OutcomeRefusedVexatious:
			v.Add(field, e.Citation()+" is a refusal ground, not an exemption: choose the outcome refused – vexatious or repeated")
			continue
		case outcome == OutcomeRefusedCost && e.Section != "12":
			v.Add(field, "A refusal on cost (section 12) cites no exemptions: remove "+e.Citation())
			continue
		case outcome == OutcomeRefusedVexatious && !e.Procedural:
			v.Add(field, "A refusal as vexatious or repeated (section 14) cites no exemptions: remove "+e.Citation())
			continue
		}
		if !e.Qualified {
			continue
		}
		pf := "public_interest." + e.Section
		t, ok := tests[e.Section]
		switch {
		case !ok || strings.TrimSpace(t.Conclusion) == "":
			v.Add(pf, "Enter the conclusion of the public interest test for "+e.Citation())
		case len(t.FavourDisclosure) > MaxPublicInterestText || len(t.FavourWithholding) > MaxPublicInterestText ||
			len(t.Conclusion) > MaxPublicInterestText:
			v.Add(pf, fmt.Sprintf("Each part of the public interest test for %s must be %d characters or fewer",
				e.Citation(), MaxPublicInterestText))
		}
	}
	return v.Err()
}
