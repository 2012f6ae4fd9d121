package io.grouprefunds.cli;

import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.report.BatchStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code status [BATCH]}: a batch's rows and amounts per status and currency, its execution state, PENDING rows with
 * their age, the rows a person must look at, and the next command; without a batch, the recent batches.
 */
@Command(name = "status", description = "Show a batch's rows and amounts, execution state, PENDING rows and the "
		+ "next command to run; without BATCH, the recent batches.")
class StatusCommand extends LedgerCommand {

	@Parameters(index = "0", arity = "0..1", paramLabel = "BATCH", description = "Batch id (default: the recent batches).")
	Long batchId;

	@Option(names = "--last", paramLabel = "N", defaultValue = "20",
			description = "Without BATCH: how many recent batches to list (default ${DEFAULT-VALUE}).")
	int last;

	@Override
	public Integer call() {
		// Few beans needed (the ledger and the report): create only those, not the HTTP clients, the job and its steps.
		java.util.List<String> settings = new java.util.ArrayList<>(springArgs);
		if (settings.stream().noneMatch(arg -> arg.startsWith("--spring.main.lazy-initialization="))) {
			settings.add("--spring.main.lazy-initialization=true");
		}
		return Cli.withContext(settings, context -> {
			Ledger ledger = context.getBean(Ledger.class);
			BatchStatus status = context.getBean(BatchStatus.class);
			if (batchId == null) {
				if (ledger.latestBatch().isEmpty()) {
					spec.commandLine().getErr().println("no batches yet");
					return io.grouprefunds.job.ExitCode.USAGE.code();
				}
				spec.commandLine().getOut().print(status.recent(Math.max(1, last)));
				spec.commandLine().getOut().flush();
				return 0;
			}
			if (ledger.findBatch(batchId).isEmpty()) {
				spec.commandLine().getErr().println("no batch " + batchId);
				return io.grouprefunds.job.ExitCode.USAGE.code();
			}
			spec.commandLine().getOut().print(status.describe(batchId));
			spec.commandLine().getOut().flush();
			return 0;
		});
	}

}
