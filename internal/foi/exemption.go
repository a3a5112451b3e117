package foi

import (
	"slices"
	"strings"

	"foidesk/internal/calendar"
)

// Exemption is one FOIA Part II exemption, FOIA procedural refusal ground (s.12, s.14) or EIR exception, as
// cited in decisions and refusal notices.
type Exemption struct {
	Regime  calendar.Regime
	Section string // canonical citation without prefix: "40(2)", "31(1)(e)", "22A", "12(5)(b)", "13"
	Name    string // short name: "Personal information (third party)"
	// Qualified is true when the public interest test applies (s.2(1)(b)/(2)(b); every EIR exception under
	// reg 12(1)(b)), so a decision needs a recorded public interest test and the s.10(3) extension is available.
	// False for absolute exemptions, procedural grounds and EIR reg 13 (which has its own tests).
	Qualified  bool
	Procedural bool   // a refusal ground outside Part II (s.12 cost limit, s.14 vexatious or repeated), not an exemption
	NCND       string // the neither-confirm-nor-deny provision ("s.40(5B)", "reg 12(6)"), "" when none
	Note       string // a caveat for people, "" when none
}

// Citation returns the section as cited in a notice: "s.40(2)" under FOIA, "reg 12(5)(b)" under the EIR.
func (e Exemption) Citation() string { return citeSection(e.Regime, e.Section) }

// Label returns the citation and short name: "s.40(2) Personal information (third party)".
func (e Exemption) Label() string { return e.Citation() + " " + e.Name }

func citeSection(regime calendar.Regime, section string) string {
	if regime == calendar.RegimeEIR {
		return "reg " + section
	}
	return "s." + section
}

// foiaExemption and eirException build catalogue rows.
func foiaExemption(section, name string, qualified bool, ncnd, note string) Exemption {
	return Exemption{Regime: calendar.RegimeFOIA, Section: section, Name: name, Qualified: qualified, NCND: ncnd, Note: note}
}

func eirException(section, name, ncnd, note string) Exemption {
	return Exemption{Regime: calendar.RegimeEIR, Section: section, Name: name, Qualified: true, NCND: ncnd, Note: note}
}

const (
	exAbsolute  = false
	exQualified = true
)

// foiaCatalogue is FOIA Part II (ss.21-44) with the sub-provisions used in practice, then the procedural grounds.
var foiaCatalogue = []Exemption{
	foiaExemption("21", "Information accessible by other means", exAbsolute, "", ""),
	foiaExemption("22", "Information intended for future publication", exQualified, "s.22(2)", ""),
	foiaExemption("22A", "Research", exQualified, "s.22A(2)", ""),
	foiaExemption("23(1)", "Information supplied by, or relating to, bodies dealing with security matters", exAbsolute, "s.23(5)",
		"Often cited with s.24(1) in the alternative."),
	foiaExemption("24(1)", "National security", exQualified, "s.24(2)", ""),
	foiaExemption("26(1)", "Defence", exQualified, "s.26(3)", ""),
	foiaExemption("27(1)", "International relations", exQualified, "s.27(4)", ""),
	foiaExemption("27(2)", "Confidential information obtained from a State or international organisation", exQualified, "s.27(4)", ""),
	foiaExemption("28", "Relations within the United Kingdom", exQualified, "s.28(3)",
		"Between UK administrations; not between two UK government departments."),
	foiaExemption("29", "The economy", exQualified, "s.29(2)", ""),
	foiaExemption("30(1)", "Investigations and proceedings conducted by public authorities", exQualified, "s.30(3)", ""),
	foiaExemption("30(2)", "Investigations and proceedings: confidential sources", exQualified, "s.30(3)", ""),
	foiaExemption("31(1)(a)", "Law enforcement: prevention or detection of crime", exQualified, "s.31(3)", ""),
	foiaExemption("31(1)(b)", "Law enforcement: apprehension or prosecution of offenders", exQualified, "s.31(3)", ""),
	foiaExemption("31(1)(c)", "Law enforcement: administration of justice", exQualified, "s.31(3)", ""),
	foiaExemption("31(1)(d)", "Law enforcement: assessment or collection of tax or duty", exQualified, "s.31(3)", ""),
	foiaExemption("31(1)(e)", "Law enforcement: operation of the immigration controls", exQualified, "s.31(3)", ""),
	foiaExemption("31(1)(f)", "Law enforcement: security and good order in prisons", exQualified, "s.31(3)", ""),
	foiaExemption("31(1)(g)", "Law enforcement: functions for the purposes in s.31(2)", exQualified, "s.31(3)", ""),
	foiaExemption("31(1)(h)", "Law enforcement: civil proceedings arising from an investigation", exQualified, "s.31(3)", ""),
	foiaExemption("31(1)(i)", "Law enforcement: inquiries under the Fatal Accidents and Sudden Deaths Inquiries (Scotland) Act 1976",
		exQualified, "s.31(3)", ""),
	foiaExemption("32", "Court records", exAbsolute, "s.32(3)", ""),
	foiaExemption("33", "Audit functions", exQualified, "s.33(3)", ""),
	foiaExemption("34", "Parliamentary privilege", exAbsolute, "s.34(2)", ""),
	foiaExemption("35(1)(a)", "Formulation or development of government policy", exQualified, "s.35(3)", ""),
	foiaExemption("35(1)(b)", "Ministerial communications", exQualified, "s.35(3)", ""),
	foiaExemption("35(1)(c)", "Law Officers' advice", exQualified, "s.35(3)", ""),
	foiaExemption("35(1)(d)", "Operation of any Ministerial private office", exQualified, "s.35(3)", ""),
	foiaExemption("36(2)(a)(i)", "Public affairs: collective responsibility of Ministers", exQualified, "s.36(3)",
		"Needs the reasonable opinion of the qualified person; cannot apply where s.35 applies."),
	foiaExemption("36(2)(b)(i)", "Public affairs: free and frank provision of advice", exQualified, "s.36(3)",
		"Needs the reasonable opinion of the qualified person; cannot apply where s.35 applies."),
	foiaExemption("36(2)(b)(ii)", "Public affairs: free and frank exchange of views for deliberation", exQualified, "s.36(3)",
		"Needs the reasonable opinion of the qualified person; cannot apply where s.35 applies."),
	foiaExemption("36(2)(c)", "Public affairs: otherwise prejudice the effective conduct of public affairs", exQualified, "s.36(3)",
		"Needs the reasonable opinion of the qualified person; cannot apply where s.35 applies."),
	foiaExemption("37(1)(a)", "Communications with the Sovereign", exAbsolute, "s.37(2)", ""),
	foiaExemption("37(1)(aa)", "Communications with the heir to the Throne", exAbsolute, "s.37(2)", ""),
	foiaExemption("37(1)(ab)", "Communications with the second in line to the Throne", exAbsolute, "s.37(2)", ""),
	foiaExemption("37(1)(ac)", "Communications with other members of the Royal Family", exQualified, "s.37(2)", ""),
	foiaExemption("37(1)(ad)", "Communications with the Royal Household", exQualified, "s.37(2)", ""),
	foiaExemption("37(1)(b)", "Conferring of honours or dignities", exQualified, "s.37(2)", ""),
	foiaExemption("38(1)", "Health and safety", exQualified, "s.38(2)", ""),
	foiaExemption("39", "Environmental information", exQualified, "s.39(2)", "Handle the request under the EIR instead."),
	foiaExemption("40(1)", "Personal information (the requester's own)", exAbsolute, "s.40(5A)",
		"Handle as a subject access request under the UK GDPR."),
	foiaExemption("40(2)", "Personal information (third party)", exAbsolute, "s.40(5B)",
		"Absolute where disclosure would contravene the data protection principles (s.40(3A)(a)), the usual case; "+
			"qualified for s.40(3A)(b), s.40(3B) and s.40(4A)."),
	foiaExemption("41", "Information provided in confidence", exAbsolute, "s.41(2)",
		"A public interest defence sits within the law of confidence."),
	foiaExemption("42", "Legal professional privilege", exQualified, "s.42(2)", ""),
	foiaExemption("43(1)", "Trade secrets", exQualified, "s.43(3)", ""),
	foiaExemption("43(2)", "Commercial interests", exQualified, "s.43(3)", ""),
	foiaExemption("44", "Prohibitions on disclosure", exAbsolute, "s.44(2)", ""),
	{Regime: calendar.RegimeFOIA, Section: "12", Name: "Cost of compliance exceeds the appropriate limit", Procedural: true,
		NCND: "s.12(2)", Note: "A refusal ground, not an exemption: give advice and assistance (s.16)."},
	{Regime: calendar.RegimeFOIA, Section: "14(1)", Name: "Vexatious request", Procedural: true,
		Note: "A refusal ground, not an exemption."},
	{Regime: calendar.RegimeFOIA, Section: "14(2)", Name: "Repeated request", Procedural: true,
		Note: "A refusal ground, not an exemption."},
}

// eirCatalogue is the EIR reg 12(4), 12(5) and 13 exceptions.
var eirCatalogue = []Exemption{
	eirException("12(4)(a)", "Information not held when the request was received", "", ""),
	eirException("12(4)(b)", "Manifestly unreasonable request", "", "The EIR equivalent of FOIA s.12 (cost) and s.14 (vexatious)."),
	eirException("12(4)(c)", "Request formulated in too general a manner", "", "Give advice and assistance under reg 9."),
	eirException("12(4)(d)", "Material in the course of completion, unfinished documents or incomplete data", "",
		"Name the authority preparing the information and when it will be finished (reg 14(4))."),
	eirException("12(4)(e)", "Internal communications", "", "Includes communications between government departments (reg 12(8))."),
	eirException("12(5)(a)", "International relations, defence, national security or public safety", "reg 12(6)", ""),
	eirException("12(5)(b)", "Course of justice, fair trial, criminal or disciplinary inquiries", "", ""),
	eirException("12(5)(c)", "Intellectual property rights", "", ""),
	eirException("12(5)(d)", "Confidentiality of proceedings", "", "Cannot be used for information on emissions (reg 12(9))."),
	eirException("12(5)(e)", "Confidentiality of commercial or industrial information", "",
		"Cannot be used for information on emissions (reg 12(9))."),
	eirException("12(5)(f)", "Interests of the person who provided the information", "",
		"Cannot be used for information on emissions (reg 12(9))."),
	eirException("12(5)(g)", "Protection of the environment", "", "Cannot be used for information on emissions (reg 12(9))."),
	{Regime: calendar.RegimeEIR, Section: "13", Name: "Personal data (third party)", Qualified: false,
		NCND: "reg 13(5A), 13(5B)",
		Note: "Not subject to the reg 12(1)(b) public interest test: reg 13 applies its own tests, mirroring FOIA s.40."},
}

// catalogue returns the catalogue for regime ("" means FOIA) and whether the regime is known.
func exemptionCatalogue(regime calendar.Regime) ([]Exemption, bool) {
	switch regime {
	case calendar.RegimeFOIA, "":
		return foiaCatalogue, true
	case calendar.RegimeEIR:
		return eirCatalogue, true
	}
	return nil, false
}

// Exemptions returns a copy of the catalogue for a regime in statutory order ("" means FOIA): under FOIA the
// Part II exemptions then the procedural grounds s.12, s.14(1) and s.14(2); under the EIR reg 12(4)(a) to 13.
// It returns nil for an unknown regime.
func Exemptions(regime calendar.Regime) []Exemption {
	c, _ := exemptionCatalogue(regime)
	return slices.Clone(c)
}

// citationPrefixes are stripped (after lower-casing and removing spaces) before a section is looked up; longest
// first so "section" is not read as "s" + "ection".
var citationPrefixes = []string{"section", "sect.", "sect", "sec.", "sec", "ss.", "s.", "s",
	"regulation", "regs.", "reg.", "reg", "r.", "r"}

// normalizeSection lower-cases s, removes white space and any citation prefix ("s.", "section", "reg").
func normalizeSection(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	for _, p := range citationPrefixes {
		if rest, ok := strings.CutPrefix(s, p); ok && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			return rest
		}
	}
	return s
}

// LookupExemption returns the catalogue entry for section under regime ("" means FOIA). The section may be written
// "40(2)", "s.40(2)", "s40(2)", "section 40(2)", "reg 12(5)(b)" or "Regulation 12(5)(B)": case, spaces and the
// citation prefix are ignored. An unknown section returns EINVALID whose message names it and suggests close
// matches (also in Detail["suggestions"], a []string of citations), and names the other regime when the section
// belongs there; an unknown regime also returns EINVALID.
func LookupExemption(regime calendar.Regime, section string) (Exemption, error) {
	cat, ok := exemptionCatalogue(regime)
	if !ok {
		return Exemption{}, Errorf(EINVALID, "Unknown regime %q: select FOIA or EIR.", string(regime))
	}
	if regime == "" {
		regime = calendar.RegimeFOIA
	}
	key := normalizeSection(section)
	if key == "" {
		return Exemption{}, Errorf(EINVALID, "Enter the exemption, like s.40(2)")
	}
	for _, e := range cat {
		if strings.ToLower(e.Section) == key {
			return e, nil
		}
	}

	kind, other := "FOIA exemption", calendar.RegimeEIR
	if regime == calendar.RegimeEIR {
		kind, other = "EIR exception", calendar.RegimeFOIA
	}
	shown := strings.TrimSpace(section)
	msg := shown + " is not a " + kind + " foidesk knows."
	otherCat, _ := exemptionCatalogue(other)
	for _, e := range otherCat {
		if strings.ToLower(e.Section) == key {
			if regime == calendar.RegimeEIR {
				msg = e.Citation() + " is a FOIA provision, not an EIR exception."
			} else {
				msg = e.Citation() + " is an EIR exception, not a FOIA exemption."
			}
			break
		}
	}
	suggestions := closeSections(cat, key)
	if len(suggestions) > 0 {
		msg += " Did you mean " + joinOr(suggestions) + "?"
	}
	return Exemption{}, &Error{Code: EINVALID, Message: msg,
		Detail: map[string]any{"section": shown, "suggestions": suggestions}}
}

// closeSections returns up to five citations from cat close to key, in catalogue order: those sharing its section
// number (so "31" suggests 31(1)(a)...), or when there are none, those within an edit distance of 2.
func closeSections(cat []Exemption, key string) []string {
	base := sectionBase(key)
	var same, near []string
	for _, e := range cat {
		k := strings.ToLower(e.Section)
		switch {
		case base != "" && sectionBase(k) == base:
			same = append(same, e.Citation())
		case levenshtein(k, key) <= 2:
			near = append(near, e.Citation())
		}
	}
	out := same
	if len(out) == 0 {
		out = near
	}
	if len(out) > 5 {
		out = out[:5]
	}
	return out
}

// sectionBase returns the leading section number of a normalised citation ("31" of "31(1)(e)", "22a" of "22a").
func sectionBase(k string) string {
	if i := strings.IndexByte(k, '('); i >= 0 {
		return k[:i]
	}
	return k
}

// levenshtein is the Levenshtein distance between a and b, in bytes.
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// joinOr joins items as "a, b or c".
func joinOr(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
