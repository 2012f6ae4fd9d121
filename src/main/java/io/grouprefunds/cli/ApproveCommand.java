package io.grouprefunds.cli;

import java.util.ArrayList;
import java.util.List;

import io.grouprefunds.job.DualControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code approve BATCH [--note TEXT]}: the second person of dual control approves a batch waiting for approval (exit
 * 9 of its run). The identity is the database login; the submitter's own approval is refused (exit 6). Sends nothing.
 */
@Command(name = "approve",
		description = "Approve a batch waiting for approval (its valid total is above refunds.approval.above.<CCY>), "
				+ "as a database login other than its submitter's; sends nothing: then run the same file again, or "
				+ "`restart BATCH`, to send it.")
class ApproveCommand extends LedgerCommand {

	@Parameters(index = "0", paramLabel = "BATCH", description = "Batch id.")
	long batchId;

	@Option(names = "--note", paramLabel = "TEXT", description = "Why it is approved; recorded with the approval.")
	String note;

	@Override
	public Integer call() {
		// Few beans needed (the ledger and the events): create only those, like status.
		List<String> settings = new ArrayList<>(springArgs);
		if (settings.stream().noneMatch(arg -> arg.startsWith("--spring.main.lazy-initialization="))) {
			settings.add("--spring.main.lazy-initialization=true");
		}
		return Cli.withContext(settings,
				context -> Output.print(spec.commandLine(), context.getBean(DualControl.class).approve(batchId, note)));
	}

}
