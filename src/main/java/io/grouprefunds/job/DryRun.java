package io.grouprefunds.job;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.grouprefunds.ingest.CsvRecord;
import io.grouprefunds.ingest.FileGate;
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
 * REJECTED), shows what would be sent for the first rows (exact body, signature length), and writes and sends no
 * refund. It cannot see request_ids used by earlier batches: the real run checks those.
 */
@Component
public class DryRun {

	private static final int PREVIEW_ROWS = 5;

	private final RefundProviders providers;

	private final WrongProviderCheck wrongProvider;

	private final IngestProperties limits;

	private final Preflight preflight;

	DryRun(RefundProviders providers, WrongProviderCheck wrongProvider, IngestProperties limits, Preflight preflight) {
		this.providers = providers;
		this.wrongProvider = wrongProvider;
		this.limits = limits;
		this.preflight = preflight;
	}

	public int run(Path file, String providerName, PrintWriter out) {
		return run(file, providerName, RunOptions.NONE, out);
	}

	public int run(Path file, String providerName, RunOptions options, PrintWriter out) {
		RefundProvider provider = providers.get(providerName);
		provider.checkConfiguration();
		Optional<String> wrong = wrongProvider.refusal(file, providerName);
		if (wrong.isPresent()) {
			out.println("file refused: " + wrong.get());
			out.flush();
			return ExitCode.REFUSED.code();
		}
		RefundRowValidator validator = new RefundRowValidator(providerName, provider.rowRules(), limits);
		RefundCsvReader reader = new RefundCsvReader(file, limits, null, header -> {
		});
		Map<RowStatus, Integer> counts = new EnumMap<>(RowStatus.class);
		Map<String, Totals> totals = new TreeMap<>();
		Map<String, Integer> seen = new HashMap<>();
		List<PreflightRule.Row> valid = new ArrayList<>();
		int previews = 0;
		try {
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
				else if (previews++ < PREVIEW_ROWS) {
					out.printf("line %d would send: %s%n", entry.lineNumber(), provider.preview(RefundInstruction.of(0,
							entry.requestId(), entry.groupId(), entry.amount(), entry.currency(), entry.idempotencyKey())));
				}
			}
			List<StatusTotal> figures = new ArrayList<>();
			totals.values().forEach(t -> figures.add(t.total()));
			FileGate.check(options.controls(), figures);
		}
		catch (FileRefusedException ex) {
			out.println("file refused: " + ex.getMessage());
			out.println("dry run: nothing was recorded or sent");
			out.flush();
			return ExitCode.REFUSED.code();
		}
		finally {
			reader.close();
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
