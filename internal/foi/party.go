package foi

import (
	"regexp"
	"strings"

	"foidesk/internal/calendar"
)

// Party is an organisation that shares information under an agreement and receives FOI requests (DFE, HO).
type Party struct {
	ID   int64
	Code string // upper-case, e.g. "DFE"
	Name string
}

var partyCodeRE = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,9}$`)

// ValidPartyCode reports whether code is 2 to 10 upper-case letters or digits, starting with a letter.
func ValidPartyCode(code string) bool { return partyCodeRE.MatchString(code) }

// Tier is a contact's place on the MoU's escalation ladder (Annex 3).
type Tier string

// The contact tiers.
const (
	TierBAU        Tier = "bau"
	TierEscalation Tier = "escalation"
)

// Responsibility is what a contact covers (MoU Annex 3).
type Responsibility string

// The responsibilities of Annex 3.
const (
	RespFOI              Responsibility = "foi"
	RespSecurityIncident Responsibility = "security-incidents"
	RespLegal            Responsibility = "legal"
	RespComplaints       Responsibility = "complaints"
	RespDataExchange     Responsibility = "data-exchange"
	RespChangeControl    Responsibility = "change-control"
)

// Responsibilities lists every responsibility in display order.
var Responsibilities = []Responsibility{RespFOI, RespSecurityIncident, RespLegal, RespComplaints, RespDataExchange, RespChangeControl}

// Valid reports whether r is a known responsibility.
func (r Responsibility) Valid() bool {
	for _, k := range Responsibilities {
		if r == k {
			return true
		}
	}
	return false
}

// Contact is a person or shared mailbox of a party that foidesk notifies.
type Contact struct {
	ID               int64
	PartyID          int64
	Name             string
	Email            string
	Tier             Tier
	Responsibilities []Responsibility
	Active           bool
}

// Validate checks a contact and returns an EINVALID error naming each bad field.
func (c *Contact) Validate() error {
	var v Validation
	c.Name = strings.TrimSpace(c.Name)
	c.Email = NormalizeEmail(c.Email)
	v.Check(c.Name != "", "name", "Enter the contact's name")
	v.Check(ValidEmail(c.Email), "email", "Enter an email address in the correct format, like foi@example.gov.uk")
	v.Check(c.Tier == TierBAU || c.Tier == TierEscalation, "tier", "Tier must be bau or escalation")
	v.Check(len(c.Responsibilities) > 0, "responsibilities", "Choose at least one responsibility")
	for _, r := range c.Responsibilities {
		if !r.Valid() {
			v.Add("responsibilities", "Unknown responsibility "+string(r))
			break
		}
	}
	return v.Err()
}

// AgreementStatus is where an agreement stands.
type AgreementStatus string

// The agreement statuses.
const (
	AgreementDraft       AgreementStatus = "draft"
	AgreementActive      AgreementStatus = "active"
	AgreementUnderReview AgreementStatus = "under_review"
	AgreementTerminated  AgreementStatus = "terminated"
)

// Agreement is a data-sharing agreement such as an MoU, with its version history.
type Agreement struct {
	ID       int64
	Code     string // e.g. "DFE-HO-MOU"
	Title    string
	Status   AgreementStatus
	ReviewOn calendar.Date
	Versions []AgreementVersion
}

// AgreementVersion is one entry of an agreement's version history (MoU Annex 1).
type AgreementVersion struct {
	Version  string // "1.2"
	IssuedOn calendar.Date
	Summary  string
}

// Exchange is a process-level agreement: one flow of information from a provider party to a recipient party
// under an agreement (MoU 1.8, Annex 2).
type Exchange struct {
	ID               int64
	AgreementID      int64
	Reference        string
	Title            string
	ProviderPartyID  int64
	RecipientPartyID int64
	LegalBasis       string
	BusinessOwner    string
	StartOn          calendar.Date
	ReviewOn         calendar.Date
}

// Asset is an information asset one party provides to another under an exchange, with aliases that help
// spot it in request text.
type Asset struct {
	ID              int64
	Code            string // e.g. "npd-pupil-matches"
	Name            string
	ProviderPartyID int64
	ExchangeID      int64
	Description     string
	Aliases         []string
}
