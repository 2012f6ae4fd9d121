package io.grouprefunds.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.opencsv.CSVWriter;
import com.opencsv.ICSVWriter;
import io.grouprefunds.ingest.CsvHeader;
import io.grouprefunds.domain.Money;
import io.grouprefunds.ledger.BatchControls;
import io.grouprefunds.ledger.BatchRecord;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.LedgerEntry;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.ledger.StatusTotal;

import org.springframework.stereotype.Component;

/**
 * What a batch came to: the summary printed at the end of a run and by {@code status}; the result CSV (one line per
 * input row with its outcome); the rejected-rows CSV (the rows as the operator wrote them, with why, to fix and run
 * again). Both files are UTF-8 with a byte order mark (so spreadsheets read the text right), with every cell a
 * spreadsheet could run as a formula neutralised. Reads the ledger only; no secret is in it.
 */
@Component
public class BatchReport {

	static final String[] RESULT_COLUMNS = { "line_number", "request_id", "group_id", "amount", "currency", "reason",
			"status", "attempts", "provider_reference", "provider_refund_status", "refunded_amount",
			"refunded_currency", "refund_ids", "idempotency_key", "error_code", "error_message", "http_status",
			"rejection", "evidence", "sent_at_utc", "finished_at_utc" };

	/** Columns 0-based: where the amounts are, written as numbers at their currency's scale. */
	private static final int AMOUNT = 3;

	private static final int REFUNDED = 10;

	/** Spreadsheets read {@code 2025-01-31 14:05:09} as a date and time. */
	private static final char BYTE_ORDER_MARK = '\uFEFF';

	private final Ledger ledger;

	private final ReportQueries queries;

	private final Path directory;

	BatchReport(Ledger ledger, ReportQueries queries, ReportProperties properties) {
		this.ledger = ledger;
		this.queries = queries;
		this.directory = properties.directory();
	}

	public Path resultFile(long batchId) {
		return directory.resolve("batch-" + batchId + "-results.csv");
	}

	/**
	 * Writes the result CSV of a batch, replacing an earlier one: every command that changes rows (run, restart,
	 * rerun-failed, reconcile) rewrites it, so it always says what the ledger says.
	 */
	public Path writeResultFile(long batchId) {
		Path file = resultFile(batchId);
		try {
			Files.createDirectories(directory);
			Path partial = file.resolveSibling(file.getFileName() + ".part");
			try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
					ICSVWriter csv = new CSVWriter(out)) {
				out.write(BYTE_ORDER_MARK);
				csv.writeNext(RESULT_COLUMNS, false);
				queries.resultRows(batchId, rs -> {
							String[] line = new String[RESULT_COLUMNS.length];
							for (int i = 0; i < line.length; i++) {
								line[i] = spreadsheetSafe(rs.getString(i + 1));
							}
							line[AMOUNT] = amountText(rs.getBigDecimal("amount"), rs.getString("currency"),
									rs.getString("amount_text"));
							line[REFUNDED] = refundedText(rs.getBigDecimal("refunded_amount"),
									rs.getString("refunded_currency"));
							csv.writeNext(line, true);
						});
			}
			Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("writing " + file, ex);
		}
	}

	public Path rejectedFile(long batchId) {
		return directory.resolve("batch-" + batchId + "-rejected.csv");
	}

	/**
	 * Writes the rejected rows of a batch as the operator wrote them (the file's own header and fields), with a first
	 * column {@code rejection} saying the line and why. The reader ignores that column, so the file can be fixed and
	 * run as it is. Nothing is written when no row was rejected.
	 * @return the file, when there were rejected rows
	 */
	public Optional<Path> writeRejectedFile(long batchId) {
		Path file = rejectedFile(batchId);
		List<String[]> rows = new ArrayList<>();
		List<String> header = queries.headerFields(batchId);
		List<String> columns = header == null || header.isEmpty() ? CANONICAL_COLUMNS : header;
		int rejectionColumn = -1;
		for (int i = 0; i < columns.size(); i++) {
			if (columns.get(i).strip().equalsIgnoreCase(CsvHeader.REJECTION_COLUMN)) {
				rejectionColumn = i; // a rejected-rows file run again: its old reasons give way to the new ones
			}
		}
		int dropped = rejectionColumn;
		queries.rejectedRows(batchId, rs -> {
					List<String> fields = ReportQueries.textList(rs.getArray("source_fields"));
					if (fields == null || fields.isEmpty()) {
						fields = LedgerEntry.fieldsFromValues(columns, rs.getString("request_id"),
								rs.getString("group_id"), rs.getString("amount_text"), rs.getString("currency"),
								rs.getString("reason"));
					}
					List<String> line = new ArrayList<>();
					line.add("line " + rs.getInt("line_number") + ": " + rs.getString("rejection"));
					for (int i = 0; i < Math.max(fields.size(), columns.size()); i++) {
						if (i != dropped) {
							line.add(spreadsheetSafe(i < fields.size() ? fields.get(i) : ""));
						}
					}
					rows.add(line.toArray(String[]::new));
				});
		try {
			if (rows.isEmpty()) {
				Files.deleteIfExists(file);
				return Optional.empty();
			}
			Files.createDirectories(directory);
			Path partial = file.resolveSibling(file.getFileName() + ".part");
			List<String> headerLine = new ArrayList<>();
			headerLine.add(CsvHeader.REJECTION_COLUMN);
			for (int i = 0; i < columns.size(); i++) {
				if (i != dropped) {
					headerLine.add(columns.get(i));
				}
			}
			try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
					ICSVWriter csv = new CSVWriter(out)) {
				out.write(BYTE_ORDER_MARK);
				csv.writeNext(headerLine.toArray(String[]::new), false);
				for (String[] row : rows) {
					csv.writeNext(row, true);
				}
			}
			Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			return Optional.of(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("writing " + file, ex);
		}
	}

	/** Where a refused batch's rows and reasons are, for the refusal message; empty when no row was recorded. */
	public String refusalDetails(long batchId) {
		StringBuilder text = new StringBuilder();
		if (Files.exists(resultFile(batchId))) {
			text.append(System.lineSeparator()).append("  every row and its status: ").append(resultFile(batchId));
		}
		if (Files.exists(rejectedFile(batchId))) {
			text.append(System.lineSeparator())
				.append("  the rows to fix, with why: ")
				.append(rejectedFile(batchId));
		}
		return text.toString();
	}

	/** The summary an operator reads: rows and amounts per status and currency. */
	public String summary(long batchId) {
		BatchRecord batch = ledger.findBatch(batchId).orElseThrow();
		StringBuilder text = new StringBuilder();
		text.append(String.format("Batch %d  provider %s  file %s  (%s)%n", batch.batchId(), batch.provider(),
				batch.fileName(), batch.state().equals("REFUSED") ? "REFUSED: " + batch.refusal() : "sha256 "
						+ batch.fileSha256().substring(0, 12) + "…"));
		Long reprocessOf = queries.reprocessOf(batchId);
		if (reprocessOf != null) {
			text.append(String.format("  processes again the file of batch %d (--allow-reprocess)%n", reprocessOf));
		}
		BatchControls controls = ledger.controls(batchId);
		if (!controls.isEmpty()) {
			text.append(String.format("  control totals: %s%n", controls.describe()));
		}
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
		List<String> refunded = queries.refundedByCurrency(batchId,
				(rs, n) -> refundedText(rs.getBigDecimal(2), rs.getString(1)) + " " + rs.getString(1));
		if (!refunded.isEmpty()) {
			text.append("  refunded (what the provider says went through): ").append(String.join(", ", refunded))
				.append(System.lineSeparator());
		}
		Path result = resultFile(batchId);
		if (Files.exists(result)) {
			text.append("  result file: ").append(result).append(System.lineSeparator());
		}
		Path rejected = rejectedFile(batchId);
		if (Files.exists(rejected)) {
			text.append("  rejected rows: ").append(rejected).append(" (fix them there and run that file)")
				.append(System.lineSeparator());
		}
		return text.toString();
	}

	private static final List<String> CANONICAL_COLUMNS = List.of("request_id", "group_id", "amount", "currency",
			"reason");

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

	/** What went through, as a plain number at its currency's scale; blank when not known. */
	static String refundedText(BigDecimal amount, String currency) {
		if (amount == null) {
			return "";
		}
		try {
			return amount.setScale(Money.decimalsOf(Currency.getInstance(currency)), java.math.RoundingMode.UNNECESSARY)
				.toPlainString();
		}
		catch (RuntimeException ex) {
			return amount.stripTrailingZeros().toPlainString();
		}
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
