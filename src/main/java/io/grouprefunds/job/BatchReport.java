package io.grouprefunds.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Currency;
import java.util.Map;
import java.util.TreeMap;

import com.opencsv.CSVWriter;
import com.opencsv.ICSVWriter;
import io.grouprefunds.ingest.Money;
import io.grouprefunds.ledger.BatchRecord;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.RowStatus;
import io.grouprefunds.ledger.StatusTotal;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What a batch came to: the summary printed at the end of a run and by {@code status}, and the result CSV (one
 * line per input row with its outcome), safe to open in a spreadsheet. Reads the ledger only; no secret is in it.
 */
@Component
public class BatchReport {

	static final String[] RESULT_COLUMNS = { "line_number", "request_id", "group_id", "amount", "currency", "reason",
			"status", "attempts", "provider_reference", "provider_refund_status", "error_code", "error_message",
			"http_status", "rejection", "evidence", "sent_at", "finished_at" };

	private final Ledger ledger;

	private final JdbcTemplate jdbc;

	private final Path directory;

	BatchReport(Ledger ledger, JdbcTemplate jdbc, @Value("${refunds.reports.directory:reports}") Path directory) {
		this.ledger = ledger;
		this.jdbc = jdbc;
		this.directory = directory;
	}

	public Path resultFile(long batchId) {
		return directory.resolve("batch-" + batchId + "-results.csv");
	}

	/** Writes the result CSV of a batch, replacing an earlier one (a rerun rewrites it). */
	public Path writeResultFile(long batchId) {
		Path file = resultFile(batchId);
		try {
			Files.createDirectories(directory);
			Path partial = file.resolveSibling(file.getFileName() + ".part");
			try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
					ICSVWriter csv = new CSVWriter(out)) {
				csv.writeNext(RESULT_COLUMNS, false);
				// Streamed in pages (the report step's transaction keeps the cursor open): a million-row batch must
				// not be held in memory at once.
				JdbcTemplate streaming = new JdbcTemplate(jdbc.getDataSource());
				streaming.setFetchSize(1000);
				streaming.query("SELECT line_number, request_id, group_id, amount, currency, reason, status, attempts, "
						+ "provider_operation_id, provider_refund_status, provider_error_code, provider_error_message, "
						+ "http_status, rejection, evidence, sent_at, finished_at, amount_text FROM refund_row "
						+ "WHERE batch_id = ? ORDER BY line_number", rs -> {
							String[] line = new String[RESULT_COLUMNS.length];
							for (int i = 0; i < line.length; i++) {
								line[i] = spreadsheetSafe(rs.getString(i + 1));
							}
							line[3] = amountText(rs.getBigDecimal("amount"), rs.getString("currency"),
									rs.getString("amount_text"));
							csv.writeNext(line, true);
						}, batchId);
			}
			Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("writing " + file, ex);
		}
	}

	/** The summary an operator reads: rows and amounts per status and currency. */
	public String summary(long batchId) {
		BatchRecord batch = ledger.findBatch(batchId).orElseThrow();
		StringBuilder text = new StringBuilder();
		text.append(String.format("Batch %d  provider %s  file %s  (%s)%n", batch.batchId(), batch.provider(),
				batch.fileName(), batch.state().equals("REFUSED") ? "REFUSED: " + batch.refusal() : "sha256 "
						+ batch.fileSha256().substring(0, 12) + "…"));
		text.append(String.format("  %-10s %-8s %6s %16s %12s%n", "status", "currency", "rows", "amount",
				"whole-group"));
		Map<RowStatus, Integer> rowsByStatus = new TreeMap<>();
		int total = 0;
		for (StatusTotal t : ledger.totals(batchId)) {
			text.append(String.format("  %-10s %-8s %6d %16s %12s%n", t.status(), t.currency(), t.rows(),
					t.amount().compareTo(BigDecimal.ZERO) == 0 ? "-" : t.amount().stripTrailingZeros().toPlainString(),
					t.fullRefunds() == 0 ? "" : Integer.toString(t.fullRefunds())));
			rowsByStatus.merge(t.status(), t.rows(), Integer::sum);
			total += t.rows();
		}
		text.append(String.format("  %d rows: %s%n", total, rowsByStatus));
		Path result = resultFile(batchId);
		if (Files.exists(result)) {
			text.append("  result file: ").append(result).append(System.lineSeparator());
		}
		return text.toString();
	}

	/**
	 * A field a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) is prefixed with
	 * a quote so it shows as text.
	 */
	static String spreadsheetSafe(String value) {
		if (value == null || value.isEmpty()) {
			return value == null ? "" : value;
		}
		char first = value.charAt(0);
		return (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r')
				? "'" + value : value;
	}

	/**
	 * A valid amount is written as a plain number at the currency's scale, so it stays numeric in a spreadsheet; a
	 * rejected row's amount is what the file said, neutralised like any text.
	 */
	static String amountText(BigDecimal amount, String currency, String asWritten) {
		if (amount != null) {
			return amount.setScale(Money.decimalsOf(Currency.getInstance(currency))).toPlainString();
		}
		return spreadsheetSafe(asWritten);
	}

}
