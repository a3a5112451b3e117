package foi

import (
	"regexp"
	"slices"
	"strings"
)

// The personal-data check runs over the text a disclosure-log entry would publish and flags what looks like
// personal data, for a decision-maker to remove or to resolve with reasons before the entry is published. It
// errs towards flagging: a flag costs a decision-maker a minute, a missed one is a data breach.

// PersonalDataKind is what a flag found.
type PersonalDataKind string

// The kinds of personal data the check looks for.
const (
	PDEmail         PersonalDataKind = "email"
	PDPhone         PersonalDataKind = "phone"
	PDPostcode      PersonalDataKind = "postcode"
	PDNINumber      PersonalDataKind = "ni_number"
	PDRequesterName PersonalDataKind = "requester_name"
)

// PersonalDataKinds lists the kinds in display order.
var PersonalDataKinds = []PersonalDataKind{PDEmail, PDPhone, PDPostcode, PDNINumber, PDRequesterName}

// Label returns the kind's name for people.
func (k PersonalDataKind) Label() string {
	switch k {
	case PDEmail:
		return "Email address"
	case PDPhone:
		return "Phone number"
	case PDPostcode:
		return "UK postcode"
	case PDNINumber:
		return "National Insurance number"
	case PDRequesterName:
		return "The requester's name"
	}
	return string(k)
}

// PersonalDataFlag is one match: in which field, what kind, the text matched and where (byte offset).
type PersonalDataFlag struct {
	Field  string
	Kind   PersonalDataKind
	Match  string
	Offset int
}

var (
	pdEmailRE = regexp.MustCompile(`(?i)[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}`)
	// UK numbers: 0 or +44 (0 optional in brackets), then 9 or 10 more digits in groups split by spaces, dots
	// or hyphens, with an optional bracketed area code.
	pdPhoneRE = regexp.MustCompile(`(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s.-]?\)?[\s.-]?\d){8,9}\b`)
	// Postcodes in Royal Mail's shape (the inward code's letters omit C, I, K, M, O, V), with or without the
	// space, in any case (people type "sw1a 2aa"); GIR 0AA too.
	pdPostcodeRE = regexp.MustCompile(`(?i)\b(?:GIR ?0AA|[A-PR-UWYZ](?:[A-HK-Y]?[0-9][0-9]?|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})\b`)
	// NI numbers: two prefix letters (not D, F, I, Q, U, V; the second not O), six digits, a suffix A-D; spaces
	// allowed between the pairs. The prefixes never issued (BG, GB, KN, NK, NT, TN, ZZ) are dropped afterwards.
	pdNINumberRE = regexp.MustCompile(`(?i)\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b`)
)

// niNeverIssued are the NI number prefixes that are never allocated.
var niNeverIssued = []string{"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}

// CheckPersonalData returns the flags for the texts, field by field in the order of fields (the names of the
// texts to check, e.g. "title", "summary", "released_text"), each field's flags in order of position. The
// requester's name is flagged whole and by its last word (the surname), when that has at least three letters,
// wherever it appears as a word in any case; an empty name flags nothing.
func CheckPersonalData(fields []string, texts map[string]string, requesterName string) []PersonalDataFlag {
	var out []PersonalDataFlag
	names := requesterNames(requesterName)
	for _, field := range fields {
		text := texts[field]
		var flags []PersonalDataFlag
		add := func(kind PersonalDataKind, re *regexp.Regexp, keep func(string) bool) {
			for _, loc := range re.FindAllStringIndex(text, -1) {
				m := text[loc[0]:loc[1]]
				if keep == nil || keep(m) {
					flags = append(flags, PersonalDataFlag{Field: field, Kind: kind, Match: m, Offset: loc[0]})
				}
			}
		}
		add(PDEmail, pdEmailRE, nil)
		add(PDPhone, pdPhoneRE, func(m string) bool {
			// 10 or 11 digits with the leading 0, 11 to 12 with 44 (and an optional bracketed 0).
			digits := len(strings.Map(keepDigits, m))
			return digits >= 10 && digits <= 13
		})
		add(PDPostcode, pdPostcodeRE, nil)
		add(PDNINumber, pdNINumberRE, func(m string) bool {
			return !slices.Contains(niNeverIssued, strings.ToUpper(m[:2]))
		})
		for _, n := range names {
			add(PDRequesterName, n, nil)
		}
		flags = dropOverlaps(flags)
		slices.SortStableFunc(flags, func(a, b PersonalDataFlag) int { return a.Offset - b.Offset })
		out = append(out, flags...)
	}
	return out
}

func keepDigits(r rune) rune {
	if r >= '0' && r <= '9' {
		return r
	}
	return -1
}

// requesterNames returns the word patterns that flag the requester's name: the whole name (spaces matching
// any run of white space) and the surname.
func requesterNames(name string) []*regexp.Regexp {
	words := strings.Fields(name)
	if len(words) == 0 {
		return nil
	}
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = regexp.QuoteMeta(w)
	}
	res := []*regexp.Regexp{regexp.MustCompile(`(?i)\b` + strings.Join(quoted, `\s+`) + `\b`)}
	if last := words[len(words)-1]; len(words) > 1 && len([]rune(last)) >= 3 {
		res = append(res, regexp.MustCompile(`(?i)\b`+regexp.QuoteMeta(last)+`\b`))
	}
	return res
}

// dropOverlaps keeps, of flags that overlap, the first found: an email's digits are not also a phone number,
// a full name's surname is not flagged twice.
func dropOverlaps(flags []PersonalDataFlag) []PersonalDataFlag {
	var out []PersonalDataFlag
	for _, f := range flags {
		overlaps := false
		for _, g := range out {
			if f.Offset < g.Offset+len(g.Match) && g.Offset < f.Offset+len(f.Match) {
				overlaps = true
				break
			}
		}
		if !overlaps {
			out = append(out, f)
		}
	}
	return out
}
