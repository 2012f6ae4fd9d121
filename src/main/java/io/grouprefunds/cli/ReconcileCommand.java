package io.grouprefunds.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code reconcile BATCH}: settle SENDING and UNKNOWN rows by asking the provider; sends no refund. */
@Command(name = "reconcile",
		description = "Ask the provider about a batch's SENDING and UNKNOWN rows and settle them; sends no refund.")
class ReconcileCommand extends LedgerCommand {

	@Parameters(index = "0", paramLabel = "BATCH", description = "Batch id.")
	long batchId;

	@Override
	public Integer call() {
		return runBatch((runner, out) -> runner.reconcile(batchId, out));
	}

}
