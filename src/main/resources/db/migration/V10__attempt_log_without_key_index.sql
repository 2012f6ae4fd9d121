-- The attempt log (issue 9) writes one refund_attempt row per request, before it leaves: every index on the table is
-- paid on the submit path. refund_attempt_key (idempotency_key) is read by nothing: `history KEY` finds the row in
-- refund_row (by request_id, idempotency_key or row_id) and then its attempts by row_id (refund_attempt_once), and no
-- other query selects attempts by key. Dropping it is about a tenth of the attempt log's cost on the unthrottled
-- submit rate (see BENCHMARKS.md, attempt-cost). To look attempts up by key by hand, join through refund_row or
-- create the index again; nothing depends on its absence.
DROP INDEX refund_attempt_key;
