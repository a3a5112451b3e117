-- name: ConsultationInsert :one
INSERT INTO consultations (case_id, owner_party_id, consulted_party_id, status, question, information_at_issue,
                           contact_email, sent_on, respond_by, reminders_sent, last_reminder_on, escalated_on,
                           closure_reasons, waiver_reasons, resolved_on, version, created_at, updated_at)
VALUES (@case_id, @owner_party_id, @consulted_party_id, @status, @question, @information_at_issue,
        @contact_email, sqlc.narg('sent_on'), sqlc.narg('respond_by'), @reminders_sent,
        sqlc.narg('last_reminder_on'), sqlc.narg('escalated_on'), @closure_reasons, @waiver_reasons,
        sqlc.narg('resolved_on'), 1, @now, @now)
RETURNING id;

-- name: ConsultationGet :one
SELECT c.*, p.code AS consulted_party_code, k.regime AS case_regime
FROM consultations c
JOIN parties p ON p.id = c.consulted_party_id
JOIN cases k ON k.id = c.case_id
WHERE c.id = @id;

-- name: ConsultationListByCase :many
SELECT c.*, p.code AS consulted_party_code, k.regime AS case_regime
FROM consultations c
JOIN parties p ON p.id = c.consulted_party_id
JOIN cases k ON k.id = c.case_id
WHERE c.case_id = @case_id
ORDER BY c.id;

-- name: ConsultationListForConsulted :many
-- The newest 1,000 consultations a party was asked for, newest first; open_only keeps those still open (before
-- the limit, so that a party with a long history still sees every open one).
SELECT sqlc.embed(c), p.code AS consulted_party_code, k.regime AS case_regime, k.reference AS case_reference,
       o.code AS owner_party_code
FROM consultations c
JOIN parties p ON p.id = c.consulted_party_id
JOIN parties o ON o.id = c.owner_party_id
JOIN cases k ON k.id = c.case_id
WHERE c.consulted_party_id = @party_id
  AND (CAST(@open_only AS BOOLEAN) = FALSE OR c.status IN ('draft', 'sent', 'representations_received'))
ORDER BY c.id DESC
LIMIT 1000;

-- name: ConsultationListForOwner :many
-- The consultations a party's cases sent, as ConsultationListForConsulted.
SELECT sqlc.embed(c), p.code AS consulted_party_code, k.regime AS case_regime, k.reference AS case_reference,
       o.code AS owner_party_code
FROM consultations c
JOIN parties p ON p.id = c.consulted_party_id
JOIN parties o ON o.id = c.owner_party_id
JOIN cases k ON k.id = c.case_id
WHERE c.owner_party_id = @party_id
  AND (CAST(@open_only AS BOOLEAN) = FALSE OR c.status IN ('draft', 'sent', 'representations_received'))
ORDER BY c.id DESC
LIMIT 1000;

-- name: ConsultationUpdate :execrows
UPDATE consultations
SET status = @status, question = @question, information_at_issue = @information_at_issue,
    contact_email = @contact_email, sent_on = sqlc.narg('sent_on'), respond_by = sqlc.narg('respond_by'),
    reminders_sent = @reminders_sent, last_reminder_on = sqlc.narg('last_reminder_on'),
    escalated_on = sqlc.narg('escalated_on'), closure_reasons = @closure_reasons, waiver_reasons = @waiver_reasons,
    resolved_on = sqlc.narg('resolved_on'), version = version + 1, updated_at = @now
WHERE id = @id AND version = @version;

-- name: ConsultationRepresentationInsert :exec
INSERT INTO consultation_representations (consultation_id, version, position, summary, harm, proposed_exemptions,
                                          proposed_redactions, submitted_by, submitted_at)
VALUES (@consultation_id, @version, @position, @summary, @harm, @proposed_exemptions, @proposed_redactions,
        @submitted_by, @submitted_at);

-- name: ConsultationRepresentationList :many
SELECT * FROM consultation_representations WHERE consultation_id = @consultation_id ORDER BY version;

-- name: ConsultationConsiderationInsert :exec
INSERT INTO consultation_considerations (consultation_id, outcome, reasons, representation_version, considered_by,
                                         considered_at)
VALUES (@consultation_id, @outcome, @reasons, @representation_version, @considered_by, @considered_at);

-- name: ConsultationConsiderationGet :one
SELECT * FROM consultation_considerations WHERE consultation_id = @consultation_id;
