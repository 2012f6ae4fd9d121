package io.grouprefunds.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import io.grouprefunds.sandbox.SimulatedProvider;
import io.grouprefunds.sandbox.faults.SandboxFaults;
import io.grouprefunds.support.ChildJob;
import io.grouprefunds.support.ProviderFixture;
import io.grouprefunds.support.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The attempt log is written before a request leaves, whatever happens: the job as a separate process, killed with
 * SIGKILL while it is sending to a provider that answers 429s and errors, restarted until the batch completes. For
 * every idempotency key the provider received refund requests for (its own count, on arrival), the ledger holds at
 * least as many REFUND attempt rows, and at least as many that are not marked "never sent".
 *
 * <p>Small enough for CI (300 rows, 3 kills per provider); {@code -Dattempts.crash.rows=N -Dattempts.crash.kills=K}
 * for more, {@code -Dattempts.crash.seed=N} replays a run (the data and the faults).
 */
class AttemptLogCrashIT {

	private static final int ROWS = Integer.getInteger("attempts.crash.rows", 300);

	private static final int KILLS = Integer.getInteger("attempts.crash.kills", 3);

	private static final long SEED = Long.getLong("attempts.crash.seed", System.nanoTime());

	@ParameterizedTest
	@EnumSource(ProviderFixture.class)
	void everyRequestTheProviderReceivedHasItsAttemptRow(ProviderFixture provider) throws Exception {
		Path work = Path.of("target", "attempt-log-crash-it", provider.provider() + "-" + SEED);
		Files.createDirectories(work);
		System.out.printf("AttemptLogCrashIT %s: %d rows, %d kills, seed %d, output in %s%n", provider.provider(), ROWS,
				KILLS, SEED, work);
		Random random = new Random(SEED);
		// given a provider that refuses many requests with 429 and fails some before and after applying them
		SandboxFaults faults = SandboxFaults.builder()
			.latency(2, 3)
			.tooManyRequests(0.15)
			.retryAfterSeconds(null)
			.errorBeforeApply(0.02)
			.errorAfterApply(0.02)
			.dropAfterApply(0.01)
			.seed(SEED)
			.build();
		String database = TestDatabases.newDatabase();
		JdbcTemplate ledger = new JdbcTemplate(new DriverManagerDataSource(database));
		Path output = work.resolve("job-output.log");
		try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults().withFaults(faults))) {
			SimulatedProvider simulated = provider.of(sandbox);
			Map<String, BigDecimal> groupTotals = new HashMap<>();
			Path csv = CrashIT.refundFile(provider, sandbox, work, random, groupTotals, ROWS);
			List<String> run = new ArrayList<>(List.of("run", csv.toString(), "--provider", provider.provider(),
					"--spring.datasource.url=" + database, "--refunds." + provider.provider() + ".response-timeout=1s",
					"--refunds.throttle.rate-per-second=40", "--refunds.throttle.quotas=",
					"--refunds.breaker.probe-interval=200ms", "--refunds.submit.chunk-size=25",
					"--refunds.submit.initial-backoff=20ms", "--refunds.submit.max-backoff=200ms",
					"--refunds.reports.directory=" + work.resolve("reports"),
					"--refunds.log-file=" + work.resolve("group-refunds.log")));
			sandbox.clientSettings(provider.provider()).forEach((name, value) -> run.add("--" + name + "=" + value));

			// when the job is killed while it sends (each time once the provider has received 20-60 more requests)
			int kills = 0;
			int exit = -1;
			while (kills < KILLS) {
				int before = simulated.requestCount();
				int more = 20 + random.nextInt(41);
				Process job = ChildJob.start(output, run);
				long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
				while (job.isAlive() && simulated.requestCount() < before + more && System.nanoTime() < deadline) {
					Thread.sleep(5);
				}
				if (!job.isAlive()) {
					exit = job.exitValue();
					break; // finished before this kill: fewer kills, still a valid run
				}
				job.destroyForcibly().waitFor();
				kills++;
			}
			// and restarted until the batch completes
			for (int attempt = 0; attempt < 5 && !CrashIT.completed(exit); attempt++) {
				Process job = ChildJob.start(output, run);
				assertThat(job.waitFor(3, TimeUnit.MINUTES)).as("the run finished; see %s", output).isTrue();
				exit = job.exitValue();
			}

			// then the batch completed, nothing was refunded twice, the job was really killed while sending
			assertThat(CrashIT.completed(exit)).as("exit %d; see %s", exit, output).isTrue();
			assertThat(kills).as("kills while sending").isPositive();
			CrashIT.assertInvariants(ledger, simulated, groupTotals, false, ROWS);
			// and every request the provider received has its attempt row, committed before it left
			Map<String, Integer> received = simulated.requestsByIdempotencyKey();
			assertThat(received.values().stream().mapToInt(Integer::intValue).sum())
				.isEqualTo(simulated.requestCount()).isGreaterThan(ROWS);
			Map<String, Integer> attempts = countByKey(ledger, "TRUE");
			Map<String, Integer> mayHaveLeft = countByKey(ledger, "w.outcome IS DISTINCT FROM 'NOT_SENT'");
			received.forEach((key, count) -> {
				assertThat(attempts.getOrDefault(key, 0)).as("REFUND attempt rows of key %s", key)
					.isGreaterThanOrEqualTo(count);
				assertThat(mayHaveLeft.getOrDefault(key, 0)).as("attempt rows of key %s not marked NOT_SENT", key)
					.isGreaterThanOrEqualTo(count);
			});
			// and refund_row.attempts, kept by arithmetic in the common case (claim +1, one answer that counts), is
			// what its attempt rows say: requests the provider may have looked at, not 429s or unsent; for every row
			// but those with an attempt whose answer died with its process (a 429 or not, nobody knows)
			assertThat(ledger.queryForList("SELECT 'line ' || r.line_number || ' ' || r.status || ' attempts ' "
					+ "|| r.attempts || ': ' || (SELECT string_agg(a.attempt_no || ' ' || COALESCE(w.outcome, '-') "
					+ "|| ' ' || a.process, ', ' ORDER BY a.attempt_no) FROM refund_attempt a LEFT JOIN "
					+ "refund_attempt_answer w USING (attempt_id) WHERE a.row_id = r.row_id AND a.kind = 'REFUND') "
					+ "FROM refund_row r WHERE r.attempts <> (SELECT COUNT(*) FROM refund_attempt a LEFT JOIN "
					+ "refund_attempt_answer w ON w.attempt_id = a.attempt_id WHERE a.row_id = r.row_id "
					+ "AND a.kind = 'REFUND' AND w.outcome IS DISTINCT FROM 'RATE_LIMITED' "
					+ "AND w.outcome IS DISTINCT FROM 'NOT_SENT') AND NOT EXISTS (SELECT 1 FROM refund_attempt a "
					+ "LEFT JOIN refund_attempt_answer w USING (attempt_id) WHERE a.row_id = r.row_id "
					+ "AND w.attempt_id IS NULL)", String.class))
				.as("rows whose attempts differ from their attempt rows").isEmpty();
			// and attempts are numbered 1, 2, 3… per row across the processes that sent them
			assertThat(ledger.queryForObject("SELECT COUNT(*) FROM (SELECT row_id FROM refund_attempt WHERE kind = "
					+ "'REFUND' GROUP BY row_id HAVING MAX(attempt_no) <> COUNT(*)) gaps", Integer.class)).isZero();
			assertThat(ledger.queryForObject("SELECT COUNT(DISTINCT process) FROM refund_attempt", Integer.class))
				.isGreaterThan(1);
			System.out.printf("AttemptLogCrashIT %s: %d kills, %d requests received, %d REFUND attempt rows, %d "
					+ "QUERY attempt rows, faults %s%n", provider.provider(), kills, simulated.requestCount(),
					attempts.values().stream().mapToInt(Integer::intValue).sum(),
					ledger.queryForObject("SELECT COUNT(*) FROM refund_attempt WHERE kind = 'QUERY'", Integer.class),
					simulated.faultCounts());
		}
	}

	private static Map<String, Integer> countByKey(JdbcTemplate ledger, String condition) {
		Map<String, Integer> counts = new HashMap<>();
		ledger.queryForList("SELECT a.idempotency_key, COUNT(*) AS n FROM refund_attempt a LEFT JOIN "
				+ "refund_attempt_answer w ON w.attempt_id = a.attempt_id WHERE a.kind = 'REFUND' AND " + condition
				+ " GROUP BY a.idempotency_key")
			.forEach(row -> counts.put((String) row.get("idempotency_key"), ((Number) row.get("n")).intValue()));
		return counts;
	}

}
