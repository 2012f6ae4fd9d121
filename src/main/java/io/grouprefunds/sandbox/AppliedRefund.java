package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;

/**
 * A refund request the sandbox accepted: what the tests compare the ledger against. Where its money went, part by
 * part and status by status, is in its {@link RefundPart}s; with the default lifecycle all of it moved at once.
 *
 * @param sequence 1 for the first refund applied, then 2, 3…
 * @param amount the amount refunded, at the currency's scale
 * @param idempotencyKey the {@code idempotency} header sent, or {@code null}; recorded, never used to deduplicate
 * @param operationId the {@code operation_id} of the response to the request that applied it
 */
public record AppliedRefund(long sequence, String groupPaymentId, BigDecimal amount, Currency currency,
		String idempotencyKey, String operationId, Instant appliedAt) {
}
