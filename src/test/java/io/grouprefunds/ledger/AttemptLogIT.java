package io.grouprefunds.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.grouprefunds.domain.IdempotencyKey;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.domain.SubmitOutcome;
import io.grouprefunds.ledger.Ledger.RecordedOutcome;
import io.grouprefunds.support.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The attempt log against the real migrations: the claim writes each row's first attempt, further attempts and
 * answers follow, attempt numbers go on across claims (a restart, a re-run), {@code refund_row.attempts} is recounted
 * from the log, and the three audit tables refuse UPDATE and DELETE.
 */
class AttemptLogIT {

	private static HikariDataSource dataSource;

	private static JdbcTemplate jdbc;

	private static Ledger ledger;

	private static AttemptLog attemptLog;

	private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@BeforeAll
	static void database() {
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(TestDatabases.newDatabase());
		dataSource.setMaximumPoolSize(4);
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
		jdbc = new JdbcTemplate(dataSource);
		DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
		ledger = new Ledger(jdbc, transactions);
		attemptLog = new AttemptLog(jdbc, transactions, registry);
	}

	@AfterAll
	static void close() {
		dataSource.close();
	}

	@Test
	void everyRequestOfARowIsNumberedAcrossClaimsAndAnswered() {
		// given two READY rows
		List<Long> rows = rows("append-a", 2);
		long row = rows.get(0);

		long writesBefore = registry.get("refunds.attempts.write").timer().count();

		// when both are claimed by execution 7, the first is refused with a 429 and sent again, and succeeds; the
		// second never leaves (the pipeline stopped)
		List<AttemptLog.Attempt> claimed = ledger.claim(rows, 7L);
		AttemptLog.Attempt second = attemptLog.nextRefunds(List.of(row), 7L).get(0);
		Instant sent = Instant.parse("2026-12-04T10:00:00.123Z");
		ledger.recordChunk(List.of(new RecordedOutcome(row, SubmitOutcome.of(RowStatus.SUCCEEDED, 200, "op-1", null,
				null, null))), Map.of(rows.get(1), RowStatus.READY), List.of(
						AttemptLog.Answer.of(claimed.get(0).attemptId(), sent, sent.plusMillis(5),
								SubmitOutcome.retryNow(429, null, "TOO_MANY_REQUESTS", "slow down")),
						AttemptLog.Answer.of(second.attemptId(), sent.plusSeconds(1), sent.plusSeconds(2),
								SubmitOutcome.of(RowStatus.SUCCEEDED, 200, "op-1", null, null, null)),
						AttemptLog.Answer.notSent(claimed.get(1).attemptId())));

		// then each request has its numbered attempt with the key, execution and process, and its answer
		assertThat(claimed).extracting(AttemptLog.Attempt::rowId, AttemptLog.Attempt::attemptNo)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(row, 1), org.assertj.core.groups.Tuple.tuple(
					rows.get(1), 1));
		assertThat(second.attemptNo()).isEqualTo(2);
		assertThat(jdbc.queryForList("SELECT a.attempt_no, a.kind, a.idempotency_key, a.job_execution_id, a.process, "
				+ "w.http_status, w.outcome, w.provider_reference, w.sent_at, w.answered_at FROM refund_attempt a "
				+ "JOIN refund_attempt_answer w USING (attempt_id) WHERE a.row_id = ? ORDER BY a.attempt_no", row))
			.satisfiesExactly(first -> assertThat(first).containsEntry("attempt_no", 1)
				.containsEntry("kind", "REFUND")
				.containsEntry("idempotency_key", IdempotencyKey.of("rapyd", "append-a-0"))
				.containsEntry("job_execution_id", 7L)
				.containsEntry("process", AttemptLog.PROCESS)
				.containsEntry("http_status", 429)
				.containsEntry("outcome", "RATE_LIMITED"),
					retried -> assertThat(retried).containsEntry("attempt_no", 2)
						.containsEntry("http_status", 200)
						.containsEntry("outcome", "SUCCEEDED")
						.containsEntry("provider_reference", "op-1"));
		assertThat(jdbc.queryForObject("SELECT sent_at = '2026-12-04T10:00:00.123Z'::timestamptz FROM "
				+ "refund_attempt_answer WHERE attempt_id = ?", Boolean.class, claimed.get(0).attemptId())).isTrue();
		assertThat(jdbc.queryForMap("SELECT sent_at, answered_at, outcome FROM refund_attempt_answer "
				+ "WHERE attempt_id = ?", claimed.get(1).attemptId()))
			.containsEntry("sent_at", null).containsEntry("answered_at", null).containsEntry("outcome", "NOT_SENT");
		// and the three writes (claim, retry, answers) were timed: the attempt log's cost in the run summary
		assertThat(registry.get("refunds.attempts.write").timer().count() - writesBefore).isEqualTo(3);
		// and attempts counts the requests the provider looked at: not the 429, not the one never sent
		assertThat(jdbc.queryForList("SELECT status || ' ' || attempts FROM refund_row ORDER BY row_id", String.class))
			.containsExactly("SUCCEEDED 1", "READY 0");

		// when the second row is claimed again (a restart), its numbers go on
		assertThat(ledger.claim(List.of(rows.get(1)), 8L)).extracting(AttemptLog.Attempt::attemptNo).containsExactly(2);
		// and a query about it is a QUERY attempt, numbered on its own
		AttemptLog.Attempt query = attemptLog.queries(List.of(rows.get(1)), null).get(0);
		assertThat(query.attemptNo()).isEqualTo(1);
		assertThat(jdbc.queryForObject("SELECT idempotency_key FROM refund_attempt WHERE attempt_id = ?", String.class,
				query.attemptId())).isNull();
		// and the status changes were written by the database, in order
		assertThat(jdbc.queryForList("SELECT old_status || '>' || new_status FROM refund_event WHERE row_id = ? "
				+ "ORDER BY event_id", String.class, rows.get(1)))
			.containsExactly("READY>SENDING", "SENDING>READY", "READY>SENDING");
	}

	@ParameterizedTest
	@ValueSource(strings = { "refund_attempt", "refund_attempt_answer", "refund_event" })
	void theAuditTablesRefuseUpdateAndDelete(String table) {
		// given a row claimed and answered: one row in each audit table at least
		List<Long> rows = rows("append-" + table, 1);
		AttemptLog.Attempt attempt = ledger.claim(rows, null).get(0);
		ledger.recordChunk(List.of(), Map.of(rows.get(0), RowStatus.READY),
				List.of(AttemptLog.Answer.notSent(attempt.attemptId())));
		String key = table.equals("refund_event") ? "event_id" : "attempt_id";
		long id = jdbc.queryForObject("SELECT MAX(" + key + ") FROM " + table, Long.class);

		// when someone changes or deletes it, then the database refuses, and the row is as it was
		String before = jdbc.queryForObject("SELECT t::text FROM " + table + " t WHERE " + key + " = ?", String.class,
				id);
		String set = table.equals("refund_event") ? "detail = 'rewritten'"
				: table.equals("refund_attempt") ? "process = 'someone-else:1'" : "outcome = 'SUCCEEDED'";
		assertThatThrownBy(() -> jdbc.update("UPDATE " + table + " SET " + set + " WHERE " + key + " = ?", id))
			.isInstanceOf(DataAccessException.class).hasStackTraceContaining(table + " is append-only: UPDATE refused");
		assertThatThrownBy(() -> jdbc.update("DELETE FROM " + table + " WHERE " + key + " = ?", id))
			.isInstanceOf(DataAccessException.class).hasStackTraceContaining(table + " is append-only: DELETE refused");
		assertThat(jdbc.queryForObject("SELECT t::text FROM " + table + " t WHERE " + key + " = ?", String.class, id))
			.isEqualTo(before);
	}

	private static List<Long> rows(String prefix, int count) {
		long batchId = ledger.createBatch("rapyd", prefix + ".csv", "/" + prefix + ".csv",
				String.format("%064x", prefix.hashCode() & 0xffffffffL));
		List<LedgerEntry> entries = new java.util.ArrayList<>();
		for (int i = 0; i < count; i++) {
			entries.add(new LedgerEntry(i + 2, prefix + "-" + i, String.format("gp_%032x", prefix.hashCode() + i),
					new BigDecimal("10.00"), "10.00", "USD", null, RowStatus.READY, null,
					IdempotencyKey.of("rapyd", prefix + "-" + i)));
		}
		new LedgerIngest(jdbc).insertEntries(batchId, "rapyd", entries);
		return jdbc.queryForList("SELECT row_id FROM refund_row WHERE batch_id = ? ORDER BY line_number", Long.class,
				batchId);
	}

}
