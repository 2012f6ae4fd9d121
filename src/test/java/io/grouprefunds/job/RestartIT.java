package io.grouprefunds.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.grouprefunds.ledger.BatchLocks;
import io.grouprefunds.provider.rapyd.RapydSigner;
import io.grouprefunds.sandbox.AppliedRefund;
import io.grouprefunds.sandbox.faults.FaultKind;
import io.grouprefunds.sandbox.faults.SandboxFaults;
import io.grouprefunds.support.GatewayProxy;
import io.grouprefunds.support.JobHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.job.DefaultJobKeyGenerator;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Restart, recovery, locking, re-runs and reconciliation, through the real command line against a real PostgreSQL
 * and the Rapyd sandbox over HTTP. Every row refunds a group of its own, so a refund sent twice shows as two refunds
 * applied to one group.
 */
class RestartIT {

	private static final String HEADER = "request_id,group_id,amount,currency,reason";

	@TempDir
	Path work;

	// ---- 1. a FAILED execution restarts at its failed chunk

	@Test
	void restartOfAFailedExecutionBeginsAtTheFailedChunkAndSendsEachRefundOnce() {
		try (JobHarness harness = JobHarness.withDefaults(work);
				GatewayProxy gateway = new GatewayProxy(harness.sandbox.rapydBaseUrl())) {
			// given 50 rows in chunks of 10, behind a gateway that blocks every refund after the 20th (an HTML 403:
			// the step stops on it as on a configuration error, with chunks 1 and 2 committed and chunk 3 failed)
			Path file = harness.csv("fifty.csv", rows(harness, "r", 1, 50, "10.00"));
			harness.set("refunds.submit.chunk-size", "10").set("refunds.rapyd.base-url", gateway.baseUrl());
			gateway.blockRefundsAfter(20);

			// when
			JobHarness.Result failed = harness.run(file);

			// then the job failed at chunk 3, with the first two chunks applied and nothing after them
			assertThat(failed.exitCode()).as(failed.all()).isEqualTo(ExitCode.CONFIGURATION_ERROR.code());
			assertThat(failed.err()).contains("HTTP 403");
			assertThat(jobStatuses(harness, "refundJob")).containsExactly("FAILED");
			assertThat(gateway.refundsBlocked()).isPositive();
			assertThat(appliedGroups(harness)).containsExactlyInAnyOrderElementsOf(groups(1, 20));
			assertThat(statusByLine(harness).entrySet().stream()
				.filter(e -> e.getValue().equals("SUCCEEDED"))
				.map(Map.Entry::getKey)).containsExactlyInAnyOrderElementsOf(lines(1, 20));

			// when the gateway lets us through again and the operator restarts
			gateway.allowAll();
			JobHarness.Result restarted = harness.cli("restart", "1");

			// then every row is final, each applied exactly once
			assertThat(restarted.exitCode()).as(restarted.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(jobStatuses(harness, "refundJob")).containsExactly("FAILED", "COMPLETED");
			assertThat(statusByLine(harness)).hasSize(50).allSatisfy((line, status) -> assertThat(status)
				.isEqualTo("SUCCEEDED"));
			assertEachSucceededRowAppliedOnceAndNothingElse(harness);
			// and the restarted submit step began at chunk 3, or at chunk 2 when chunk 3's refusal came back before
			// chunk 2's commit (the send pipeline runs one chunk ahead of the saved position); either way no earlier
			// chunk was read again, and the rows of chunk 2 were found final and not sent again
			assertThat(submitStepReadCounts(harness)).last().isIn(30, 40);
			assertThat(harness.ledger.queryForList(
					"SELECT attempts FROM refund_row WHERE line_number BETWEEN 2 AND 21", Integer.class))
				.hasSize(20)
				.containsOnly(1);
		}
	}

	// ---- 2. what a killed process leaves behind is recovered by restart

	@Test
	void restartRecoversAnExecutionLeftRunningByAKilledProcessAndSettlesItsSendingRows() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given a first run that stopped on a wrong secret key (nothing applied) ...
			Path file = harness.csv("thirty.csv", rows(harness, "r", 1, 30, "10.00"));
			harness.set("refunds.submit.chunk-size", "10").set("refunds.rapyd.secret-key", "rsk_WRONG");
			assertThat(harness.run(file).exitCode()).isEqualTo(ExitCode.CONFIGURATION_ERROR.code());
			assertThat(harness.sandbox.rapyd().appliedRefunds()).isEmpty();
			// ... then made to look like what SIGKILL leaves: execution and submit step STARTED, no end time, and two
			// rows SENDING, the provider having applied the first (its answer was lost) but not the second
			long execution = harness.ledger.queryForObject("SELECT MAX(job_execution_id) FROM batch_job_execution",
					Long.class);
			harness.ledger.update("UPDATE batch_job_execution SET status = 'STARTED', exit_code = 'UNKNOWN', "
					+ "end_time = NULL WHERE job_execution_id = ?", execution);
			harness.ledger.update("UPDATE batch_step_execution SET status = 'STARTED', exit_code = 'EXECUTING', "
					+ "end_time = NULL WHERE job_execution_id = ? AND step_name = 'submitStep'", execution);
			harness.ledger.update("UPDATE refund_row SET status = 'SENDING', attempts = attempts + 1 "
					+ "WHERE line_number IN (3, 4)");
			applyDirectly(harness, 3);
			int requests = harness.sandbox.rapyd().requestCount();

			// when
			harness.set("refunds.rapyd.secret-key", harness.sandboxSettings.rapydSecretKey());
			JobHarness.Result restarted = harness.cli("restart", "1");

			// then the execution was recovered and restarted instead of refused
			assertThat(restarted.exitCode()).as(restarted.all()).isEqualTo(ExitCode.COMPLETED.code());
			List<String> statuses = jobStatuses(harness, "refundJob");
			assertThat(statuses).hasSize(2).last().isEqualTo("COMPLETED");
			assertThat(statuses.get(0)).isNotIn("STARTED", "STARTING", "STOPPING");
			// the applied SENDING row was settled by asking the provider, not sent again
			Map<String, Object> applied = row(harness, 3);
			assertThat(applied.get("status")).isEqualTo("SUCCEEDED");
			assertThat((String) applied.get("evidence")).contains("includes this row's 10");
			assertThat(appliedGroups(harness)).filteredOn(group(2)::equals).hasSize(1);
			// the SENDING row the provider had not applied was sent once
			assertThat(row(harness, 4).get("status")).isEqualTo("SUCCEEDED");
			assertThat(appliedGroups(harness)).filteredOn(group(3)::equals).hasSize(1);
			assertThat(statusByLine(harness)).hasSize(30).allSatisfy((line, status) -> assertThat(status)
				.isEqualTo("SUCCEEDED"));
			assertEachSucceededRowAppliedOnceAndNothingElse(harness);
			assertThat(harness.sandbox.rapyd().requestCount() - requests).isEqualTo(29);
		}
	}

	@Test
	void aRunKilledBetweenItsJobInstanceAndItsFirstExecutionStartsAfresh() throws Exception {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given a ledger in use (a first file, done) ...
			Path first = harness.csv("first.csv", rows(harness, "a", 1, 3, "10.00"));
			assertThat(harness.run(first).exitCode()).isEqualTo(ExitCode.COMPLETED.code());
			// ... and a second file whose run was killed just after it created its batch and its job instance, before
			// Spring Batch committed the instance's first execution (a CrashIT kill did it: every later run of the
			// file then failed with "Cannot find any job execution for job instance")
			Path file = harness.csv("second.csv", rows(harness, "b", 4, 5, "10.00"));
			String sha = HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
			long batchId = harness.ledger.queryForObject("INSERT INTO refund_batch (provider, file_name, file_path, "
					+ "file_sha256, state) VALUES ('rapyd', ?, ?, ?, 'INGESTING') RETURNING batch_id", Long.class,
					file.getFileName().toString(), file.toAbsolutePath().toString(), sha);
			harness.ledger.update("INSERT INTO refund_event (kind, batch_id, detail) VALUES ('RUN', ?, 'new batch')",
					batchId);
			harness.ledger.update("INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key) "
					+ "VALUES (nextval('batch_job_instance_seq'), 0, 'refundJob', ?)",
					new DefaultJobKeyGenerator().generateKey(BatchRunner.firstRun(batchId, file, "rapyd")));

			// when the file is run again
			JobHarness.Result again = harness.run(file);

			// then its job started afresh and completed: one execution, every row applied once
			assertThat(again.exitCode()).as(again.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(jobStatuses(harness, "refundJob")).containsExactly("COMPLETED", "COMPLETED");
			assertThat(harness.ledger.queryForList("SELECT status FROM refund_row WHERE batch_id = ?", String.class,
					batchId)).hasSize(5).containsOnly("SUCCEEDED");
			assertEachSucceededRowAppliedOnceAndNothingElse(harness);
			assertThat(harness.readLog()).contains("died before its first execution; it is dropped");
		}
	}

	// ---- 3. a live owner's lock is respected

	@Test
	void aFileWhoseLockIsHeldByALiveProcessIsRefusedBusyAndRunsOnceReleased() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given another live process holding the lock of this file
			Path file = harness.csv("locked.csv", rows(harness, "r", 1, 10, "10.00"));
			BatchLocks locks = new BatchLocks(new DriverManagerDataSource(harness.databaseUrl));
			Optional<BatchLocks.Held> held = locks.tryLock(sha256(file));
			assertThat(held).isPresent();

			// when
			JobHarness.Result busy;
			try (BatchLocks.Held lock = held.get()) {
				busy = harness.run(file);
			}

			// then nothing was done
			assertThat(busy.exitCode()).as(busy.all()).isEqualTo(ExitCode.BUSY.code());
			assertThat(busy.err()).contains("being run by another process");
			assertThat(harness.sandbox.rapyd().requestCount()).isZero();
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_batch", Integer.class)).isZero();

			// when the lock is released
			JobHarness.Result run = harness.run(file);

			// then
			assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertEachSucceededRowAppliedOnceAndNothingElse(harness);
			assertThat(harness.sandbox.rapyd().appliedRefunds()).hasSize(10);
		}
	}

	// ---- 4. two runs of one file at once

	@Test
	void twoConcurrentRunsOfOneFileSendEachRefundOnce() throws Exception {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given a schema already migrated, and a run long enough (about 2 s) for the two to overlap
			Path file = harness.csv("twice.csv", rows(harness, "r", 1, 100, "10.00"));
			harness.cli("status");
			harness.set("refunds.throttle.rate-per-second", "50");
			harness.sandbox.rapyd().setFaults(SandboxFaults.builder().latency(20, 0).build());

			// when
			CountDownLatch go = new CountDownLatch(1);
			List<CompletableFuture<JobHarness.Result>> runs = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				runs.add(CompletableFuture.supplyAsync(() -> {
					await(go);
					return harness.run(file);
				}));
			}
			go.countDown();
			List<JobHarness.Result> results = new ArrayList<>();
			for (CompletableFuture<JobHarness.Result> run : runs) {
				results.add(run.get(60, TimeUnit.SECONDS));
			}

			// then one ran, the other was turned away
			assertThat(results).extracting(JobHarness.Result::exitCode)
				.as(results.toString())
				.containsExactlyInAnyOrder(ExitCode.COMPLETED.code(), ExitCode.BUSY.code());
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_batch", Integer.class)).isOne();
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_row", Integer.class)).isEqualTo(100);
			assertEachSucceededRowAppliedOnceAndNothingElse(harness);
			assertThat(harness.sandbox.rapyd().appliedRefunds()).hasSize(100);
			assertThat(harness.sandbox.rapyd().requestCount()).isEqualTo(100);
		}
	}

	// ---- 5. rerun-failed

	@Test
	void rerunFailedSendsAgainOnlyWhatProvablyDidNotGoThrough() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given 40 refundable rows, 3 over-refunds (DECLINED) and 3 invalid rows (REJECTED), each sent once (no
			// retry) to a sandbox that answers some 429 (RETRYABLE), some 500 before applying and some 500 after
			// applying (UNKNOWN, which the job's reconcile step settles to RETRYABLE and SUCCEEDED)
			List<String> lines = new ArrayList<>(List.of(rows(harness, "r", 1, 40, "10.00")));
			lines.addAll(List.of(rows(harness, "over", 41, 3, "500.00")).subList(1, 4));
			harness.sandbox.rapyd().addGroupPayment(group(44), Currency.getInstance("USD"), "closed",
					List.of(new BigDecimal("100.00")));
			lines.add("bad-1,gp_not_a_group_payment,10.00,USD,test");
			lines.add("bad-2," + group(44) + ",1.234,USD,test");
			lines.add("bad-3," + group(44) + ",10.00,XYZ,test");
			Path file = harness.csv("mixed.csv", lines.toArray(String[]::new));
			harness.set("refunds.submit.max-retries", "0").set("refunds.submit.chunk-size", "10")
				.set("refunds.submit.max-rate-limited-wait", "0s");
			harness.sandbox.rapyd()
				.setFaults(SandboxFaults.builder()
					.tooManyRequests(0.2)
					.errorBeforeApply(0.15)
					.errorAfterApply(0.15)
					.seed(7)
					.build());
			JobHarness.Result first = harness.run(file);
			assertThat(first.exitCode()).as(first.all()).isEqualTo(ExitCode.COMPLETED_UNSETTLED.code());
			Map<FaultKind, Long> faults = harness.sandbox.rapyd().faultCounts();
			assertThat(faults.get(FaultKind.TOO_MANY_REQUESTS)).isPositive();
			assertThat(faults.get(FaultKind.ERROR_BEFORE_APPLY)).isPositive();
			assertThat(faults.get(FaultKind.ERROR_AFTER_APPLY)).isPositive();
			// the run's reconcile step left nothing maybe-sent
			assertThat(statusByLine(harness).values()).doesNotContain("SENDING", "UNKNOWN");
			List<Integer> reconciledApplied = linesWhere(harness, "status = 'SUCCEEDED' AND evidence IS NOT NULL");
			List<Integer> reconciledNotApplied = linesWhere(harness, "status = 'RETRYABLE' AND evidence IS NOT NULL");
			assertThat(reconciledApplied).isNotEmpty();
			assertThat(reconciledNotApplied).isNotEmpty();
			assertThat(linesWhere(harness, "status = 'RETRYABLE' AND provider_error_code = 'HTTP_429'")).isNotEmpty();
			assertThat(linesWhere(harness, "status = 'DECLINED'")).isNotEmpty();
			assertThat(linesWhere(harness, "status = 'REJECTED'")).hasSize(3);
			// and, as when the reconcile step could not reach the provider, one applied and one unapplied row UNKNOWN
			int unknownApplied = reconciledApplied.get(0);
			int unknownNotApplied = reconciledNotApplied.get(0);
			harness.ledger.update("UPDATE refund_row SET status = 'UNKNOWN', evidence = NULL, finished_at = NULL "
					+ "WHERE line_number IN (?, ?)", unknownApplied, unknownNotApplied);
			Map<Integer, Map<String, Object>> before = rowsByLine(harness);
			List<Integer> retryable = linesWhere(harness, "status = 'RETRYABLE'");
			int requests = harness.sandbox.rapyd().requestCount();
			harness.sandbox.rapyd().setFaults(SandboxFaults.none());

			// when
			JobHarness.Result rerun = harness.cli("rerun-failed", "1");

			// then it said what it would do, and did exactly that
			assertThat(rerun.exitCode()).as(rerun.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			assertThat(rerun.out()).contains("will send again " + retryable.size() + " RETRYABLE row(s)")
				.contains("about 2 UNKNOWN row(s)")
				.contains("DECLINED and REJECTED rows are left alone");
			Map<Integer, Map<String, Object>> after = rowsByLine(harness);
			before.forEach((line, was) -> {
				Map<String, Object> now = after.get(line);
				String status = (String) was.get("status");
				int attempts = (Integer) was.get("attempts");
				if (List.of("DECLINED", "REJECTED", "SUCCEEDED").contains(status) || line == unknownApplied) {
					assertThat(now.get("status")).as("line %d", line)
						.isEqualTo(line == unknownApplied ? "SUCCEEDED" : status);
					assertThat(now.get("attempts")).as("line %d attempts", line).isEqualTo(attempts);
				}
				else {
					// RETRYABLE, or UNKNOWN that the provider proves it did not apply: sent exactly once more
					boolean overRefund = ((String) was.get("request_id")).startsWith("over");
					assertThat(now.get("status")).as("line %d", line)
						.isEqualTo(overRefund ? "DECLINED" : "SUCCEEDED");
					assertThat(now.get("attempts")).as("line %d attempts", line).isEqualTo(attempts + 1);
				}
			});
			assertThat(harness.sandbox.rapyd().requestCount() - requests).isEqualTo(retryable.size() + 1);
			assertEachSucceededRowAppliedOnceAndNothingElse(harness);
			assertThat(jobStatuses(harness, "rerunJob")).containsExactly("COMPLETED");

			// when run again
			int requestsAfterRerun = harness.sandbox.rapyd().requestCount();
			JobHarness.Result again = harness.cli("rerun-failed", "1");

			// then there is nothing left to re-run
			assertThat(again.exitCode()).as(again.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			assertThat(again.out()).contains("nothing to re-run");
			assertThat(harness.sandbox.rapyd().requestCount()).isEqualTo(requestsAfterRerun);
			assertThat(jobStatuses(harness, "rerunJob")).containsExactly("COMPLETED");
		}
	}

	// ---- 6. reconcile

	@Test
	void reconcileSettlesUnknownRowsFromTheProvidersViewAndSendsNothing() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given a completed batch whose 12 rows were all refused 429 (RETRYABLE, nothing applied) ...
			Path file = harness.csv("unknown.csv", rows(harness, "r", 1, 12, "10.00"));
			harness.set("refunds.submit.max-retries", "0").set("refunds.submit.max-rate-limited-wait", "0s");
			harness.sandbox.rapyd().setFaults(SandboxFaults.builder().tooManyRequests(1.0).build());
			assertThat(harness.run(file).exitCode()).isEqualTo(ExitCode.COMPLETED_UNSETTLED.code());
			harness.sandbox.rapyd().setFaults(SandboxFaults.none());
			// ... then six of them UNKNOWN, of which the provider did apply the first three
			for (int line = 2; line <= 4; line++) {
				applyDirectly(harness, line);
			}
			harness.ledger.update("UPDATE refund_row SET status = 'UNKNOWN' WHERE line_number BETWEEN 2 AND 7");
			int requests = harness.sandbox.rapyd().requestCount();
			int queries = harness.sandbox.rapyd().queryCount();

			// when
			JobHarness.Result result = harness.cli("reconcile", "1");

			// then
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.COMPLETED_UNSETTLED.code());
			assertThat(result.out()).contains("6 row(s) reconciled");
			for (int line = 2; line <= 4; line++) {
				Map<String, Object> row = row(harness, line);
				assertThat(row.get("status")).as("line %d", line).isEqualTo("SUCCEEDED");
				assertThat((String) row.get("evidence")).as("line %d", line)
					.contains("provider shows 10")
					.contains("includes this row's 10");
			}
			for (int line = 5; line <= 7; line++) {
				Map<String, Object> row = row(harness, line);
				assertThat(row.get("status")).as("line %d", line).isEqualTo("RETRYABLE");
				assertThat((String) row.get("evidence")).as("line %d", line)
					.contains("provider shows 0")
					.contains("not among them");
			}
			for (int line = 8; line <= 13; line++) {
				Map<String, Object> row = row(harness, line);
				assertThat(row.get("status")).as("line %d", line).isEqualTo("RETRYABLE");
				assertThat(row.get("evidence")).as("line %d", line).isNull();
			}
			assertThat(harness.sandbox.rapyd().requestCount()).isEqualTo(requests);
			assertThat(harness.sandbox.rapyd().appliedRefunds()).hasSize(3);
			assertThat(harness.sandbox.rapyd().queryCount() - queries).isEqualTo(6);
		}
	}

	// ---- 7. SIGTERM

	@Test
	void sigtermStopsTheRunRestartablyAndTheRestartFinishesIt() throws Exception {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given a run of 200 rows at 20 a second in a process of its own
			Path file = harness.csv("sigterm.csv", rows(harness, "r", 1, 200, "10.00"));
			Path output = work.resolve("process-output.txt");
			String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
			List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
					classPath, "io.grouprefunds.GroupRefundsApplication", "run", file.toString(), "--provider",
					"rapyd", "--spring.datasource.url=" + harness.databaseUrl,
					"--refunds.rapyd.base-url=" + harness.sandbox.rapydBaseUrl(),
					"--refunds.rapyd.access-key=" + harness.sandboxSettings.rapydAccessKey(),
					"--refunds.rapyd.secret-key=" + harness.sandboxSettings.rapydSecretKey(),
					"--refunds.throttle.rate-per-second=20", "--refunds.throttle.quotas=",
					"--refunds.submit.chunk-size=20",
					"--refunds.reports.directory=" + work.resolve("process-reports"),
					"--refunds.log-file=" + work.resolve("process.log"));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			int exit;
			try {
				Instant deadline = Instant.now().plusSeconds(60);
				while (harness.sandbox.rapyd().appliedCount() <= 10 && process.isAlive()
						&& Instant.now().isBefore(deadline)) {
					Thread.sleep(50);
				}
				assertThat(process.isAlive()).as(read(output)).isTrue();
				assertThat(harness.sandbox.rapyd().appliedCount()).as(read(output)).isGreaterThan(10);

				// when
				process.destroy(); // SIGTERM
				assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(read(output)).isTrue();
				exit = process.exitValue();
			}
			finally {
				process.destroyForcibly();
			}

			// then stopped, restartable, with the ledger agreeing with the provider
			String printed = read(output);
			assertThat(exit).as(printed).isEqualTo(ExitCode.FAILED_RESTARTABLE.code());
			assertThat(jobStatuses(harness, "refundJob")).as(printed).containsExactly("STOPPED");
			Map<Integer, String> statuses = statusByLine(harness);
			assertThat(statuses.values()).doesNotContain("SENDING", "UNKNOWN");
			int applied = harness.sandbox.rapyd().appliedCount();
			assertThat(applied).isLessThan(200);
			assertEachSucceededRowAppliedOnceAndNothingElse(harness);

			// when
			JobHarness.Result restarted = harness.cli("restart", "1");

			// then
			assertThat(restarted.exitCode()).as(restarted.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(jobStatuses(harness, "refundJob")).containsExactly("STOPPED", "COMPLETED");
			assertThat(statusByLine(harness)).hasSize(200).allSatisfy((line, status) -> assertThat(status)
				.isEqualTo("SUCCEEDED"));
			assertEachSucceededRowAppliedOnceAndNothingElse(harness);
			assertThat(harness.sandbox.rapyd().appliedRefunds()).hasSize(200);
		}
	}

	// ---- helpers

	/** Group payments {@code first..first+count-1} of 100.00 USD, and the CSV (with header) refunding each once. */
	private static String[] rows(JobHarness harness, String prefix, int first, int count, String amount) {
		List<String> lines = new ArrayList<>();
		lines.add(HEADER);
		for (int i = first; i < first + count; i++) {
			harness.sandbox.rapyd().addGroupPayment(group(i), Currency.getInstance("USD"), "closed",
					List.of(new BigDecimal("100.00")));
			lines.add(String.format("%s-%04d,%s,%s,USD,test", prefix, i, group(i), amount));
		}
		return lines.toArray(String[]::new);
	}

	private static String group(int i) {
		return String.format("gp_%032x", i);
	}

	/** The groups of rows {@code first..last} (the row of group i is on line i + 1). */
	private static List<String> groups(int first, int last) {
		List<String> groups = new ArrayList<>();
		for (int i = first; i <= last; i++) {
			groups.add(group(i));
		}
		return groups;
	}

	private static List<Integer> lines(int firstRow, int lastRow) {
		List<Integer> lines = new ArrayList<>();
		for (int i = firstRow; i <= lastRow; i++) {
			lines.add(i + 1);
		}
		return lines;
	}

	private static List<String> appliedGroups(JobHarness harness) {
		return harness.sandbox.rapyd().appliedRefunds().stream().map(AppliedRefund::groupPaymentId).toList();
	}

	/**
	 * The provider's side matches the ledger: each SUCCEEDED/PENDING row was applied exactly once on its group, with
	 * its idempotency key and amount, and nothing else was applied.
	 */
	private static void assertEachSucceededRowAppliedOnceAndNothingElse(JobHarness harness) {
		List<AppliedRefund> applied = harness.sandbox.rapyd().appliedRefunds();
		Map<String, List<AppliedRefund>> byGroup = applied.stream()
			.collect(Collectors.groupingBy(AppliedRefund::groupPaymentId));
		List<Map<String, Object>> succeeded = harness.ledger.queryForList(
				"SELECT line_number, group_id, idempotency_key, amount FROM refund_row "
						+ "WHERE status IN ('SUCCEEDED', 'PENDING')");
		assertThat(applied).as("refunds applied vs rows SUCCEEDED").hasSameSizeAs(succeeded);
		for (Map<String, Object> row : succeeded) {
			List<AppliedRefund> onGroup = byGroup.get((String) row.get("group_id"));
			assertThat(onGroup).as("refunds applied for %s", row).hasSize(1);
			assertThat(onGroup.get(0).idempotencyKey()).isEqualTo(row.get("idempotency_key"));
			assertThat(onGroup.get(0).amount()).isEqualByComparingTo((BigDecimal) row.get("amount"));
		}
	}

	/** Applies a row's refund straight through the sandbox's HTTP API, as a request whose answer was lost. */
	private static void applyDirectly(JobHarness harness, int line) {
		Map<String, Object> row = row(harness, line);
		String body = "{\"group_payment\":\"" + row.get("group_id") + "\",\"amount\":"
				+ ((BigDecimal) row.get("amount")).stripTrailingZeros().toPlainString() + "}";
		String path = "/v1/refunds/group_payments";
		String salt = RapydSigner.newSalt();
		long timestamp = Instant.now().getEpochSecond();
		String accessKey = harness.sandboxSettings.rapydAccessKey();
		String signature = RapydSigner.sign("post", path, salt, timestamp, accessKey,
				harness.sandboxSettings.rapydSecretKey(), body);
		HttpRequest request = HttpRequest.newBuilder(URI.create(harness.sandbox.rapydBaseUrl() + path))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.header("access_key", accessKey)
			.header("salt", salt)
			.header("timestamp", Long.toString(timestamp))
			.header("signature", signature)
			.header("idempotency", (String) row.get("idempotency_key"))
			.build();
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, Object> row(JobHarness harness, int line) {
		return harness.ledger.queryForMap("SELECT * FROM refund_row WHERE line_number = ?", line);
	}

	private static Map<Integer, Map<String, Object>> rowsByLine(JobHarness harness) {
		Map<Integer, Map<String, Object>> rows = new LinkedHashMap<>();
		harness.ledger.queryForList("SELECT * FROM refund_row ORDER BY line_number")
			.forEach(row -> rows.put((Integer) row.get("line_number"), row));
		return rows;
	}

	private static Map<Integer, String> statusByLine(JobHarness harness) {
		Map<Integer, String> statuses = new LinkedHashMap<>();
		rowsByLine(harness).forEach((line, row) -> statuses.put(line, (String) row.get("status")));
		return statuses;
	}

	private static List<Integer> linesWhere(JobHarness harness, String condition) {
		return harness.ledger.queryForList(
				"SELECT line_number FROM refund_row WHERE " + condition + " ORDER BY line_number", Integer.class);
	}

	/** The statuses of a job's executions, oldest first. */
	private static List<String> jobStatuses(JobHarness harness, String jobName) {
		return harness.ledger.queryForList("SELECT e.status FROM batch_job_execution e JOIN batch_job_instance i "
				+ "ON i.job_instance_id = e.job_instance_id WHERE i.job_name = ? ORDER BY e.job_execution_id",
				String.class, jobName);
	}

	/** READ_COUNT of each submitStep execution of the refund job, oldest first. */
	private static List<Integer> submitStepReadCounts(JobHarness harness) {
		return harness.ledger.queryForList("SELECT s.read_count FROM batch_step_execution s JOIN batch_job_execution e "
				+ "ON e.job_execution_id = s.job_execution_id JOIN batch_job_instance i "
				+ "ON i.job_instance_id = e.job_instance_id WHERE i.job_name = 'refundJob' "
				+ "AND s.step_name = 'submitStep' ORDER BY s.step_execution_id", Integer.class);
	}

	private static String sha256(Path file) {
		try {
			return HexFormat.of()
				.formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file) : "";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
