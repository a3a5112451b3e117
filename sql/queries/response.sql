-- name: ResponseLastReturn :one
-- The latest time a decision-maker returned a case's draft response; the reason is in the event's detail.
SELECT at, actor_label, detail
FROM audit_events
WHERE record_type = 'case' AND record_id = @record_id AND action = 'response.return'
ORDER BY seq DESC
LIMIT 1;

-- name: ResponseApprove :execrows
-- Approves a case's pending draft, keeping who drafted it and when; 0 rows when there is no pending draft.
UPDATE responses
SET status = 'approved', approved_by = @approved_by, approved_at = @now
WHERE case_id = @case_id AND status = 'pending_approval';
