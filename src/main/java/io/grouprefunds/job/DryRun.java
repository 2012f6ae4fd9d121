package io.grouprefunds.job;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.grouprefunds.ingest.CsvRecord;
import io.grouprefunds.ingest.FileRefusedException;
import io.grouprefunds.ingest.RefundCsvReader;
import io.grouprefunds.ingest.RefundRowValidator;
import io.grouprefunds.ledger.LedgerEntry;
import io.grouprefunds.ledger.RowStatus;
import io.grouprefunds.provider.RefundInstruction;
import io.grouprefunds.provider.RefundProvider;
import io.grouprefunds.provider.RefundProviders;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.stereotype.Component;

/**
 * {@code run --dry-run}: reads and validates the whole file with the job's own reader and validator, shows what
 * would be sent for the first rows (exact body, signature length), and writes and sends nothing.
 */
@Component
public class DryRun {

	private static final int PREVIEW_ROWS = 5;

	private final RefundProviders providers;

	private final WrongProviderCheck wrongProvider;

	DryRun(RefundProviders providers, WrongProviderCheck wrongProvider) {
		this.providers = providers;
		this.wrongProvider = wrongProvider;
	}

	public int run(Path file, String providerName, PrintWriter out) {
		RefundProvider provider = providers.get(providerName);
		provider.checkConfiguration();
		Optional<String> wrong = wrongProvider.refusal(file, providerName);
		if (wrong.isPresent()) {
			out.println("file refused: " + wrong.get());
			out.flush();
			return ExitCode.REFUSED.code();
		}
		RefundRowValidator validator = new RefundRowValidator(providerName, provider.rowRules());
		RefundCsvReader reader = new RefundCsvReader(file);
		Map<RowStatus, Integer> counts = new EnumMap<>(RowStatus.class);
		Map<String, Integer> seen = new HashMap<>();
		int previews = 0;
		try {
			reader.open(new ExecutionContext());
			for (CsvRecord record = reader.read(); record != null; record = reader.read()) {
				LedgerEntry entry = validator.process(record);
				if (entry.status() == RowStatus.READY) {
					Integer first = seen.putIfAbsent(entry.requestId(), entry.lineNumber());
					if (first != null) {
						entry = entry.rejected("request_id " + entry.requestId() + " was already used at line " + first);
					}
				}
				counts.merge(entry.status(), 1, Integer::sum);
				if (entry.status() == RowStatus.REJECTED) {
					out.printf("line %d REJECTED: %s%n", entry.lineNumber(), entry.rejection());
				}
				else if (previews++ < PREVIEW_ROWS) {
					out.printf("line %d would send: %s%n", entry.lineNumber(), provider.preview(RefundInstruction.of(0,
							entry.requestId(), entry.groupId(), entry.amount(), entry.currency(), entry.idempotencyKey())));
				}
			}
		}
		catch (FileRefusedException ex) {
			out.println("file refused: " + ex.getMessage());
			out.flush();
			return ExitCode.REFUSED.code();
		}
		finally {
			reader.close();
		}
		out.printf("dry run: %s; nothing was recorded or sent%n", counts);
		out.flush();
		return counts.containsKey(RowStatus.REJECTED) ? ExitCode.COMPLETED_WITH_REJECTIONS.code()
				: ExitCode.COMPLETED.code();
	}

}
