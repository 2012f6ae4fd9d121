package io.grouprefunds.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.grouprefunds.ledger.Ledger;
import io.grouprefunds.ledger.LedgerEntry;
import io.grouprefunds.ledger.LedgerIngest;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.support.TestDatabases;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.flywaydb.core.Flyway;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Random files through the real reader, validator and ledger (a real PostgreSQL), in chunks as the ingest step
 * writes them: every data row gets exactly one ledger row, at its line, with the status the file's truth demands; a
 * READY row passes an independent check; no request_id is READY twice; and the claim that precedes every send never
 * takes a REJECTED row.
 */
class IngestIntoLedgerPropertiesIT {

	private static HikariDataSource dataSource;

	private static JdbcTemplate jdbc;

	private static Ledger ledger;

	private static LedgerIngest ledgerIngest;

	private static TransactionTemplate chunkTransaction;

	private static Path dir;

	private static final AtomicInteger tries = new AtomicInteger();

	@BeforeContainer
	static void database() throws IOException {
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(TestDatabases.newDatabase());
		dataSource.setMaximumPoolSize(4);
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
		jdbc = new JdbcTemplate(dataSource);
		DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
		ledger = new Ledger(jdbc, transactions);
		ledgerIngest = new LedgerIngest(jdbc);
		chunkTransaction = new TransactionTemplate(transactions);
		dir = Files.createTempDirectory("ingest-properties");
	}

	@AfterContainer
	static void close() {
		dataSource.close();
	}

	@Property(tries = 60)
	void everyDataRowEndsInExactlyOneLedgerStateAndOnlyValidRowsCanBeClaimed(
			@ForAll("rapydFiles") GeneratedFiles.File file, @ForAll @IntRange(min = 1, max = 7) int chunkSize) {
		// given an empty ledger (each try, and each shrinking step, starts afresh) and a random file on disk
		jdbc.execute("TRUNCATE refund_row, refund_batch_total, refund_batch RESTART IDENTITY CASCADE");
		Path path = file.writeTo(dir, "try-" + tries.incrementAndGet() + ".csv");

		// when it is read, validated and recorded chunk by chunk, as the ingest step does
		long batchId = ingest(path, chunkSize);

		// then every data row has exactly one ledger row, at its line, with the status the truth demands
		Map<Integer, Map<String, Object>> byLine = new HashMap<>();
		for (Map<String, Object> row : jdbc.queryForList("SELECT * FROM refund_row WHERE batch_id = ?", batchId)) {
			assertThat(byLine.put((Integer) row.get("line_number"), row)).as("two rows at one line").isNull();
		}
		assertThat(byLine.keySet()).containsExactlyInAnyOrderElementsOf(
				file.rows().stream().map(GeneratedFiles.WrittenRow::line).toList());
		List<String> header = jdbc.queryForObject("SELECT header_fields FROM refund_batch WHERE batch_id = ?",
				(rs, n) -> List.of((String[]) rs.getArray(1).getArray()), batchId);
		for (GeneratedFiles.WrittenRow expected : file.rows()) {
			Map<String, Object> row = byLine.get(expected.line());
			assertThat(row.get("status")).as("line %d: %s -> %s", expected.line(), expected.row(), row.get("rejection"))
				.isEqualTo(expected.ready() ? "READY" : "REJECTED");
			assertThat(fieldsAsWritten(row, header)).as("fields as written at line %d", expected.line())
				.isEqualTo(expected.fields());
			if (!expected.ready()) {
				assertThat((String) row.get("rejection")).isNotBlank();
			}
		}

		// and every READY row passes the independent check, and no request_id is live twice in the ledger
		List<LedgerEntry> ready = jdbc.query("SELECT * FROM refund_row WHERE batch_id = ? AND status = 'READY'",
				(rs, i) -> new LedgerEntry(rs.getInt("line_number"), rs.getString("request_id"),
						rs.getString("group_id"), rs.getBigDecimal("amount"), rs.getString("amount_text"),
						rs.getString("currency"), rs.getString("reason"), RowStatus.READY, null,
						rs.getString("idempotency_key")),
				batchId);
		for (LedgerEntry entry : ready) {
			assertThat(GeneratedRows.independentProblems(entry, GeneratedRows.RAPYD, GeneratedRows.LIMITS))
				.as("%s", entry)
				.isEmpty();
		}
		assertThat(jdbc.queryForList("SELECT request_id FROM refund_row WHERE status <> 'REJECTED' GROUP BY provider, "
				+ "request_id HAVING COUNT(*) > 1", String.class)).isEmpty();

		// and the claim made before any request leaves takes the READY rows and never a REJECTED one
		List<Long> all = jdbc.queryForList("SELECT row_id FROM refund_row WHERE batch_id = ?", Long.class, batchId);
		List<Long> readyIds = jdbc.queryForList("SELECT row_id FROM refund_row WHERE batch_id = ? AND status = 'READY'",
				Long.class, batchId);
		assertThat(ledger.claim(all)).containsExactlyInAnyOrderElementsOf(readyIds);
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM refund_row WHERE batch_id = ? AND status = 'REJECTED' "
				+ "AND attempts > 0", Integer.class, batchId)).isZero();
		// and the same file ingested again as a new batch (run --allow-reprocess) has every row REJECTED
		long again = ingest(path, chunkSize);
		assertThat(jdbc.queryForList("SELECT status FROM refund_row WHERE batch_id = ?", String.class, again))
			.hasSize(file.rows().size())
			.containsOnly("REJECTED");
		Statistics.label("ready rows").collect(file.readyRows() == 0 ? "none" : file.readyRows() == file.rows().size()
				? "all" : "some");
	}

	private static long ingest(Path path, int chunkSize) {
		long batchId = ledger.createBatch("rapyd", path.getFileName().toString(), path.toString(), "x".repeat(64));
		RefundCsvReader reader = new RefundCsvReader(path, GeneratedRows.LIMITS, null,
				header -> ledger.recordHeader(batchId, header));
		RefundRowValidator validator = new RefundRowValidator("rapyd", GeneratedRows.RAPYD, GeneratedRows.LIMITS);
		reader.open(new ExecutionContext());
		try {
			List<LedgerEntry> chunk = new ArrayList<>();
			for (CsvRecord record = reader.read(); record != null; record = reader.read()) {
				chunk.add(validator.process(record));
				if (chunk.size() == chunkSize) {
					write(batchId, chunk);
				}
			}
			write(batchId, chunk);
		}
		finally {
			reader.close();
		}
		return batchId;
	}

	private static void write(long batchId, List<LedgerEntry> chunk) {
		if (!chunk.isEmpty()) {
			List<LedgerEntry> items = List.copyOf(chunk);
			chunkTransaction.executeWithoutResult(tx -> ledgerIngest.insertEntries(batchId, "rapyd", items));
			chunk.clear();
		}
	}

	/**
	 * A row's fields as the rejected-rows report gives them back: those stored, or, for a READY row that stores none
	 * (its values give them back), its values in the order of the file's header.
	 */
	private static List<String> fieldsAsWritten(Map<String, Object> row, List<String> header) {
		if (row.get("source_fields") == null) {
			return LedgerEntry.fieldsFromValues(header, (String) row.get("request_id"), (String) row.get("group_id"),
					(String) row.get("amount_text"), (String) row.get("currency"), (String) row.get("reason"));
		}
		try {
			return List.of((String[]) ((java.sql.Array) row.get("source_fields")).getArray());
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Provide
	Arbitrary<GeneratedFiles.File> rapydFiles() {
		return GeneratedFiles.files(GeneratedRows.rows(GeneratedRows.RAPYD), 40);
	}

}
