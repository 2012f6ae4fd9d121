package io.grouprefunds.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a ledger row. See the README's runbook for what an operator does with each.
 *
 * <pre>
 * READY --claim--> SENDING --> SUCCEEDED | PENDING | DECLINED | DISCREPANCY | RETRYABLE | UNKNOWN
 * PENDING --reconcile (the parts' statuses)--> SUCCEEDED | DECLINED | DISCREPANCY | stays PENDING
 * SENDING, UNKNOWN --reconcile (the group's view)--> SUCCEEDED | PENDING | DECLINED | DISCREPANCY | RETRYABLE
 *                                                    | stays UNKNOWN
 * RETRYABLE --rerun-failed--> SENDING
 * REJECTED (failed validation or the preflight, never sent)
 * </pre>
 *
 * An accepted refund is not done: the provider creates refund parts (Rapyd: one per payment of the group; the card
 * issuer: one per request), and the row's status is derived from this row's own parts only ({@link Settlement}).
 */
public enum RowStatus {

	/** Valid and waiting to be sent. */
	READY,
	/** Failed validation or the preflight; never sent. Final. */
	REJECTED,
	/** Claimed for sending: the request may have left. Never resent without reconciling first. */
	SENDING,
	/** Every refund part the provider created for this row is Completed, for the row's amount and currency. Final. */
	SUCCEEDED,
	/** Accepted, and at least one part is not final yet (or the provider has not listed them yet): reconcile follows it. */
	PENDING,
	/** The provider refused, at once or later (parts Rejected, Error or Cancelled): nothing went through. Final. */
	DECLINED,
	/**
	 * The provider moved money, but not what the row asked: parts ended differently, or in another currency, or for
	 * another total. {@code refunded_amount} and {@code refunded_currency} say what went through. Final; a person looks.
	 */
	DISCREPANCY,
	/** Provably not processed by the provider; safe to send again. */
	RETRYABLE,
	/** Sent, but the outcome is not known; settle by reconciliation before anything else. */
	UNKNOWN;

	/** Rows that may have reached the provider with no recorded answer. */
	public static final Set<RowStatus> MAYBE_SENT = EnumSet.of(SENDING, UNKNOWN);

	/** Rows a submission may send without asking the provider first. */
	public static final Set<RowStatus> SENDABLE = EnumSet.of(READY, RETRYABLE);

	/** Rows that are done: nothing more will happen to them. PENDING is not: its parts may still change. */
	public static final Set<RowStatus> FINAL = EnumSet.of(REJECTED, SUCCEEDED, DECLINED, DISCREPANCY);

	/** Rows {@code reconcile} follows up: maybe sent, or accepted and not final yet. Never sent by it. */
	public static final Set<RowStatus> OPEN = EnumSet.of(SENDING, UNKNOWN, PENDING);

	/** Final rows a person must look at. */
	public static final Set<RowStatus> NEEDS_A_PERSON = EnumSet.of(REJECTED, DECLINED, DISCREPANCY);

}
