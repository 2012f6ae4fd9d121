package io.grouprefunds.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.grouprefunds.domain.IdempotencyKey;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.support.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ingest write path against a real PostgreSQL: what COPY stores is exactly what the file said (however it is
 * quoted or escaped), and a request_id already used is REJECTED with the very messages the operator reads.
 */
class LedgerIngestIT {

	private static HikariDataSource dataSource;

	private static JdbcTemplate jdbc;

	private static Ledger ledger;

	private static LedgerIngest ingest;

	private static TransactionTemplate chunk;

	@BeforeAll
	static void database() {
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(TestDatabases.newDatabase());
		dataSource.setMaximumPoolSize(2);
		// Sessions that wait for the disk at commit, whatever the server's default (the embedded PostgreSQL does not):
		// a chunk must leave them so.
		dataSource.setConnectionInitSql("SET synchronous_commit = on");
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
		jdbc = new JdbcTemplate(dataSource);
		DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
		ledger = new Ledger(jdbc, transactions);
		ingest = new LedgerIngest(jdbc);
		chunk = new TransactionTemplate(transactions);
	}

	@AfterAll
	static void close() {
		dataSource.close();
	}

	@BeforeEach
	void empty() {
		jdbc.execute("TRUNCATE refund_row, refund_batch_total, refund_batch RESTART IDENTITY CASCADE");
	}

	@Test
	void storesEveryFieldExactlyAsWrittenWhateverCopyOrArraySyntaxItHolds() throws SQLException {
		// given rows whose fields hold COPY's and array literals' special characters, and empty strings
		List<String> awkward = List.of("back\\slash", "tab\there", "line\nbreak", "cr\rlf\r\n", "\"quoted\"",
				"{braces,commas}", "\\N", "NULL", "", " spaced ", "ünïcödé €", "\\\"both\\\"", "x\\ty");
		long batchId = ledger.createBatch("rapyd", "f.csv", "/f.csv", "a".repeat(64));
		LedgerEntry ready = new LedgerEntry(2, "r-1", "gp_1", new BigDecimal("42.60"), "42.60", "USD",
				"reason \\ with \t all\nof \"them\"", RowStatus.READY, null, IdempotencyKey.of("rapyd", "r-1"), awkward);
		LedgerEntry rejected = new LedgerEntry(3, "r 2", null, null, "1,00", "US", null, RowStatus.REJECTED,
				"request_id 'r 2' may only contain letters", null, List.of("r 2", "", "1,00", "US"));

		// when they are recorded as one chunk
		chunk.executeWithoutResult(tx -> ingest.insertEntries(batchId, "rapyd", List.of(ready, rejected)));

		// then each column holds the value as given, nulls as nulls
		Map<String, Object> first = row(batchId, 2);
		assertThat(first).containsEntry("request_id", "r-1")
			.containsEntry("group_id", "gp_1")
			.containsEntry("amount_text", "42.60")
			.containsEntry("reason", "reason \\ with \t all\nof \"them\"")
			.containsEntry("status", "READY")
			.containsEntry("idempotency_key", IdempotencyKey.of("rapyd", "r-1"))
			.containsEntry("rejection", null)
			.containsEntry("finished_at", null);
		assertThat((BigDecimal) first.get("amount")).isEqualByComparingTo("42.60");
		assertThat(fields(first)).containsExactlyElementsOf(awkward);
		Map<String, Object> second = row(batchId, 3);
		assertThat(second).containsEntry("group_id", null)
			.containsEntry("amount", null)
			.containsEntry("status", "REJECTED")
			.containsEntry("rejection", "request_id 'r 2' may only contain letters");
		assertThat(second.get("finished_at")).isNotNull();
		assertThat(fields(second)).containsExactly("r 2", "", "1,00", "US");
	}

	@Test
	void aChunkCommitsWithoutWaitingForTheDiskAndNoOtherTransactionOfThePoolDoes() throws SQLException {
		// given a batch
		long batchId = ledger.createBatch("rapyd", "s.csv", "/s.csv", "d".repeat(64));

		// when a chunk is recorded, its transaction does not wait for its WAL flush at commit
		String inChunk = chunk.execute(tx -> {
			ingest.insertEntries(batchId, "rapyd", List.of(entry(2, "r-1"), entry(3, "r-2")));
			return jdbc.queryForObject("SHOW synchronous_commit", String.class);
		});
		assertThat(inChunk).isEqualTo("off");
		assertThat(statusAndRejection(batchId)).containsExactly("2 READY null", "3 READY null");

		// then every connection of the pool, as the next transaction (a claim before a refund leaves) gets it, waits
		try (Connection one = dataSource.getConnection(); Connection two = dataSource.getConnection()) {
			for (Connection connection : List.of(one, two)) {
				try (var statement = connection.createStatement();
						var result = statement.executeQuery("SHOW synchronous_commit")) {
					assertThat(result.next()).isTrue();
					assertThat(result.getString(1)).isEqualTo("on");
				}
			}
		}
	}

	@Test
	void aRequestIdUsedEarlierInTheChunkInAnEarlierChunkOrByAnotherBatchIsRejectedWithItsReason() {
		// given a batch whose request_ids r-1 and r-2 are READY, and r-3 REJECTED (which reserves nothing)
		long earlier = ledger.createBatch("rapyd", "old.csv", "/old.csv", "b".repeat(64));
		chunk.executeWithoutResult(tx -> ingest.insertEntries(earlier, "rapyd",
				List.of(entry(2, "r-1"), entry(3, "r-2"), rejected(4, "r-3"))));
		long batchId = ledger.createBatch("rapyd", "new.csv", "/new.csv", "c".repeat(64));

		// when a new file uses r-1 (twice), r-3, r-4 on two lines and, in a later chunk, r-4 again
		chunk.executeWithoutResult(tx -> ingest.insertEntries(batchId, "rapyd",
				List.of(entry(2, "r-1"), entry(3, "r-3"), entry(4, "r-4"), entry(5, "r-4"), entry(6, "r-1"))));
		chunk.executeWithoutResult(tx -> ingest.insertEntries(batchId, "rapyd", List.of(entry(7, "r-4"))));
		// and another provider uses r-2, which is its own
		chunk.executeWithoutResult(tx -> ingest.insertEntries(batchId, "issuer", List.of(entry(8, "r-2", "issuer"))));

		// then each line has the status and reason the rule gives, in the operator's words
		assertThat(statusAndRejection(batchId)).containsExactly(
				"2 REJECTED request_id r-1 was already used by batch 1 (line 2); a refund is sent once only",
				"3 READY null", "4 READY null", "5 REJECTED request_id r-4 was already used at line 4 of this file",
				"6 REJECTED request_id r-1 was already used by batch 1 (line 2); a refund is sent once only",
				"7 REJECTED request_id r-4 was already used at line 4 of this file", "8 READY null");
	}

	@Test
	void aRepeatFoundOnlyByTheUniqueIndexUndoesItsOwnChunkOnlyAndRejectsTheRepeat() {
		// given a transaction that records one chunk of new request_ids, its own repeat included
		long batchId = ledger.createBatch("rapyd", "s.csv", "/s.csv", "f".repeat(64));
		chunk.executeWithoutResult(tx -> {
			ingest.insertEntries(batchId, "rapyd", List.of(entry(2, "r-10"), entry(3, "r-11"), entry(4, "r-10")));

			// when a second chunk of the same transaction repeats an id of the first (the ledger's index refuses it)
			ingest.insertEntries(batchId, "rapyd", List.of(entry(5, "r-12"), entry(6, "r-11")));
		});

		// then the first chunk is whole, the repeats are REJECTED with their first line, the rest READY
		assertThat(statusAndRejection(batchId)).containsExactly("2 READY null", "3 READY null",
				"4 REJECTED request_id r-10 was already used at line 2 of this file", "5 READY null",
				"6 REJECTED request_id r-11 was already used at line 3 of this file");
	}

	@Test
	void aRepeatTheIndexRefusesEarlyInALargeStreamedChunkStillEndsAsOneRejectedRow() {
		// given a batch that used r-5
		long earlier = ledger.createBatch("rapyd", "e.csv", "/e.csv", "1".repeat(64));
		chunk.executeWithoutResult(tx -> ingest.insertEntries(earlier, "rapyd", List.of(entry(2, "r-5"))));
		long batchId = ledger.createBatch("rapyd", "l.csv", "/l.csv", "2".repeat(64));
		List<LedgerEntry> large = new java.util.ArrayList<>();
		for (int i = 1; i <= 3000; i++) {
			large.add(entry(i + 1, "r-" + i)); // about 40 blocks of COPY text; r-5 in the first
		}

		// when a chunk of 3,000 rows repeats it at its fifth row (the server refuses it while the COPY still streams)
		chunk.executeWithoutResult(tx -> ingest.insertEntries(batchId, "rapyd", large));

		// then every line is recorded once, the repeat REJECTED with its reason, the rest READY
		assertThat(jdbc.queryForObject("SELECT count(*) FROM refund_row WHERE batch_id = ? AND status = 'READY'",
				Integer.class, batchId)).isEqualTo(2999);
		assertThat(statusAndRejection(batchId)).contains(
				"6 REJECTED request_id r-5 was already used by batch 1 (line 2); a refund is sent once only");
		assertThat(statusAndRejection(batchId)).hasSize(3000);
	}

	@Test
	void theKeyOfEveryRecordedRowIsTheOneDerivedFromProviderAndRequestIdAsV9States() {
		// given rows of both providers with request_ids of every allowed character class
		long batchId = ledger.createBatch("rapyd", "k.csv", "/k.csv", "d".repeat(64));
		List<String> ids = List.of("r-1", "R.2", "a:b_c-d", "0", "Z".repeat(64), "x.y.z:0001");
		for (String provider : List.of("rapyd", "issuer")) {
			List<LedgerEntry> entries = new java.util.ArrayList<>();
			for (int i = 0; i < ids.size(); i++) {
				entries.add(entry((provider.equals("rapyd") ? 2 : 100) + i, ids.get(i), provider));
			}
			chunk.executeWithoutResult(tx -> ingest.insertEntries(batchId, provider, entries));
		}

		// then the formula V9 checked every existing row with gives each row's key, and no other
		Integer notDerived = jdbc.queryForObject("SELECT count(*) FROM refund_row r, LATERAL (SELECT md5(convert_to("
				+ "'group-refunds/' || r.provider || '/' || r.request_id, 'UTF8')) AS h) d WHERE r.idempotency_key "
				+ "IS DISTINCT FROM 'gr-' || substr(d.h, 1, 8) || '-' || substr(d.h, 9, 4) || '-3' || substr(d.h, 14, 3) "
				+ "|| '-' || substr('89ab89ab89ab89ab', strpos('0123456789abcdef', substr(d.h, 17, 1)), 1) "
				+ "|| substr(d.h, 18, 3) || '-' || substr(d.h, 21, 12)", Integer.class);
		assertThat(notDerived).isZero();
		assertThat(jdbc.queryForObject("SELECT count(*) FROM refund_row WHERE batch_id = ?", Integer.class, batchId))
			.isEqualTo(2 * ids.size());
	}

	@Test
	void aReadyRowWhoseKeyIsNotDerivedFromProviderAndRequestIdIsNotRecorded() {
		// given a READY row carrying a key of its own, and one carrying the key of another provider
		long batchId = ledger.createBatch("rapyd", "x.csv", "/x.csv", "e".repeat(64));
		LedgerEntry ownKey = new LedgerEntry(2, "r-1", "gp_2", new BigDecimal("1.00"), "1.00", "USD", null,
				RowStatus.READY, null, "gr-mine", List.of("r-1"));
		LedgerEntry otherProvider = entry(3, "r-2", "issuer");

		// when each is recorded for rapyd, then it is refused and nothing of its chunk is in the ledger
		for (LedgerEntry bad : List.of(ownKey, otherProvider)) {
			org.assertj.core.api.Assertions
				.assertThatThrownBy(() -> chunk.executeWithoutResult(
						tx -> ingest.insertEntries(batchId, "rapyd", List.of(entry(4, "r-4"), bad))))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("line " + bad.lineNumber());
		}
		assertThat(jdbc.queryForObject("SELECT count(*) FROM refund_row WHERE batch_id = ?", Integer.class, batchId))
			.isZero();
	}

	@Test
	void rowsOfABatchThatIsNotInTheLedgerAreNotRecordedAndABatchWithRowsCannotBeDeleted() {
		// given no batch 999, and a batch with a recorded row
		long batchId = ledger.createBatch("rapyd", "b.csv", "/b.csv", "9".repeat(64));
		chunk.executeWithoutResult(tx -> ingest.insertEntries(batchId, "rapyd", List.of(entry(2, "r-1"))));

		// when rows are recorded for batch 999, then they are refused (the foreign key's check, once per chunk: V11)
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> chunk.executeWithoutResult(
					tx -> ingest.insertEntries(999, "rapyd", List.of(entry(2, "r-2")))))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("batch 999 is not in refund_batch");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM refund_row WHERE batch_id = 999", Integer.class)).isZero();

		// and the batch whose rows are recorded can be neither deleted nor renumbered (V11's trigger)
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.update("DELETE FROM refund_batch WHERE batch_id = ?",
				batchId)).hasMessageContaining("refund_batch rows are never deleted or renumbered");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.update(
				"UPDATE refund_batch SET batch_id = 1000 WHERE batch_id = ?", batchId))
			.hasMessageContaining("refund_batch rows are never deleted or renumbered");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM refund_row r JOIN refund_batch b USING (batch_id)",
				Integer.class)).isEqualTo(1);
	}

	private static LedgerEntry entry(int line, String requestId) {
		return entry(line, requestId, "rapyd");
	}

	private static LedgerEntry entry(int line, String requestId, String provider) {
		return new LedgerEntry(line, requestId, "gp_" + line, new BigDecimal("1.00"), "1.00", "USD", null,
				RowStatus.READY, null, IdempotencyKey.of(provider, requestId), List.of(requestId));
	}

	private static LedgerEntry rejected(int line, String requestId) {
		return new LedgerEntry(line, requestId, "gp_" + line, null, "", "USD", null, RowStatus.REJECTED,
				"amount is missing", null, List.of(requestId));
	}

	private static List<String> statusAndRejection(long batchId) {
		return jdbc.queryForList("SELECT line_number || ' ' || status || ' ' || COALESCE(rejection, 'null') "
				+ "FROM refund_row WHERE batch_id = ? ORDER BY line_number", String.class, batchId);
	}

	private static Map<String, Object> row(long batchId, int line) {
		return jdbc.queryForMap("SELECT * FROM refund_row WHERE batch_id = ? AND line_number = ?", batchId, line);
	}

	private static List<String> fields(Map<String, Object> row) throws SQLException {
		return List.of((String[]) ((Array) row.get("source_fields")).getArray());
	}

}
