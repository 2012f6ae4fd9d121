-- The refund ledger: the source of truth for what was asked, what was sent and what the provider answered.
-- One refund_batch per input file, one refund_row per CSV data row.

CREATE TABLE refund_batch (
    batch_id      BIGSERIAL    PRIMARY KEY,
    provider      VARCHAR(32)  NOT NULL,
    file_name     TEXT         NOT NULL,
    file_path     TEXT         NOT NULL,
    file_sha256   CHAR(64)     NOT NULL,
    -- INGESTING until the whole file is in the ledger and passed the gate; REFUSED when the gate said no
    -- (nothing is ever sent for a refused batch); READY once submission may start.
    state         VARCHAR(16)  NOT NULL CHECK (state IN ('INGESTING', 'REFUSED', 'READY')),
    refusal       TEXT,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX refund_batch_sha ON refund_batch (file_sha256);

CREATE TABLE refund_row (
    row_id                 BIGSERIAL     PRIMARY KEY,
    batch_id               BIGINT        NOT NULL REFERENCES refund_batch (batch_id),
    line_number            INT           NOT NULL,
    provider               VARCHAR(32)   NOT NULL,
    -- Fields as validated; for a REJECTED row they hold what the file said, cut to size.
    request_id             VARCHAR(100),
    group_id               VARCHAR(100),
    amount                 NUMERIC(20, 4),              -- NULL: refund the whole group payment
    amount_text            VARCHAR(64),                 -- the amount exactly as written in the file
    currency               VARCHAR(3),
    reason                 TEXT,
    status                 VARCHAR(16)   NOT NULL CHECK (status IN
                               ('READY', 'REJECTED', 'SENDING', 'SUCCEEDED', 'PENDING', 'DECLINED', 'RETRYABLE', 'UNKNOWN')),
    rejection              TEXT,                        -- why validation refused the row
    attempts               INT           NOT NULL DEFAULT 0,
    idempotency_key        VARCHAR(64),                 -- decided once, at ingest; sent on every attempt
    provider_operation_id  TEXT,
    provider_refund_status TEXT,
    provider_error_code    TEXT,
    provider_error_message TEXT,
    http_status            INT,
    evidence               TEXT,                        -- what reconciliation saw, for the operator
    created_at             TIMESTAMPTZ   NOT NULL DEFAULT now(),
    sent_at                TIMESTAMPTZ,
    finished_at            TIMESTAMPTZ,
    -- A CSV row can be recorded once only.
    CONSTRAINT refund_row_line_once UNIQUE (batch_id, line_number),
    CONSTRAINT refund_row_amount_positive CHECK (amount IS NULL OR amount > 0),
    CONSTRAINT refund_row_valid_unless_rejected CHECK (
        status = 'REJECTED' OR (request_id IS NOT NULL AND group_id IS NOT NULL AND currency IS NOT NULL
                                AND idempotency_key IS NOT NULL))
);
-- A refund (provider + request_id) lives in one row only, across all batches: a second file asking for the
-- same refund gets REJECTED rows, never a second send.
CREATE UNIQUE INDEX refund_row_request_once ON refund_row (provider, request_id) WHERE status <> 'REJECTED';
CREATE UNIQUE INDEX refund_row_idempotency_once ON refund_row (idempotency_key) WHERE status <> 'REJECTED';
CREATE INDEX refund_row_batch_status ON refund_row (batch_id, status, line_number);
