package io.grouprefunds.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.grouprefunds.sandbox.AppliedRefund;
import io.grouprefunds.sandbox.faults.SandboxFaults;
import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import io.grouprefunds.sandbox.SimulatedProvider;
import io.grouprefunds.support.ChildJob;
import io.grouprefunds.support.ProviderFixture;
import io.grouprefunds.support.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The job as a separate process, killed with SIGKILL at random moments against a faulty provider, restarted until
 * the batch completes, for every provider. The provider's record of applied refunds must agree with the ledger: no
 * group refunded twice, no row lost, SUCCEEDED exactly when applied, to the cent.
 *
 * <p>Defaults fit CI (2,000 rows, 20 kills per provider, a few minutes each on 2 cores). The longer version:
 * {@code ./mvnw verify -Dit.test=CrashIT -Dcrash.rows=10000 -Dcrash.kills=60}; {@code -Dcrash.seed=N} replays a run;
 * {@code -Dcrash.provider=issuer} runs one provider only.
 */
class CrashIT {

	private static final int ROWS = Integer.getInteger("crash.rows", 2000);

	private static final int KILLS = Integer.getInteger("crash.kills", 20);

	private static final long SEED = Long.getLong("crash.seed", System.nanoTime());

	private static final String ONLY_PROVIDER = System.getProperty("crash.provider", "");

	@ParameterizedTest
	@EnumSource(ProviderFixture.class)
	void killedAtRandomMomentsItNeverRefundsTwiceAndLosesNoRow(ProviderFixture provider) throws Exception {
		assumeTrue(ONLY_PROVIDER.isEmpty() || ONLY_PROVIDER.equals(provider.provider()), "-Dcrash.provider");
		// Kept after the run (under target/): the children's output and logs are what to read when it fails.
		Path work = Path.of("target", "crash-it", provider.provider() + "-" + SEED);
		// given a faulty provider: errors before and after applying, answers lost or too late, 429s
		System.out.printf("CrashIT %s: %d rows, %d kills, seed %d, output in %s%n", provider.provider(), ROWS, KILLS,
				SEED, work);
		Files.createDirectories(work);
		Random random = new Random(SEED);
		SandboxFaults faults = SandboxFaults.builder()
			.latency(2, 3)
			.errorBeforeApply(0.01)
			.errorAfterApply(0.01)
			.slowAfterApply(0.005, 2500)
			.dropAfterApply(0.01)
			.tooManyRequests(0.02)
			.retryAfterSeconds(null)
			.seed(SEED)
			.build();
		String database = TestDatabases.newDatabase();
		JdbcTemplate ledger = new JdbcTemplate(new DriverManagerDataSource(database));
		Path output = work.resolve("job-output.log");
		try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults().withFaults(faults))) {
			SimulatedProvider simulated = provider.of(sandbox);
			Map<String, BigDecimal> groupTotals = new HashMap<>();
			Path csv = refundFile(provider, sandbox, work, random, groupTotals, ROWS);
			List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + database,
					"--refunds." + provider.provider() + ".response-timeout=1s", "--refunds.throttle.rate-per-second=60",
					"--refunds.throttle.quotas=", "--refunds.breaker.probe-interval=200ms",
					"--refunds.submit.chunk-size=50", "--refunds.submit.initial-backoff=50ms",
					"--refunds.ingest.chunk-size=500", // several ingest chunks, so kills land between them too
					"--refunds.reports.directory=" + work.resolve("reports"),
					"--refunds.log-file=" + work.resolve("group-refunds.log")));
			sandbox.clientSettings(provider.provider()).forEach((name, value) -> args.add("--" + name + "=" + value));
			List<String> run = new ArrayList<>(List.of("run", csv.toString(), "--provider", provider.provider()));
			run.addAll(args);

			// when killed KILLS times at random moments (start-up, ingest, claims, sends, records)
			int kills = 0;
			int exit = -1;
			while (kills < KILLS) {
				Process job = ChildJob.start(output, run);
				if (job.waitFor(1000 + random.nextInt(7000), TimeUnit.MILLISECONDS)) {
					exit = job.exitValue();
					if (completed(exit) || exit == ExitCode.REFUSED.code() && lastExecutionCompleted(ledger)) {
						// The batch finished before the storm was over (a fast machine, long kill windows): a run
						// completed it, or one completed it and was killed on its way out, and the file is now
						// refused as done. Fewer kills; everything below is still checked.
						break;
					}
					assertThat(exit).as("a run that ended before its kill, after %d kills; see %s", kills, output)
						.isEqualTo(ExitCode.BUSY.code());
					continue;
				}
				job.destroyForcibly().waitFor();
				kills++;
				assertInvariants(ledger, simulated, groupTotals, false);
			}
			assertThat(kills).as("kills before the batch completed; see %s", output).isGreaterThanOrEqualTo(KILLS / 2);
			// and then restarted until the batch completes
			for (int attempt = 0; attempt < 5 && !completed(exit) && !lastExecutionCompleted(ledger); attempt++) {
				Process job = ChildJob.start(output, run);
				assertThat(job.waitFor(4, TimeUnit.MINUTES)).as("the last run finished; see %s", output).isTrue();
				exit = job.exitValue();
			}

			// then
			assertThat(lastExecutionCompleted(ledger)).as("the batch's job completed; last exit %d, see %s", exit,
					output).isTrue();
			assertInvariants(ledger, simulated, groupTotals, false);
			listUnknown(ledger);

			// and once the provider behaves, the operator's re-run finishes every row, still never twice
			simulated.setFaults(SandboxFaults.none());
			List<String> rerun = new ArrayList<>(List.of("rerun-failed", "1"));
			rerun.addAll(args);
			Process job = ChildJob.start(output, rerun);
			assertThat(job.waitFor(4, TimeUnit.MINUTES)).isTrue();
			assertThat(job.exitValue()).as("rerun-failed; see %s", output).isEqualTo(ExitCode.COMPLETED.code());
			assertInvariants(ledger, simulated, groupTotals, true);
			System.out.printf("CrashIT %s: %d kills, %d refund requests (%d applied), faults %s%n", provider.provider(),
					kills, simulated.requestCount(), simulated.appliedCount(), simulated.faultCounts());
		}
	}

	/** One refund per group, so a second apply on a group is a refund sent twice. Also used by AttemptLogCrashIT. */
	static Path refundFile(ProviderFixture provider, SandboxServer sandbox, Path work, Random random,
			Map<String, BigDecimal> groupTotals, int rows) throws IOException {
		StringBuilder csv = new StringBuilder("request_id,group_id,amount,currency\n");
		List<String> currencies = provider.currencies();
		for (int i = 1; i <= rows; i++) {
			String currency = currencies.get(i % 3 == 0 ? currencies.size() - 1 : 0);
			BigDecimal first = BigDecimal.valueOf(2000 + random.nextInt(3000), 2);
			BigDecimal second = BigDecimal.valueOf(500 + random.nextInt(1500), 2);
			String group = provider.addGroup(sandbox, 0xC0FFEE00L + i, Currency.getInstance(currency),
					List.of(first, second));
			groupTotals.put(group, first.add(second));
			// at most 40% of the group, so a duplicate would be accepted by the provider, not declined
			String amount = i % 10 == 0 && provider.wholeGroupRefunds() ? ""
					: BigDecimal.valueOf(100 + random.nextInt(900), 2).toPlainString();
			csv.append("crash-").append(i).append(',').append(group).append(',').append(amount).append(',')
				.append(currency).append('\n');
		}
		return Files.writeString(work.resolve("crash-refunds.csv"), csv);
	}

	/** Spring Batch's word: the latest execution of the job (one batch per test database) is COMPLETED. */
	static boolean lastExecutionCompleted(JdbcTemplate ledger) {
		return "COMPLETED".equals(ledger.query("SELECT status FROM batch_job_execution ORDER BY job_execution_id DESC "
				+ "LIMIT 1", (ResultSet rs) -> rs.next() ? rs.getString(1) : null));
	}

	static boolean completed(int exit) {
		return exit == ExitCode.COMPLETED.code() || exit == ExitCode.COMPLETED_UNSETTLED.code()
				|| exit == ExitCode.COMPLETED_WITH_REJECTIONS.code();
	}

	/**
	 * What must hold at every moment: no group refunded twice; every refund the provider applied belongs to a row
	 * that is SUCCEEDED, or still SENDING/UNKNOWN (not yet settled); every SUCCEEDED row was applied, to the cent.
	 * At the end: every CSV row has exactly one ledger row, all SUCCEEDED.
	 */
	private static void assertInvariants(JdbcTemplate ledger, SimulatedProvider sandbox, Map<String, BigDecimal> totals,
			boolean finished) {
		assertInvariants(ledger, sandbox, totals, finished, ROWS);
	}

	static void assertInvariants(JdbcTemplate ledger, SimulatedProvider sandbox, Map<String, BigDecimal> totals,
			boolean finished, int expectedRows) {
		List<AppliedRefund> applied = sandbox.appliedRefunds();
		Map<String, List<AppliedRefund>> byGroup = applied.stream()
			.collect(Collectors.groupingBy(AppliedRefund::groupPaymentId));
		assertThat(byGroup.values()).as("groups refunded more than once").allSatisfy(list -> assertThat(list).hasSize(1));
		Map<String, Map<String, Object>> rows = new HashMap<>();
		boolean migrated = Boolean.TRUE.equals(
				ledger.queryForObject("SELECT to_regclass('refund_row') IS NOT NULL", Boolean.class));
		for (Map<String, Object> row : migrated ? ledger.queryForList("SELECT * FROM refund_row")
				: List.<Map<String, Object>>of()) {
			rows.put((String) row.get("group_id"), row);
		}
		for (AppliedRefund refund : applied) {
			Map<String, Object> row = rows.get(refund.groupPaymentId());
			assertThat(row).as("ledger row for applied %s", refund).isNotNull();
			assertThat((String) row.get("status")).as("row of applied refund %s", refund)
				.isIn("SUCCEEDED", "SENDING", "UNKNOWN");
			assertThat(refund.idempotencyKey()).isEqualTo(row.get("idempotency_key"));
			BigDecimal expected = row.get("amount") != null ? (BigDecimal) row.get("amount")
					: totals.get(refund.groupPaymentId());
			assertThat(refund.amount()).isEqualByComparingTo(expected);
		}
		for (Map<String, Object> row : rows.values()) {
			if ("SUCCEEDED".equals(row.get("status"))) {
				assertThat(byGroup).as("a SUCCEEDED row was applied: %s", row).containsKey((String) row.get("group_id"));
			}
		}
		if (finished) {
			assertThat(ledger.queryForObject("SELECT COUNT(DISTINCT line_number) FROM refund_row", Integer.class))
				.isEqualTo(expectedRows);
			assertThat(rows).hasSize(expectedRows);
			assertThat(ledger.queryForList("SELECT DISTINCT status FROM refund_row", String.class))
				.containsExactly("SUCCEEDED");
			assertThat(applied).hasSize(expectedRows);
		}
	}

	private static void listUnknown(JdbcTemplate ledger) {
		ledger.queryForList("SELECT line_number, request_id, status, evidence FROM refund_row "
				+ "WHERE status IN ('UNKNOWN', 'SENDING') ORDER BY line_number")
			.forEach(row -> System.out.println("CrashIT: unsettled " + row));
	}

}
