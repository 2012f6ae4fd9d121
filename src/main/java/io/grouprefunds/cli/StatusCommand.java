package io.grouprefunds.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.grouprefunds.job.BatchReport;
import io.grouprefunds.ledger.BatchRecord;
import io.grouprefunds.ledger.Ledger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code status [BATCH]}: rows and amounts per status and currency. */
@Command(name = "status", description = "Show a batch's rows and amounts per status and currency.")
class StatusCommand implements Callable<Integer> {

	@Parameters(index = "0", arity = "0..1", paramLabel = "BATCH", description = "Batch id (default: the newest).")
	Long batchId;

	@Unmatched
	List<String> springArgs = new ArrayList<>();

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		return Cli.withContext(springArgs, context -> {
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
