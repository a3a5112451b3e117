-- name: AuditListPage :many
-- The audit log page, newest first: events before a sequence number, each filter applying when it is set
-- (an empty text, a zero party). The time range is always given (the widest when the user gave none).
SELECT * FROM audit_events
WHERE seq < @before_seq
  AND at >= @from_at AND at < @to_at
  AND (CAST(@actor AS TEXT) = '' OR lower(actor_label) = lower(CAST(@actor AS TEXT)))
  AND (CAST(@action AS TEXT) = '' OR action = CAST(@action AS TEXT) OR action LIKE CAST(@action AS TEXT) || '.%')
  AND (CAST(@record_type AS TEXT) = '' OR record_type = CAST(@record_type AS TEXT))
  AND (CAST(@record_id AS TEXT) = '' OR record_id = CAST(@record_id AS TEXT))
  AND (CAST(@party_id AS BIGINT) = 0 OR party_id = CAST(@party_id AS BIGINT))
ORDER BY seq DESC
LIMIT @max_rows;

-- name: AuditListPageLatest :many
-- AuditListPage when the user gave no dates: without the time range, so that the planner walks the events
-- newest first by seq and stops at the page's end. With the widest range instead, SQLite (which has no
-- statistics: storetest.AnalyzeLikeProduction) took the at index and sorted every event (200 ms on 100,000).
SELECT * FROM audit_events
WHERE seq < @before_seq
  AND (CAST(@actor AS TEXT) = '' OR lower(actor_label) = lower(CAST(@actor AS TEXT)))
  AND (CAST(@action AS TEXT) = '' OR action = CAST(@action AS TEXT) OR action LIKE CAST(@action AS TEXT) || '.%')
  AND (CAST(@record_type AS TEXT) = '' OR record_type = CAST(@record_type AS TEXT))
  AND (CAST(@record_id AS TEXT) = '' OR record_id = CAST(@record_id AS TEXT))
  AND (CAST(@party_id AS BIGINT) = 0 OR party_id = CAST(@party_id AS BIGINT))
ORDER BY seq DESC
LIMIT @max_rows;
