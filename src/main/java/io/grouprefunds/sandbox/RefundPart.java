package io.grouprefunds.sandbox;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;

/**
 * A snapshot of one refund part as the simulated provider sees it: the ground truth ("final truth") the tests compare
 * the ledger to. A Rapyd group refund creates one part per payment that gets a share; an issuer refund one part.
 *
 * @param id Rapyd's refund id ({@code refund_…}) or the issuer's {@code reqNo}
 * @param provider {@code rapyd} or {@code issuer}
 * @param groupId the group payment or issuer group refunded from
 * @param paymentId the Rapyd payment refunded, or {@code null} for the issuer
 * @param amount the part's amount, at the currency's scale
 * @param updatedAt when the status last changed (the creation time until then)
 * @param idempotencyKey the {@code idempotency} header or {@code request_id} of the request that created it, or
 * {@code null}
 * @param operationId the operation id (Rapyd) or reqNo (issuer) of the answer that created it
 * @param requestSequence the {@link AppliedRefund#sequence()} of the group refund it belongs to
 * @param failureReason why it was Rejected or in Error; empty otherwise
 */
public record RefundPart(String id, String provider, String groupId, String paymentId, BigDecimal amount,
		Currency currency, RefundStatus status, Instant createdAt, Instant updatedAt, String idempotencyKey,
		String operationId, long requestSequence, String failureReason) {
}
