package io.grouprefunds.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.opencsv.CSVReader;
import com.opencsv.exceptions.CsvValidationException;
import io.grouprefunds.sandbox.AppliedRefund;
import io.grouprefunds.sandbox.SandboxSettings;
import io.grouprefunds.support.JobHarness;
import io.grouprefunds.support.ProviderFixture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real job, run through its command line, against a real PostgreSQL and the provider's sandbox over HTTP, for
 * every provider. The sandbox's record of applied refunds is the provider's side of the story and must match the
 * ledger to the cent.
 */
class EndToEndIT {

	@TempDir
	Path work;

	@ParameterizedTest
	@EnumSource(ProviderFixture.class)
	void sampleFileRefundsTheValidRowsAndSetsAsideTheRest(ProviderFixture provider) {
		try (JobHarness harness = JobHarness.of(work, provider)) {
			// given the provider's sample file, whose reason column says what each row must come to
			Path sample = provider.sample().file();
			Map<Integer, String> expected = announcedStatuses(sample);

			// when
			JobHarness.Result result = harness.run(sample);

			// then: completed, with declined and rejected rows needing a person
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			assertThat(statusByLine(harness)).isEqualTo(expected);
			provider.sample().rejections().forEach((line, text) -> assertThat(rowAt(harness, line).get("rejection"))
				.as("rejection on line %d", line)
				.asString()
				.contains(text));
			Map<String, Map<String, Object>> rows = harness.rowsByRequest();
			provider.sample().declines().forEach((requestId, codeAndMessage) -> {
				assertThat(rows.get(requestId).get("provider_error_code")).isEqualTo(codeAndMessage.get(0));
				assertThat((String) rows.get(requestId).get("provider_error_message"))
					.contains(codeAndMessage.subList(1, codeAndMessage.size()));
			});
			assertThat(harness.ledger.queryForList("SELECT provider_operation_id FROM refund_row "
					+ "WHERE status = 'SUCCEEDED'", String.class)).doesNotContainNull().doesNotHaveDuplicates();
			assertThat(result.out()).contains("SUCCEEDED").contains("DECLINED").contains("REJECTED");
			assertThat(harness.workDir.resolve("reports/batch-1-results.csv")).exists();

			// and the provider applied exactly the SUCCEEDED rows, each once, to the cent
			assertProviderMatchesLedger(harness);
			provider.sample()
				.refunded()
				.forEach((group, amount) -> assertThat(harness.simulated().refundedAmount(group))
					.as("refunded from %s", group)
					.isEqualByComparingTo(amount));
		}
	}

	@ParameterizedTest
	@EnumSource(ProviderFixture.class)
	void wrongSecretKeyStopsTheJobWithNothingSentAndARestartFinishesIt(ProviderFixture provider) {
		try (JobHarness harness = JobHarness.of(work, provider)) {
			// given
			harness.set(provider.secretSetting(), "NOT_THE_RIGHT_ONE");

			// when
			JobHarness.Result result = harness.run(provider.sample().file());

			// then: configuration error, no row recorded as sent, nothing applied
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.CONFIGURATION_ERROR.code());
			assertThat(result.err()).contains(provider.badCredentialsCode()).contains(provider.secretSetting());
			assertThat(harness.ledger.queryForList("SELECT DISTINCT status FROM refund_row", String.class))
				.doesNotContain("SENDING", "SUCCEEDED", "PENDING", "UNKNOWN", "DECLINED");
			assertThat(harness.simulated().appliedRefunds()).isEmpty();

			// when the operator fixes the key and restarts
			harness.set(provider.secretSetting(), provider.secret(harness.sandboxSettings));
			JobHarness.Result restarted = harness.cli("restart", "1");

			// then
			assertThat(restarted.exitCode()).as(restarted.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			assertProviderMatchesLedger(harness);
			assertThat(statusByLine(harness)).isEqualTo(announcedStatuses(provider.sample().file()));
		}
	}

	@ParameterizedTest
	@EnumSource(ProviderFixture.class)
	void aCompletedFileRunAgainIsRefusedAndSendsNothing(ProviderFixture provider) {
		try (JobHarness harness = JobHarness.of(work, provider)) {
			// given
			assertThat(harness.run(provider.sample().file()).exitCode())
				.isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			int requests = harness.simulated().requestCount();

			// when
			JobHarness.Result again = harness.run(provider.sample().file());

			// then
			assertThat(again.exitCode()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(again.err()).contains("already processed as batch 1");
			assertThat(harness.simulated().requestCount()).isEqualTo(requests);
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_batch", Integer.class)).isOne();
		}
	}

	@ParameterizedTest
	@EnumSource(ProviderFixture.class)
	void aFileForTheOtherProviderIsRefusedBeforeAnythingIsSentAndRunsWithTheRightName(ProviderFixture provider) {
		try (JobHarness harness = JobHarness.of(work, provider)) {
			// given the other provider's sample file
			ProviderFixture other = provider.other();
			Path file = other.sample().file();

			// when it is run with this provider's name
			JobHarness.Result wrong = harness.run(file);

			// then it is refused, saying which provider it is for, with nothing recorded or sent to either
			assertThat(wrong.exitCode()).as(wrong.all()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(wrong.err()).contains("looks like a file for provider " + other.provider())
				.contains("run it with --provider " + other.provider());
			assertThat(provider.of(harness.sandbox).requestCount()).isZero();
			assertThat(other.of(harness.sandbox).requestCount()).isZero();
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_batch", Integer.class)).isZero();

			// when the operator runs it as told
			JobHarness.Result right = harness.cli("run", file.toString(), "--provider", other.provider());

			// then it goes through as a new batch
			assertThat(right.exitCode()).as(right.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			assertThat(statusByLine(harness)).isEqualTo(announcedStatuses(file));
			assertThat(provider.of(harness.sandbox).requestCount()).isZero();
		}
	}

	@ParameterizedTest
	@EnumSource(ProviderFixture.class)
	void theSecretKeyAppearsInNoLogReportOrLedgerColumn(ProviderFixture provider) throws Exception {
		String secret = "Very_Distinctive_Secret_4f1c9e";
		try (JobHarness harness = new JobHarness(work, provider.withSecret(SandboxSettings.defaults(), secret),
				provider)) {
			// given everything logged, down to DEBUG, and a run that also fails once on a wrong key
			harness.set("logging.level.root", "DEBUG");
			harness.set(provider.secretSetting(), secret + "x");
			JobHarness.Result failed = harness.run(provider.sample().file());
			harness.set(provider.secretSetting(), secret);

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

	@ParameterizedTest
	@EnumSource(ProviderFixture.class)
	void aFileWithAWrongHeaderIsRefusedWholeAndSendsNothing(ProviderFixture provider) {
		try (JobHarness harness = JobHarness.of(work, provider)) {
			// given
			Path file = harness.csv("bad-header.csv", "request_id,group,amount,currency",
					"r-1," + provider.groupId(1) + ",71,USD");

			// when
			JobHarness.Result result = harness.run(file);

			// then
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(result.err()).contains("missing column(s) group_id");
			assertThat(harness.simulated().requestCount()).isZero();
			assertThat(harness.run(file).exitCode()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(harness.simulated().requestCount()).isZero();
		}
	}

	@ParameterizedTest
	@EnumSource(ProviderFixture.class)
	void aDryRunValidatesAndShowsTheRequestsButRecordsAndSendsNothing(ProviderFixture provider) {
		try (JobHarness harness = JobHarness.of(work, provider)) {
			// when
			JobHarness.Result result = harness.cli("run", provider.sample().file().toString(), "--provider",
					provider.provider(), "--dry-run");

			// then
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			assertThat(result.out()).contains(provider.sample().preview())
				.contains("line " + provider.sample().firstRejectedLine() + " REJECTED")
				.contains("nothing was recorded or sent");
			assertThat(harness.simulated().requestCount()).isZero();
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_row", Integer.class)).isZero();
		}
	}

	/** Each SUCCEEDED row was applied exactly once, with its amount; nothing else was applied. */
	static void assertProviderMatchesLedger(JobHarness harness) {
		List<AppliedRefund> applied = harness.simulated().appliedRefunds();
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

	/**
	 * What each line of a sample file announces in its reason column: "invalid: …" is REJECTED, "… the provider
	 * declines" is DECLINED, anything else SUCCEEDED.
	 */
	private static Map<Integer, String> announcedStatuses(Path sample) {
		Map<Integer, String> statuses = new LinkedHashMap<>();
		try (Reader in = Files.newBufferedReader(sample); CSVReader csv = new CSVReader(in)) {
			List<String> header = List.of(csv.readNext());
			int reason = header.indexOf("reason");
			for (String[] fields = csv.readNext(); fields != null; fields = csv.readNext()) {
				int line = (int) csv.getLinesRead();
				String text = fields[reason];
				statuses.put(line, text.startsWith("invalid:") ? "REJECTED"
						: text.contains("the provider declines") ? "DECLINED" : "SUCCEEDED");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (CsvValidationException ex) {
			throw new IllegalStateException(ex);
		}
		return statuses;
	}

	private static Map<Integer, String> statusByLine(JobHarness harness) {
		Map<Integer, String> statuses = new LinkedHashMap<>();
		harness.ledger.queryForList("SELECT line_number, status FROM refund_row ORDER BY line_number")
			.forEach(row -> statuses.put((Integer) row.get("line_number"), (String) row.get("status")));
		return statuses;
	}

	private static Map<String, Object> rowAt(JobHarness harness, int line) {
		return harness.ledger.queryForMap("SELECT * FROM refund_row WHERE line_number = ?", line);
	}

}
