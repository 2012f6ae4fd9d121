package io.grouprefunds.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import io.grouprefunds.job.ExitCode;
import io.grouprefunds.report.RowHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code history KEY}: one row's whole story from the audit trail, oldest first. KEY is a request_id, an idempotency
 * key or a row id (the first of those that names a row; the output says which). Exit 0 when one row is found; 2 when
 * none is, or when the key names several rows (a request_id used in several batches or by both providers: they are
 * listed, and {@code --provider} / {@code --batch} choose).
 */
@Command(name = "history", description = "Show one row's whole story: every attempt (refund requests and queries) "
		+ "with its answer, every status change with who made it, and its batch's operator decisions. KEY is a "
		+ "request_id, an idempotency key or a row id. Exit 0 found, 2 not found or ambiguous.")
class HistoryCommand extends LedgerCommand {

	@Parameters(index = "0", paramLabel = "KEY", description = "request_id, idempotency key or row id.")
	String key;

	@Option(names = "--provider", paramLabel = "PROVIDER", description = "Only rows of this provider.")
	String provider;

	@Option(names = "--batch", paramLabel = "BATCH", description = "Only rows of this batch.")
	Long batchId;

	@Option(names = "--csv", description = "Write the story as CSV (safe to open in a spreadsheet).")
	boolean csv;

	@Override
	public Integer call() {
		// Only the ledger's reads: create only those beans, not the HTTP clients, the job and its steps.
		List<String> settings = new ArrayList<>(springArgs);
		if (settings.stream().noneMatch(arg -> arg.startsWith("--spring.main.lazy-initialization="))) {
			settings.add("--spring.main.lazy-initialization=true");
		}
		return Cli.withContext(settings, context -> {
			RowHistory history = context.getBean(RowHistory.class);
			PrintWriter out = spec.commandLine().getOut();
			PrintWriter err = spec.commandLine().getErr();
			List<RowHistory.Match> matches = history.find(key, provider, batchId);
			if (matches.isEmpty()) {
				err.println("no row has the request_id, idempotency key or row id " + key
						+ (provider != null ? " for provider " + provider : "")
						+ (batchId != null ? " in batch " + batchId : ""));
				err.flush();
				return ExitCode.USAGE.code();
			}
			if (matches.size() > 1) {
				err.println(key + " names " + matches.size() + " rows (by " + matches.get(0).matchedBy() + "); choose "
						+ "one with --provider or --batch:");
				for (RowHistory.Match match : matches) {
					err.println("  batch " + match.batchId() + "  provider " + match.provider() + "  line "
							+ match.lineNumber() + "  row " + match.rowId() + "  " + match.status());
				}
				err.flush();
				return ExitCode.USAGE.code();
			}
			out.print(csv ? history.csv(matches.get(0)) : history.text(matches.get(0)));
			out.flush();
			return 0;
		});
	}

}
