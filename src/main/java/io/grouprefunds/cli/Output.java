package io.grouprefunds.cli;

import io.grouprefunds.job.BatchRunner;
import io.grouprefunds.job.ExitCode;
import picocli.CommandLine;

/** Prints a command's result where an operator expects it: outcomes on stdout, refusals and failures on stderr. */
final class Output {

	private Output() {
	}

	static int print(CommandLine commandLine, BatchRunner.Result result) {
		boolean completed = result.exitCode() == ExitCode.COMPLETED
				|| result.exitCode() == ExitCode.COMPLETED_WITH_REJECTIONS
				|| result.exitCode() == ExitCode.COMPLETED_UNSETTLED;
		(completed ? commandLine.getOut() : commandLine.getErr()).println(result.message());
		commandLine.getOut().println("exit " + result.exitCode().code() + " (" + result.exitCode() + ")");
		commandLine.getOut().flush();
		commandLine.getErr().flush();
		return result.exitCode().code();
	}

}
