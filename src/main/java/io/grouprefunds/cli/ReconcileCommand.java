package io.grouprefunds.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.grouprefunds.job.BatchRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code reconcile BATCH}: settle SENDING and UNKNOWN rows by asking the provider; sends no refund. */
@Command(name = "reconcile",
		description = "Ask the provider about a batch's SENDING and UNKNOWN rows and settle them; sends no refund.")
class ReconcileCommand implements Callable<Integer> {

	@Parameters(index = "0", paramLabel = "BATCH", description = "Batch id.")
	long batchId;

	@Unmatched
	List<String> springArgs = new ArrayList<>();

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		return Cli.withContext(springArgs, context -> Output.print(spec.commandLine(),
				context.getBean(BatchRunner.class).reconcile(batchId, spec.commandLine().getOut())));
	}

}
