-- name: CaseDashboardCounts :one
-- The counts a dashboard shows for a user of a party: open cases assigned to them, and the party's open cases
-- due soon, overdue and awaiting representations.
SELECT
    CAST(COALESCE(SUM(CASE WHEN assignee_id = @user_id THEN 1 ELSE 0 END), 0) AS BIGINT) AS mine,
    CAST(COALESCE(SUM(CASE WHEN due_on >= @today AND due_on <= @soon THEN 1 ELSE 0 END), 0) AS BIGINT) AS due_soon,
    CAST(COALESCE(SUM(CASE WHEN due_on < @today THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue,
    CAST(COALESCE(SUM(CASE WHEN status = 'awaiting_representations' THEN 1 ELSE 0 END), 0) AS BIGINT) AS awaiting
FROM cases
WHERE party_id = @party_id AND is_open = TRUE;
