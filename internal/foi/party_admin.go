package foi

import (
	"context"
	"strings"
)

// MaxPartyNameLength is the longest party name, in characters.
const MaxPartyNameLength = 200

// NewParty is a party as an admin enters it. Its code starts every case reference of the party
// ("DFE-FOI-2026-000123"), so it is fixed once the party exists; the name may change.
type NewParty struct {
	Code string // 2 to 10 upper-case letters or digits, starting with a letter, e.g. "DFE"
	Name string // e.g. "Department for Education"
}

// Validate upper-cases and trims the code, trims the name and returns EINVALID naming each bad field: code (not
// 2 to 10 upper-case letters or digits starting with a letter) and name (empty or longer than
// MaxPartyNameLength).
func (p *NewParty) Validate() error {
	var v Validation
	p.Code = strings.ToUpper(strings.TrimSpace(p.Code))
	v.Check(ValidPartyCode(p.Code), "code",
		"The code must be 2 to 10 letters or digits, starting with a letter, like DFE")
	checkPartyName(&v, &p.Name)
	return v.Err()
}

// CheckPartyName trims name and returns it, or EINVALID (field "name") when it is empty or too long.
func CheckPartyName(name string) (string, error) {
	var v Validation
	checkPartyName(&v, &name)
	return name, v.Err()
}

func checkPartyName(v *Validation, name *string) {
	*name = strings.TrimSpace(*name)
	v.Check(*name != "", "name", "Enter the party's name, like Department for Education")
	checkLength(v, "name", *name, MaxPartyNameLength)
}

// PartyAdminService keeps the parties. Any signed-in user reads them (EUNAUTHORIZED otherwise); only an admin
// adds or renames one (EFORBIDDEN otherwise). Every write is validated (EINVALID naming each field), audited as
// register.party.* and made in one transaction.
type PartyAdminService interface {
	// Parties returns every party, by code.
	Parties(ctx context.Context) ([]Party, error)
	// FindParty returns the party with this code (any case); ENOTFOUND when there is none.
	FindParty(ctx context.Context, code string) (Party, error)
	// CreateParty adds a party; ECONFLICT when its code is taken.
	CreateParty(ctx context.Context, in NewParty) (Party, error)
	// RenameParty changes the name of the party with this code; ENOTFOUND when there is none.
	RenameParty(ctx context.Context, code, name string) (Party, error)
}
