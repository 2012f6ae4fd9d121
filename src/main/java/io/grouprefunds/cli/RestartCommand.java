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

/** {@code restart [BATCH]}: resume a failed, stopped or killed batch at its failed chunk. */
@Command(name = "restart", description = "Resume a failed, stopped or killed batch at its failed chunk.")
class RestartCommand implements Callable<Integer> {

	@Parameters(index = "0", arity = "0..1", paramLabel = "BATCH", description = "Batch id (default: the newest).")
	Long batchId;

	@Unmatched
	List<String> springArgs = new ArrayList<>();

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		return Cli.withContext(springArgs,
				context -> Output.print(spec.commandLine(), context.getBean(BatchRunner.class).restart(batchId)));
	}

}
