package io.grouprefunds.job;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.grouprefunds.ingest.CsvRecord;
import io.grouprefunds.ingest.FileGate;
import io.grouprefunds.ingest.FileInspection;
import io.grouprefunds.ingest.FileRefusedException;
import io.grouprefunds.ingest.IngestProperties;
import io.grouprefunds.ingest.RefundCsvReader;
import io.grouprefunds.ingest.RefundRowValidator;
import io.grouprefunds.ledger.LedgerEntry;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.ledger.StatusTotal;
import io.grouprefunds.provider.RefundInstruction;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.provider.RefundProviders;
import io.grouprefunds.reconcile.Preflight;
import io.grouprefunds.reconcile.PreflightRule;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.stereotype.Component;

/**
 * {@code run --dry-run}: reads and validates the whole file with the job's own reader, validator and gate (limits and
 * control totals included), runs the preflight (each distinct group read once: rows its group cannot take are shown
 * REJECTED), shows what would be sent for the first rows (exact body, signature length) and says how many it did not
 * show, and writes and sends no refund. It cannot see request_ids used by earlier batches: the real run checks those.
 * Like a run, it reads the file twice: to inspect it, and to read its rows.
 */
@Component
public class DryRun {

	/** Requests shown when the operator does not say how many. */
	public static final int DEFAULT_SHOWN = 5;

	private final RefundProviders providers;

	private final InputFiles inputFiles;

	private final IngestProperties limits;

	private final Preflight preflight;

	private final DualControl dualControl;

	DryRun(RefundProviders providers, InputFiles inputFiles, IngestProperties limits, Preflight preflight,
			DualControl dualControl) {
		this.dualControl = dualControl;
		this.providers = providers;
		this.inputFiles = inputFiles;
		this.limits = limits;
		this.preflight = preflight;
	}

	public int run(Path file, String providerName, PrintWriter out) {
		return run(file, providerName, RunOptions.NONE, DEFAULT_SHOWN, out);
	}

	public int run(Path file, String providerName, RunOptions options, PrintWriter out) {
		return run(file, providerName, options, DEFAULT_SHOWN, out);
	}

	/** @param shown how many of the requests to show in full ({@code Integer.MAX_VALUE}: all) */
	public int run(Path file, String providerName, RunOptions options, int shown, PrintWriter out) {
		RefundProvider provider = providers.get(providerName);
		provider.checkConfiguration();
		RefundRowValidator validator = new RefundRowValidator(providerName, provider.rowRules(), limits);
		Map<RowStatus, Integer> counts = new EnumMap<>(RowStatus.class);
		Map<String, Totals> totals = new TreeMap<>();
		Map<String, Integer> seen = new HashMap<>();
		List<PreflightRule.Row> valid = new ArrayList<>();
		int requests = 0;
		RefundCsvReader reader = null;
		try {
			InputFiles.Inspected inspected = inspect(file, providerName);
			if (inspected.wrongProvider().isPresent()) {
				out.println("file refused: " + inspected.wrongProvider().get());
				out.flush();
				return ExitCode.REFUSED.code();
			}
			reader = inputFiles.reader(file, inspected.inspection().sha256(), header -> {
			});
			reader.open(new ExecutionContext());
			for (CsvRecord record = reader.read(); record != null; record = reader.read()) {
				LedgerEntry entry = validator.process(record);
				if (entry.status() == RowStatus.READY) {
					Integer first = seen.putIfAbsent(entry.requestId(), entry.lineNumber());
					if (first != null) {
						entry = entry.rejected("request_id " + entry.requestId() + " was already used at line " + first
								+ " of this file");
					}
				}
				if (entry.status() == RowStatus.READY) {
					valid.add(new PreflightRule.Row(valid.size(), entry.lineNumber(), entry.groupId(), entry.amount(),
							entry.currency()));
				}
				counts.merge(entry.status(), 1, Integer::sum);
				totals.computeIfAbsent(entry.status() + " " + entry.currency(), k -> new Totals()).add(entry);
				if (entry.status() == RowStatus.REJECTED) {
					out.printf("line %d REJECTED: %s%n", entry.lineNumber(), entry.rejection());
				}
				else if (requests++ < shown) {
					out.printf("line %d would send: %s%n", entry.lineNumber(), provider.preview(RefundInstruction.of(0,
							entry.requestId(), entry.groupId(), entry.amount(), entry.currency(), entry.idempotencyKey())));
				}
			}
			if (requests > shown) {
				int hidden = requests - shown;
				out.printf("… and %d more request%s not shown (use --show N, or --show all)%n", hidden,
						hidden == 1 ? "" : "s");
			}
			List<StatusTotal> figures = new ArrayList<>();
			totals.values().forEach(t -> figures.add(t.total()));
			FileGate.check(options.controls(), figures);
			// Dual control: a real run of this file would stop after the gate until another login approves it.
			dualControl.aboveThresholds(figures).forEach(above -> out.println("needs approval (a run exits 9 "
					+ "until another database login runs `approve BATCH`): " + above));
		}
		catch (FileRefusedException ex) {
			out.println("file refused: " + ex.getMessage());
			out.println("dry run: nothing was recorded or sent");
			out.flush();
			return ExitCode.REFUSED.code();
		}
		finally {
			if (reader != null) {
				reader.close();
			}
		}
		// The preflight, always on for a dry run: each distinct group read once, through the account's throttle.
		Preflight.Result checked = preflight.check(provider, valid);
		for (PreflightRule.Rejection rejection : checked.rejections()) {
			out.printf("line %d REJECTED: %s%n", rejection.row().lineNumber(), rejection.reason());
			counts.merge(RowStatus.READY, -1, Integer::sum);
			counts.merge(RowStatus.REJECTED, 1, Integer::sum);
		}
		counts.remove(RowStatus.READY, 0);
		checked.unchecked().forEach((group, why) -> out.printf("group %s could not be checked: %s%n", group, why));
		out.printf("preflight: %d group(s) read with %d quer(ies) in %.1f s, through %s's throttle%n",
				checked.groups(), checked.queries(), checked.took().toMillis() / 1000.0, providerName);
		out.printf("dry run: %s; nothing was recorded or sent%n", counts);
		out.flush();
		if (!checked.unchecked().isEmpty()) {
			return ExitCode.FAILED_RESTARTABLE.code();
		}
		return counts.containsKey(RowStatus.REJECTED) ? ExitCode.COMPLETED_WITH_REJECTIONS.code()
				: ExitCode.COMPLETED.code();
	}

	/** @throws FileRefusedException for a file that cannot be read, as the reader would refuse it */
	private InputFiles.Inspected inspect(Path file, String providerName) {
		try {
			return inputFiles.inspect(file, providerName);
		}
		catch (UncheckedIOException ex) {
			throw FileInspection.unreadable(file, ex);
		}
	}

	/** Rows of one status and currency, as the ledger would total them. */
	private static final class Totals {

		private RowStatus status;

		private String currency;

		private int rows;

		private BigDecimal amount = BigDecimal.ZERO;

		private int fullRefunds;

		void add(LedgerEntry entry) {
			status = entry.status();
			currency = entry.currency() == null ? "" : entry.currency();
			rows++;
			if (entry.amount() != null) {
				amount = amount.add(entry.amount());
			}
			else if (entry.status() != RowStatus.REJECTED) {
				fullRefunds++;
			}
		}

		StatusTotal total() {
			return new StatusTotal(status, currency, rows, amount, fullRefunds);
		}

	}

}
