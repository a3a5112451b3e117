-- Consultation chasers: what the daily reminder scan (internal/store/reminder.go) looks at.

-- name: ConsultationChaserList :many
-- Sent consultations still awaiting representations, with the case's reference, the parties' codes and the
-- case's assignee (NULL columns when unassigned).
SELECT c.id, c.case_id, c.owner_party_id, c.consulted_party_id, c.contact_email, c.sent_on, c.respond_by,
       c.reminders_sent, c.escalated_on, k.reference AS case_reference, o.code AS owner_party_code,
       p.code AS consulted_party_code, u.id AS assignee_id, u.email AS assignee_email, u.name AS assignee_name,
       u.active AS assignee_active
FROM consultations c
JOIN cases k ON k.id = c.case_id
JOIN parties o ON o.id = c.owner_party_id
JOIN parties p ON p.id = c.consulted_party_id
LEFT JOIN users u ON u.id = k.assignee_id
WHERE c.status = 'sent' AND c.respond_by IS NOT NULL
ORDER BY c.id;
