package io.grouprefunds.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

import io.grouprefunds.job.BatchRunner;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * A subcommand that works on the ledger: it takes {@code --name=value} settings after its own options and runs inside
 * the application context.
 */
abstract class LedgerCommand implements Callable<Integer> {

	@Unmatched
	List<String> springArgs = new ArrayList<>();

	@Spec
	CommandSpec spec;

	/** Runs one {@link BatchRunner} operation and prints its result; the exit code is the result's. */
	int runBatch(BiFunction<BatchRunner, PrintWriter, BatchRunner.Result> operation) {
		return Cli.withContext(springArgs,
				context -> Output.print(spec.commandLine(), operation.apply(context.getBean(BatchRunner.class), out())));
	}

	PrintWriter out() {
		return spec.commandLine().getOut();
	}

}
