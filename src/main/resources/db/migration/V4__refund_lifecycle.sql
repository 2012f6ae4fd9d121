-- The refund lifecycle (issue 11): an accepted refund is done only when the provider says the money moved.
--
-- A group refund creates refund objects ("parts"): Rapyd one per payment of the group, the card issuer one per
-- request (its reqNo). Each is kept with the provider's status, and the ledger row's status is derived from its
-- own parts only. A row whose parts moved money, but not what the row asked (parts ended differently, another
-- currency, another total), is DISCREPANCY: final, for a person.

ALTER TABLE refund_row DROP CONSTRAINT refund_row_status_check;
ALTER TABLE refund_row ADD CONSTRAINT refund_row_status_check CHECK (status IN
    ('READY', 'REJECTED', 'SENDING', 'SUCCEEDED', 'PENDING', 'DECLINED', 'DISCREPANCY', 'RETRYABLE', 'UNKNOWN'));

-- What actually went through (the Completed parts), in the currency the provider refunded in: for a whole-group
-- row this is the only amount there is; for a DISCREPANCY row it is what a person compares with the CSV. Unbounded
-- NUMERIC: the provider's figures (a whole group payment) are not the file's, and are never rounded.
ALTER TABLE refund_row ADD COLUMN refunded_amount NUMERIC;
ALTER TABLE refund_row ADD COLUMN refunded_currency VARCHAR(3);
-- When reconcile last asked the provider about this row (whether or not anything changed).
ALTER TABLE refund_row ADD COLUMN last_checked_at TIMESTAMPTZ;

-- The rows reconcile follows; small, so finding the batches with open rows stays cheap however large the ledger.
CREATE INDEX refund_row_open ON refund_row (batch_id, line_number) WHERE status IN ('SENDING', 'UNKNOWN', 'PENDING');

CREATE TABLE refund_part (
    part_id              BIGSERIAL      PRIMARY KEY,
    row_id               BIGINT         NOT NULL REFERENCES refund_row (row_id),
    provider             VARCHAR(32)    NOT NULL,
    provider_part_id     TEXT           NOT NULL,     -- Rapyd refund id (refund_…), issuer reqNo
    payment_id           TEXT,                        -- the Rapyd payment it refunds; NULL for the issuer
    amount               NUMERIC,
    currency             VARCHAR(3),
    status               TEXT           NOT NULL,     -- the provider's own word: Pending, Completed, "1", …
    -- What that status means here (the issuer's words are settings): PENDING is followed, the others are final.
    state                VARCHAR(16)    NOT NULL CHECK (state IN ('PENDING', 'COMPLETED', 'FAILED')),
    failure_reason       TEXT,
    provider_created_at  TIMESTAMPTZ,
    provider_updated_at  TIMESTAMPTZ,                 -- when the provider says its status last changed
    first_seen_at        TIMESTAMPTZ    NOT NULL DEFAULT now(),
    status_changed_at    TIMESTAMPTZ    NOT NULL DEFAULT now(),   -- when this ledger saw the status change
    -- A refund object belongs to one ledger row: attributing it twice is impossible, so an earlier refund on the
    -- same payment is never counted for a later row.
    CONSTRAINT refund_part_once UNIQUE (provider, provider_part_id)
);
CREATE INDEX refund_part_row ON refund_part (row_id);
