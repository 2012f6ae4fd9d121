package io.grouprefunds.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.grouprefunds.domain.IdempotencyKey;
import io.grouprefunds.support.ChildJob;
import io.grouprefunds.support.JobHarness;
import io.grouprefunds.support.ProviderFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart that is itself killed before its first ingest chunk commits must not lose how far ingest had come: the
 * case CrashIT meets when two kills in a row land in the ingest step. Made deterministic by holding, in an open
 * transaction, a ledger row with the request_id of the second chunk's first line, so that chunk's insert waits on
 * it while the job is killed.
 */
class IngestRestartIT {

	private static final int ROWS = 600;

	@TempDir
	Path work;

	@Test
	void twoKillsInARowDuringIngestLeaveABatchThatStillFinishesWithEveryLineOnce() throws Exception {
		try (JobHarness harness = JobHarness.withDefaults(work).set("refunds.ingest.chunk-size", "500")) {
			// given a file of 600 rows (ingest set to commit chunks of 500, the first of a run 50) and a migrated ledger
			ProviderFixture provider = harness.provider;
			List<String> lines = new ArrayList<>(List.of("request_id,group_id,amount,currency"));
			for (int i = 1; i <= ROWS; i++) {
				String group = provider.addGroup(harness.sandbox, 70_000 + i, Currency.getInstance("USD"),
						List.of(new BigDecimal("100.00")));
				lines.add(String.format("r-%04d,%s,10.00,USD", i, group));
			}
			Path file = harness.csv("six-hundred.csv", lines.toArray(String[]::new));
			harness.cli("status");
			Path output = work.resolve("children.log");
			List<String> run = new ArrayList<>(List.of("run", file.toString(), "--provider", provider.provider()));
			run.addAll(harness.settings());
			try (Connection blocker = DriverManager.getConnection(harness.databaseUrl)) {
				holdRequestId(blocker, "r-0501"); // line 502, the first of the second chunk

				// when the first run is killed with its first chunk committed (50 rows: the first chunk of a run is a
				// tenth of the others) and its second waiting
				Process first = ChildJob.start(output, run);
				awaitThenKill(first, () -> count(harness, "SELECT COUNT(*) FROM refund_row WHERE batch_id = 2") == 50
						&& waitingOnALock(harness));
				// and the restart is killed too, before its first chunk commits: once its own chunk waits (the killed
				// run's server process may still wait on the lock too: PostgreSQL notices a dead client only later)
				List<Integer> orphans = lockWaiters(harness);
				List<String> restart = new ArrayList<>(List.of("restart", "2"));
				restart.addAll(harness.settings());
				Process second = ChildJob.start(output, restart);
				awaitThenKill(second, () -> count(harness, "SELECT COUNT(*) FROM batch_step_execution "
						+ "WHERE step_name = 'ingestStep'") == 2 && !orphans.containsAll(lockWaiters(harness)));
				blocker.rollback();
			}

			// then a third run resumes ingest where it was and finishes the batch, every line once
			JobHarness.Result third = harness.cli("restart", "2");
			assertThat(third.exitCode()).as(third.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(count(harness, "SELECT COUNT(DISTINCT line_number) FROM refund_row WHERE batch_id = 2"))
				.isEqualTo(ROWS);
			assertThat(count(harness, "SELECT COUNT(*) FROM refund_row WHERE batch_id = 2 AND status = 'SUCCEEDED'"))
				.isEqualTo(ROWS);
			assertThat(harness.simulated().appliedRefunds()).hasSize(ROWS);
		}
	}

	/** An uncommitted ledger row (of a batch of its own) that any insert of this request_id must wait for. */
	private static void holdRequestId(Connection connection, String requestId) throws SQLException {
		long batchId;
		try (PreparedStatement batch = connection.prepareStatement("INSERT INTO refund_batch (provider, file_name, "
				+ "file_path, file_sha256, state) VALUES ('rapyd', 'blocker', 'blocker', ?, 'REFUSED') "
				+ "RETURNING batch_id")) {
			batch.setString(1, "0".repeat(64));
			try (var rs = batch.executeQuery()) {
				rs.next();
				batchId = rs.getLong(1);
			}
		}
		connection.setAutoCommit(false);
		try (PreparedStatement row = connection.prepareStatement("INSERT INTO refund_row (batch_id, line_number, "
				+ "provider, request_id, group_id, currency, status, idempotency_key) "
				+ "VALUES (?, 1, 'rapyd', ?, 'blocker', 'USD', 'READY', ?)")) {
			row.setLong(1, batchId);
			row.setString(2, requestId);
			row.setString(3, IdempotencyKey.of("rapyd", requestId));
			row.executeUpdate();
		}
	}

	private static boolean waitingOnALock(JobHarness harness) {
		return count(harness, "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
				+ "AND datname = current_database()") > 0;
	}

	private static List<Integer> lockWaiters(JobHarness harness) {
		return harness.ledger.queryForList("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
				+ "AND datname = current_database()", Integer.class);
	}

	private static int count(JobHarness harness, String sql) {
		return harness.ledger.queryForObject(sql, Integer.class);
	}

	private static void awaitThenKill(Process process, BooleanSupplier ready) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
		try {
			while (!ready.getAsBoolean()) {
				assertThat(process.isAlive()).as("the job ended before reaching the point to kill it").isTrue();
				assertThat(Instant.now()).as("the job reached the point to kill it in time").isBefore(deadline);
				Thread.sleep(50);
			}
		}
		finally {
			process.destroyForcibly().waitFor();
		}
	}

}
