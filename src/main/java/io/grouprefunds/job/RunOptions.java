package io.grouprefunds.job;

import io.grouprefunds.ledger.BatchControls;

/**
 * What the operator asked of a {@code run} besides the file and provider.
 *
 * @param controls the control totals the gate checks before anything is sent
 * @param allowReprocess a file already processed is run again as a new batch (its request_ids already used are then
 * REJECTED as duplicates, so nothing is refunded twice)
 */
public record RunOptions(BatchControls controls, boolean allowReprocess) {

	public static final RunOptions NONE = new RunOptions(BatchControls.NONE, false);

	public RunOptions {
		controls = controls == null ? BatchControls.NONE : controls;
	}

}
