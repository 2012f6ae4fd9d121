package io.grouprefunds.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.grouprefunds.job.ExitCode;
import io.grouprefunds.sandbox.faults.FaultKind;
import io.grouprefunds.sandbox.faults.SandboxFaults;
import io.grouprefunds.support.JobHarness;
import io.grouprefunds.support.Refunds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider's bad minutes, through the real command line: bursts of 429 (with and without Retry-After, as Rapyd's
 * JSON and as a WAF's HTML page), its own rate limit, an outage window, and an outage the job cannot wait out. Every
 * row must end final, each refund applied exactly once, and nothing may count a 429 against a row.
 */
class ResilienceIT {

	@TempDir
	Path work;

	@Test
	void burstsOf429WithoutRetryAfterAndWithAnHtmlBodyAreRiddenOut() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given a WAF that refuses a third of the requests with an HTML page and no Retry-After
			Path file = Refunds.file(harness, "waf", 120);
			harness.set("refunds.submit.max-backoff", "100ms");
			harness.sandbox.rapyd().setFaults(SandboxFaults.builder()
				.tooManyRequests(0.33)
				.retryAfterSeconds(null)
				.htmlTooManyRequests(true)
				.seed(11)
				.build());

			// when
			JobHarness.Result result = harness.run(file);

			// then every row succeeded, once, and the 429s did not count as attempts
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(harness.sandbox.rapyd().faultCounts().get(FaultKind.TOO_MANY_REQUESTS)).isGreaterThan(20);
			assertThat(Refunds.statusCounts(harness)).isEqualTo(Map.of("SUCCEEDED", 120));
			assertThat(Refunds.disagreements(harness)).isEmpty();
			assertThat(harness.ledger.queryForList("SELECT DISTINCT attempts FROM refund_row", Integer.class))
				.containsExactly(1);
			assertThat(result.out()).contains("429 ").contains("rate_limited ");
		}
	}

	@Test
	void theProvidersOwnRateLimitWithRetryAfterIsRiddenOut() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given a provider admitting 25 requests a second (Retry-After 1 s, in Rapyd's JSON), and a job sending
			// unthrottled, 16 at a time, honouring Retry-After up to 300 ms (to keep the test short)
			Path file = Refunds.file(harness, "limited", 100);
			harness.set("refunds.submit.max-retry-after", "300ms");
			harness.sandbox.rapyd().setFaults(SandboxFaults.builder().rateLimitPerSecond(25).retryAfterSeconds(1)
				.latency(5, 5).build());

			// when
			JobHarness.Result result = harness.run(file);

			// then the provider refused some, and every row still succeeded once, on its first counted attempt
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(harness.sandbox.rapyd().faultCounts().get(FaultKind.RATE_LIMITED)).isPositive();
			assertThat(Refunds.statusCounts(harness)).isEqualTo(Map.of("SUCCEEDED", 100));
			assertThat(Refunds.disagreements(harness)).isEmpty();
			assertThat(harness.ledger.queryForList("SELECT DISTINCT attempts FROM refund_row", Integer.class))
				.containsExactly(1);
		}
	}

	@Test
	void anOutageWindowIsWaitedOutAndTheRowsItHitAreSettledThenSentAgain() throws Exception {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given 150 rows at 50/s
			Path file = Refunds.file(harness, "outage", 150);
			harness.set("refunds.throttle.rate-per-second", "50").set("refunds.submit.chunk-size", "20");

			// when the provider answers 503 to everything once 30 refunds are applied, until the job has probed it
			// while down, and then recovers
			CompletableFuture<JobHarness.Result> run = CompletableFuture.supplyAsync(() -> harness.run(file));
			await(() -> harness.sandbox.rapyd().appliedCount() >= 30, run);
			harness.sandbox.rapyd().setFaults(SandboxFaults.builder().outage(true).build());
			await(() -> harness.readLog().contains("rapyd still down"), run);
			harness.sandbox.rapyd().setFaults(SandboxFaults.none());
			JobHarness.Result result = run.get(120, TimeUnit.SECONDS);

			// then the outage was hit, the breaker opened and closed again, and every row succeeded, once
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(harness.sandbox.rapyd().faultCounts().get(FaultKind.OUTAGE)).isPositive();
			assertThat(result.out()).contains("circuit breaker (rapyd): opened");
			assertThat(harness.readLog()).contains("rapyd looks down").contains("rapyd answers again");
			assertThat(Refunds.statusCounts(harness)).isEqualTo(Map.of("SUCCEEDED", 150));
			assertThat(Refunds.disagreements(harness)).isEmpty();
			// and the rows the outage answered were asked about before they were sent again, once; settled by their
			// second answer, they keep no error text or evidence from the first (issue 11)
			List<Map<String, Object>> resent = harness.ledger.queryForList(
					"SELECT attempts, evidence, provider_error_code FROM refund_row WHERE attempts > 1");
			assertThat(resent).isNotEmpty().allSatisfy(row -> {
				assertThat(row.get("attempts")).isEqualTo(2);
				assertThat(row.get("evidence")).isNull();
				assertThat(row.get("provider_error_code")).isNull();
			});
			assertThat(harness.sandbox.rapyd().queryCount()).isGreaterThanOrEqualTo(resent.size());
		}
	}

	@Test
	void aProviderThatStaysDownStopsTheStepRestartablyAndTheRestartFinishesTheBatch() throws Exception {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given 80 rows at 50/s in chunks of 10, and a breaker that gives up once the provider has been down 1 s
			Path file = Refunds.file(harness, "down", 80);
			harness.set("refunds.throttle.rate-per-second", "50")
				.set("refunds.submit.chunk-size", "10")
				.set("refunds.breaker.give-up-after", "1s");

			// when the provider goes down for good once 20 refunds are applied
			CompletableFuture<JobHarness.Result> run = CompletableFuture.supplyAsync(() -> harness.run(file));
			await(() -> harness.sandbox.rapyd().appliedCount() >= 20, run);
			harness.sandbox.rapyd().setFaults(SandboxFaults.builder().outage(true).build());
			JobHarness.Result failed = run.get(120, TimeUnit.SECONDS);

			// then the job failed, restartably, with nothing left SENDING: rows answered 503 are UNKNOWN, rows not
			// sent are READY again, and nothing was applied twice
			assertThat(failed.exitCode()).as(failed.all()).isEqualTo(ExitCode.FAILED_RESTARTABLE.code());
			assertThat(failed.err()).contains("rapyd has not answered for").contains("restart 1");
			assertThat(harness.ledger.queryForList("SELECT e.status FROM batch_job_execution e", String.class))
				.containsExactly("FAILED");
			Map<String, Integer> afterFailure = Refunds.statusCounts(harness);
			assertThat(afterFailure).containsKeys("UNKNOWN", "READY").doesNotContainKey("SENDING");
			assertThat(Refunds.disagreements(harness)).isEmpty();
			Map<Long, Integer> unknown = new java.util.HashMap<>();
			harness.ledger.queryForList("SELECT row_id, attempts FROM refund_row WHERE status = 'UNKNOWN'")
				.forEach(row -> unknown.put((Long) row.get("row_id"), (Integer) row.get("attempts")));
			int queries = harness.sandbox.rapyd().queryCount();

			// when the provider is back and the operator restarts
			harness.sandbox.rapyd().setFaults(SandboxFaults.none());
			JobHarness.Result restarted = harness.cli("restart", "1");

			// then the batch is finished: the UNKNOWN rows were reconciled (not applied) and sent once
			assertThat(restarted.exitCode()).as(restarted.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(harness.ledger.queryForList("SELECT e.status FROM batch_job_execution e ORDER BY 1",
					String.class)).containsExactly("COMPLETED", "FAILED");
			assertThat(Refunds.statusCounts(harness)).isEqualTo(Map.of("SUCCEEDED", 80));
			assertThat(Refunds.disagreements(harness)).isEmpty();
			// and each UNKNOWN row was asked about, then sent once more; settled, it keeps no stale evidence
			assertThat(harness.sandbox.rapyd().queryCount() - queries).isGreaterThanOrEqualTo(unknown.size());
			unknown.forEach((rowId, attempts) -> assertThat(harness.ledger.queryForMap(
					"SELECT attempts, evidence FROM refund_row WHERE row_id = ?", rowId))
				.containsEntry("attempts", attempts + 1)
				.containsEntry("evidence", null));
		}
	}

	/** Waits until the condition holds, polling; the run must still be going (else the test's premise failed). */
	private static void await(BooleanSupplier condition, CompletableFuture<JobHarness.Result> run)
			throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (!condition.getAsBoolean()) {
			assertThat(run).as("the run ended before the moment the test waits for").isNotDone();
			assertThat(System.nanoTime()).as("waited 60 s").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

}
