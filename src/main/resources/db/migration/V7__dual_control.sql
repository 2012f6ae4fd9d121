-- Dual control (issue 9): a batch whose valid total in a currency is above refunds.approval.above.<CCY> waits for an
-- `approve` from another database login before anything is sent. The decisions are refund_event rows (V5, written by
-- the application, row_id NULL); these indexes make the ones that must happen once per batch happen once, whatever
-- two processes do at the same moment: the first APPROVAL_REQUIRED, the first APPROVE, the batch's RUN (its submitter).
CREATE UNIQUE INDEX refund_event_one_run ON refund_event (batch_id) WHERE kind = 'RUN' AND row_id IS NULL;
CREATE UNIQUE INDEX refund_event_one_approval_required ON refund_event (batch_id)
    WHERE kind = 'APPROVAL_REQUIRED' AND row_id IS NULL;
CREATE UNIQUE INDEX refund_event_one_approval ON refund_event (batch_id) WHERE kind = 'APPROVE' AND row_id IS NULL;
