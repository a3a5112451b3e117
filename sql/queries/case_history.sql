-- name: AuditListRecordChanges :many
-- The changes to one record, newest first: its audit events without the views (actions ending in .read or
-- .list) and the letters rendered to read. Served by the audit_events_record index.
SELECT * FROM audit_events
WHERE record_type = @record_type AND record_id = @record_id
  AND action NOT LIKE '%.read' AND action NOT LIKE '%.list' AND action <> 'case.letter.render'
ORDER BY seq DESC
LIMIT @max_rows;
