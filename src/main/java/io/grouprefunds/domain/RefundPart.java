package io.grouprefunds.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One refund object a provider created: Rapyd's refund on one payment of a group payment, or the card issuer's
 * refund request ({@code reqNo}). A group refund is one or more of these; a ledger row owns the ones its request
 * created.
 *
 * @param partId the provider's id (Rapyd {@code refund_…}, issuer {@code reqNo})
 * @param paymentId the Rapyd payment it refunds; null for the issuer
 * @param amount null when the provider did not say
 * @param currency null when the provider did not say
 * @param status the provider's own word ({@code Pending}, {@code Completed}, {@code "1"}), kept as it is
 * @param state what that status means here
 * @param createdAt when the provider created it; null when not given
 * @param updatedAt when the provider last changed it; null when not given
 * @param failureReason the provider's reason for a failed part, or null
 */
public record RefundPart(String partId, String paymentId, BigDecimal amount, String currency, String status,
		PartState state, Instant createdAt, Instant updatedAt, String failureReason) {

	/** Rapyd's statuses: Completed; Pending; Rejected, Error, Cancelled. Any other word is followed as pending. */
	public static PartState rapydState(String status) {
		if (status == null) {
			return PartState.PENDING;
		}
		return switch (status.trim().toLowerCase(java.util.Locale.ROOT)) {
			case "completed" -> PartState.COMPLETED;
			case "rejected", "error", "cancelled", "canceled" -> PartState.FAILED;
			default -> PartState.PENDING;
		};
	}

	public boolean isFinal() {
		return state != PartState.PENDING;
	}

}
