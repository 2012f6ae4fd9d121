package io.grouprefunds.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.grouprefunds.sandbox.AppliedRefund;
import io.grouprefunds.sandbox.SandboxSettings;
import io.grouprefunds.support.JobHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real job, run through its command line, against a real PostgreSQL and the Rapyd sandbox over HTTP. The
 * sandbox's record of applied refunds is the provider's side of the story and must match the ledger to the cent.
 */
class EndToEndIT {

	private static final Path SAMPLE = Path.of("sample-data/rapyd-refunds.csv");

	@TempDir
	Path work;

	@Test
	void sampleFileRefundsTheValidRowsAndSetsAsideTheRest() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// when
			JobHarness.Result result = harness.run(SAMPLE);

			// then: completed, with declined and rejected rows needing a person
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			Map<String, Map<String, Object>> rows = harness.rowsByRequest();
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_row", Integer.class))
				.isEqualTo(dataLines(SAMPLE));
			assertThat(statusOf(rows, "r-1001")).isEqualTo("SUCCEEDED"); // partial 71 of 125
			assertThat(statusOf(rows, "r-1002")).isEqualTo("SUCCEEDED"); // whole group
			assertThat(statusOf(rows, "r-1015")).isEqualTo("SUCCEEDED"); // JPY
			assertThat(statusOf(rows, "r-1018")).isEqualTo("DECLINED"); // over-refund
			assertThat(rows.get("r-1018").get("provider_error_code")).isEqualTo("ERROR_CREATE_REFUND");
			assertThat(statusOf(rows, "r-1019")).isEqualTo("DECLINED"); // group payment not closed
			assertThat(statusOf(rows, "r-1026")).isEqualTo("DECLINED"); // more than r-1001 left
			assertThat(rejectionAt(rows, 21)).contains("3 decimals");
			assertThat(rejectionAt(rows, 22)).contains("thousands separators");
			assertThat(rejectionAt(rows, 23)).contains("not a Rapyd group payment id");
			assertThat(rejectionAt(rows, 24)).contains("XYZ");
			assertThat(rejectionAt(rows, 25)).contains("already used at line 2");
			assertThat(harness.ledger.queryForList("SELECT DISTINCT status FROM refund_row", String.class))
				.containsOnly("SUCCEEDED", "DECLINED", "REJECTED");
			assertThat(result.out()).contains("SUCCEEDED").contains("DECLINED").contains("REJECTED");
			assertThat(harness.workDir.resolve("reports/batch-1-results.csv")).exists();

			// and the provider applied exactly the SUCCEEDED rows, each once, to the cent
			assertProviderMatchesLedger(harness);
			assertThat(harness.sandbox.rapyd().refundedAmount("gp_8932172b9ae44d0caa04d5d419b43739"))
				.isEqualByComparingTo("71");
			assertThat(harness.sandbox.rapyd().refundedAmount("gp_89aedef8594241094a94685dcde3707b"))
				.isEqualByComparingTo("1050");
		}
	}

	@Test
	void wrongSecretKeyStopsTheJobWithNothingSentAndARestartFinishesIt() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given
			harness.set("refunds.rapyd.secret-key", "rsk_NOT_THE_RIGHT_ONE");

			// when
			JobHarness.Result result = harness.run(SAMPLE);

			// then: configuration error, no row recorded as sent, nothing applied
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.CONFIGURATION_ERROR.code());
			assertThat(result.err()).contains("UNAUTHENTICATED_API_CALL").contains("refunds.rapyd.secret-key");
			assertThat(harness.ledger.queryForList("SELECT DISTINCT status FROM refund_row", String.class))
				.doesNotContain("SENDING", "SUCCEEDED", "PENDING", "UNKNOWN", "DECLINED");
			assertThat(harness.sandbox.rapyd().appliedRefunds()).isEmpty();

			// when the operator fixes the key and restarts
			harness.set("refunds.rapyd.secret-key", harness.sandboxSettings.rapydSecretKey());
			JobHarness.Result restarted = harness.cli("restart", "1");

			// then
			assertThat(restarted.exitCode()).as(restarted.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			assertProviderMatchesLedger(harness);
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_row WHERE status = 'SUCCEEDED'",
					Integer.class)).isEqualTo(18);
		}
	}

	@Test
	void aCompletedFileRunAgainIsRefusedAndSendsNothing() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given
			assertThat(harness.run(SAMPLE).exitCode()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			int requests = harness.sandbox.rapyd().requestCount();

			// when
			JobHarness.Result again = harness.run(SAMPLE);

			// then
			assertThat(again.exitCode()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(again.err()).contains("already processed as batch 1");
			assertThat(harness.sandbox.rapyd().requestCount()).isEqualTo(requests);
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_batch", Integer.class)).isOne();
		}
	}

	@Test
	void theSecretKeyAppearsInNoLogReportOrLedgerColumn() throws Exception {
		String secret = "rsk_Very_Distinctive_Secret_4f1c9e";
		try (JobHarness harness = new JobHarness(work,
				SandboxSettings.defaults().withRapydKeys("rak_SANDBOX_ACCESS_KEY", secret))) {
			// given everything logged, down to DEBUG, and a run that also fails once on a wrong key
			harness.set("logging.level.root", "DEBUG");
			harness.set("refunds.rapyd.secret-key", secret + "x");
			JobHarness.Result failed = harness.run(SAMPLE);
			harness.set("refunds.rapyd.secret-key", secret);

			// when
			JobHarness.Result result = harness.cli("restart");
			JobHarness.Result status = harness.cli("status", "1");

			// then
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			String log = harness.readLog();
			assertThat(log).contains("refunds"); // the log was written
			assertThat(log + failed.all() + result.all() + status.all()).doesNotContain(secret);
			assertThat(Files.readString(harness.workDir.resolve("reports/batch-1-results.csv"))).doesNotContain(secret);
			List<String> everyRow = harness.ledger.queryForList(
					"SELECT row_to_json(r)::text FROM refund_row r UNION ALL SELECT row_to_json(b)::text FROM refund_batch b "
							+ "UNION ALL SELECT row_to_json(p)::text FROM batch_job_execution_params p "
							+ "UNION ALL SELECT row_to_json(c)::text FROM batch_step_execution_context c "
							+ "UNION ALL SELECT row_to_json(e)::text FROM batch_job_execution e",
					String.class);
			assertThat(everyRow).isNotEmpty().noneMatch(text -> text.contains(secret));
		}
	}

	@Test
	void aFileWithAWrongHeaderIsRefusedWholeAndSendsNothing() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given
			Path file = harness.csv("bad-header.csv", "request_id,group,amount,currency",
					"r-1,gp_8932172b9ae44d0caa04d5d419b43739,71,USD");

			// when
			JobHarness.Result result = harness.run(file);

			// then
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(result.err()).contains("missing column(s) group_id");
			assertThat(harness.sandbox.rapyd().requestCount()).isZero();
			assertThat(harness.run(file).exitCode()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(harness.sandbox.rapyd().requestCount()).isZero();
		}
	}

	@Test
	void aDryRunValidatesAndShowsTheRequestsButRecordsAndSendsNothing() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// when
			JobHarness.Result result = harness.cli("run", SAMPLE.toString(), "--provider", "rapyd", "--dry-run");

			// then
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			assertThat(result.out()).contains("{\"group_payment\":\"gp_8932172b9ae44d0caa04d5d419b43739\",\"amount\":71}")
				.contains("line 21 REJECTED")
				.contains("nothing was recorded or sent");
			assertThat(harness.sandbox.rapyd().requestCount()).isZero();
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_row", Integer.class)).isZero();
		}
	}

	/** Each SUCCEEDED row was applied exactly once, with its amount; nothing else was applied. */
	static void assertProviderMatchesLedger(JobHarness harness) {
		List<AppliedRefund> applied = harness.sandbox.rapyd().appliedRefunds();
		Map<String, List<AppliedRefund>> byKey = applied.stream()
			.collect(Collectors.groupingBy(AppliedRefund::idempotencyKey));
		List<Map<String, Object>> succeeded = harness.ledger
			.queryForList("SELECT idempotency_key, amount FROM refund_row WHERE status IN ('SUCCEEDED', 'PENDING')");
		assertThat(applied).hasSameSizeAs(succeeded);
		for (Map<String, Object> row : succeeded) {
			List<AppliedRefund> forRow = byKey.get((String) row.get("idempotency_key"));
			assertThat(forRow).as("applied refunds for %s", row).hasSize(1);
			if (row.get("amount") != null) {
				assertThat(forRow.get(0).amount()).isEqualByComparingTo((BigDecimal) row.get("amount"));
			}
		}
	}

	private static String statusOf(Map<String, Map<String, Object>> rows, String requestId) {
		return (String) rows.get(requestId).get("status");
	}

	private static String rejectionAt(Map<String, Map<String, Object>> rows, int line) {
		return (String) rows.get("line " + line).get("rejection");
	}

	private static int dataLines(Path csv) {
		try {
			return (int) Files.readAllLines(csv).stream().skip(1).filter(l -> !l.isBlank()).count();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
