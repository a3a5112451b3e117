package store

import (
	"context"

	"foidesk/internal/foi"
	"foidesk/internal/store/db"
)

// Registers returns the registers in one consistent read. Any signed-in user may read them.
func (d *DB) Registers(ctx context.Context) (foi.Registers, error) {
	if err := canCtx(ctx, foi.ActionViewRegisters, foi.Scope{}); err != nil {
		return foi.Registers{}, err
	}
	var r foi.Registers
	err := d.readTx(ctx, func(q *db.Queries) error {
		parties, err := q.PartyList(ctx)
		if err != nil {
			return err
		}
		for _, p := range parties {
			r.Parties = append(r.Parties, foi.Party{ID: p.ID, Code: p.Code, Name: p.Name})
			contacts, err := q.ContactListByParty(ctx, p.ID)
			if err != nil {
				return err
			}
			for _, c := range contacts {
				r.Contacts = append(r.Contacts, foi.Contact{ID: c.ID, PartyID: c.PartyID, Name: c.Name,
					Email: c.Email, Tier: foi.Tier(c.Tier), Responsibilities: splitResponsibilities(c.Responsibilities),
					Active: c.Active})
			}
		}
		agreements, err := q.AgreementList(ctx)
		if err != nil {
			return err
		}
		for _, a := range agreements {
			versions, err := q.AgreementVersionList(ctx, a.ID)
			if err != nil {
				return err
			}
			ag := foi.Agreement{ID: a.ID, Code: a.Code, Title: a.Title, Status: foi.AgreementStatus(a.Status), ReviewOn: a.ReviewOn}
			for _, v := range versions {
				ag.Versions = append(ag.Versions, foi.AgreementVersion{Version: v.Version, IssuedOn: v.IssuedOn, Summary: v.Summary})
			}
			r.Agreements = append(r.Agreements, ag)
		}
		exchanges, err := q.ExchangeList(ctx)
		if err != nil {
			return err
		}
		for _, x := range exchanges {
			r.Exchanges = append(r.Exchanges, foi.Exchange{ID: x.ID, AgreementID: x.AgreementID, Reference: x.Reference,
				Title: x.Title, ProviderPartyID: x.ProviderPartyID, RecipientPartyID: x.RecipientPartyID,
				LegalBasis: x.LegalBasis, BusinessOwner: x.BusinessOwner, StartOn: x.StartOn, ReviewOn: x.ReviewOn})
		}
		assets, err := q.AssetList(ctx)
		if err != nil {
			return err
		}
		aliases, err := q.AssetAliasList(ctx)
		if err != nil {
			return err
		}
		for _, a := range assets {
			asset := foi.Asset{ID: a.ID, Code: a.Code, Name: a.Name, ProviderPartyID: a.ProviderPartyID,
				ExchangeID: a.ExchangeID, Description: a.Description}
			for _, al := range aliases {
				if al.AssetID == a.ID {
					asset.Aliases = append(asset.Aliases, al.Alias)
				}
			}
			r.Assets = append(r.Assets, asset)
		}
		return nil
	})
	return r, err
}

var _ foi.RegisterReader = (*DB)(nil)

// readRegister runs read in a read-only snapshot for any signed-in user (EUNAUTHORIZED otherwise); the Tx it
// gets reads only.
func (d *DB) readRegister(ctx context.Context, read func(tx *Tx) error) error {
	if err := canCtx(ctx, foi.ActionViewRegisters, foi.Scope{}); err != nil {
		return err
	}
	return d.readTx(ctx, func(q *db.Queries) error {
		return read(&Tx{Queries: q, engine: d.engine, actor: foi.ActorFrom(ctx)})
	})
}

// FindAgreement returns the agreement with this code with its version history and its process-level
// exchanges; ENOTFOUND when there is none.
func (d *DB) FindAgreement(ctx context.Context, code string) (foi.AgreementDetail, error) {
	var out foi.AgreementDetail
	err := d.readRegister(ctx, func(tx *Tx) error {
		a, err := tx.agreementByCode(ctx, code)
		if err != nil {
			return err
		}
		if out.Agreement, err = tx.agreement(ctx, a); err != nil {
			return err
		}
		xs, err := tx.RegisterExchangeListByAgreement(ctx, a.ID)
		if err != nil {
			return err
		}
		out.Exchanges = make([]foi.ExchangeRecord, 0, len(xs))
		for _, x := range xs {
			r, err := tx.exchangeRecord(ctx, x)
			if err != nil {
				return err
			}
			out.Exchanges = append(out.Exchanges, r)
		}
		return nil
	})
	return out, err
}

// FindExchange returns the exchange with this reference; ENOTFOUND when there is none.
func (d *DB) FindExchange(ctx context.Context, reference string) (foi.ExchangeRecord, error) {
	var out foi.ExchangeRecord
	err := d.readRegister(ctx, func(tx *Tx) error {
		x, err := tx.exchangeByReference(ctx, reference)
		if err != nil {
			return err
		}
		out, err = tx.exchangeRecord(ctx, x)
		return err
	})
	return out, err
}

// FindAsset returns the information asset with this code, with its aliases; ENOTFOUND when there is none.
func (d *DB) FindAsset(ctx context.Context, code string) (foi.AssetRecord, error) {
	var out foi.AssetRecord
	err := d.readRegister(ctx, func(tx *Tx) error {
		a, err := tx.RegisterAssetGetByCode(ctx, code)
		if notFoundIs(err) {
			return foi.Errorf(foi.ENOTFOUND, "There is no asset %s.", code)
		}
		if err != nil {
			return err
		}
		aliases, err := tx.RegisterAssetAliasListByAsset(ctx, a.ID)
		if err != nil {
			return err
		}
		out, err = tx.assetRecord(ctx, a, aliases)
		return err
	})
	return out, err
}

// assetRecord builds an asset record from its row and aliases, with its provider's code and its exchange's
// reference.
func (tx *Tx) assetRecord(ctx context.Context, a db.Asset, aliases []string) (foi.AssetRecord, error) {
	p, err := tx.PartyGet(ctx, a.ProviderPartyID)
	if err != nil {
		return foi.AssetRecord{}, err
	}
	x, err := tx.RegisterExchangeGet(ctx, a.ExchangeID)
	if err != nil {
		return foi.AssetRecord{}, err
	}
	return foi.AssetRecord{Asset: foi.Asset{ID: a.ID, Code: a.Code, Name: a.Name, ProviderPartyID: a.ProviderPartyID,
		ExchangeID: a.ExchangeID, Description: a.Description, Aliases: aliases},
		ProviderPartyCode: p.Code, ExchangeReference: x.Reference}, nil
}

// FindContact returns the contact with this id; ENOTFOUND when there is none.
func (d *DB) FindContact(ctx context.Context, id int64) (foi.ContactRecord, error) {
	var out foi.ContactRecord
	err := d.readRegister(ctx, func(tx *Tx) error {
		c, err := tx.RegisterContactGet(ctx, id)
		if notFoundIs(err) {
			return foi.Errorf(foi.ENOTFOUND, "There is no contact %d.", id)
		}
		if err != nil {
			return err
		}
		p, err := tx.PartyGet(ctx, c.PartyID)
		if err != nil {
			return err
		}
		out = toContactRecord(c, p.Code)
		return nil
	})
	return out, err
}

// UserByEmail returns the active user with this email address, for the command line to act as; ENOTFOUND when
// there is none (or it is deactivated).
func (d *DB) UserByEmail(ctx context.Context, email string) (*foi.User, error) {
	var out *foi.User
	err := d.readTx(ctx, func(q *db.Queries) error {
		row, err := q.UserGetByEmail(ctx, foi.NormalizeEmail(email))
		if notFoundIs(err) {
			return foi.Errorf(foi.ENOTFOUND, "There is no user %s.", email)
		}
		if err != nil {
			return err
		}
		out, err = d.userByID(ctx, q, row.ID)
		if err == nil && !out.Active {
			return foi.Errorf(foi.ENOTFOUND, "There is no active user %s.", email)
		}
		return err
	})
	return out, err
}
