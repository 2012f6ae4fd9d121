-- The audit trail (issue 9): every HTTP request the job sends for a row, every answer, every status change of a row
-- and every operator decision. Three append-only tables: the application only INSERTs into them, and a trigger
-- refuses UPDATE and DELETE for everyone (TRUNCATE is a privilege: grant the job's login none on these tables).

-- One row per HTTP request for a refund (kind REFUND) or a reconciliation query about a row (kind QUERY), committed
-- BEFORE the request leaves, like the claim: a request the provider received always has its attempt row.
CREATE TABLE refund_attempt (
    attempt_id        BIGSERIAL    PRIMARY KEY,
    row_id            BIGINT       NOT NULL REFERENCES refund_row (row_id),
    kind              VARCHAR(8)   NOT NULL CHECK (kind IN ('REFUND', 'QUERY')),
    attempt_no        INT          NOT NULL CHECK (attempt_no > 0),   -- per row and kind: 1, 2, 3, …
    idempotency_key   VARCHAR(64),                                    -- the key sent (REFUND), NULL for a query
    job_execution_id  BIGINT,                                         -- Spring Batch's execution that sent it, if any
    process           TEXT         NOT NULL,                          -- host:pid of the JVM that sent it
    recorded_at       TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp(), -- committed before the request left
    CONSTRAINT refund_attempt_once UNIQUE (row_id, kind, attempt_no)
);
CREATE INDEX refund_attempt_key ON refund_attempt (idempotency_key);

-- What happened to an attempt: at most one row per attempt, written when the answer (or its absence) is recorded.
-- An attempt with no answer row is one whose process died or whose answer was lost before it was recorded.
CREATE TABLE refund_attempt_answer (
    attempt_id          BIGINT       PRIMARY KEY REFERENCES refund_attempt (attempt_id),
    sent_at             TIMESTAMPTZ,                -- when the request left (NULL: it never left, e.g. a stop)
    answered_at         TIMESTAMPTZ,                -- when the answer came (NULL: none came: timeout, lost)
    http_status         INT,
    outcome             VARCHAR(16)  NOT NULL,      -- the classified outcome: SUCCEEDED, PENDING, DECLINED,
                                                    -- RETRYABLE, UNKNOWN, RATE_LIMITED, NOT_SENT, …
    provider_reference  TEXT,                       -- operation id / refund id / reqNo the provider gave
    provider_error_code TEXT,
    recorded_at         TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp()
);

-- Every status change of a row (written by the trigger below, whoever changes it) and every operator decision (run,
-- restart, rerun-failed, reconcile, approve, reprocess, …: written by the application, row_id NULL).
-- Who: the database login (session_user), and what the application set for this session with set_config():
-- refunds.os_user, refunds.host, refunds.command (the command line, secrets removed), refunds.process (host:pid).
CREATE TABLE refund_event (
    event_id          BIGSERIAL    PRIMARY KEY,
    occurred_at       TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp(),
    kind              VARCHAR(24)  NOT NULL,        -- STATUS_CHANGE, or the decision: RUN, RESTART, RERUN_FAILED, …
    batch_id          BIGINT       REFERENCES refund_batch (batch_id),
    row_id            BIGINT       REFERENCES refund_row (row_id),
    old_status        VARCHAR(16),
    new_status        VARCHAR(16),
    detail            TEXT,
    db_user           TEXT         NOT NULL DEFAULT session_user,
    os_user           TEXT         DEFAULT NULLIF(current_setting('refunds.os_user', true), ''),
    host              TEXT         DEFAULT NULLIF(current_setting('refunds.host', true), ''),
    command_line      TEXT         DEFAULT NULLIF(current_setting('refunds.command', true), ''),
    process           TEXT         DEFAULT NULLIF(current_setting('refunds.process', true), '')
);
CREATE INDEX refund_event_row ON refund_event (row_id) WHERE row_id IS NOT NULL;
CREATE INDEX refund_event_batch ON refund_event (batch_id, kind);

-- Status changes are recorded by the database itself, one INSERT per UPDATE statement (transition tables), so no
-- code path that changes a row's status can forget it.
CREATE FUNCTION refund_row_status_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO refund_event (kind, batch_id, row_id, old_status, new_status)
    SELECT 'STATUS_CHANGE', n.batch_id, n.row_id, o.status, n.status
    FROM changed_new n JOIN changed_old o ON o.row_id = n.row_id
    WHERE o.status IS DISTINCT FROM n.status
    ORDER BY n.row_id;
    RETURN NULL;
END $$;
CREATE TRIGGER refund_row_status_events AFTER UPDATE ON refund_row
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION refund_row_status_events();

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER refund_attempt_append_only BEFORE UPDATE OR DELETE ON refund_attempt
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER refund_attempt_answer_append_only BEFORE UPDATE OR DELETE ON refund_attempt_answer
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER refund_event_append_only BEFORE UPDATE OR DELETE ON refund_event
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
