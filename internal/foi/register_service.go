package foi

import (
	"context"
	"regexp"
	"strings"

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

// AssetSuggestions is the answer to a request for asset suggestions: the suggestions and the parties they
// refer to by id.
type AssetSuggestions struct {
	Suggestions []AssetSuggestion
	Parties     []Party
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
	// SuggestAssets returns the assets whose names, codes or aliases appear in text, with RequiresConsultation
	// set for a case of the caller's party.
	SuggestAssets(ctx context.Context, text string) (AssetSuggestions, error)
}
