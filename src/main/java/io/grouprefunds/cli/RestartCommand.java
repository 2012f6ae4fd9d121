package io.grouprefunds.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code restart [BATCH]}: resume a failed, stopped or killed batch at its failed chunk. */
@Command(name = "restart", description = "Resume a failed, stopped or killed batch at its failed chunk.")
class RestartCommand extends LedgerCommand {

	@Parameters(index = "0", arity = "0..1", paramLabel = "BATCH", description = "Batch id (default: the newest).")
	Long batchId;

	@Mixin
	StopAtOption stopAt = new StopAtOption();

	@Override
	public Integer call() {
		springArgs = stopAt.applyTo(springArgs);
		return runBatch((runner, out) -> runner.restart(batchId));
	}

}
