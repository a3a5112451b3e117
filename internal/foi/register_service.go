package foi

import (
	"context"
	"regexp"
	"strings"
	"time"

	"foidesk/internal/calendar"
)

var kebabCodeRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidAssetCode reports whether code is lower-case kebab case ("npd-pupil-matches"), at most MaxAssetCodeLength characters.
func ValidAssetCode(code string) bool {
	return len(code) <= MaxAssetCodeLength && kebabCodeRE.MatchString(code)
}

// NewContact is a contact as an admin enters it: the contact and the code of its party.
type NewContact struct {
	PartyCode string
	Contact   Contact // ID and PartyID are ignored
}

// ContactRecord is a stored contact with its party's code.
type ContactRecord struct {
	Contact
	PartyCode string
}

// AgreementChange is a change to an agreement's status and review date. An empty Status keeps the status; a
// nil ReviewOn keeps the review date, a zero one clears it.
type AgreementChange struct {
	Status   AgreementStatus
	ReviewOn *calendar.Date
}

// Valid reports whether s is a known agreement status.
func (s AgreementStatus) Valid() bool {
	switch s {
	case AgreementDraft, AgreementActive, AgreementUnderReview, AgreementTerminated:
		return true
	}
	return false
}

// NewAsset is an information asset as an admin enters it, naming its provider party and exchange by code and
// reference.
type NewAsset struct {
	Code              string
	Name              string
	ProviderPartyCode string
	ExchangeReference string
	Description       string
	Aliases           []string
}

// AssetRecord is a stored asset with its provider's code and its exchange's reference.
type AssetRecord struct {
	Asset
	ProviderPartyCode string
	ExchangeReference string
}

// ExchangeReviewMonths is the longest a process-level exchange may go between reviews (MoU Annex 2: reviewed at
// least every 6 months): its review date is never more than this many months after its start or last review.
const ExchangeReviewMonths = 6

// Length limits of an exchange's fields, in characters.
const (
	MaxExchangeReferenceLength = 50
	MaxExchangeTextLength      = 500
)

var exchangeReferenceRE = regexp.MustCompile(`^[A-Z0-9]+(-[A-Z0-9]+)*$`)

// AddMonths returns d plus n calendar months, on the last day of the target month when d's day does not exist
// there (31 August plus 6 months is the last day of February).
func AddMonths(d calendar.Date, n int) calendar.Date {
	y, m, day := d.Date()
	first := calendar.NewDate(y, m+time.Month(n), 1)
	last := calendar.NewDate(first.Year(), first.Month()+1, 1).AddDays(-1)
	if day > last.Day() {
		day = last.Day()
	}
	return first.AddDays(day - 1)
}

// NewExchange is a process-level exchange as an admin enters it, naming its agreement and parties by code.
type NewExchange struct {
	AgreementCode      string
	Reference          string // upper-case words or numbers joined by hyphens, e.g. "MOU-A5-DFE-HO"
	Title              string
	ProviderPartyCode  string
	RecipientPartyCode string
	LegalBasis         string
	BusinessOwner      string
	StartOn            calendar.Date
	ReviewOn           calendar.Date // the next review
	ReviewedOn         calendar.Date // the last review; zero when never reviewed
}

// ExchangeChange changes an exchange. Nil fields are left as they are; a zero ReviewedOn clears it.
type ExchangeChange struct {
	Title         *string
	LegalBasis    *string
	BusinessOwner *string
	StartOn       *calendar.Date
	ReviewOn      *calendar.Date
	ReviewedOn    *calendar.Date
}

// Apply returns x with ch applied: the fields an update may change (title, legal basis, business owner, start,
// next and last review).
func (ch ExchangeChange) Apply(x NewExchange) NewExchange {
	if ch.Title != nil {
		x.Title = *ch.Title
	}
	if ch.LegalBasis != nil {
		x.LegalBasis = *ch.LegalBasis
	}
	if ch.BusinessOwner != nil {
		x.BusinessOwner = *ch.BusinessOwner
	}
	if ch.StartOn != nil {
		x.StartOn = *ch.StartOn
	}
	if ch.ReviewOn != nil {
		x.ReviewOn = *ch.ReviewOn
	}
	if ch.ReviewedOn != nil {
		x.ReviewedOn = *ch.ReviewedOn
	}
	return x
}

// Check applies ch to x and validates the result (see NewExchange.Validate). The review rule binds only a change
// of a date, so an exchange recorded before the rule was kept can still be retitled.
func (ch ExchangeChange) Check(x NewExchange) (NewExchange, error) {
	x = ch.Apply(x)
	err := x.Validate()
	if err == nil || ch.StartOn != nil || ch.ReviewOn != nil || ch.ReviewedOn != nil {
		return x, err
	}
	var v Validation
	for _, f := range ErrorFields(err) {
		if f.Field != "review_on" && f.Field != "reviewed_on" {
			v.Add(f.Field, f.Message)
		}
	}
	return x, v.Err()
}

// Validate trims x and returns EINVALID naming each bad field: reference (missing or not upper-case words
// joined by hyphens), title, legal_basis, business_owner (required, at most MaxExchangeTextLength
// characters), start_on (required), reviewed_on (before the start), and review_on (required, after the start or
// last review, and at most ExchangeReviewMonths months after it). The parties and the agreement are resolved
// by the store.
func (x *NewExchange) Validate() error {
	var v Validation
	x.Reference = strings.ToUpper(strings.TrimSpace(x.Reference))
	x.Title, x.LegalBasis = strings.TrimSpace(x.Title), strings.TrimSpace(x.LegalBasis)
	x.BusinessOwner = strings.TrimSpace(x.BusinessOwner)
	v.Check(len(x.Reference) <= MaxExchangeReferenceLength && exchangeReferenceRE.MatchString(x.Reference), "reference",
		"The reference must be upper-case letters or numbers joined by hyphens, like MOU-A5-DFE-HO")
	for _, f := range []struct{ field, value, what string }{{"title", x.Title, "the exchange's title"},
		{"legal_basis", x.LegalBasis, "the legal basis for the exchange"},
		{"business_owner", x.BusinessOwner, "the exchange's business owner"}} {
		v.Check(f.value != "", f.field, "Enter "+f.what)
		checkLength(&v, f.field, f.value, MaxExchangeTextLength)
	}
	if x.StartOn.IsZero() {
		v.Add("start_on", "Enter the date the exchange started, like 2026-04-01")
		return v.Err()
	}
	base := x.StartOn
	if !x.ReviewedOn.IsZero() {
		v.Check(!x.ReviewedOn.Before(x.StartOn), "reviewed_on", "The last review cannot be before the exchange started")
		base = x.ReviewedOn
	}
	limit := AddMonths(base, ExchangeReviewMonths)
	switch {
	case x.ReviewOn.IsZero():
		v.Add("review_on", "Enter the date of the next review, at most 6 months after "+base.String())
	case !x.ReviewOn.After(base):
		v.Add("review_on", "The next review must be after "+base.String())
	case x.ReviewOn.After(limit):
		v.Add("review_on", "A process-level exchange is reviewed at least every 6 months: the next review must be "+
			"on or before "+limit.String())
	}
	return v.Err()
}

// ExchangeRecord is a stored exchange with its agreement's and parties' codes and its last review.
type ExchangeRecord struct {
	Exchange
	AgreementCode      string
	ProviderPartyCode  string
	RecipientPartyCode string
	ReviewedOn         calendar.Date
}

// AgreementDetail is an agreement with its version history and its process-level exchanges.
type AgreementDetail struct {
	Agreement
	Exchanges []ExchangeRecord
}

// AssetSuggestions is the answer to a request for asset suggestions: the suggestions and the parties they
// refer to by id.
type AssetSuggestions struct {
	Suggestions []AssetSuggestion
	Parties     []Party
}

// RegisterReader reads one entry of the registers; any signed-in user may (EUNAUTHORIZED otherwise), and an
// unknown code, reference or id is ENOTFOUND.
type RegisterReader interface {
	// FindAgreement returns the agreement with this code, its version history and its exchanges.
	FindAgreement(ctx context.Context, code string) (AgreementDetail, error)
	// FindExchange returns the exchange with this reference.
	FindExchange(ctx context.Context, reference string) (ExchangeRecord, error)
	// FindAsset returns the information asset with this code, with its aliases.
	FindAsset(ctx context.Context, code string) (AssetRecord, error)
	// FindContact returns the contact with this id.
	FindContact(ctx context.Context, id int64) (ContactRecord, error)
}

// CleanAliases trims aliases and drops empty ones and duplicates (ignoring case), keeping the first spelling.
func CleanAliases(aliases []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, a := range aliases {
		a = strings.TrimSpace(a)
		k := strings.ToLower(a)
		if a == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, a)
	}
	return out
}

// RegisterAdminService changes the registers (admins only: anyone else gets EFORBIDDEN) and suggests the
// information assets a request text touches (officers and decision-makers). Every write is validated
// (EINVALID naming each field, including an unknown party or exchange), audited as register.* and made in one
// transaction; a duplicate code, version or contact email gets ECONFLICT.
type RegisterAdminService interface {
	// CreateContact adds a contact to a party.
	CreateContact(ctx context.Context, in NewContact) (ContactRecord, error)
	// UpdateContact replaces the contact with this id; ENOTFOUND when there is none.
	UpdateContact(ctx context.Context, id int64, in NewContact) (ContactRecord, error)
	// AddAgreementVersion adds an entry to the version history of the agreement with this code.
	AddAgreementVersion(ctx context.Context, code string, v AgreementVersion) (Agreement, error)
	// UpdateAgreement changes the status or review date of the agreement with this code.
	UpdateAgreement(ctx context.Context, code string, ch AgreementChange) (Agreement, error)
	// CreateAsset adds an information asset.
	CreateAsset(ctx context.Context, in NewAsset) (AssetRecord, error)
	// SetAssetAliases replaces the aliases of the asset with this code.
	SetAssetAliases(ctx context.Context, code string, aliases []string) (AssetRecord, error)
	// CreateExchange adds a process-level exchange to an agreement.
	CreateExchange(ctx context.Context, in NewExchange) (ExchangeRecord, error)
	// UpdateExchange changes the exchange with this reference; ENOTFOUND when there is none.
	UpdateExchange(ctx context.Context, reference string, ch ExchangeChange) (ExchangeRecord, error)
	// SuggestAssets returns the assets whose names, codes or aliases appear in text, with RequiresConsultation
	// set for a case of the caller's party.
	SuggestAssets(ctx context.Context, text string) (AssetSuggestions, error)
}
