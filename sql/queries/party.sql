-- name: PartyCreate :one
INSERT INTO parties (code, name, created_at) VALUES (@code, @name, @now)
ON CONFLICT (code) DO UPDATE SET name = excluded.name
RETURNING *;

-- name: PartyGetByCode :one
SELECT * FROM parties WHERE code = @code;

-- name: PartyGet :one
SELECT * FROM parties WHERE id = @id;

-- name: PartyList :many
SELECT * FROM parties ORDER BY code;

-- name: ContactUpsert :one
INSERT INTO contacts (party_id, name, email, tier, responsibilities, active, created_at)
VALUES (@party_id, @name, @email, @tier, @responsibilities, @active, @now)
ON CONFLICT (party_id, email) DO UPDATE
SET name = excluded.name, tier = excluded.tier, responsibilities = excluded.responsibilities,
    active = excluded.active
RETURNING *;

-- name: ContactListByParty :many
SELECT * FROM contacts WHERE party_id = @party_id ORDER BY tier, name, id;

-- name: AgreementUpsert :one
INSERT INTO agreements (code, title, status, review_on, created_at, updated_at)
VALUES (@code, @title, @status, @review_on, @now, @now)
ON CONFLICT (code) DO UPDATE
SET title = excluded.title, status = excluded.status, review_on = excluded.review_on, updated_at = excluded.updated_at
RETURNING *;

-- name: AgreementList :many
SELECT * FROM agreements ORDER BY code;

-- name: AgreementPartyAdd :exec
INSERT INTO agreement_parties (agreement_id, party_id) VALUES (@agreement_id, @party_id)
ON CONFLICT DO NOTHING;

-- name: AgreementVersionUpsert :one
INSERT INTO agreement_versions (agreement_id, version, issued_on, summary)
VALUES (@agreement_id, @version, @issued_on, @summary)
ON CONFLICT (agreement_id, version) DO UPDATE SET issued_on = excluded.issued_on, summary = excluded.summary
RETURNING *;

-- name: AgreementVersionList :many
SELECT * FROM agreement_versions WHERE agreement_id = @agreement_id ORDER BY issued_on, id;

-- name: ExchangeUpsert :one
INSERT INTO exchanges (agreement_id, reference, title, provider_party_id, recipient_party_id, legal_basis,
                       business_owner, start_on, review_on, created_at)
VALUES (@agreement_id, @reference, @title, @provider_party_id, @recipient_party_id, @legal_basis,
        @business_owner, @start_on, @review_on, @now)
ON CONFLICT (reference) DO UPDATE
SET title = excluded.title, provider_party_id = excluded.provider_party_id,
    recipient_party_id = excluded.recipient_party_id, legal_basis = excluded.legal_basis,
    business_owner = excluded.business_owner, start_on = excluded.start_on, review_on = excluded.review_on
RETURNING *;

-- name: ExchangeList :many
SELECT * FROM exchanges ORDER BY reference;

-- name: AssetUpsert :one
INSERT INTO assets (code, name, provider_party_id, exchange_id, description, created_at)
VALUES (@code, @name, @provider_party_id, @exchange_id, @description, @now)
ON CONFLICT (code) DO UPDATE
SET name = excluded.name, provider_party_id = excluded.provider_party_id, exchange_id = excluded.exchange_id,
    description = excluded.description
RETURNING *;

-- name: AssetList :many
SELECT * FROM assets ORDER BY code;

-- name: AssetAliasAdd :exec
INSERT INTO asset_aliases (asset_id, alias) VALUES (@asset_id, @alias) ON CONFLICT DO NOTHING;

-- name: AssetAliasList :many
SELECT * FROM asset_aliases ORDER BY asset_id, alias;
