-- The attempt log (issue 9) on the submit path: every claimed row gets its refund_attempt row before its request
-- leaves, so what the table and the claim cost is paid on every request.

-- 1. refund_attempt_key (idempotency_key) is read by nothing: `history KEY` finds the row in refund_row (by
--    request_id, idempotency_key or row_id) and then its attempts by row_id (refund_attempt_once); no other query
--    selects attempts by key. To look attempts up by key by hand, join through refund_row, or create it again:
--    nothing depends on its absence.
DROP INDEX refund_attempt_key;

-- 2. The claim and its attempt rows are one statement (ledger/AttemptLog.claim: a CTE, one round trip per chunk
--    instead of two). The statement-level trigger that writes the status changes fires at the end of that statement,
--    after the attempt rows were written; stamped with clock_timestamp() the READY -> SENDING events came after the
--    attempts in `history`. A status change is now stamped with the start of the statement that made it
--    (statement_timestamp()): the same instant for every row of one statement, before anything the statement wrote
--    after it, and after everything earlier statements of the transaction wrote (e.g. a chunk's answers, written
--    before the statement that records the rows' outcomes).
CREATE OR REPLACE FUNCTION refund_row_status_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO refund_event (occurred_at, kind, batch_id, row_id, old_status, new_status)
    SELECT statement_timestamp(), 'STATUS_CHANGE', n.batch_id, n.row_id, o.status, n.status
    FROM changed_new n JOIN changed_old o ON o.row_id = n.row_id
    WHERE o.status IS DISTINCT FROM n.status
    ORDER BY n.row_id;
    RETURN NULL;
END $$;
