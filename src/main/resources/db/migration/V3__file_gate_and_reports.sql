-- The file gate and the reports (issue 6).
--
-- Control totals the operator gave with `run` (--expect-rows, --expect-total, --max-total) are kept with the batch,
-- so the gate checks the very same figures however often the batch is restarted. The file's header and each row's
-- fields as written are kept, so the rejected-rows report hands the operator back their own columns to fix.

ALTER TABLE refund_batch ADD COLUMN expected_rows INT CHECK (expected_rows > 0);
-- The batch this one processes again (run --allow-reprocess of a file already processed); NULL for a first run.
ALTER TABLE refund_batch ADD COLUMN reprocess_of BIGINT REFERENCES refund_batch (batch_id);
ALTER TABLE refund_batch ADD COLUMN header_fields TEXT[];

CREATE TABLE refund_batch_total (
    batch_id  BIGINT         NOT NULL REFERENCES refund_batch (batch_id),
    -- EXPECTED: the valid rows must add up to exactly this; MAXIMUM: they may not add up to more.
    kind      VARCHAR(8)     NOT NULL CHECK (kind IN ('EXPECTED', 'MAXIMUM')),
    currency  VARCHAR(3)     NOT NULL,
    amount    NUMERIC(20, 4) NOT NULL CHECK (amount > 0),
    PRIMARY KEY (batch_id, kind, currency)
);

ALTER TABLE refund_row ADD COLUMN source_fields TEXT[];
