-- name: ReportCaseGroups :many
-- The cases a party received from @from_on to @to_on, counted by what the statistics tell apart: regime,
-- status, outcome, and how the response date compares with the deadlines (foi.TimingOf makes the same
-- comparisons). It reads the range of cases_party_received.
SELECT regime, status, CAST(COALESCE(outcome, '') AS TEXT) AS outcome,
    CAST(CASE WHEN responded_on IS NULL THEN 0 ELSE 1 END AS BIGINT) AS responded,
    CAST(CASE WHEN statutory_due_on IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_deadline,
    CAST(CASE WHEN responded_on <= statutory_due_on THEN 1 ELSE 0 END AS BIGINT) AS by_statutory,
    CAST(CASE WHEN responded_on <= due_on THEN 1 ELSE 0 END AS BIGINT) AS by_due,
    CAST(CASE WHEN due_on > statutory_due_on THEN 1 ELSE 0 END AS BIGINT) AS extended,
    CAST(COUNT(*) AS BIGINT) AS n
FROM cases
WHERE party_id = @party_id AND received_on >= @from_on AND received_on <= @to_on
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

-- name: ReportSectionGroups :many
-- The sections (exemptions, exceptions, refusal grounds) cited by the responses sent to the cases a party
-- received in the period.
SELECT c.regime, e.section, CAST(COUNT(*) AS BIGINT) AS n
FROM cases c
JOIN response_exemptions e ON e.case_id = c.id
WHERE c.party_id = @party_id AND c.received_on >= @from_on AND c.received_on <= @to_on
    AND c.status IN ('responded', 'closed')
GROUP BY c.regime, e.section;

-- name: ReportReviewGroups :many
-- The internal reviews of the cases a party received in the period, by outcome ("" while undecided).
SELECT CAST(COALESCE(r.outcome, '') AS TEXT) AS outcome, CAST(COUNT(*) AS BIGINT) AS n
FROM cases c
JOIN internal_reviews r ON r.case_id = c.id
WHERE c.party_id = @party_id AND c.received_on >= @from_on AND c.received_on <= @to_on
GROUP BY 1;

-- name: ReportAppealGroups :many
-- The ICO complaints about the cases a party received in the period, by outcome ("" while undecided) and
-- whether they went on to the tribunal.
SELECT CAST(COALESCE(a.outcome, '') AS TEXT) AS outcome, a.tribunal, CAST(COUNT(*) AS BIGINT) AS n
FROM cases c
JOIN ico_appeals a ON a.case_id = c.id
WHERE c.party_id = @party_id AND c.received_on >= @from_on AND c.received_on <= @to_on
GROUP BY 1, 2;

-- name: ReportExtensionGroups :many
-- The cases a party received in the period whose deadline in force is later than day 20 (a PIT or EIR
-- extension), counted by regime and the two deadlines.
SELECT regime, statutory_due_on, due_on, CAST(COUNT(*) AS BIGINT) AS n
FROM cases
WHERE party_id = @party_id AND received_on >= @from_on AND received_on <= @to_on
    AND due_on > statutory_due_on
GROUP BY regime, statutory_due_on, due_on;

-- name: ReportConsultations :many
-- The consultations sent from @from_on to @to_on, with the parties' codes, the date the first representations
-- came (version 1) and the consideration's outcome.
SELECT o.code AS owner_code, p.code AS consulted_code, k.status, k.sent_on, k.respond_by,
    r.submitted_at AS first_represented_at, CAST(COALESCE(c.outcome, '') AS TEXT) AS consideration
FROM consultations k
JOIN parties o ON o.id = k.owner_party_id
JOIN parties p ON p.id = k.consulted_party_id
LEFT JOIN consultation_representations r ON r.consultation_id = k.id AND r.version = 1
LEFT JOIN consultation_considerations c ON c.consultation_id = k.id
WHERE k.sent_on >= @from_on AND k.sent_on <= @to_on;

-- name: ReportDisputes :many
-- The disputes opened from @from_on to @to_on, counted by party pair, stage and outcome.
SELECT o.code AS owner_code, p.code AS consulted_code, d.stage, d.outcome, CAST(COUNT(*) AS BIGINT) AS n
FROM disputes d
JOIN parties o ON o.id = d.owner_party_id
JOIN parties p ON p.id = d.consulted_party_id
WHERE d.opened_on >= @from_on AND d.opened_on <= @to_on
GROUP BY o.code, p.code, d.stage, d.outcome;
