package store

import (
	"context"
	"strings"
	"time"

	"foidesk/internal/calendar"
	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// DemoUser is a demo account and, when SeedDemo created it just now, its password.
type DemoUser struct {
	Email    string
	Role     foi.Role
	Party    string
	Password string // "" when the user already existed (its password is unchanged)
}

// SeedDemo loads the demo data from the DfE-Home Office MoU: the two parties, their Annex 3 contacts, the
// agreement with its version history, the two Annex 5 exchanges, their information assets with aliases, and
// one user per role per party. It is idempotent: records are upserted and existing users keep their
// passwords. It runs in one transaction and returns the demo users.
func (d *DB) SeedDemo(ctx context.Context) ([]DemoUser, error) {
	var users []DemoUser
	err := d.inTx(ctx, func(tx *Tx) error {
		if err := tx.can(foi.ActionManageRegisters, foi.Scope{}); err != nil {
			return err
		}
		parties := map[string]int64{}
		for _, p := range demoParties {
			row, err := tx.PartyCreate(ctx, db.PartyCreateParams{Code: p.code, Name: p.name, Now: tx.now})
			if err != nil {
				return err
			}
			parties[p.code] = row.ID
			for _, c := range p.contacts {
				contact := foi.Contact{Name: c.name, Email: c.email, Tier: c.tier, Responsibilities: c.resp, Active: true}
				if err := contact.Validate(); err != nil {
					return err
				}
				if _, err := tx.ContactUpsert(ctx, db.ContactUpsertParams{PartyID: row.ID, Name: contact.Name,
					Email: contact.Email, Tier: string(contact.Tier), Responsibilities: joinResponsibilities(contact.Responsibilities),
					Active: true, Now: tx.now}); err != nil {
					return err
				}
			}
		}
		agreementID, err := seedAgreement(ctx, tx, parties)
		if err != nil {
			return err
		}
		if err := seedExchanges(ctx, tx, agreementID, parties); err != nil {
			return err
		}
		users, err = seedUsers(ctx, tx, parties)
		if err != nil {
			return err
		}
		tx.audit("demo.seed", "agreement", agreementID, 0, map[string]any{"users_created": countCreated(users)})
		return nil
	})
	return users, err
}

func seedAgreement(ctx context.Context, tx *Tx, parties map[string]int64) (int64, error) {
	a, err := tx.AgreementUpsert(ctx, db.AgreementUpsertParams{Code: "DFE-HO-MOU",
		Title:  "Memorandum of Understanding between the Department for Education and the Home Office on the exchange of information assets",
		Status: string(foi.AgreementActive), ReviewOn: calendar.NewDate(2016, time.December, 18), Now: tx.now})
	if err != nil {
		return 0, err
	}
	for _, code := range []string{"DFE", "HO"} {
		if err := tx.AgreementPartyAdd(ctx, db.AgreementPartyAddParams{AgreementID: a.ID, PartyID: parties[code]}); err != nil {
			return 0, err
		}
	}
	for _, v := range demoVersions {
		if _, err := tx.AgreementVersionUpsert(ctx, db.AgreementVersionUpsertParams{AgreementID: a.ID,
			Version: v.version, IssuedOn: v.issued, Summary: v.summary}); err != nil {
			return 0, err
		}
	}
	return a.ID, nil
}

func seedExchanges(ctx context.Context, tx *Tx, agreementID int64, parties map[string]int64) error {
	for _, e := range demoExchanges {
		x, err := tx.ExchangeUpsert(ctx, db.ExchangeUpsertParams{AgreementID: agreementID, Reference: e.reference,
			Title: e.title, ProviderPartyID: parties[e.provider], RecipientPartyID: parties[e.recipient],
			LegalBasis: e.legalBasis, BusinessOwner: e.owner, StartOn: e.start, ReviewOn: e.start.AddDays(182),
			Now: tx.now})
		if err != nil {
			return err
		}
		a, err := tx.AssetUpsert(ctx, db.AssetUpsertParams{Code: e.asset.code, Name: e.asset.name,
			ProviderPartyID: parties[e.provider], ExchangeID: x.ID, Description: e.asset.description, Now: tx.now})
		if err != nil {
			return err
		}
		for _, alias := range e.asset.aliases {
			if err := tx.AssetAliasAdd(ctx, db.AssetAliasAddParams{AssetID: a.ID, Alias: alias}); err != nil {
				return err
			}
		}
	}
	return nil
}

func seedUsers(ctx context.Context, tx *Tx, parties map[string]int64) ([]DemoUser, error) {
	var users []DemoUser
	for _, p := range demoParties {
		for _, role := range foi.Roles {
			email := strings.ReplaceAll(string(role), "-", ".") + "@" + p.domain
			u := DemoUser{Email: email, Role: role, Party: p.code}
			if _, err := tx.UserGetByEmail(ctx, email); err == nil {
				users = append(users, u)
				continue
			}
			u.Password = GeneratePassword()
			partyID := parties[p.code]
			row, err := tx.UserCreate(ctx, db.UserCreateParams{Email: email, Name: demoName(role, p.code),
				Role: string(role), PartyID: &partyID, PasswordHash: hashPassword(u.Password), Now: tx.now})
			if err != nil {
				return nil, err
			}
			tx.audit("user.create", "user", row.ID, partyID, map[string]any{"email": email, "role": role, "party": p.code})
			users = append(users, u)
		}
	}
	return users, nil
}

func demoName(role foi.Role, party string) string {
	return "Demo " + strings.ToLower(role.Label()) + " (" + party + ")"
}

func countCreated(users []DemoUser) int {
	n := 0
	for _, u := range users {
		if u.Password != "" {
			n++
		}
	}
	return n
}

func joinResponsibilities(rs []foi.Responsibility) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = string(r)
	}
	return strings.Join(parts, ",")
}

func splitResponsibilities(s string) []foi.Responsibility {
	var rs []foi.Responsibility
	for _, p := range strings.Split(s, ",") {
		if p != "" {
			rs = append(rs, foi.Responsibility(p))
		}
	}
	return rs
}

type demoContact struct {
	name, email string
	tier        foi.Tier
	resp        []foi.Responsibility
}

type demoParty struct {
	code, name, domain string
	contacts           []demoContact
}

// demoParties are the MoU's parties and their Annex 3 contacts, at example addresses.
var demoParties = []demoParty{
	{code: "DFE", name: "Department for Education", domain: "education.example", contacts: []demoContact{
		{"DfE FOI team", "foi.requests@education.example", foi.TierBAU, []foi.Responsibility{foi.RespFOI}},
		{"DfE Head of FOI and Transparency", "head.foi@education.example", foi.TierEscalation, []foi.Responsibility{foi.RespFOI, foi.RespComplaints}},
		{"DfE Departmental Security Unit", "security.incidents@education.example", foi.TierBAU, []foi.Responsibility{foi.RespSecurityIncident}},
		{"DfE Departmental Security Officer", "dso@education.example", foi.TierEscalation, []foi.Responsibility{foi.RespSecurityIncident}},
		{"DfE Legal Advisers", "legal@education.example", foi.TierBAU, []foi.Responsibility{foi.RespLegal}},
		{"DfE Complaints team", "complaints@education.example", foi.TierBAU, []foi.Responsibility{foi.RespComplaints}},
		{"DfE NPD requests mailbox", "npd.requests@education.example", foi.TierBAU, []foi.Responsibility{foi.RespDataExchange}},
		{"DfE Data Sharing Approval Panel", "data.sharing@education.example", foi.TierEscalation, []foi.Responsibility{foi.RespDataExchange, foi.RespChangeControl}},
	}},
	{code: "HO", name: "Home Office", domain: "homeoffice.example", contacts: []demoContact{
		{"HO FOI Unit", "foi.requests@homeoffice.example", foi.TierBAU, []foi.Responsibility{foi.RespFOI}},
		{"HO Head of Information Rights", "head.information.rights@homeoffice.example", foi.TierEscalation, []foi.Responsibility{foi.RespFOI, foi.RespComplaints}},
		{"HO Security Incidents", "security.incidents@homeoffice.example", foi.TierBAU, []foi.Responsibility{foi.RespSecurityIncident}},
		{"HO Departmental Security Officer", "dso@homeoffice.example", foi.TierEscalation, []foi.Responsibility{foi.RespSecurityIncident}},
		{"HO Legal Advisers Branch", "legal@homeoffice.example", foi.TierBAU, []foi.Responsibility{foi.RespLegal}},
		{"HO Complaints Allocation Hub", "complaints@homeoffice.example", foi.TierBAU, []foi.Responsibility{foi.RespComplaints}},
		{"HO Immigration Enforcement data exchange", "data.exchange@homeoffice.example", foi.TierBAU, []foi.Responsibility{foi.RespDataExchange}},
		{"HO MoU Change Control", "mou.change.control@homeoffice.example", foi.TierEscalation, []foi.Responsibility{foi.RespDataExchange, foi.RespChangeControl}},
	}},
}

type demoVersion struct {
	version string
	issued  calendar.Date
	summary string
}

// demoVersions is the MoU's version history, 0.1 of 11/12/2014 to 1.2 of 16/12/2015 (Annex 1).
var demoVersions = []demoVersion{
	{"0.1", calendar.NewDate(2014, time.December, 11), "First draft for discussion between DfE and HO."},
	{"0.2", calendar.NewDate(2015, time.February, 9), "Comments from both legal teams incorporated."},
	{"0.3", calendar.NewDate(2015, time.April, 20), "Security and handling annexes added."},
	{"1.0", calendar.NewDate(2015, time.June, 30), "Agreed and signed by both parties."},
	{"1.1", calendar.NewDate(2015, time.October, 5), "Contacts in Annex 3 updated."},
	{"1.2", calendar.NewDate(2015, time.December, 16), "Annex 5 process-level agreement revised; review date set."},
}

type demoAsset struct {
	code, name, description string
	aliases                 []string
}

type demoExchange struct {
	reference, title, provider, recipient, legalBasis, owner string
	start                                                    calendar.Date
	asset                                                    demoAsset
}

// demoExchanges are the two process-level exchanges of Annex 5, "Locating immigration offenders".
var demoExchanges = []demoExchange{
	{
		reference: "MOU-A5-HO-DFE", title: "Locating immigration offenders: request file (HO to DfE)",
		provider: "HO", recipient: "DFE",
		legalBasis: "Common law powers of the Secretary of State; Immigration Act 1971 and the Data Protection Act",
		owner:      "Director, Immigration Enforcement Interventions", start: calendar.NewDate(2015, time.July, 1),
		asset: demoAsset{code: "cid-person-records", name: "CID person records",
			description: "Monthly request file of about 1,500 people from the HO Casework Information Database: surname, middle name, forename, address, post code, gender, date of birth, nationality and CID person id.",
			aliases:     []string{"CID", "Casework Information Database", "CID person id", "immigration offenders", "request file", "Home Office person records"}},
	},
	{
		reference: "MOU-A5-DFE-HO", title: "Locating immigration offenders: pupil matches (DfE to HO)",
		provider: "DFE", recipient: "HO",
		legalBasis: "Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009 and the Data Protection Act",
		owner:      "Deputy Director, Data Modernisation", start: calendar.NewDate(2015, time.July, 1),
		asset: demoAsset{code: "npd-pupil-matches", name: "NPD pupil matches",
			description: "Matches from the National Pupil Database and school census: names, addresses for the last 3-5 years, school number, name and post code with dates, adopted-from-care flag and nationality.",
			aliases:     []string{"National Pupil Database", "NPD", "pupil data", "pupil matches", "school census", "pupil records"}},
	},
}
