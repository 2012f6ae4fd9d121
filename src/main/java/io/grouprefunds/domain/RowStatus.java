package io.grouprefunds.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a ledger row. See the README's runbook for what an operator does with each.
 *
 * <pre>
 * READY --claim--> SENDING --> SUCCEEDED | PENDING | DECLINED | RETRYABLE | UNKNOWN
 * UNKNOWN --reconcile--> SUCCEEDED | RETRYABLE | stays UNKNOWN
 * REJECTED (failed validation, never sent)
 * </pre>
 */
public enum RowStatus {

	/** Valid and waiting to be sent. */
	READY,
	/** Failed validation; never sent. Final. */
	REJECTED,
	/** Claimed for sending: the request may have left. Never resent without reconciling first. */
	SENDING,
	/** The provider accepted the refund. Final. */
	SUCCEEDED,
	/** The provider accepted the refund and will complete it later. Final for this job. */
	PENDING,
	/** The provider said no, with its code. Final. */
	DECLINED,
	/** Provably not processed by the provider; safe to send again. */
	RETRYABLE,
	/** Sent, but the outcome is not known; settle by reconciliation before anything else. */
	UNKNOWN;

	/** Rows that may have reached the provider with no recorded answer. */
	public static final Set<RowStatus> MAYBE_SENT = EnumSet.of(SENDING, UNKNOWN);

	/** Rows a submission may send without asking the provider first. */
	public static final Set<RowStatus> SENDABLE = EnumSet.of(READY, RETRYABLE);

	/** Rows that are done: nothing more will happen to them. */
	public static final Set<RowStatus> FINAL = EnumSet.of(REJECTED, SUCCEEDED, PENDING, DECLINED);

}
