-- Register administration (issue 5): admins' writes to contacts, agreements and assets.

-- name: RegisterContactInsert :one
INSERT INTO contacts (party_id, name, email, tier, responsibilities, active, created_at)
VALUES (@party_id, @name, @email, @tier, @responsibilities, @active, @now)
RETURNING *;

-- name: RegisterContactGet :one
SELECT * FROM contacts WHERE id = @id;

-- name: RegisterContactUpdate :one
UPDATE contacts
SET party_id = @party_id, name = @name, email = @email, tier = @tier, responsibilities = @responsibilities,
    active = @active
WHERE id = @id
RETURNING *;

-- name: RegisterAgreementGetByCode :one
SELECT * FROM agreements WHERE code = @code;

-- name: RegisterAgreementUpdate :one
UPDATE agreements SET status = @status, review_on = @review_on, updated_at = @now
WHERE id = @id
RETURNING *;

-- name: RegisterAgreementVersionInsert :one
INSERT INTO agreement_versions (agreement_id, version, issued_on, summary)
VALUES (@agreement_id, @version, @issued_on, @summary)
RETURNING *;

-- name: RegisterExchangeGetByReference :one
SELECT * FROM exchanges WHERE reference = @reference;

-- name: RegisterAssetInsert :one
INSERT INTO assets (code, name, provider_party_id, exchange_id, description, created_at)
VALUES (@code, @name, @provider_party_id, @exchange_id, @description, @now)
RETURNING *;

-- name: RegisterAssetGetByCode :one
SELECT * FROM assets WHERE code = @code;

-- name: RegisterAssetAliasClear :exec
DELETE FROM asset_aliases WHERE asset_id = @asset_id;

-- name: RegisterAssetAliasListByAsset :many
SELECT alias FROM asset_aliases WHERE asset_id = @asset_id ORDER BY alias;

-- name: RegisterExchangeGet :one
SELECT * FROM exchanges WHERE id = @id;

-- name: RegisterExchangeInsert :one
INSERT INTO exchanges (agreement_id, reference, title, provider_party_id, recipient_party_id, legal_basis,
                       business_owner, start_on, review_on, reviewed_on, created_at)
VALUES (@agreement_id, @reference, @title, @provider_party_id, @recipient_party_id, @legal_basis,
        @business_owner, @start_on, @review_on, @reviewed_on, @now)
RETURNING *;

-- name: RegisterExchangeUpdate :one
UPDATE exchanges
SET title = @title, legal_basis = @legal_basis, business_owner = @business_owner, start_on = @start_on,
    review_on = @review_on, reviewed_on = @reviewed_on
WHERE id = @id
RETURNING *;

-- name: RegisterExchangeListByAgreement :many
SELECT * FROM exchanges WHERE agreement_id = @agreement_id ORDER BY reference;

-- name: RegisterAgreementGet :one
SELECT * FROM agreements WHERE id = @id;
