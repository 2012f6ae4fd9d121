package io.grouprefunds.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.grouprefunds.support.JobHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file gate's decisions that take more than one run (the same file again, control totals kept by an unfinished
 * batch, a refused file fixed by its options), and the reports an operator opens: the result file, the rejected-rows
 * file they fix and run again, and {@code status}. Through the real command line, a real PostgreSQL and the sandbox.
 */
class InputAndReportsIT {

	private static final String HEADER = "request_id,group_id,amount,currency,reason";

	private static final String GP_USD = "gp_6a42ed19aa5bf36518677db75c80f9be";

	private static final String GP_USD_2 = "gp_50e2e001224f4790924cfa31c961c211";

	private static final String GP_EUR = "gp_566bf9d7c55a45f8d1a6e55e9b9b1325";

	@TempDir
	Path work;

	@Test
	void aProcessedFileIsRefusedUnlessReprocessingIsAllowedAndThenItsUsedRequestIdsAreRejectedNotResent() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given a file processed once
			Path file = harness.csv("twice.csv", HEADER, "tw-1," + GP_USD + ",1.00,USD,a", "tw-2," + GP_USD_2
					+ ",2.00,USD,b");
			assertThat(harness.run(file).exitCode()).isEqualTo(ExitCode.COMPLETED.code());
			int requests = harness.sandbox.rapyd().requestCount();

			// when it is run again, without and then with --allow-reprocess
			JobHarness.Result refused = harness.run(file);
			JobHarness.Result reprocessed = harness.cli("run", file.toString(), "--provider", "rapyd",
					"--allow-reprocess");

			// then the first is refused and says how to reprocess; the second is a new batch that sends nothing
			assertThat(refused.exitCode()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(refused.err()).contains("already processed as batch 1").contains("--allow-reprocess");
			assertThat(reprocessed.exitCode()).as(reprocessed.all())
				.isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			assertThat(reprocessed.out()).contains("Batch 2").contains("processes again the file of batch 1");
			assertThat(harness.ledger.queryForList("SELECT rejection FROM refund_row WHERE batch_id = 2 ORDER BY "
					+ "line_number", String.class))
				.containsExactly("request_id tw-1 was already used by batch 1 (line 2); a refund is sent once only",
						"request_id tw-2 was already used by batch 1 (line 3); a refund is sent once only");
			assertThat(harness.sandbox.rapyd().requestCount()).isEqualTo(requests);
			assertThat(harness.sandbox.rapyd().appliedRefunds()).hasSize(2);
		}
	}

	@Test
	void aFileRefusedForItsControlTotalsRunsAgainWithCorrectedTotalsAsANewBatch() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given a file refused because the operator's total was wrong
			Path file = harness.csv("totals.csv", HEADER, "tt-1," + GP_USD + ",1.00,USD,a", "tt-2," + GP_USD_2
					+ ",2.50,USD,b", "tt-3," + GP_EUR + ",3,EUR,c");
			JobHarness.Result refused = harness.cli("run", file.toString(), "--provider", "rapyd", "--expect-total",
					"3.49", "USD", "--expect-total", "3", "EUR");

			// when the operator runs it again with the right totals
			JobHarness.Result accepted = harness.cli("run", file.toString(), "--provider", "rapyd", "--expect-rows", "3",
					"--expect-total", "3.50", "USD", "--expect-total", "3.00", "EUR", "--max-total", "10", "USD",
					"--max-total", "10", "EUR");

			// then the first refusal sent nothing and closed its batch; the second batch sent the file
			assertThat(refused.exitCode()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(refused.err()).contains("file refused, nothing was sent (batch 1): the valid USD rows add up to "
					+ "3.50 USD, not --expect-total 3.49 USD");
			assertThat(accepted.exitCode()).as(accepted.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(accepted.out()).contains("Batch 2")
				.contains("control totals: --expect-rows 3 --expect-total 3.00 EUR --expect-total 3.50 USD "
						+ "--max-total 10.00 EUR --max-total 10.00 USD");
			assertThat(harness.ledger.queryForList("SELECT batch_id || ':' || status FROM refund_row ORDER BY batch_id, "
					+ "line_number", String.class))
				.containsExactly("1:REJECTED", "1:REJECTED", "1:REJECTED", "2:SUCCEEDED", "2:SUCCEEDED", "2:SUCCEEDED");
			assertThat(harness.sandbox.rapyd().appliedRefunds()).hasSize(3);
		}
	}

	@Test
	void anUnfinishedBatchKeepsTheControlTotalsItStartedWith() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given a batch that passed its gate with totals, then stopped on a wrong key before sending anything
			Path file = harness.csv("keep.csv", HEADER, "kp-1," + GP_USD + ",1.00,USD,a", "kp-2," + GP_USD_2
					+ ",2.00,USD,b");
			harness.set("refunds.rapyd.secret-key", "rsk_WRONG");
			JobHarness.Result stopped = harness.cli("run", file.toString(), "--provider", "rapyd", "--expect-total",
					"3", "USD");
			assertThat(stopped.exitCode()).as(stopped.all()).isEqualTo(ExitCode.CONFIGURATION_ERROR.code());
			harness.set("refunds.rapyd.secret-key", harness.sandboxSettings.rapydSecretKey());

			// when the file is run again with other totals, then with the same ones written another way
			JobHarness.Result otherTotals = harness.cli("run", file.toString(), "--provider", "rapyd",
					"--expect-total", "2", "USD");
			JobHarness.Result sameTotals = harness.cli("run", file.toString(), "--provider", "rapyd",
					"--expect-total", "3.00", "usd");

			// then other totals are refused without touching the batch; the same totals resume it
			assertThat(otherTotals.exitCode()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(otherTotals.err()).contains("this file is batch 1, not finished, started with --expect-total "
					+ "3.00 USD").contains("restart 1");
			assertThat(sameTotals.exitCode()).as(sameTotals.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(harness.cli("status", "1").out()).contains("control totals: --expect-total 3.00 USD");
			assertThat(harness.sandbox.rapyd().appliedRefunds()).hasSize(2);
		}
	}

	@Test
	void theRejectedRowsComeBackAsTheOperatorWroteThemAndTheFixedFileRunsAsItIs() throws IOException {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given a file in the operator's own column order, with two bad rows, one of them a formula
			Path file = harness.csv("mine.csv", "Currency, Amount ,group_id,reason,request_id",
					"USD,1.00," + GP_USD + ",fine,rr-1",
					"USD,\"1,50\"," + GP_USD_2 + ",\"=HYPERLINK(\"\"http://x\"\")\",rr-2",
					"EUR,3," + GP_EUR + ",-- note,rr-3",
					"USD,2.5,gp_TYPO,typo,rr-4");

			// when
			JobHarness.Result result = harness.run(file);

			// then the rejected rows file has the operator's header and fields, the reason first, formulas defused
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			assertThat(result.out()).contains("rejected rows: " + harness.workDir.resolve("reports/batch-1-rejected.csv"));
			Path rejectedFile = harness.workDir.resolve("reports/batch-1-rejected.csv");
			List<String> rejected = Files.readAllLines(rejectedFile, StandardCharsets.UTF_8);
			assertThat(rejected).containsExactly("\uFEFFrejection,Currency, Amount ,group_id,reason,request_id",
					"\"line 3: amount '1,50' uses a decimal comma; write it with a dot\",\"USD\",\"1,50\",\"" + GP_USD_2
							+ "\",\"'=HYPERLINK(\"\"http://x\"\")\",\"rr-2\"",
					"\"line 5: group_id 'gp_TYPO' is not a Rapyd group payment id: gp_ and 32 lowercase hex digits\","
							+ "\"USD\",\"2.5\",\"gp_TYPO\",\"typo\",\"rr-4\"");

			// when the operator fixes the two rows in that file and runs it as it is
			Path fixed = Files.writeString(harness.workDir.resolve("fixed.csv"), Files
				.readString(rejectedFile, StandardCharsets.UTF_8)
				.replace("\"1,50\"", "\"1.50\"")
				.replace("gp_TYPO", "gp_12400dfacf737131b1b0b480ac7a0c5d"), StandardCharsets.UTF_8);
			JobHarness.Result again = harness.run(fixed);

			// then both rows are refunded, and the file's rejection column was ignored
			assertThat(again.exitCode()).as(again.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(harness.ledger.queryForList("SELECT request_id || ':' || status FROM refund_row WHERE "
					+ "batch_id = 2 ORDER BY line_number", String.class))
				.containsExactly("rr-2:SUCCEEDED", "rr-4:SUCCEEDED");
			assertThat(harness.sandbox.rapyd().appliedRefunds()).hasSize(4);
		}
	}

	@Test
	void theResultFileKeepsEveryInputRowWithItsOutcomeSafeForASpreadsheet() throws IOException {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given
			Path file = harness.csv("result.csv", HEADER, "rs-1," + GP_USD + ",1.5,USD,+44 call back",
					"rs-2,gp_bad,2,USD,@bad", "rs-3," + GP_EUR + ",,EUR,whole group");

			// when
			JobHarness.Result result = harness.run(file);

			// then
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			List<String> lines = Files.readAllLines(harness.workDir.resolve("reports/batch-1-results.csv"),
					StandardCharsets.UTF_8);
			assertThat(lines.get(0)).isEqualTo("\uFEFFline_number,request_id,group_id,amount,currency,reason,status,"
					+ "attempts,provider_reference,provider_refund_status,refunded_amount,refunded_currency,refund_ids,"
					+ "idempotency_key,error_code,error_message,http_status,rejection,evidence,sent_at_utc,"
					+ "finished_at_utc");
			assertThat(lines.get(1)).startsWith("\"2\",\"rs-1\",\"" + GP_USD + "\",\"1.50\",\"USD\",\"'+44 call back\","
					+ "\"SUCCEEDED\",\"1\",\"").matches(".*\"\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\"$");
			assertThat(lines.get(2)).startsWith("\"3\",\"rs-2\",\"gp_bad\",\"2\",\"USD\",\"'@bad\",\"REJECTED\",\"0\"");
			assertThat(lines.get(3)).startsWith("\"4\",\"rs-3\",\"" + GP_EUR + "\",\"\",\"EUR\",\"whole group\","
					+ "\"SUCCEEDED\"");

			// and status prints rows and amounts per status and currency, with where the reports are
			String status = harness.cli("status", "1").out();
			assertThat(status).containsPattern("SUCCEEDED\\s+EUR\\s+1\\s+-\\s+1")
				.containsPattern("SUCCEEDED\\s+USD\\s+1\\s+1.5")
				.containsPattern("REJECTED\\s+USD\\s+1")
				.contains("result file: ")
				.contains("rejected rows: ");
		}
	}

	@Test
	void aDryRunChecksTheControlTotalsAndRecordsNothing() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given
			Path file = harness.csv("dry.csv", HEADER, "dr-1," + GP_USD + ",1.00,USD,a");

			// when
			JobHarness.Result wrong = harness.cli("run", file.toString(), "--provider", "rapyd", "--dry-run",
					"--expect-total", "2", "USD");
			JobHarness.Result right = harness.cli("run", file.toString(), "--provider", "rapyd", "--dry-run",
					"--expect-rows", "1", "--max-total", "1", "USD");

			// then
			assertThat(wrong.exitCode()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(wrong.out()).contains("file refused: the valid USD rows add up to 1.00 USD, not --expect-total "
					+ "2.00 USD");
			assertThat(right.exitCode()).as(right.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_batch", Integer.class)).isZero();
			assertThat(harness.sandbox.rapyd().requestCount()).isZero();
		}
	}

	@Test
	void aRefusedFileLeavesItsRowsAndReasonsInTheReports() throws IOException {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given a file with one bad row, refused by its total
			Path file = harness.csv("refused.csv", HEADER, "rf-1," + GP_USD + ",1.00,USD,a", "rf-2," + GP_USD_2
					+ ",1.005,USD,b");

			// when
			JobHarness.Result result = harness.cli("run", file.toString(), "--provider", "rapyd", "--expect-total",
					"2.00", "USD");

			// then the refusal points at the reports; each row says whether it was wrong or only refused with the file
			assertThat(result.exitCode()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(result.err()).contains("(1 USD row(s) were REJECTED")
				.contains("the rows to fix, with why: " + harness.workDir.resolve("reports/batch-1-rejected.csv"));
			Map<String, Object> first = harness.ledger.queryForMap("SELECT status, rejection FROM refund_row WHERE "
					+ "line_number = 2");
			assertThat(first.get("rejection")).asString().startsWith("file refused: the valid USD rows add up to");
			assertThat(Files.readString(harness.workDir.resolve("reports/batch-1-rejected.csv")))
				.contains("line 3: amount 1.005 has 3 decimals; USD allows 2")
				.contains("line 2: file refused: ");
		}
	}

}
