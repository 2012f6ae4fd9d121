package io.grouprefunds.cli;

import io.grouprefunds.job.ReconcileRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code reconcile [BATCH]}: follow every SENDING, UNKNOWN and PENDING row until the provider's final word, by asking
 * the provider; sends no refund.
 */
@Command(name = "reconcile",
		description = "Ask the provider about SENDING, UNKNOWN and PENDING rows (of one batch, or of every batch within "
				+ "refunds.reconcile.max-age) and settle them; sends no refund.")
class ReconcileCommand extends LedgerCommand {

	@Parameters(index = "0", arity = "0..1", paramLabel = "BATCH",
			description = "Batch id (default: every batch with open rows).")
	Long batchId;

	@Override
	public Integer call() {
		return Cli.withContext(springArgs, context -> Output.print(spec.commandLine(),
				context.getBean(ReconcileRunner.class).reconcile(batchId, out())));
	}

}
