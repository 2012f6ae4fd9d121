-- Ingest (issue 13): two per-row costs of every COPY into refund_row go; what they guaranteed stays guaranteed.
--
-- 1. The foreign key refund_row.batch_id -> refund_batch. PostgreSQL checks it once per inserted row (a query and a
--    FOR KEY SHARE lock of the same batch row, 50,000 times per 50,000-row file). What it guarantees is kept by:
--    - ledger/LedgerIngest, the one writer of refund_row, takes that same lock once per chunk, in the chunk's
--      transaction, before its COPY, and refuses the chunk if the batch is not there (LedgerIngestIT);
--    - refund_batch rows can no longer be deleted or renumbered (the trigger below), so a row's batch, there when the
--      row was written, stays there. Nothing deleted batches before either (TRUNCATE, a privilege, is not a DELETE:
--      grant the job's login none on refund_batch).
-- 2. The index refund_row_batch_status (batch_id, status, line_number). Every query that used it reads one batch
--    (the submit step's pages, a batch's counts and reports) and is served as well by refund_row_line_once
--    (batch_id, line_number): the submit reader's pages walk the batch in line order once per step, the counts and
--    reports read the batch once; the open rows (SENDING, UNKNOWN, PENDING) keep their partial index refund_row_open.
--
-- Measured on the PostgreSQL server, 50,000 READY rows as ingest writes them COPYed into a copy of refund_row, three
-- rounds in one session: 1.11-1.30 s with both, 0.66-0.85 s without both (BENCHMARKS.md, versus-copy).
ALTER TABLE refund_row DROP CONSTRAINT refund_row_batch_id_fkey;
DROP INDEX refund_row_batch_status;

CREATE FUNCTION refund_batch_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'refund_batch rows are never deleted or renumbered: refund_row rows refer to batch %', OLD.batch_id
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER refund_batch_kept BEFORE DELETE OR UPDATE OF batch_id ON refund_batch
    FOR EACH ROW EXECUTE FUNCTION refund_batch_kept();
