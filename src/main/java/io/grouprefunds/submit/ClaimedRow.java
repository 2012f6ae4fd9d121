package io.grouprefunds.submit;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.SubmitOutcome;
import io.grouprefunds.ledger.LedgerRow;

/** A claimed row on its way through the send pipeline; its fields are touched by one request chain at a time. */
final class ClaimedRow {

	final LedgerRow row;

	final ChunkInFlight chunk;

	/** The status to put back if the row is not sent after all. */
	RowStatus prior;

	/** Requests sent this run, retries after a 429 excluded: what {@code maxRetries} bounds. */
	int tries;

	/** Requests sent since the row was last claimed, retries after a 429 excluded: recorded as attempts. */
	int claimTries;

	/** The next request is a retry after a 429: it does not count against the row. */
	boolean uncounted;

	Long rateLimitedSince;

	SubmitOutcome lastOutcome;

	RowStatus settledAs;

	private boolean leftQueue;

	ClaimedRow(LedgerRow row, ChunkInFlight chunk) {
		this.row = row;
		this.chunk = chunk;
		// A maybe-sent row sent again under an enforced idempotency key goes back UNKNOWN, never READY.
		this.prior = RowStatus.MAYBE_SENT.contains(row.status()) ? RowStatus.UNKNOWN : row.status();
	}

	/** A request is leaving: counted against the row unless it is the retry of a 429. */
	void requestLeaving() {
		if (uncounted) {
			uncounted = false;
		}
		else {
			tries++;
			claimTries++;
		}
	}

	/** @return true the first time: the row no longer waits to be sent (it left, or never will) */
	boolean leaveQueue() {
		if (leftQueue) {
			return false;
		}
		leftQueue = true;
		return true;
	}

	/** Claimed again after reconciliation proved the last request was not applied. */
	void reclaimed() {
		prior = RowStatus.RETRYABLE;
		lastOutcome = null;
		claimTries = 0;
	}

	/**
	 * Leaves the pipeline with its last answer: recorded as that outcome. A row with no answer was never sent and is
	 * put back as it was; a row that had one keeps it (429, refused: provably not processed).
	 */
	RowResult result() {
		return new RowResult(this, lastOutcome, Math.max(0, claimTries - 1), false);
	}

	/** Leaves the pipeline already settled in the ledger (by reconciliation), or left as it is there. */
	RowResult settled(RowStatus status) {
		settledAs = status;
		return new RowResult(this, null, 0, true);
	}

}
