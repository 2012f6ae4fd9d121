package io.grouprefunds.submit;

import io.grouprefunds.domain.SubmitOutcome;

/**
 * How a row left the send pipeline: with an outcome to record, with nothing (never sent: put back as it was), or
 * already settled in the ledger.
 */
record RowResult(ClaimedRow claimed, SubmitOutcome outcome, boolean settled) {

	boolean neverSent() {
		return !settled && outcome == null;
	}

}
