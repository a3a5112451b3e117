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
