package io.grouprefunds.cli;

import io.grouprefunds.report.BatchReport;
import io.grouprefunds.ledger.BatchRecord;
import io.grouprefunds.ledger.Ledger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code status [BATCH]}: rows and amounts per status and currency. */
@Command(name = "status", description = "Show a batch's rows and amounts per status and currency.")
class StatusCommand extends LedgerCommand {

	@Parameters(index = "0", arity = "0..1", paramLabel = "BATCH", description = "Batch id (default: the newest).")
	Long batchId;

	@Override
	public Integer call() {
		// Few beans needed (the ledger and the report): create only those, not the HTTP clients, the job and its steps.
		java.util.List<String> settings = new java.util.ArrayList<>(springArgs);
		if (settings.stream().noneMatch(arg -> arg.startsWith("--spring.main.lazy-initialization="))) {
			settings.add("--spring.main.lazy-initialization=true");
		}
		return Cli.withContext(settings, context -> {
			Ledger ledger = context.getBean(Ledger.class);
			java.util.Optional<BatchRecord> batch = batchId == null ? ledger.latestBatch() : ledger.findBatch(batchId);
			if (batch.isEmpty()) {
				spec.commandLine().getErr().println(batchId == null ? "no batches yet" : "no batch " + batchId);
				return io.grouprefunds.job.ExitCode.USAGE.code();
			}
			spec.commandLine().getOut().print(context.getBean(BatchReport.class).summary(batch.get().batchId()));
			spec.commandLine().getOut().flush();
			return 0;
		});
	}

}
