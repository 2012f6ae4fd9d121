package io.grouprefunds.sandbox.faults;

/** The kinds of fault a simulated provider counts ({@code SimulatedProvider.faultCounts()}). */
public enum FaultKind {

	/** A delay before answering. */
	LATENCY,
	/** HTTP 503 during an outage, nothing applied. */
	OUTAGE,
	/** HTTP 429 beyond the sandbox rate limit, nothing applied. */
	RATE_LIMITED,
	/** HTTP 429 drawn at random, nothing applied. */
	TOO_MANY_REQUESTS,
	/** HTTP 500, nothing applied. */
	ERROR_BEFORE_APPLY,
	/** HTTP 500 or 502 although the refund was applied. */
	ERROR_AFTER_APPLY,
	/** The refund was applied and the answer delayed. */
	SLOW_AFTER_APPLY,
	/** The refund was applied and the connection closed with no answer. */
	DROP_AFTER_APPLY

}
