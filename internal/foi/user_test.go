package foi_test

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"foidesk/internal/foi"
)

// fieldNames returns the names of the bad fields in err, in order.
func fieldNames(err error) []string {
	var names []string
	for _, f := range foi.ErrorFields(err) {
		names = append(names, f.Field)
	}
	return names
}

func validNewUser() foi.NewUser {
	return foi.NewUser{Email: "jo.bloggs@example.gov.uk", Name: "Jo Bloggs", Role: foi.RoleOfficer, PartyCode: "DFE"}
}

func TestNewUserValidate_NormalisesEmailNameAndPartyCode(t *testing.T) {
	u := foi.NewUser{Email: "  Jo.Bloggs@Example.GOV.UK \t", Name: "  Jo Bloggs ", Role: foi.RoleLiaison,
		PartyCode: " dfe "}
	if err := u.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if u.Email != "jo.bloggs@example.gov.uk" || u.Name != "Jo Bloggs" || u.PartyCode != "DFE" {
		t.Fatalf("normalised to %q, %q, %q; want jo.bloggs@example.gov.uk, Jo Bloggs, DFE", u.Email, u.Name, u.PartyCode)
	}
}

func TestNewUserValidate_AcceptsEveryPartyRoleAndAnAdminWithoutParty(t *testing.T) {
	for _, role := range foi.Roles {
		u := validNewUser()
		u.Role = role
		if err := u.Validate(); err != nil {
			t.Errorf("%s of DFE: %v", role, err)
		}
	}
	admin := foi.NewUser{Email: "admin@example.gov.uk", Name: "Admin", Role: foi.RoleAdmin}
	if err := admin.Validate(); err != nil {
		t.Fatalf("admin without a party: %v", err)
	}
}

func TestNewUserValidate_NamesEachBadField(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(u *foi.NewUser)
		field  string
	}{
		{"empty email", func(u *foi.NewUser) { u.Email = "" }, "email"},
		{"email without domain", func(u *foi.NewUser) { u.Email = "jo.bloggs" }, "email"},
		{"email with display name", func(u *foi.NewUser) { u.Email = "Jo <jo@example.gov.uk>" }, "email"},
		{"empty name", func(u *foi.NewUser) { u.Name = "" }, "name"},
		{"blank name", func(u *foi.NewUser) { u.Name = " \t " }, "name"},
		{"name too long", func(u *foi.NewUser) { u.Name = strings.Repeat("n", 201) }, "name"},
		{"no role", func(u *foi.NewUser) { u.Role = "" }, "role"},
		{"unknown role", func(u *foi.NewUser) { u.Role = "superuser" }, "role"},
		{"role in capitals", func(u *foi.NewUser) { u.Role = "Officer" }, "role"},
		{"officer without party", func(u *foi.NewUser) { u.PartyCode = "" }, "party"},
		{"liaison with blank party", func(u *foi.NewUser) { u.Role, u.PartyCode = foi.RoleLiaison, "   " }, "party"},
		{"short password", func(u *foi.NewUser) { u.Password = strings.Repeat("p", foi.MinPasswordLength-1) }, "password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := validNewUser()
			tc.change(&u)
			err := u.Validate()
			if foi.ErrorCode(err) != foi.EINVALID {
				t.Fatalf("Validate = %v (%q), want %q", err, foi.ErrorCode(err), foi.EINVALID)
			}
			if got := fieldNames(err); !reflect.DeepEqual(got, []string{tc.field}) {
				t.Fatalf("bad fields = %q, want exactly [%s]", got, tc.field)
			}
			if msg := foi.ErrorFields(err)[0].Message; msg == "" || foi.ErrorMessage(err) != msg {
				t.Fatalf("message %q, field message %q: want the field's message for people", foi.ErrorMessage(err), msg)
			}
		})
	}
}

func TestNewUserValidate_BoundariesPass(t *testing.T) {
	u := validNewUser()
	u.Name = strings.Repeat("n", 200)
	u.Password = strings.Repeat("p", foi.MinPasswordLength)
	if err := u.Validate(); err != nil {
		t.Fatalf("200-character name and %d-character password: %v", foi.MinPasswordLength, err)
	}
	u = validNewUser()
	u.Password = "" // the store generates one
	if err := u.Validate(); err != nil {
		t.Fatalf("no password: %v", err)
	}
}

func TestNewUserValidate_ListsEveryProblem(t *testing.T) {
	u := foi.NewUser{Email: "nope", Name: "", Role: "boss", Password: "short"}
	err := u.Validate()
	if got, want := fieldNames(err), []string{"email", "name", "role", "password"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("bad fields = %q, want %q", got, want)
	}
	if msg := foi.ErrorMessage(err); !strings.HasSuffix(msg, "(and 3 more problems)") ||
		!strings.HasPrefix(msg, "Enter an email address") {
		t.Fatalf("message = %q, want the first problem and a count of the rest", msg)
	}
}

func TestValidEmail(t *testing.T) {
	for _, s := range []string{
		"a@b.co",
		"jo.bloggs@example.gov.uk",
		"first+tag@sub.example.org",
		"o'brien@example.ie",
		"Jo.Bloggs@Example.GOV.UK",
		"foi-team_2@education.gov.uk",
		strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".com", // 254 characters
	} {
		if !foi.ValidEmail(s) {
			t.Errorf("ValidEmail(%q) = false, want true", s)
		}
	}
	for _, s := range []string{
		"",
		"plain",
		"@example.gov.uk",
		"jo@",
		"jo@localhost",
		"jo@@example.gov.uk",
		"jo bloggs@example.gov.uk",
		" jo@example.gov.uk",
		"jo@example.gov.uk ",
		"Jo Bloggs <jo@example.gov.uk>",
		"<jo@example.gov.uk>",
		"jo@example.gov.uk, al@example.gov.uk",
		"jo@example.gov.uk,al@example.gov.uk",
		"jo@example.gov.uk (Jo)",
		"jo@example..uk",
		"jo@example.gov.uk\n",
		strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com", // 255 characters
	} {
		if foi.ValidEmail(s) {
			t.Errorf("ValidEmail(%q) = true, want false", s)
		}
	}
}

func validContact() foi.Contact {
	return foi.Contact{Name: "FOI Team", Email: "foi@example.gov.uk", Tier: foi.TierBAU,
		Responsibilities: []foi.Responsibility{foi.RespFOI, foi.RespLegal}}
}

func TestContactValidate_NormalisesAndAcceptsEveryResponsibility(t *testing.T) {
	c := validContact()
	c.Name, c.Email, c.Tier = "  FOI Team ", " FOI@Example.GOV.uk ", foi.TierEscalation
	c.Responsibilities = foi.Responsibilities
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if c.Name != "FOI Team" || c.Email != "foi@example.gov.uk" {
		t.Fatalf("normalised to %q, %q", c.Name, c.Email)
	}
}

func TestContactValidate_NamesEachBadField(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(c *foi.Contact)
		field  string
	}{
		{"blank name", func(c *foi.Contact) { c.Name = "  " }, "name"},
		{"bad email", func(c *foi.Contact) { c.Email = "foi at example.gov.uk" }, "email"},
		{"no tier", func(c *foi.Contact) { c.Tier = "" }, "tier"},
		{"unknown tier", func(c *foi.Contact) { c.Tier = "gold" }, "tier"},
		{"no responsibilities", func(c *foi.Contact) { c.Responsibilities = nil }, "responsibilities"},
		{"unknown responsibilities, reported once", func(c *foi.Contact) {
			c.Responsibilities = []foi.Responsibility{foi.RespFOI, "gossip", "rumours"}
		}, "responsibilities"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := validContact()
			tc.change(&c)
			err := c.Validate()
			if foi.ErrorCode(err) != foi.EINVALID {
				t.Fatalf("Validate = %v, want %q", err, foi.EINVALID)
			}
			if got := fieldNames(err); !reflect.DeepEqual(got, []string{tc.field}) {
				t.Fatalf("bad fields = %q, want exactly [%s]", got, tc.field)
			}
		})
	}
	c := validContact()
	c.Responsibilities = []foi.Responsibility{"gossip"}
	if msg := foi.ErrorMessage(c.Validate()); !strings.Contains(msg, "gossip") {
		t.Fatalf("message %q does not name the unknown responsibility", msg)
	}
}

func TestValidation_ErrIsNilWithoutProblemsAndListsThemOtherwise(t *testing.T) {
	var v foi.Validation
	v.Check(true, "email", "never shown")
	if err := v.Err(); err != nil {
		t.Fatalf("no problems, Err = %v (a typed nil would break err != nil checks)", err)
	}
	if v.Has("email") {
		t.Fatalf("Check(true) recorded a problem")
	}
	v.Add("email", "Enter an email address")
	if err := v.Err(); err == nil || err.Error() != "Enter an email address" {
		t.Fatalf("one problem: Err = %v, want its message alone", err)
	}
	v.Check(false, "name", "Enter a name")
	v.Add("role", "Choose a role")
	err := v.Err()
	if got, want := err.Error(), "Enter an email address (and 2 more problems)"; got != want {
		t.Fatalf("Err().Error() = %q, want %q", got, want)
	}
	want := []foi.FieldError{{"email", "Enter an email address"}, {"name", "Enter a name"}, {"role", "Choose a role"}}
	if got := foi.ErrorFields(err); !reflect.DeepEqual(got, want) {
		t.Fatalf("fields = %+v, want %+v", got, want)
	}
	if foi.ErrorCode(err) != foi.EINVALID || !v.Has("name") || v.Has("party") {
		t.Fatalf("code %q, Has(name) %v, Has(party) %v", foi.ErrorCode(err), v.Has("name"), v.Has("party"))
	}
}

func TestErrorCodeAndMessage_FindDomainErrorsThroughWrapping(t *testing.T) {
	domain := foi.Errorf(foi.ECONFLICT, "Case %s is closed.", "FOI-2025-0001")
	for name, err := range map[string]error{
		"bare":          domain,
		"wrapped":       fmt.Errorf("close case: %w", domain),
		"wrapped twice": fmt.Errorf("handler: %w", fmt.Errorf("store: %w", domain)),
		"joined":        errors.Join(errors.New("rollback failed"), domain),
	} {
		if got := foi.ErrorCode(err); got != foi.ECONFLICT {
			t.Errorf("%s: ErrorCode = %q, want %q", name, got, foi.ECONFLICT)
		}
		if got := foi.ErrorMessage(err); got != "Case FOI-2025-0001 is closed." {
			t.Errorf("%s: ErrorMessage = %q, want the domain message only", name, got)
		}
	}
	invalid := fmt.Errorf("create user: %w", &foi.Error{Code: foi.EINVALID, Message: "Bad",
		Fields: []foi.FieldError{{Field: "email", Message: "Bad"}}})
	if got := fieldNames(invalid); !reflect.DeepEqual(got, []string{"email"}) {
		t.Errorf("ErrorFields through wrapping = %q", got)
	}
}

func TestErrorCodeAndMessage_NonDomainErrorsAreInternalAndNeverLeak(t *testing.T) {
	for _, err := range []error{
		errors.New(`pq: password authentication failed for user "foidesk" password=hunter2`),
		fmt.Errorf("query: %w", io.ErrUnexpectedEOF),
		fmt.Errorf("no domain error here: %v", foi.Errorf(foi.ENOTFOUND, "Not found.")), // %v does not wrap
	} {
		if got := foi.ErrorCode(err); got != foi.EINTERNAL {
			t.Errorf("ErrorCode(%v) = %q, want %q", err, got, foi.EINTERNAL)
		}
		if got := foi.ErrorMessage(err); got != "Internal error." {
			t.Errorf("ErrorMessage(%v) = %q, want %q", err, got, "Internal error.")
		}
		if foi.ErrorFields(err) != nil {
			t.Errorf("ErrorFields(%v) = %v, want none", err, foi.ErrorFields(err))
		}
	}
	if foi.ErrorCode(nil) != "" || foi.ErrorMessage(nil) != "" || foi.ErrorFields(nil) != nil {
		t.Errorf("nil error: code %q, message %q, fields %v; want all empty",
			foi.ErrorCode(nil), foi.ErrorMessage(nil), foi.ErrorFields(nil))
	}
}

func TestRole_ValidAndLabel(t *testing.T) {
	labels := map[foi.Role]string{foi.RoleAdmin: "Admin", foi.RoleOfficer: "FOI officer",
		foi.RoleDecisionMaker: "Decision-maker", foi.RoleLiaison: "Liaison", foi.RoleAuditor: "Auditor"}
	if len(foi.Roles) != len(labels) {
		t.Fatalf("foi.Roles has %d roles, want %d", len(foi.Roles), len(labels))
	}
	for _, r := range foi.Roles {
		if !r.Valid() || r.Label() != labels[r] {
			t.Errorf("%s: Valid %v, Label %q; want true, %q", r, r.Valid(), r.Label(), labels[r])
		}
	}
	for _, r := range []foi.Role{"", "root", "decision_maker", "ADMIN"} {
		if r.Valid() {
			t.Errorf("Role(%q).Valid() = true", r)
		}
	}
}
