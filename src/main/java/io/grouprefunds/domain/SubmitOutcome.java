package io.grouprefunds.domain;

import java.time.Duration;
import java.util.List;

/**
 * What one attempt to send a refund came to, already classified by the adapter.
 *
 * @param status the ledger status the row should take (SUCCEEDED, PENDING, DECLINED, DISCREPANCY, RETRYABLE or
 * UNKNOWN). For an accepted refund it is provisional: the ledger derives the row's status from the parts it
 * attributes to the row ({@link Settlement}) when it records the outcome
 * @param retry how the submission should treat a RETRYABLE outcome
 * @param retryAfter the provider's Retry-After, when it sent one
 * @param httpStatus null when no HTTP response arrived
 * @param operationId the provider's reference for this call (Rapyd operation_id, issuer reqNo)
 * @param accepted true when the provider accepted the refund: {@code parts} are then the refund objects its answer
 * lists that may be this request's own (the ledger decides which are)
 * @param parts refund objects of an accepted answer; empty when it listed none (Rapyd's sample: {@code refunds: null})
 * @param providerCurrency the currency the provider says the group is in; null when not known
 */
public record SubmitOutcome(RowStatus status, Retry retry, Duration retryAfter, Integer httpStatus, String operationId,
		String refundStatus, String errorCode, String errorMessage, boolean accepted, List<RefundPart> parts,
		String providerCurrency) {

	public SubmitOutcome {
		parts = parts == null ? List.of() : List.copyOf(parts);
	}

	/** What to do about an outcome beyond recording it. */
	public enum Retry {

		/** Nothing: the outcome is what it is. */
		NONE,
		/** Not processed and worth trying again in this run after a wait (429, connection refused). */
		NOW,
		/** Not processed; the provider's configuration or our credentials are wrong. Stop the job. */
		STOP_JOB

	}

	public static SubmitOutcome of(RowStatus status, Integer httpStatus, String operationId, String refundStatus,
			String errorCode, String errorMessage) {
		return new SubmitOutcome(status, Retry.NONE, null, httpStatus, operationId, refundStatus, errorCode,
				errorMessage, false, List.of(), null);
	}

	/**
	 * The provider accepted the refund; its parts decide what it came to.
	 * @param settlement the adapter's provisional reading of {@code parts}
	 */
	public static SubmitOutcome accepted(Integer httpStatus, String operationId, List<RefundPart> parts,
			String providerCurrency, Settlement settlement) {
		return new SubmitOutcome(settlement.status(), Retry.NONE, null, httpStatus, operationId,
				settlement.refundStatus(), null, settlement.message(), true, parts, providerCurrency);
	}

	public static SubmitOutcome retryNow(Integer httpStatus, Duration retryAfter, String errorCode, String message) {
		return new SubmitOutcome(RowStatus.RETRYABLE, Retry.NOW, retryAfter, httpStatus, null, null, errorCode,
				message, false, List.of(), null);
	}

	public static SubmitOutcome stopJob(Integer httpStatus, String operationId, String errorCode, String message) {
		return new SubmitOutcome(RowStatus.RETRYABLE, Retry.STOP_JOB, null, httpStatus, operationId, null, errorCode,
				message, false, List.of(), null);
	}

	public static SubmitOutcome unknown(Integer httpStatus, String operationId, String errorCode, String message) {
		return of(RowStatus.UNKNOWN, httpStatus, operationId, null, errorCode, message);
	}

}
