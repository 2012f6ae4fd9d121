package io.grouprefunds.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.opencsv.CSVReader;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.sandbox.RefundLifecycle;
import io.grouprefunds.sandbox.RefundPart;
import io.grouprefunds.sandbox.RefundStatus;
import io.grouprefunds.support.ChildJob;
import io.grouprefunds.support.JobHarness;
import io.grouprefunds.support.ProviderFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A refund is done when the provider says it is done (issue 11): the real job against the sandbox's refund lifecycle
 * (parts Pending that settle Completed or Rejected later, Error at once, Completed at once), for both providers. The
 * sandbox's list of refund parts is the provider's final truth; after the settle time and {@code reconcile}, the
 * ledger, the result file and {@code status} must say the same, to the cent, and reconcile must send no refund.
 */
class LifecycleIT {

	/** Half Pending (40% of their parts Rejected later), 15% in Error at once, the rest Completed at once. */
	private static final RefundLifecycle MIX = RefundLifecycle.immediate()
		.withPendingRate(0.5)
		.withRejectRate(0.4)
		.withErrorRate(0.15)
		.withSettleAfter(Duration.ZERO)
		.withSeed(20261201L);

	@TempDir
	Path work;

	@ParameterizedTest
	@EnumSource(ProviderFixture.class)
	void everyRowEndsAsTheProvidersFinalWordAfterTheSettleTimeAndReconcile(ProviderFixture provider)
			throws Exception {
		try (JobHarness harness = JobHarness.of(work, provider)) {
			// given 40 groups of 60 + 40 USD and a refund of 50.00 from each, the sandbox answering a mix
			harness.simulated().setLifecycle(MIX);
			Path file = refunds(harness, provider, "mix", 40, "50.00", "USD");

			// when
			JobHarness.Result run = harness.run(file);

			// then the run records what each answer said: Completed at once, Error at once, Pending
			assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			Map<String, Integer> afterRun = statusCounts(harness);
			assertThat(afterRun).as(run.all()).containsKeys("SUCCEEDED", "PENDING", "DECLINED");
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_row WHERE status = 'PENDING' "
					+ "AND finished_at IS NULL", Integer.class)).isEqualTo(afterRun.get("PENDING"));
			assertLedgerMatchesTheProvider(harness, false);

			// when the provider settles its pending refunds (Rapyd's "Complete Refund" or a rejection) and the
			// nightly reconcile runs, with no batch argument
			assertThat(harness.simulated().settleAll()).isPositive();
			int requests = harness.simulated().requestCount();
			JobHarness.Result reconcile = harness.cli("reconcile");

			// then every row is the provider's final word, to the cent, and nothing was sent
			assertThat(reconcile.exitCode()).as(reconcile.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			assertThat(harness.simulated().requestCount()).isEqualTo(requests);
			assertThat(statusCounts(harness)).doesNotContainKeys("PENDING", "UNKNOWN", "SENDING", "RETRYABLE");
			assertLedgerMatchesTheProvider(harness, true);
			assertThat(reconcile.out()).contains("PENDING -> SUCCEEDED")
				.contains(provider == ProviderFixture.RAPYD ? "Pending -> Completed at " : " 0 -> 1 at ")
				.containsPattern("PENDING -> (DECLINED|DISCREPANCY)");
			List<RefundPart> truth = harness.simulated().refundParts();
			assertThat(truth).as("the mix had parts settled later to each end")
				.anyMatch(p -> p.status() == RefundStatus.COMPLETED && p.updatedAt().isAfter(p.createdAt()))
				.anyMatch(p -> p.status() == RefundStatus.REJECTED)
				.anyMatch(p -> p.status() == RefundStatus.ERROR)
				.anyMatch(p -> p.status() == RefundStatus.COMPLETED && p.updatedAt().equals(p.createdAt()));

			// and the result file and status say what the ledger says
			assertResultFileMatchesTheLedger(harness);
			String status = harness.cli("status", "1").out();
			assertThat(status).contains(rowsLine(harness)).contains("execution: COMPLETED").contains("next: ");
			assertThat(harness.cli("status").out()).contains("batch 1  " + provider.provider());

			// and a second reconcile finds nothing left to follow
			JobHarness.Result again = harness.cli("reconcile");
			assertThat(again.exitCode()).as(again.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(again.out()).contains("nothing to reconcile");
			assertThat(harness.simulated().requestCount()).isEqualTo(requests);
		}
	}

	@ParameterizedTest
	@EnumSource(ProviderFixture.class)
	void aReconcileKilledHalfwayLosesNothingAndTheNextOneFinishes(ProviderFixture provider) throws Exception {
		try (JobHarness harness = JobHarness.of(work, provider)) {
			// given 60 refunds all answered Pending, then settled by the provider (30% of the parts Rejected)
			harness.simulated().setLifecycle(MIX.withErrorRate(0).withPendingRate(1).withRejectRate(0.3));
			JobHarness.Result run = harness.run(refunds(harness, provider, "kill", 60, "50.00", "USD"));
			assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(statusCounts(harness)).containsOnlyKeys("PENDING");
			harness.simulated().settleAll();
			int requests = harness.simulated().requestCount();

			// when a reconcile in a process of its own, asking 5 times a second, is killed with SIGKILL halfway
			Path output = work.resolve("reconcile-output.log");
			List<String> args = new ArrayList<>(List.of("reconcile"));
			args.addAll(harness.set("refunds.throttle.rate-per-second", "5").settings());
			harness.set("refunds.throttle.rate-per-second", "0");
			Process child = ChildJob.start(output, args);
			try {
				Instant deadline = Instant.now().plusSeconds(90);
				while (settledRows(harness) < 10 && child.isAlive() && Instant.now().isBefore(deadline)) {
					Thread.sleep(20);
				}
				assertThat(child.isAlive()).as(Files.readString(output)).isTrue();
			}
			finally {
				child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			}

			// then every row is as it was or settled right; nothing half-done
			int settled = settledRows(harness);
			assertThat(settled).isBetween(10, 59);
			assertLedgerMatchesTheProvider(harness, false);

			// when the next reconcile runs
			JobHarness.Result next = harness.cli("reconcile");

			// then it finishes the job, and no refund was sent by either
			assertThat(next.exitCode()).as(next.all()).isIn(ExitCode.COMPLETED.code(),
					ExitCode.COMPLETED_WITH_REJECTIONS.code());
			assertThat(statusCounts(harness)).doesNotContainKey("PENDING");
			assertLedgerMatchesTheProvider(harness, true);
			assertResultFileMatchesTheLedger(harness);
			assertThat(harness.simulated().requestCount()).isEqualTo(requests);
		}
	}

	@Test
	void aQueryPathThatAnswers404IsAConfigurationErrorAtOnce() {
		ProviderFixture issuer = ProviderFixture.ISSUER;
		try (JobHarness harness = JobHarness.of(work, issuer)) {
			// given a wrong group query path
			harness.set("refunds.issuer.query-path", "/group/no-such-path");
			Path file = refunds(harness, issuer, "404", 3, "5.00", "USD");

			// when
			long started = System.nanoTime();
			JobHarness.Result run = harness.run(file);

			// then it stops at the first query, naming the setting, before any refund is sent
			assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.CONFIGURATION_ERROR.code());
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
			assertThat(run.err()).contains("refunds.issuer.query-path").contains("HTTP 404");
			assertThat(harness.simulated().requestCount()).isZero();

			// when the operator fixes it and restarts
			harness.set("refunds.issuer.query-path", "/group/detail");
			harness.simulated().setLifecycle(MIX.withErrorRate(0).withPendingRate(1));
			JobHarness.Result restarted = harness.cli("restart", "1");
			assertThat(restarted.exitCode()).as(restarted.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(statusCounts(harness)).containsOnlyKeys("PENDING");

			// and a wrong refund query path makes reconcile stop at once too, naming its setting
			harness.set("refunds.issuer.refund-query-path", "/group/refund/no-such-path");
			started = System.nanoTime();
			JobHarness.Result reconcile = harness.cli("reconcile");
			assertThat(reconcile.exitCode()).as(reconcile.all()).isEqualTo(ExitCode.CONFIGURATION_ERROR.code());
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
			assertThat(reconcile.err()).contains("refunds.issuer.refund-query-path");
			assertThat(statusCounts(harness)).containsOnlyKeys("PENDING");
		}
	}

	@ParameterizedTest
	@EnumSource(ProviderFixture.class)
	void aRowInAnotherCurrencyThanItsGroupIsCaughtByThePreflightAndNothingIsSent(ProviderFixture provider)
			throws IOException {
		try (JobHarness harness = JobHarness.of(work, provider)) {
			// given a USD row on a group in EUR, after a row that fits
			String usd = provider.addGroup(harness.sandbox, 1, Currency.getInstance("USD"),
					List.of(new BigDecimal("60.00"), new BigDecimal("40.00")));
			String eur = provider.addGroup(harness.sandbox, 2, Currency.getInstance("EUR"),
					List.of(new BigDecimal("60.00"), new BigDecimal("40.00")));
			// (the columns in an order of the operator's: rows READY at ingest keep no copy of their fields, and
			// the rejected-rows report rebuilds them in this order)
			Path file = harness.csv("currency.csv", "Currency, amount ,request_id,group_id",
					"USD,5.00,cur-1," + usd, "USD,5.00,cur-2," + eur, "USD,96.00,cur-3," + usd);

			// when a dry run looks at it
			JobHarness.Result dry = harness.cli("run", file.toString(), "--provider", provider.provider(), "--dry-run");

			// then it shows which rows cannot succeed, and sends nothing
			assertThat(dry.exitCode()).as(dry.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			assertThat(dry.out()).contains("line 3 REJECTED: preflight: group " + eur + " is in EUR, the row says USD")
				.contains("line 4 REJECTED: preflight: 96.00 USD is more than the 95.00 still refundable")
				.contains("preflight: 2 group(s) read with 2 quer(ies)");
			assertThat(harness.simulated().requestCount()).isZero();

			// when it runs with the preflight switched on
			harness.set("refunds." + provider.provider() + ".preflight", "true");
			JobHarness.Result run = harness.run(file);

			// then the row is REJECTED before anything is sent, the rest goes on
			assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			Map<String, Map<String, Object>> rows = harness.rowsByRequest();
			assertThat(rows.get("line 3").get("rejection")).asString().contains("is in EUR, the row says USD")
				.contains("nothing was sent");
			assertThat(rows.get("line 4").get("rejection")).asString().contains("still refundable");
			assertThat(rows.get("cur-1").get("status")).isEqualTo("SUCCEEDED");
			assertThat(harness.simulated().requestCount()).isOne();
			assertThat(harness.simulated().refundedAmount(eur)).isZero();
			assertThat(rows.get("cur-1").get("source_fields")).isNull();
			List<String> rejected = Files.readAllLines(harness.workDir.resolve("reports/batch-1-rejected.csv"));
			assertThat(rejected).hasSize(3);
			// (the header with its byte order mark, for spreadsheets)
			assertThat(rejected.get(0)).isEqualTo("\uFEFFrejection,Currency, amount ,request_id,group_id");
			assertThat(rejected.get(1)).contains("is in EUR")
				.endsWith(",\"USD\",\"5.00\",\"cur-2\",\"" + eur + "\"");
			assertThat(rejected.get(2)).contains("still refundable")
				.endsWith(",\"USD\",\"96.00\",\"cur-3\",\"" + usd + "\"");
		}
	}

	@Test
	void withoutThePreflightARowInAnotherCurrencyIsADiscrepancyWithWhatWasRefunded() {
		ProviderFixture rapyd = ProviderFixture.RAPYD;
		try (JobHarness harness = JobHarness.of(work, rapyd)) {
			// given a GBP row on an EUR group payment (Rapyd's call carries no currency: it refunds EUR)
			String eur = rapyd.addGroup(harness.sandbox, 3, Currency.getInstance("EUR"),
					List.of(new BigDecimal("60.00"), new BigDecimal("40.00")));
			Path file = harness.csv("gbp.csv", "request_id,group_id,amount,currency", "gbp-1," + eur + ",5,GBP");

			// when
			JobHarness.Result run = harness.run(file);

			// then it is flagged for a person with what actually went through, never SUCCEEDED
			assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			Map<String, Object> row = harness.rowsByRequest().get("gbp-1");
			assertThat(row.get("status")).isEqualTo("DISCREPANCY");
			assertThat((BigDecimal) row.get("refunded_amount")).isEqualByComparingTo("5.00");
			assertThat(row.get("refunded_currency")).isEqualTo("EUR");
			assertThat(row.get("provider_error_message")).asString().contains("refunded 5.00 EUR")
				.contains("asked for GBP");
			assertThat(harness.simulated().refundedAmount(eur)).isEqualByComparingTo("5");
			assertThat(run.out()).contains("DISCREPANCY").contains("refunded (what the provider says went through): "
					+ "5.00 EUR");
		}
	}

	// ---- the provider's truth, and the ledger's

	/** One group per row (two payments, 60% and 40%), each refunded {@code amount}. */
	private static Path refunds(JobHarness harness, ProviderFixture provider, String name, int rows, String amount,
			String currency) {
		List<String> lines = new ArrayList<>(List.of("request_id,group_id,amount,currency"));
		for (int i = 1; i <= rows; i++) {
			String group = provider.addGroup(harness.sandbox, 0x11FE0000L + i, Currency.getInstance(currency),
					List.of(new BigDecimal("60.00"), new BigDecimal("40.00")));
			lines.add(name + "-" + i + "," + group + "," + amount + "," + currency);
		}
		return harness.csv(name + ".csv", lines.toArray(String[]::new));
	}

	/**
	 * Each row against the parts its request created at the provider: the same part ids, and when the parts are final
	 * (or {@code settled}), the status and refunded amount they come to: all Completed SUCCEEDED, none Completed
	 * DECLINED, some DISCREPANCY; otherwise PENDING.
	 */
	private static void assertLedgerMatchesTheProvider(JobHarness harness, boolean settled) {
		Map<String, List<RefundPart>> truth = harness.simulated().refundParts().stream()
			.collect(Collectors.groupingBy(RefundPart::idempotencyKey));
		List<Map<String, Object>> rows = harness.ledger.queryForList("SELECT r.*, (SELECT string_agg("
				+ "p.provider_part_id, ' ' ORDER BY p.provider_part_id) FROM refund_part p WHERE p.row_id = r.row_id) "
				+ "AS part_ids FROM refund_row r WHERE status <> 'REJECTED' ORDER BY line_number");
		assertThat(rows).isNotEmpty();
		for (Map<String, Object> row : rows) {
			List<RefundPart> parts = truth.getOrDefault((String) row.get("idempotency_key"), List.of());
			String line = "line " + row.get("line_number") + " " + row;
			assertThat(parts).as(line).isNotEmpty();
			assertThat((String) row.get("part_ids")).as(line)
				.isEqualTo(parts.stream().map(RefundPart::id).sorted().collect(Collectors.joining(" ")));
			boolean allFinal = parts.stream().noneMatch(p -> p.status() == RefundStatus.PENDING);
			String status = (String) row.get("status");
			if (!allFinal) {
				assertThat(status).as(line).isEqualTo("PENDING");
				continue;
			}
			long completed = parts.stream().filter(p -> p.status() == RefundStatus.COMPLETED).count();
			String expected = completed == parts.size() ? "SUCCEEDED" : completed == 0 ? "DECLINED" : "DISCREPANCY";
			BigDecimal refunded = parts.stream()
				.filter(p -> p.status() == RefundStatus.COMPLETED)
				.map(RefundPart::amount)
				.reduce(BigDecimal.ZERO, BigDecimal::add);
			if (settled || !"PENDING".equals(status)) {
				assertThat(status).as(line).isEqualTo(expected);
				assertThat((BigDecimal) row.get("refunded_amount")).as(line).isEqualByComparingTo(refunded);
				assertThat(row.get("refunded_currency")).as(line).isEqualTo(parts.get(0).currency().getCurrencyCode());
				if (!"SUCCEEDED".equals(expected)) {
					assertThat(row.get("provider_error_message")).as(line).isNotNull();
				}
				else {
					assertThat(row.get("provider_error_message")).as(line).isNull();
					assertThat(row.get("evidence")).as(line).isNull();
				}
			}
		}
	}

	/** The result file has each row's status, refunded amount and refund ids as the ledger has them. */
	private static void assertResultFileMatchesTheLedger(JobHarness harness) throws IOException {
		Path file = harness.workDir.resolve("reports/batch-1-results.csv");
		Map<Integer, String[]> lines = new HashMap<>();
		List<String> header;
		try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVReader csv = new CSVReader(in)) {
			header = List.of(csv.readNext());
			for (String[] fields = csv.readNext(); fields != null; fields = csv.readNext()) {
				lines.put(Integer.valueOf(fields[0]), fields);
			}
		}
		catch (com.opencsv.exceptions.CsvValidationException ex) {
			throw new IllegalStateException(ex);
		}
		int status = header.indexOf("status");
		int refunded = header.indexOf("refunded_amount");
		int ids = header.indexOf("refund_ids");
		int key = header.indexOf("idempotency_key");
		assertThat(List.of(status, refunded, ids, key)).doesNotContain(-1);
		List<Map<String, Object>> rows = harness.ledger.queryForList("SELECT r.line_number, r.status, "
				+ "r.refunded_amount, r.idempotency_key, (SELECT string_agg(p.provider_part_id, ' ' ORDER BY p.part_id) "
				+ "FROM refund_part p WHERE p.row_id = r.row_id) AS ids FROM refund_row r");
		assertThat(lines).hasSameSizeAs(rows);
		for (Map<String, Object> row : rows) {
			String[] line = lines.get((Integer) row.get("line_number"));
			assertThat(line[status]).isEqualTo(row.get("status"));
			assertThat(line[key]).isEqualTo(row.get("idempotency_key") == null ? "" : row.get("idempotency_key"));
			assertThat(line[ids]).isEqualTo(row.get("ids") == null ? "" : row.get("ids"));
			if (row.get("refunded_amount") == null) {
				assertThat(line[refunded]).isEmpty();
			}
			else {
				assertThat(new BigDecimal(line[refunded])).isEqualByComparingTo((BigDecimal) row.get("refunded_amount"));
			}
		}
	}

	/** The summary's "N rows: {…}" line as the ledger's counts make it. */
	private static String rowsLine(JobHarness harness) {
		Map<RowStatus, Integer> counts = new TreeMap<>();
		statusCounts(harness).forEach((status, n) -> counts.put(RowStatus.valueOf(status), n));
		return counts.values().stream().mapToInt(Integer::intValue).sum() + " rows: " + counts;
	}

	private static int settledRows(JobHarness harness) {
		return harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_row WHERE status <> 'PENDING'",
				Integer.class);
	}

	private static Map<String, Integer> statusCounts(JobHarness harness) {
		Map<String, Integer> counts = new TreeMap<>();
		harness.ledger.queryForList("SELECT status, COUNT(*) AS n FROM refund_row GROUP BY status")
			.forEach(row -> counts.put((String) row.get("status"), ((Number) row.get("n")).intValue()));
		return counts;
	}

}
