-- name: UserListCaseWorkers :many
-- The active officers and decision-makers of a party, by name: the people a case can be assigned to.
SELECT users.id, users.email, users.name, users.role
FROM users
WHERE users.party_id = @party_id AND users.active AND users.role IN ('officer', 'decision-maker')
ORDER BY users.name, users.id;
