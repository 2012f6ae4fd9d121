package io.grouprefunds.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rerun-failed BATCH}: send again what provably did not go through; never DECLINED or REJECTED rows. */
@Command(name = "rerun-failed",
		description = "Send again a completed batch's RETRYABLE rows, and UNKNOWN rows the provider proves were not applied.")
class RerunFailedCommand extends LedgerCommand {

	@Parameters(index = "0", paramLabel = "BATCH", description = "Batch id.")
	long batchId;

	@Mixin
	StopAtOption stopAt = new StopAtOption();

	@Override
	public Integer call() {
		springArgs = stopAt.applyTo(springArgs);
		return runBatch((runner, out) -> runner.rerunFailed(batchId, out));
	}

}
