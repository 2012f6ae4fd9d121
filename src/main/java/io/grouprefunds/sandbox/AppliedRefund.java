package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;

/**
 * A refund the sandbox applied: the ground truth tests compare the ledger against.
 *
 * @param sequence 1 for the first refund applied, then 2, 3…
 * @param amount the amount refunded, at the currency's scale
 * @param idempotencyKey the {@code idempotency} header sent, or {@code null}; recorded, never used to deduplicate
 * @param operationId the {@code operation_id} of the response to the request that applied it
 */
public record AppliedRefund(long sequence, String groupPaymentId, BigDecimal amount, Currency currency,
		String idempotencyKey, String operationId, Instant appliedAt) {
}
