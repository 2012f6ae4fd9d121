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

/** {@code rerun-failed BATCH}: send again what provably did not go through; never DECLINED or REJECTED rows. */
@Command(name = "rerun-failed",
		description = "Send again a completed batch's RETRYABLE rows, and UNKNOWN rows the provider proves were not applied.")
class RerunFailedCommand implements Callable<Integer> {

	@Parameters(index = "0", paramLabel = "BATCH", description = "Batch id.")
	long batchId;

	@Unmatched
	List<String> springArgs = new ArrayList<>();

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		return Cli.withContext(springArgs, context -> Output.print(spec.commandLine(),
				context.getBean(BatchRunner.class).rerunFailed(batchId, spec.commandLine().getOut())));
	}

}
