package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

var _ foi.RegisterAdminService = (*DB)(nil)

// maxAliases bounds how many aliases one asset may have.
const maxAliases = 50

// notFoundIs reports whether err is a missing row.
func notFoundIs(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// partyByCode resolves a party code, adding an error on field when it is missing or unknown.
func (tx *Tx) partyByCode(ctx context.Context, code string, field string, v *foi.Validation) (db.Party, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		v.Add(field, "Enter the party's code")
		return db.Party{}, nil
	}
	p, err := tx.PartyGetByCode(ctx, code)
	if notFoundIs(err) {
		v.Add(field, "There is no party with code "+code)
		return db.Party{}, nil
	}
	return p, err
}

// contactWrite validates a contact and resolves its party.
func (tx *Tx) contactWrite(ctx context.Context, in *foi.NewContact) (db.Party, error) {
	if err := tx.can(foi.ActionManageRegisters, foi.Scope{}); err != nil {
		return db.Party{}, err
	}
	var v foi.Validation
	p, err := tx.partyByCode(ctx, in.PartyCode, "party", &v)
	if err != nil {
		return db.Party{}, err
	}
	if err := in.Contact.Validate(); err != nil {
		var fe *foi.Error
		if !errors.As(err, &fe) {
			return db.Party{}, err
		}
		for _, f := range fe.Fields {
			v.Add(f.Field, f.Message)
		}
	}
	return p, v.Err()
}

func toContactRecord(c db.Contact, partyCode string) foi.ContactRecord {
	return foi.ContactRecord{PartyCode: partyCode, Contact: foi.Contact{ID: c.ID, PartyID: c.PartyID, Name: c.Name,
		Email: c.Email, Tier: foi.Tier(c.Tier), Responsibilities: splitResponsibilities(c.Responsibilities), Active: c.Active}}
}

// CreateContact adds a contact to a party (admins only), validated and audited as register.contact.create.
func (d *DB) CreateContact(ctx context.Context, in foi.NewContact) (foi.ContactRecord, error) {
	var out foi.ContactRecord
	err := d.inTx(ctx, func(tx *Tx) error {
		p, err := tx.contactWrite(ctx, &in)
		if err != nil {
			return err
		}
		c := in.Contact
		row, err := tx.RegisterContactInsert(ctx, db.RegisterContactInsertParams{PartyID: p.ID, Name: c.Name,
			Email: c.Email, Tier: string(c.Tier), Responsibilities: joinResponsibilities(c.Responsibilities),
			Active: c.Active, Now: tx.now})
		if isUniqueViolation(err) {
			return foi.Errorf(foi.ECONFLICT, "%s already has a contact with email %s.", p.Code, c.Email)
		}
		if err != nil {
			return err
		}
		out = toContactRecord(row, p.Code)
		tx.audit("register.contact.create", "contact", row.ID, p.ID, map[string]any{"party": p.Code,
			"name": c.Name, "email": c.Email, "tier": c.Tier, "responsibilities": c.Responsibilities, "active": c.Active})
		return nil
	})
	return out, err
}

// UpdateContact replaces a contact (admins only), validated and audited as register.contact.update.
func (d *DB) UpdateContact(ctx context.Context, id int64, in foi.NewContact) (foi.ContactRecord, error) {
	var out foi.ContactRecord
	err := d.inTx(ctx, func(tx *Tx) error {
		if err := tx.can(foi.ActionManageRegisters, foi.Scope{}); err != nil {
			return err
		}
		old, err := tx.RegisterContactGet(ctx, id)
		if notFoundIs(err) {
			return foi.Errorf(foi.ENOTFOUND, "There is no contact %d.", id)
		}
		if err != nil {
			return err
		}
		p, err := tx.contactWrite(ctx, &in)
		if err != nil {
			return err
		}
		c := in.Contact
		row, err := tx.RegisterContactUpdate(ctx, db.RegisterContactUpdateParams{ID: id, PartyID: p.ID, Name: c.Name,
			Email: c.Email, Tier: string(c.Tier), Responsibilities: joinResponsibilities(c.Responsibilities),
			Active: c.Active})
		if isUniqueViolation(err) {
			return foi.Errorf(foi.ECONFLICT, "%s already has a contact with email %s.", p.Code, c.Email)
		}
		if err != nil {
			return err
		}
		out = toContactRecord(row, p.Code)
		tx.audit("register.contact.update", "contact", id, p.ID, map[string]any{"party": p.Code,
			"name": c.Name, "email": c.Email, "tier": c.Tier, "responsibilities": c.Responsibilities, "active": c.Active,
			"was": map[string]any{"party_id": old.PartyID, "name": old.Name, "email": old.Email, "tier": old.Tier,
				"responsibilities": old.Responsibilities, "active": old.Active}})
		return nil
	})
	return out, err
}

// agreement loads an agreement with its versions.
func (tx *Tx) agreement(ctx context.Context, a db.Agreement) (foi.Agreement, error) {
	out := foi.Agreement{ID: a.ID, Code: a.Code, Title: a.Title, Status: foi.AgreementStatus(a.Status), ReviewOn: a.ReviewOn}
	versions, err := tx.AgreementVersionList(ctx, a.ID)
	if err != nil {
		return out, err
	}
	for _, v := range versions {
		out.Versions = append(out.Versions, foi.AgreementVersion{Version: v.Version, IssuedOn: v.IssuedOn, Summary: v.Summary})
	}
	return out, nil
}

// agreementByCode returns the agreement with this code, or ENOTFOUND.
func (tx *Tx) agreementByCode(ctx context.Context, code string) (db.Agreement, error) {
	a, err := tx.RegisterAgreementGetByCode(ctx, code)
	if notFoundIs(err) {
		return a, foi.Errorf(foi.ENOTFOUND, "There is no agreement %s.", code)
	}
	return a, err
}

// AddAgreementVersion adds a version to an agreement's history (admins only), audited as
// register.agreement.version.
func (d *DB) AddAgreementVersion(ctx context.Context, code string, v foi.AgreementVersion) (foi.Agreement, error) {
	var out foi.Agreement
	err := d.inTx(ctx, func(tx *Tx) error {
		if err := tx.can(foi.ActionManageRegisters, foi.Scope{}); err != nil {
			return err
		}
		a, err := tx.agreementByCode(ctx, code)
		if err != nil {
			return err
		}
		var val foi.Validation
		v.Version, v.Summary = strings.TrimSpace(v.Version), strings.TrimSpace(v.Summary)
		val.Check(v.Version != "", "version", "Enter the version, like 1.3")
		val.Check(len(v.Version) <= 20, "version", "The version must be 20 characters or fewer")
		val.Check(!v.IssuedOn.IsZero(), "issued_on", "Enter the date the version was issued, like 2026-03-31")
		val.Check(v.Summary != "", "summary", "Summarise what changed")
		if err := val.Err(); err != nil {
			return err
		}
		_, err = tx.RegisterAgreementVersionInsert(ctx, db.RegisterAgreementVersionInsertParams{AgreementID: a.ID,
			Version: v.Version, IssuedOn: v.IssuedOn, Summary: v.Summary})
		if isUniqueViolation(err) {
			return foi.Errorf(foi.ECONFLICT, "%s already has a version %s.", a.Code, v.Version)
		}
		if err != nil {
			return err
		}
		tx.audit("register.agreement.version", "agreement", a.ID, 0, map[string]any{"code": a.Code,
			"version": v.Version, "issued_on": v.IssuedOn, "summary": v.Summary})
		out, err = tx.agreement(ctx, a)
		return err
	})
	return out, err
}

// UpdateAgreement changes an agreement's status or review date (admins only), audited as
// register.agreement.update.
func (d *DB) UpdateAgreement(ctx context.Context, code string, ch foi.AgreementChange) (foi.Agreement, error) {
	var out foi.Agreement
	err := d.inTx(ctx, func(tx *Tx) error {
		if err := tx.can(foi.ActionManageRegisters, foi.Scope{}); err != nil {
			return err
		}
		a, err := tx.agreementByCode(ctx, code)
		if err != nil {
			return err
		}
		var v foi.Validation
		v.Check(ch.Status == "" || ch.Status.Valid(), "status", "Status must be draft, active, under_review or terminated")
		if err := v.Err(); err != nil {
			return err
		}
		status, reviewOn := foi.AgreementStatus(a.Status), a.ReviewOn
		if ch.Status != "" {
			status = ch.Status
		}
		if ch.ReviewOn != nil {
			reviewOn = *ch.ReviewOn
		}
		row, err := tx.RegisterAgreementUpdate(ctx, db.RegisterAgreementUpdateParams{ID: a.ID, Status: string(status),
			ReviewOn: reviewOn, Now: tx.now})
		if err != nil {
			return err
		}
		tx.audit("register.agreement.update", "agreement", a.ID, 0, map[string]any{"code": a.Code,
			"status": status, "review_on": reviewOn, "was": map[string]any{"status": a.Status, "review_on": a.ReviewOn}})
		out, err = tx.agreement(ctx, row)
		return err
	})
	return out, err
}

// CreateAsset adds an information asset (admins only), audited as register.asset.create.
func (d *DB) CreateAsset(ctx context.Context, in foi.NewAsset) (foi.AssetRecord, error) {
	var out foi.AssetRecord
	err := d.inTx(ctx, func(tx *Tx) error {
		if err := tx.can(foi.ActionManageRegisters, foi.Scope{}); err != nil {
			return err
		}
		var v foi.Validation
		in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
		in.Description, in.ExchangeReference = strings.TrimSpace(in.Description), strings.TrimSpace(in.ExchangeReference)
		in.Aliases = foi.CleanAliases(in.Aliases)
		v.Check(foi.ValidAssetCode(in.Code), "code", "The code must be lower-case words joined by hyphens, like npd-pupil-matches")
		v.Check(in.Name != "", "name", "Enter the asset's name")
		v.Check(len(in.Aliases) <= maxAliases, "aliases", "An asset can have at most 50 aliases")
		p, err := tx.partyByCode(ctx, in.ProviderPartyCode, "provider_party", &v)
		if err != nil {
			return err
		}
		var x db.Exchange
		if in.ExchangeReference == "" {
			v.Add("exchange_reference", "Enter the reference of the exchange the asset is provided under")
		} else if x, err = tx.RegisterExchangeGetByReference(ctx, in.ExchangeReference); notFoundIs(err) {
			v.Add("exchange_reference", "There is no exchange with reference "+in.ExchangeReference)
		} else if err != nil {
			return err
		} else if p.ID != 0 && x.ProviderPartyID != p.ID {
			v.Add("provider_party", "The provider must be the exchange's provider")
		}
		if err := v.Err(); err != nil {
			return err
		}
		row, err := tx.RegisterAssetInsert(ctx, db.RegisterAssetInsertParams{Code: in.Code, Name: in.Name,
			ProviderPartyID: p.ID, ExchangeID: x.ID, Description: in.Description, Now: tx.now})
		if isUniqueViolation(err) {
			return foi.Errorf(foi.ECONFLICT, "There is already an asset with code %s.", in.Code)
		}
		if err != nil {
			return err
		}
		for _, a := range in.Aliases {
			if err := tx.AssetAliasAdd(ctx, db.AssetAliasAddParams{AssetID: row.ID, Alias: a}); err != nil {
				return err
			}
		}
		out = foi.AssetRecord{Asset: foi.Asset{ID: row.ID, Code: row.Code, Name: row.Name, ProviderPartyID: p.ID,
			ExchangeID: x.ID, Description: row.Description, Aliases: in.Aliases},
			ProviderPartyCode: p.Code, ExchangeReference: x.Reference}
		tx.audit("register.asset.create", "asset", row.ID, p.ID, map[string]any{"code": in.Code, "name": in.Name,
			"provider_party": p.Code, "exchange_reference": x.Reference, "aliases": in.Aliases})
		return nil
	})
	return out, err
}

// SetAssetAliases replaces an asset's aliases (admins only), audited as register.asset.aliases.
func (d *DB) SetAssetAliases(ctx context.Context, code string, aliases []string) (foi.AssetRecord, error) {
	var out foi.AssetRecord
	err := d.inTx(ctx, func(tx *Tx) error {
		if err := tx.can(foi.ActionManageRegisters, foi.Scope{}); err != nil {
			return err
		}
		a, err := tx.RegisterAssetGetByCode(ctx, code)
		if notFoundIs(err) {
			return foi.Errorf(foi.ENOTFOUND, "There is no asset %s.", code)
		}
		if err != nil {
			return err
		}
		aliases = foi.CleanAliases(aliases)
		var v foi.Validation
		v.Check(len(aliases) <= maxAliases, "aliases", "An asset can have at most 50 aliases")
		if err := v.Err(); err != nil {
			return err
		}
		was, err := tx.RegisterAssetAliasListByAsset(ctx, a.ID)
		if err != nil {
			return err
		}
		if err := tx.RegisterAssetAliasClear(ctx, a.ID); err != nil {
			return err
		}
		for _, al := range aliases {
			if err := tx.AssetAliasAdd(ctx, db.AssetAliasAddParams{AssetID: a.ID, Alias: al}); err != nil {
				return err
			}
		}
		if out, err = tx.assetRecord(ctx, a, aliases); err != nil {
			return err
		}
		tx.audit("register.asset.aliases", "asset", a.ID, a.ProviderPartyID, map[string]any{"code": a.Code,
			"aliases": aliases, "was": was})
		return nil
	})
	return out, err
}

// SuggestAssets returns the assets whose names, codes or aliases appear in text, for an officer or
// decision-maker to confirm, with RequiresConsultation set for a case of the caller's party.
func (d *DB) SuggestAssets(ctx context.Context, text string) (foi.AssetSuggestions, error) {
	if err := canCtx(ctx, foi.ActionCreateCase, foi.Scope{}); err != nil {
		return foi.AssetSuggestions{}, err
	}
	var v foi.Validation
	v.Check(strings.TrimSpace(text) != "", "request_text", "Enter the text of the request")
	v.Check(utf8.RuneCountInString(text) <= foi.MaxRequestTextLength, "request_text", "The request text is too long")
	if err := v.Err(); err != nil {
		return foi.AssetSuggestions{}, err
	}
	r, err := d.Registers(ctx)
	if err != nil {
		return foi.AssetSuggestions{}, err
	}
	var party int64
	if u := foi.UserFrom(ctx); u != nil {
		party = u.PartyID
	}
	return foi.AssetSuggestions{Suggestions: foi.NewAssetMatcher(r.Assets).Suggest(text, party), Parties: r.Parties}, nil
}

// exchangeRecord builds an exchange record from its row and the codes of its agreement and parties.
func (tx *Tx) exchangeRecord(ctx context.Context, x db.Exchange) (foi.ExchangeRecord, error) {
	out := foi.ExchangeRecord{Exchange: foi.Exchange{ID: x.ID, AgreementID: x.AgreementID, Reference: x.Reference,
		Title: x.Title, ProviderPartyID: x.ProviderPartyID, RecipientPartyID: x.RecipientPartyID,
		LegalBasis: x.LegalBasis, BusinessOwner: x.BusinessOwner, StartOn: x.StartOn, ReviewOn: x.ReviewOn},
		ReviewedOn: x.ReviewedOn}
	a, err := tx.RegisterAgreementGet(ctx, x.AgreementID)
	if err != nil {
		return out, err
	}
	p, err := tx.PartyGet(ctx, x.ProviderPartyID)
	if err != nil {
		return out, err
	}
	r, err := tx.PartyGet(ctx, x.RecipientPartyID)
	if err != nil {
		return out, err
	}
	out.AgreementCode, out.ProviderPartyCode, out.RecipientPartyCode = a.Code, p.Code, r.Code
	return out, nil
}

// exchangeByReference returns the exchange with this reference, or ENOTFOUND.
func (tx *Tx) exchangeByReference(ctx context.Context, reference string) (db.Exchange, error) {
	x, err := tx.RegisterExchangeGetByReference(ctx, strings.ToUpper(strings.TrimSpace(reference)))
	if notFoundIs(err) {
		return x, foi.Errorf(foi.ENOTFOUND, "There is no exchange %s.", reference)
	}
	return x, err
}

// exchangeAudit is what the audit log keeps of an exchange.
func exchangeAudit(x foi.NewExchange) map[string]any {
	return map[string]any{"reference": x.Reference, "agreement": x.AgreementCode, "title": x.Title,
		"provider_party": x.ProviderPartyCode, "recipient_party": x.RecipientPartyCode, "legal_basis": x.LegalBasis,
		"business_owner": x.BusinessOwner, "start_on": x.StartOn, "review_on": x.ReviewOn, "reviewed_on": x.ReviewedOn}
}

// CreateExchange adds a process-level exchange to an agreement (admins only), validated (foi.NewExchange.Validate,
// plus the agreement and two different known parties) and audited as register.exchange.create. A reference in
// use is ECONFLICT.
func (d *DB) CreateExchange(ctx context.Context, in foi.NewExchange) (foi.ExchangeRecord, error) {
	var out foi.ExchangeRecord
	err := d.inTx(ctx, func(tx *Tx) error {
		if err := tx.can(foi.ActionManageRegisters, foi.Scope{}); err != nil {
			return err
		}
		var v foi.Validation
		if err := in.Validate(); err != nil {
			for _, f := range foi.ErrorFields(err) {
				v.Add(f.Field, f.Message)
			}
		}
		var a db.Agreement
		in.AgreementCode = strings.TrimSpace(in.AgreementCode)
		if in.AgreementCode == "" {
			v.Add("agreement", "Enter the code of the agreement the exchange is made under")
		} else if row, err := tx.RegisterAgreementGetByCode(ctx, in.AgreementCode); notFoundIs(err) {
			v.Add("agreement", "There is no agreement with code "+in.AgreementCode)
		} else if err != nil {
			return err
		} else {
			a = row
		}
		p, err := tx.partyByCode(ctx, in.ProviderPartyCode, "provider_party", &v)
		if err != nil {
			return err
		}
		r, err := tx.partyByCode(ctx, in.RecipientPartyCode, "recipient_party", &v)
		if err != nil {
			return err
		}
		v.Check(p.ID == 0 || p.ID != r.ID, "recipient_party", "The recipient must be another party than the provider")
		if err := v.Err(); err != nil {
			return err
		}
		in.ProviderPartyCode, in.RecipientPartyCode = p.Code, r.Code
		row, err := tx.RegisterExchangeInsert(ctx, db.RegisterExchangeInsertParams{AgreementID: a.ID,
			Reference: in.Reference, Title: in.Title, ProviderPartyID: p.ID, RecipientPartyID: r.ID,
			LegalBasis: in.LegalBasis, BusinessOwner: in.BusinessOwner, StartOn: in.StartOn, ReviewOn: in.ReviewOn,
			ReviewedOn: in.ReviewedOn, Now: tx.now})
		if isUniqueViolation(err) {
			return foi.Errorf(foi.ECONFLICT, "There is already an exchange with reference %s.", in.Reference)
		}
		if err != nil {
			return err
		}
		tx.audit("register.exchange.create", "exchange", row.ID, p.ID, exchangeAudit(in))
		out, err = tx.exchangeRecord(ctx, row)
		return err
	})
	return out, err
}

// UpdateExchange changes an exchange's title, legal basis, business owner, start or review dates (admins only),
// checked as a whole by foi.NewExchange.Validate (a review must follow the start or last review within 6 months)
// and audited as register.exchange.update.
func (d *DB) UpdateExchange(ctx context.Context, reference string, ch foi.ExchangeChange) (foi.ExchangeRecord, error) {
	var out foi.ExchangeRecord
	err := d.inTx(ctx, func(tx *Tx) error {
		if err := tx.can(foi.ActionManageRegisters, foi.Scope{}); err != nil {
			return err
		}
		x, err := tx.exchangeByReference(ctx, reference)
		if err != nil {
			return err
		}
		was, err := tx.exchangeRecord(ctx, x)
		if err != nil {
			return err
		}
		old := foi.NewExchange{AgreementCode: was.AgreementCode, Reference: x.Reference, Title: x.Title,
			ProviderPartyCode: was.ProviderPartyCode, RecipientPartyCode: was.RecipientPartyCode,
			LegalBasis: x.LegalBasis, BusinessOwner: x.BusinessOwner, StartOn: x.StartOn, ReviewOn: x.ReviewOn,
			ReviewedOn: x.ReviewedOn}
		in, err := ch.Check(old)
		if err != nil {
			return err
		}
		row, err := tx.RegisterExchangeUpdate(ctx, db.RegisterExchangeUpdateParams{ID: x.ID, Title: in.Title,
			LegalBasis: in.LegalBasis, BusinessOwner: in.BusinessOwner, StartOn: in.StartOn, ReviewOn: in.ReviewOn,
			ReviewedOn: in.ReviewedOn})
		if err != nil {
			return err
		}
		detail := exchangeAudit(in)
		detail["was"] = exchangeAudit(old)
		tx.audit("register.exchange.update", "exchange", x.ID, x.ProviderPartyID, detail)
		out, err = tx.exchangeRecord(ctx, row)
		return err
	})
	return out, err
}
