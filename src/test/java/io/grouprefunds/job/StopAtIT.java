package io.grouprefunds.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.grouprefunds.sandbox.AppliedRefund;
import io.grouprefunds.submit.StopTime;
import io.grouprefunds.support.ChildJob;
import io.grouprefunds.support.JobHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --stop-at HH:MM} through the real command line, in a process of its own, on the real clock: a throttled
 * run that cannot finish before the stop time stops at it exactly as on SIGTERM (exit 5, STOPPED, the rows not sent
 * left READY, nothing sent twice), says so, and {@code restart} finishes the batch with each refund applied once.
 */
class StopAtIT {

	private static final int ROWS = 400;

	@TempDir
	Path work;

	@Test
	void aRunStopsAtTheStopTimeRestartablyAndTheRestartFinishesIt() throws Exception {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given 400 rows at 2 a second (200 s of sending), and a stop time one to two minutes ahead
			List<String> lines = new ArrayList<>(List.of("request_id,group_id,amount,currency"));
			for (int i = 1; i <= ROWS; i++) {
				String group = harness.provider.addGroup(harness.sandbox, 80_000 + i, Currency.getInstance("USD"),
						List.of(new BigDecimal("100.00")));
				lines.add(String.format("s-%04d,%s,10.00,USD", i, group));
			}
			Path file = harness.csv("night.csv", lines.toArray(String[]::new));
			harness.set("refunds.throttle.rate-per-second", "2").set("refunds.submit.chunk-size", "20");
			ZonedDateTime now = ZonedDateTime.now(ZoneId.systemDefault());
			// HH:MM has a minute's grain: the next whole minute at least a minute away leaves the child time to start
			LocalTime at = now.plusMinutes(2).truncatedTo(ChronoUnit.MINUTES).toLocalTime();
			String stopAt = DateTimeFormatter.ofPattern("HH:mm").format(at);
			Instant deadline = StopTime.next(at, now.toInstant(), ZoneId.systemDefault()).deadline().toInstant();
			List<String> run = new ArrayList<>(List.of("run", file.toString(), "--provider", "rapyd", "--stop-at",
					stopAt));
			run.addAll(harness.settings());
			Path output = work.resolve("child.log");

			// when
			Process child = ChildJob.start(output, run);
			int exit;
			try {
				// 2 minutes at most before the stop time, 200 s of sending after it if it were missed
				assertThat(child.waitFor(330, TimeUnit.SECONDS)).as(read(output)).isTrue();
				exit = child.exitValue();
			}
			finally {
				child.destroyForcibly();
			}
			Instant ended = Instant.now();

			// then stopped at the stop time, not before, as on SIGTERM
			String printed = read(output);
			assertThat(exit).as(printed).isEqualTo(ExitCode.FAILED_RESTARTABLE.code());
			assertThat(ended).as(printed).isAfterOrEqualTo(deadline);
			assertThat(jobStatuses(harness)).as(printed).containsExactly("STOPPED");
			Map<String, Long> statuses = statusCounts(harness);
			assertThat(statuses.keySet()).as(printed).containsOnly("SUCCEEDED", "READY");
			long ready = statuses.get("READY");
			assertThat(ready).isPositive();
			assertThat(statuses.get("SUCCEEDED")).isPositive();
			assertEachSucceededRowAppliedOnce(harness);
			// the estimate at the start, and the line at the stop, with the rows left
			assertThat(printed).containsPattern(ROWS + " rows at 1\\.96/s: about 3 min; stops at " + stopAt
					+ " with about [0-9,]+ left")
				.contains("stop time " + stopAt + " reached: " + ready + " rows left READY; the next run resumes")
				.contains("batch 1 STOPPED: stop time " + stopAt + " reached. Run `restart 1`");

			// when
			harness.set("refunds.throttle.rate-per-second", "0");
			JobHarness.Result restarted = harness.cli("restart", "1");

			// then
			assertThat(restarted.exitCode()).as(restarted.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(jobStatuses(harness)).containsExactly("STOPPED", "COMPLETED");
			assertThat(statusCounts(harness)).containsExactly(Map.entry("SUCCEEDED", (long) ROWS));
			assertEachSucceededRowAppliedOnce(harness);
			assertThat(harness.sandbox.rapyd().appliedRefunds()).hasSize(ROWS);
		}
	}

	/** Each SUCCEEDED row was applied once on its group, with its key and amount; nothing else was applied. */
	private static void assertEachSucceededRowAppliedOnce(JobHarness harness) {
		List<AppliedRefund> applied = harness.sandbox.rapyd().appliedRefunds();
		Map<String, List<AppliedRefund>> byGroup = applied.stream()
			.collect(Collectors.groupingBy(AppliedRefund::groupPaymentId));
		List<Map<String, Object>> succeeded = harness.ledger
			.queryForList("SELECT group_id, idempotency_key, amount FROM refund_row WHERE status = 'SUCCEEDED'");
		assertThat(applied).hasSameSizeAs(succeeded);
		for (Map<String, Object> row : succeeded) {
			List<AppliedRefund> onGroup = byGroup.get((String) row.get("group_id"));
			assertThat(onGroup).as("refunds applied for %s", row).hasSize(1);
			assertThat(onGroup.get(0).idempotencyKey()).isEqualTo(row.get("idempotency_key"));
			assertThat(onGroup.get(0).amount()).isEqualByComparingTo((BigDecimal) row.get("amount"));
		}
	}

	private static Map<String, Long> statusCounts(JobHarness harness) {
		return harness.ledger.queryForList("SELECT status, COUNT(*) AS n FROM refund_row GROUP BY status")
			.stream()
			.collect(Collectors.toMap(row -> (String) row.get("status"), row -> ((Number) row.get("n")).longValue()));
	}

	private static List<String> jobStatuses(JobHarness harness) {
		return harness.ledger.queryForList("SELECT e.status FROM batch_job_execution e JOIN batch_job_instance i "
				+ "ON i.job_instance_id = e.job_instance_id WHERE i.job_name = 'refundJob' "
				+ "ORDER BY e.job_execution_id", String.class);
	}

	private static String read(Path output) {
		try {
			return Files.exists(output) ? Files.readString(output) : "";
		}
		catch (IOException ex) {
			return "(cannot read the child's output: " + ex.getMessage() + ")";
		}
	}

}
