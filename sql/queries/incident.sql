-- Incidents (MoU 4.5): the incident, its affected parties and its actions log.

-- name: IncidentInsert :one
INSERT INTO incidents (party_id, kind, description, aware_at, case_id, consultation_id, asset_id, reported_by,
                       reported_label, reported_at, status, ico_decision, ico_reasons, ico_decided_at,
                       ico_notified_at, closure_summary, closed_at, version, updated_at)
VALUES (@party_id, @kind, @description, @aware_at, sqlc.narg('case_id'), sqlc.narg('consultation_id'),
        sqlc.narg('asset_id'), sqlc.narg('reported_by'), @reported_label, @now, 'open', '', '', NULL, NULL, '', NULL,
        1, @now)
RETURNING id;

-- name: IncidentUpdate :execrows
-- Records the ICO decision and the closure with optimistic concurrency: 0 rows when another transaction
-- changed the incident first.
UPDATE incidents
SET status = @status, ico_decision = @ico_decision, ico_reasons = @ico_reasons,
    ico_decided_at = sqlc.narg('ico_decided_at'), ico_notified_at = sqlc.narg('ico_notified_at'),
    closure_summary = @closure_summary, closed_at = sqlc.narg('closed_at'), version = version + 1, updated_at = @now
WHERE id = @id AND version = @version;

-- name: IncidentTouch :execrows
-- Bumps the version when the actions log grows: 0 rows when another transaction changed the incident first.
UPDATE incidents SET version = version + 1, updated_at = @now WHERE id = @id AND version = @version;

-- name: IncidentGet :one
SELECT i.*, p.code AS party_code, CAST(COALESCE(k.reference, '') AS TEXT) AS case_reference,
       CAST(COALESCE(a.code, '') AS TEXT) AS asset_code
FROM incidents i
JOIN parties p ON p.id = i.party_id
LEFT JOIN cases k ON k.id = i.case_id
LEFT JOIN assets a ON a.id = i.asset_id
WHERE i.id = @id;

-- name: IncidentIDs :many
-- The newest incidents, optionally of one status and case, for the caller to filter by permission.
SELECT id FROM incidents
WHERE (CAST(sqlc.narg('status') AS TEXT) IS NULL OR status = sqlc.narg('status'))
  AND (CAST(sqlc.narg('case_id') AS BIGINT) IS NULL OR case_id = sqlc.narg('case_id'))
ORDER BY id DESC
LIMIT 2000;

-- name: IncidentOpenIDs :many
SELECT id FROM incidents WHERE status = 'open' ORDER BY id;

-- name: IncidentPartyInsert :exec
INSERT INTO incident_parties (incident_id, party_id, notified_at, notified)
VALUES (@incident_id, @party_id, sqlc.narg('notified_at'), @notified);

-- name: IncidentPartyNotified :exec
UPDATE incident_parties SET notified_at = @notified_at, notified = @notified
WHERE incident_id = @incident_id AND party_id = @party_id;

-- name: IncidentPartyList :many
SELECT ip.*, p.code AS party_code
FROM incident_parties ip
JOIN parties p ON p.id = ip.party_id
WHERE ip.incident_id = @incident_id
ORDER BY p.code;

-- name: IncidentActionInsert :exec
INSERT INTO incident_actions (incident_id, seq, note, taken_by, taken_label, taken_at)
VALUES (@incident_id, @seq, @note, sqlc.narg('taken_by'), @taken_label, @now);

-- name: IncidentActionList :many
SELECT * FROM incident_actions WHERE incident_id = @incident_id ORDER BY seq;

-- name: IncidentOpenForCase :many
-- The open incidents concerning a case, directly or through one of its consultations: a legal hold.
SELECT i.id FROM incidents i
LEFT JOIN consultations k ON k.id = i.consultation_id
WHERE i.status = 'open' AND (i.case_id = @case_id OR k.case_id = @case_id)
ORDER BY i.id;
