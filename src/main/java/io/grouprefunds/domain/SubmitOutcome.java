package io.grouprefunds.domain;

import java.time.Duration;

import io.grouprefunds.domain.RowStatus;

/**
 * What one attempt to send a refund came to, already classified by the adapter.
 *
 * @param status the ledger status the row should take (SUCCEEDED, PENDING, DECLINED, RETRYABLE or UNKNOWN)
 * @param retry how the submission should treat a RETRYABLE outcome
 * @param retryAfter the provider's Retry-After, when it sent one
 * @param httpStatus null when no HTTP response arrived
 * @param operationId the provider's reference for this call (Rapyd operation_id, issuer reqNo)
 */
public record SubmitOutcome(RowStatus status, Retry retry, Duration retryAfter, Integer httpStatus, String operationId,
		String refundStatus, String errorCode, String errorMessage) {

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
				errorMessage);
	}

	public static SubmitOutcome retryNow(Integer httpStatus, Duration retryAfter, String errorCode, String message) {
		return new SubmitOutcome(RowStatus.RETRYABLE, Retry.NOW, retryAfter, httpStatus, null, null, errorCode,
				message);
	}

	public static SubmitOutcome stopJob(Integer httpStatus, String operationId, String errorCode, String message) {
		return new SubmitOutcome(RowStatus.RETRYABLE, Retry.STOP_JOB, null, httpStatus, operationId, null, errorCode,
				message);
	}

	public static SubmitOutcome unknown(Integer httpStatus, String operationId, String errorCode, String message) {
		return of(RowStatus.UNKNOWN, httpStatus, operationId, null, errorCode, message);
	}

}
