package io.grouprefunds.cli;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.grouprefunds.ingest.FileGate;
import io.grouprefunds.domain.Money;
import io.grouprefunds.job.BatchRunner;
import io.grouprefunds.job.DryRun;
import io.grouprefunds.job.RunOptions;
import io.grouprefunds.ledger.BatchControls;
import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code run FILE --provider P}: ingest, check and send a refund file; a file seen before resumes or is refused. */
@Command(name = "run", description = "Run a refund file: validate every row, then send the valid ones.",
		mixinStandardHelpOptions = true,
		footerHeading = "%nControl totals:%n",
		footer = { "Checked after every row is validated and before anything is sent; any mismatch refuses the "
				+ "whole file (exit 6). Totals add up the valid rows only; --expect-rows counts every data row. "
				+ "A currency with whole-group rows (no amount) cannot be totalled and refuses the file. "
				+ "See docs/input-and-reports.md." })
class RunCommand extends LedgerCommand {

	@Parameters(index = "0", paramLabel = "FILE", description = "The refund CSV.")
	Path file;

	@Option(names = "--provider", required = true, description = "The provider to send to: rapyd or issuer.")
	String provider;

	@Option(names = "--dry-run", description = "Validate and show the signed requests; record and send nothing.")
	boolean dryRun;

	@Option(names = "--show", paramLabel = "N|all",
			description = "With --dry-run: how many of the requests to show in full (default: "
					+ DryRun.DEFAULT_SHOWN + "), or all; it says how many it left out.")
	String show;

	@Option(names = "--expect-rows", paramLabel = "N",
			description = "The file must hold exactly N data rows (valid or not), else it is refused.")
	Integer expectRows;

	@Option(names = "--expect-total", arity = "2", paramLabel = "AMOUNT CURRENCY", hideParamSyntax = true,
			description = "The valid rows in CURRENCY must add up to exactly AMOUNT, else the file is refused. "
					+ "Repeat it for each currency in the file.")
	List<String> expectTotals = new ArrayList<>();

	@Option(names = "--max-total", arity = "2", paramLabel = "AMOUNT CURRENCY", hideParamSyntax = true,
			description = "Safety cap: the valid rows in CURRENCY may add up to AMOUNT at most, else the file is "
					+ "refused. Repeat it for each currency in the file.")
	List<String> maxTotals = new ArrayList<>();

	@Option(names = "--allow-reprocess",
			description = "Run a file already processed again, as a new batch. Its request_ids already used are "
					+ "REJECTED as duplicates, so nothing is refunded twice.")
	boolean allowReprocess;

	@Option(names = "--sandbox", paramLabel = "GROUPS_CSV",
			description = "Send to the built-in sandbox of the --provider, started in this process and seeded from "
					+ "GROUPS_CSV, instead of the configured provider (demo and trials).")
	Path sandboxGroups;

	@Mixin
	StopAtOption stopAt = new StopAtOption();

	@Override
	public Integer call() {
		RunOptions options = options();
		int shown = shown(); // a wrong --show is a usage error before anything starts
		List<String> args = new ArrayList<>(stopAt.applyTo(springArgs));
		SandboxServer sandbox = null;
		if (sandboxGroups != null) {
			sandbox = SandboxServer.start(SandboxSettings.defaults());
			try {
				sandbox.provider(provider).loadGroups(sandboxGroups);
			}
			catch (RuntimeException ex) {
				sandbox.close();
				throw ex;
			}
			// The sandbox knows which settings point this provider's adapter at it: nothing provider-specific here.
			Map<String, String> client = sandbox.clientSettings(provider);
			client.forEach((name, value) -> args.add("--" + name + "=" + value));
			spec.commandLine().getOut().println("Sending to the built-in " + provider + " sandbox at "
					+ client.get("refunds." + provider + ".base-url"));
		}
		try {
			return Cli.withContext(args, context -> {
				if (dryRun) {
					return context.getBean(DryRun.class).run(file, provider, options, shown,
							spec.commandLine().getOut());
				}
				BatchRunner.Result result = context.getBean(BatchRunner.class).run(file, provider, options);
				return Output.print(spec.commandLine(), result);
			});
		}
		finally {
			if (sandbox != null) {
				sandbox.close();
			}
		}
	}

	/** The control totals and reprocessing choice as typed, checked before anything starts. */
	RunOptions options() {
		if (expectRows != null && expectRows < 1) {
			throw usage("--expect-rows " + expectRows + ": a file holds at least one data row");
		}
		return new RunOptions(new BatchControls(expectRows, amounts("--expect-total", expectTotals),
				amounts("--max-total", maxTotals)), allowReprocess);
	}

	/** {@code --show N|all}, checked with the other options before anything starts. */
	int shown() {
		if (show == null) {
			return DryRun.DEFAULT_SHOWN;
		}
		if (!dryRun) {
			throw usage("--show " + show + ": --show goes with --dry-run (a run sends every valid row)");
		}
		if (show.equalsIgnoreCase("all")) {
			return Integer.MAX_VALUE;
		}
		try {
			int n = Integer.parseInt(show.strip());
			if (n >= 0) {
				return n;
			}
		}
		catch (NumberFormatException ex) {
			// said below
		}
		throw usage("--show " + show + ": write a number of requests, e.g. --show 20, or --show all");
	}

	private Map<String, BigDecimal> amounts(String option, List<String> values) {
		Map<String, BigDecimal> amounts = new TreeMap<>();
		for (int i = 0; i + 1 < values.size(); i += 2) {
			Money money;
			try {
				money = FileGate.amountOption(option, values.get(i), values.get(i + 1));
			}
			catch (IllegalArgumentException ex) {
				throw usage(ex.getMessage());
			}
			String currency = money.currency().getCurrencyCode();
			if (amounts.putIfAbsent(currency, money.amount()) != null) {
				throw usage(option + " is given twice for " + currency + "; give it once per currency");
			}
		}
		return amounts;
	}

	private CommandLine.ParameterException usage(String message) {
		return new CommandLine.ParameterException(spec.commandLine(), message);
	}

}
