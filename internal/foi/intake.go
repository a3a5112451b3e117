package foi

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"foidesk/internal/calendar"
)

// Channel is how a request arrived.
type Channel string

// The channels. FOIA requests must be in writing (s.8), so phone and in-person are EIR only.
const (
	ChannelEmail    Channel = "email"
	ChannelPost     Channel = "post"
	ChannelWeb      Channel = "web"
	ChannelPhone    Channel = "phone"
	ChannelInPerson Channel = "in-person"
)

// Channels lists every channel in display order.
var Channels = []Channel{ChannelEmail, ChannelPost, ChannelWeb, ChannelPhone, ChannelInPerson}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return slices.Contains(Channels, c) }

// Written reports whether the channel gives a request in writing (FOIA s.8(1)(a)): email, post and web.
func (c Channel) Written() bool { return c == ChannelEmail || c == ChannelPost || c == ChannelWeb }

// Label returns the channel's name for people ("In person"); an unknown channel is returned as is.
func (c Channel) Label() string {
	switch c {
	case ChannelEmail:
		return "Email"
	case ChannelPost:
		return "Post"
	case ChannelWeb:
		return "Web form"
	case ChannelPhone:
		return "Phone"
	case ChannelInPerson:
		return "In person"
	}
	return string(c)
}

// RequesterType is the kind of requester, for statistics (requests are otherwise applicant-blind).
type RequesterType string

// The requester types.
const (
	RequesterPublic   RequesterType = "public"
	RequesterMedia    RequesterType = "media"
	RequesterMP       RequesterType = "mp"
	RequesterBusiness RequesterType = "business"
	RequesterCampaign RequesterType = "campaign"
	RequesterOther    RequesterType = "other"
)

// RequesterTypes lists every requester type in display order.
var RequesterTypes = []RequesterType{RequesterPublic, RequesterMedia, RequesterMP, RequesterBusiness, RequesterCampaign,
	RequesterOther}

// Valid reports whether t is a known requester type.
func (t RequesterType) Valid() bool { return slices.Contains(RequesterTypes, t) }

// Label returns the requester type's name for people ("Member of Parliament"); an unknown type is returned as is.
func (t RequesterType) Label() string {
	switch t {
	case RequesterPublic:
		return "Member of the public"
	case RequesterMedia:
		return "Media"
	case RequesterMP:
		return "Member of Parliament"
	case RequesterBusiness:
		return "Business"
	case RequesterCampaign:
		return "Campaign group"
	case RequesterOther:
		return "Other"
	}
	return string(t)
}

// Requester is who made a request. It is kept apart from the rest of the case: most views never see it.
type Requester struct {
	Name    string
	Email   string
	Address string
	Type    RequesterType
}

// Length limits of a new case, in characters.
const (
	MaxSubjectLength       = 200
	MaxRequestTextLength   = 20000
	MaxRequesterNameLength = 200
	MaxAddressLength       = 1000
	MaxAssetCodeLength     = 100
)

// NewCase is the input for logging a request.
type NewCase struct {
	Regime      calendar.Regime
	ReceivedAt  string // RFC 3339 timestamp, or YYYY-MM-DD, as sent
	Channel     Channel
	Subject     string
	RequestText string
	Requester   Requester
	AssetCodes  []string
	// HoldConsultations keeps the consultations the assets require as drafts for the officer to edit and send,
	// instead of sending them at once.
	HoldConsultations bool
}

var assetCodeRE = regexp.MustCompile(`^[a-z0-9]+(?:[-_.][a-z0-9]+)*$`)

// Validate normalises the new case in place (trims text, lower-cases the email and the asset codes, drops
// duplicate asset codes) and checks it against now, the current instant. It returns the instant of receipt (for a
// bare date, midnight UTC of that date, whose London date is the same day) and the Europe/London date of receipt
// (day 0 of the statutory clock). Otherwise it returns EINVALID naming every bad field: "regime", "received_at"
// (missing, unparseable, after now, or before the calendar's range), "channel" (unknown, or phone / in-person under
// FOIA, which requires writing: s.8), "subject", "request_text" (missing or too long), "requester.name" (missing
// under FOIA, s.8(1)(b); or no name or address when there is no email), "requester.email" (missing for email and
// web requests, or malformed), "requester.address", "requester.type" and "asset_codes[i]" (i indexing the input as
// sent).
func (n *NewCase) Validate(now time.Time) (received time.Time, receivedOn calendar.Date, err error) {
	var v Validation
	n.Regime = calendar.Regime(strings.ToLower(strings.TrimSpace(string(n.Regime))))
	n.ReceivedAt = strings.TrimSpace(n.ReceivedAt)
	n.Channel = Channel(strings.ToLower(strings.TrimSpace(string(n.Channel))))
	n.Subject = strings.TrimSpace(n.Subject)
	n.RequestText = strings.TrimSpace(n.RequestText)
	n.Requester.Name = strings.Join(strings.Fields(n.Requester.Name), " ")
	n.Requester.Email = NormalizeEmail(n.Requester.Email)
	n.Requester.Address = strings.TrimSpace(n.Requester.Address)
	n.Requester.Type = RequesterType(strings.ToLower(strings.TrimSpace(string(n.Requester.Type))))

	switch n.Regime {
	case calendar.RegimeFOIA, calendar.RegimeEIR:
	case "":
		v.Add("regime", "Select whether the request is under FOIA or the EIR")
	default:
		v.Add("regime", "Select FOIA or EIR")
	}

	received, receivedOn = n.validateReceivedAt(&v, now)

	switch {
	case n.Channel == "":
		v.Add("channel", "Select how the request was received")
	case !n.Channel.Valid():
		v.Add("channel", "Select how the request was received: email, post, web, phone or in-person")
	case n.Regime == calendar.RegimeFOIA && !n.Channel.Written():
		v.Add("channel", "A request under FOIA must be in writing (section 8): log a "+lowerInitial(n.Channel.Label())+
			" request only if it is for environmental information under the EIR")
	}

	v.Check(n.Subject != "", "subject", "Enter a subject")
	v.Check(utf8.RuneCountInString(n.Subject) <= MaxSubjectLength, "subject",
		fmt.Sprintf("Subject must be %d characters or fewer", MaxSubjectLength))
	v.Check(n.RequestText != "", "request_text", "Enter the request text")
	v.Check(utf8.RuneCountInString(n.RequestText) <= MaxRequestTextLength, "request_text",
		"Request text must be 20,000 characters or fewer")

	r := &n.Requester
	needEmail := n.Channel == ChannelEmail || n.Channel == ChannelWeb
	switch {
	case r.Email == "" && needEmail:
		v.Add("requester.email", "Enter the requester's email address")
	case r.Email != "" && !ValidEmail(r.Email):
		v.Add("requester.email", "Enter an email address in the correct format, like name@example.com")
	}
	switch {
	case r.Name == "" && n.Regime == calendar.RegimeFOIA:
		v.Add("requester.name", "Enter the requester's name: a request under FOIA must give it (section 8)")
	case r.Name == "" && r.Address == "" && r.Email == "" && n.Channel.Valid() && !needEmail:
		v.Add("requester.name", "Enter the requester's name or address, so the response can reach them")
	case utf8.RuneCountInString(r.Name) > MaxRequesterNameLength:
		v.Add("requester.name", fmt.Sprintf("Name must be %d characters or fewer", MaxRequesterNameLength))
	}
	v.Check(utf8.RuneCountInString(r.Address) <= MaxAddressLength, "requester.address",
		fmt.Sprintf("Address must be %d characters or fewer", MaxAddressLength))
	switch {
	case r.Type == "":
		v.Add("requester.type", "Select the type of requester")
	case !r.Type.Valid():
		v.Add("requester.type", "Select the type of requester: public, media, mp, business, campaign or other")
	}

	codes := make([]string, 0, len(n.AssetCodes))
	for i, code := range n.AssetCodes {
		code = strings.ToLower(strings.TrimSpace(code))
		field := fmt.Sprintf("asset_codes[%d]", i)
		switch {
		case code == "":
			v.Add(field, "Enter an asset code, or remove the empty entry")
		case len(code) > MaxAssetCodeLength || !assetCodeRE.MatchString(code):
			v.Add(field, "Asset code must be lower-case letters, digits and hyphens, like npd-pupil-matches")
		case !slices.Contains(codes, code):
			codes = append(codes, code)
		}
	}
	n.AssetCodes = codes

	if err := v.Err(); err != nil {
		return time.Time{}, calendar.Date{}, err
	}
	return received, receivedOn, nil
}

// validateReceivedAt parses ReceivedAt and checks it is not after now and inside the calendar's range.
func (n *NewCase) validateReceivedAt(v *Validation, now time.Time) (time.Time, calendar.Date) {
	const field = "received_at"
	if n.ReceivedAt == "" {
		v.Add(field, "Enter the date the request was received")
		return time.Time{}, calendar.Date{}
	}
	var received time.Time
	day, err := calendar.ParseDate(n.ReceivedAt)
	if err == nil {
		received = day.Time()
		if day.After(calendar.LondonDate(now)) {
			v.Add(field, "The date the request was received must be today or in the past")
		}
	} else {
		t, perr := time.Parse(time.RFC3339Nano, n.ReceivedAt)
		if perr != nil {
			v.Add(field, "Enter the date the request was received as a real date, like 2026-03-27, "+
				"or a date and time, like 2026-03-27T09:30:00Z")
			return time.Time{}, calendar.Date{}
		}
		received, day = t, calendar.LondonDate(t)
		if t.After(now) {
			v.Add(field, "The time the request was received must be now or in the past")
		}
	}
	first, last := calendar.Default().Range()
	if day.Before(first) || day.After(last) {
		v.Add(field, fmt.Sprintf("The date the request was received must be between %s and %s", govDate(first), govDate(last)))
	}
	return received, day
}

// govDate writes a date the GOV.UK way: "6 January 2025".
func govDate(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	y, m, dd := d.Date()
	return fmt.Sprintf("%d %s %d", dd, m, y)
}

// FormatReference returns a case reference: the upper-cased party code, FOI or EIR, the year and a sequence
// number of at least six digits, like "DFE-FOI-2026-000123" or "HO-EIR-2026-000007". An empty regime is FOIA.
func FormatReference(party string, regime calendar.Regime, year, seq int) string {
	tag := "FOI"
	if regime == calendar.RegimeEIR {
		tag = "EIR"
	}
	return fmt.Sprintf("%s-%s-%04d-%06d", strings.ToUpper(strings.TrimSpace(party)), tag, year, seq)
}

var referenceRE = regexp.MustCompile(`^([A-Z][A-Z0-9]{1,9})-(FOI|EIR)-([0-9]{4})-([0-9]{6,9})$`)

// ParseReference splits a reference written by FormatReference (case and surrounding spaces ignored) into its
// party code, regime, year and sequence number. It returns EINVALID for anything else, including a zero sequence
// number.
func ParseReference(ref string) (party string, regime calendar.Regime, year, seq int, err error) {
	m := referenceRE.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(ref)))
	if m == nil {
		return "", "", 0, 0, Errorf(EINVALID, "Enter a case reference in the correct format, like DFE-FOI-2026-000123")
	}
	regime = calendar.RegimeFOIA
	if m[2] == "EIR" {
		regime = calendar.RegimeEIR
	}
	year, _ = strconv.Atoi(m[3]) // the pattern admits only digits, so these cannot fail
	seq, _ = strconv.Atoi(m[4])
	if seq == 0 || year == 0 {
		return "", "", 0, 0, Errorf(EINVALID, "Enter a case reference in the correct format, like DFE-FOI-2026-000123")
	}
	return m[1], regime, year, seq, nil
}

// DuplicateWindowDays is the span, in working days, over which requests may be aggregated for the cost limit
// (s.12(4) and the Fees Regulations, reg 5: "within any period of sixty consecutive working days") and over which
// foidesk looks for repeated requests (s.14(2)).
const DuplicateWindowDays = 60

// DuplicateWindowStart returns the first date of the duplicate-detection window for a request received on
// receivedOn: the date DuplicateWindowDays working days before it. Requests received on or after that date and
// on or before receivedOn are candidates for SimilarRequest and SameRequester. A nil cal means calendar.Default().
// It returns EINVALID when the date is zero or the window leaves the calendar's range.
func DuplicateWindowStart(cal *calendar.Calendar, receivedOn calendar.Date) (calendar.Date, error) {
	if cal == nil {
		cal = calendar.Default()
	}
	if receivedOn.IsZero() {
		return calendar.Date{}, Errorf(EINVALID, "Enter the date the request was received")
	}
	d, err := cal.SubtractWorkingDays(receivedOn, DuplicateWindowDays)
	if err != nil {
		return calendar.Date{}, fromCalendarErr(err)
	}
	return d, nil
}

// similarityThreshold is the Jaccard index at which two requests count as the same request.
const similarityThreshold = 0.8

// minContainedTokens is the fewest significant words a request needs before "contained in another" counts.
const minContainedTokens = 3

// SimilarRequest reports whether two request texts are substantially the same (a candidate for s.12
// aggregation or an s.14(2) repeated request): after normalisation (lower case, punctuation dropped, common words
// and FOI boilerplate and single characters removed, plural "s" stripped), either the Jaccard index of the two word sets is at least 0.8,
// or the shorter text, of at least three significant words, appears word for word within the other. Empty texts
// are never similar.
func SimilarRequest(a, b string) bool {
	ta, tb := requestTokens(a), requestTokens(b)
	if len(ta) == 0 || len(tb) == 0 {
		return false
	}
	if jaccard(ta, tb) >= similarityThreshold {
		return true
	}
	if len(ta) > len(tb) {
		ta, tb = tb, ta
	}
	return len(ta) >= minContainedTokens && containsRun(tb, ta)
}

// requestStopWords are dropped before requests are compared: function words and the boilerplate of FOI letters.
var requestStopWords = wordSet(`a an the and or but of to in on at by for from with without into onto
		about as is are was were be been being it its this that these those there their them they he she his her
		we our us you your i me my mine any all each every some such other than then so if not no nor do does did
		have has had can could would should will shall may might must please kindly dear sir madam yours
		faithfully sincerely regards thank thanks hello hi request requesting requested ask asking like wish
		provide provided providing send supply copy copies information info freedom act foi foia 2000 eir
		environmental regulations 2004 under accordance pursuant hold held which what who whom whose when where
		how also including include includes`)

// wordSet returns the set of the space-separated words.
func wordSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

// requestTokens returns the significant words of a request text, in order.
func requestTokens(s string) []string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := words[:0]
	for _, w := range words {
		if len(w) < 2 || requestStopWords[w] {
			continue
		}
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			w = w[:len(w)-1]
		}
		out = append(out, w)
	}
	return out
}

// jaccard returns |A ∩ B| / |A ∪ B| of the two word sets.
func jaccard(a, b []string) float64 {
	set := make(map[string]uint8, len(a)+len(b))
	for _, w := range a {
		set[w] |= 1
	}
	for _, w := range b {
		set[w] |= 2
	}
	both := 0
	for _, v := range set {
		if v == 3 {
			both++
		}
	}
	return float64(both) / float64(len(set))
}

// containsRun reports whether needle appears as a contiguous run of words within hay.
func containsRun(hay, needle []string) bool {
	for i := 0; i+len(needle) <= len(hay); i++ {
		if slices.Equal(hay[i:i+len(needle)], needle) {
			return true
		}
	}
	return false
}

// SameRequester reports whether two requesters are the same person: when both give an email, the normalised
// addresses are equal; otherwise both names and both postal addresses are given and equal after normalisation
// (case, punctuation and spacing ignored, so "SW1A 2AA" matches "sw1a2aa").
func SameRequester(a, b Requester) bool {
	ea, eb := NormalizeEmail(a.Email), NormalizeEmail(b.Email)
	if ea != "" && eb != "" {
		return ea == eb
	}
	na, nb := normalizePersonName(a.Name), normalizePersonName(b.Name)
	aa, ab := alnumLower(a.Address), alnumLower(b.Address)
	return na != "" && aa != "" && na == nb && aa == ab
}

// normalizePersonName lower-cases a name, drops punctuation and collapses spaces.
func normalizePersonName(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// alnumLower keeps only the lower-cased letters and digits of s.
func alnumLower(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
