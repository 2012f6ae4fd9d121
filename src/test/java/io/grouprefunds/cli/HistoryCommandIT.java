package io.grouprefunds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.grouprefunds.job.ExitCode;
import io.grouprefunds.report.RowHistory;
import io.grouprefunds.sandbox.faults.SandboxFaults;
import io.grouprefunds.support.JobHarness;
import io.grouprefunds.support.Refunds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail after a real run against a provider that answers 429 to some requests: every request the sandbox
 * received has its attempt row and answer, {@code refund_row.attempts} agrees with the attempt rows, and
 * {@code history} tells a retried row's story in order, as lines and as CSV.
 */
class HistoryCommandIT {

	@TempDir
	Path work;

	@Test
	void aRetriedRowsStoryIsToldInOrderAndEveryRequestHasItsAttempt() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given 40 rows in a file whose name a spreadsheet would read as a formula, and a provider that answers 429
			// to a third of the refund requests
			harness.sandbox.rapyd().addGeneratedGroupPayments(40);
			List<String> lines = new ArrayList<>(List.of("request_id,group_id,amount,currency"));
			for (int i = 1; i <= 40; i++) {
				lines.add(String.format("%s,gp_%032x,10.00,USD", "h-" + i, i));
			}
			Path file = harness.csv("=history.csv", lines.toArray(String[]::new));
			harness.set("refunds.submit.max-backoff", "50ms");
			harness.sandbox.rapyd().setFaults(SandboxFaults.builder().tooManyRequests(0.33).retryAfterSeconds(null)
				.seed(7).build());

			// when
			JobHarness.Result run = harness.run(file);

			// then every row succeeded once, and the attempt log holds exactly the requests the provider received
			assertThat(run.exitCode()).as(run.all()).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(Refunds.disagreements(harness)).isEmpty();
			Map<String, Integer> logged = new HashMap<>();
			harness.ledger.queryForList("SELECT idempotency_key, COUNT(*) AS n FROM refund_attempt "
					+ "WHERE kind = 'REFUND' GROUP BY idempotency_key")
				.forEach(row -> logged.put((String) row.get("idempotency_key"), ((Number) row.get("n")).intValue()));
			assertThat(logged).isEqualTo(harness.sandbox.rapyd().requestsByIdempotencyKey());
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_attempt a WHERE NOT EXISTS "
					+ "(SELECT 1 FROM refund_attempt_answer w WHERE w.attempt_id = a.attempt_id)", Integer.class))
				.as("attempts without an answer").isZero();
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_attempt_answer "
					+ "WHERE outcome = 'RATE_LIMITED' AND http_status = 429", Integer.class))
				.isEqualTo(harness.sandbox.rapyd().tooManyRequestsCount()).isPositive();
			// and refund_row.attempts is the attempt rows but the 429s: one each
			assertThat(harness.ledger.queryForList("SELECT DISTINCT attempts FROM refund_row", Integer.class))
				.containsExactly(1);
			assertThat(harness.ledger.queryForObject("SELECT COUNT(*) FROM refund_row r WHERE r.attempts <> "
					+ "(SELECT COUNT(*) FROM refund_attempt a LEFT JOIN refund_attempt_answer w USING (attempt_id) "
					+ "WHERE a.row_id = r.row_id AND a.kind = 'REFUND' AND w.outcome NOT IN ('RATE_LIMITED', "
					+ "'NOT_SENT'))", Integer.class)).isZero();

			// when the operator asks for the story of a row that was refused with a 429 and then sent again
			Map<String, Object> retried = harness.ledger.queryForMap("SELECT r.row_id, r.request_id, r.idempotency_key, "
					+ "COUNT(*) AS n FROM refund_attempt a JOIN refund_row r USING (row_id) WHERE a.kind = 'REFUND' "
					+ "GROUP BY r.row_id ORDER BY COUNT(*) DESC, r.row_id LIMIT 1");
			int attempts = ((Number) retried.get("n")).intValue();
			assertThat(attempts).isGreaterThan(1);
			String requestId = (String) retried.get("request_id");
			JobHarness.Result history = harness.cli("history", requestId);

			// then it names the row, then each attempt in order (429s, then the success), and each status change
			assertThat(history.exitCode()).as(history.all()).isZero();
			List<String> story = Arrays.asList(history.out().split("\n"));
			assertThat(story.get(0)).contains("row " + retried.get("row_id") + " (matched by request_id)")
				.contains("batch 1").contains("provider rapyd").contains("file =history.csv");
			assertThat(story.get(1)).contains("request_id " + requestId).contains("10.00 USD")
				.contains("status SUCCEEDED").contains("attempts 1");
			// (the operator decisions on the batch, written by the approval flow, are not this test's)
			List<String> events = story.subList(2, story.size()).stream().filter(l -> !l.contains(" decision "))
				.toList();
			assertThat(events).hasSize(attempts + 2);
			assertThat(events.get(0)).contains("status READY -> SENDING; by ")
				.contains("(os user " + System.getProperty("user.name"));
			// and the operator decision that created the batch, with who took it
			assertThat(story).anySatisfy(line -> assertThat(line).contains("decision RUN on the batch; by ")
				.contains("(os user " + System.getProperty("user.name")).contains("=history.csv"));
			for (int i = 1; i < attempts; i++) {
				assertThat(events.get(i)).contains("REFUND attempt " + i + " recorded; sent ").contains("; HTTP 429; "
						+ "RATE_LIMITED; ").contains("; process ").contains("; execution ");
			}
			assertThat(events.get(attempts)).contains("REFUND attempt " + attempts + " recorded; sent ")
				.contains("; HTTP 200; SUCCEEDED; reference ");
			assertThat(events.get(attempts + 1)).contains("status SENDING -> SUCCEEDED; by ");

			// and the same key by idempotency key and by row id; an unknown key is a usage error
			assertThat(harness.cli("history", (String) retried.get("idempotency_key")).out())
				.contains("(matched by idempotency key)").contains("REFUND attempt " + attempts);
			assertThat(harness.cli("history", String.valueOf(retried.get("row_id"))).out())
				.contains("(matched by row id)");
			JobHarness.Result unknown = harness.cli("history", "no-such-request");
			assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE.code());
			assertThat(unknown.err()).contains("no row has the request_id, idempotency key or row id no-such-request");

			// and --csv writes the same story, one line per event, spreadsheet-safe
			JobHarness.Result csv = harness.cli("history", requestId, "--csv");
			assertThat(csv.exitCode()).as(csv.all()).isZero();
			List<String> rows = Arrays.stream(csv.out().split("\n")).filter(l -> !l.contains(",DECISION,")).toList();
			assertThat(rows.get(0)).isEqualTo(String.join(",", RowHistory.csvColumns()));
			assertThat(rows).hasSize(attempts + 3);
			assertThat(rows.get(2)).contains(",ATTEMPT,REFUND,1,").contains(",429,RATE_LIMITED,");
			assertThat(rows.get(attempts + 1)).contains(",200,SUCCEEDED,");
			assertThat(rows.get(attempts + 2)).contains(",STATUS,STATUS_CHANGE,").contains(",SENDING,SUCCEEDED,");
			assertThat(rows.subList(1, rows.size())).allSatisfy(line -> assertThat(line).contains(",'=history.csv,")
				.doesNotContain(",=history.csv,"));
		}
	}

}
