package io.grouprefunds.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.grouprefunds.job.ExitCode;
import io.grouprefunds.sandbox.AppliedRefund;
import io.grouprefunds.support.JobHarness;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * A few random files through the whole job, the real command line and the sandbox over HTTP (a fresh ledger and
 * sandbox each try): every data row ends in exactly one state, the provider applied exactly the valid rows, each once
 * and to the cent, and nothing REJECTED ever reached it.
 */
class RandomFilesThroughTheJobIT {

	private static final BigDecimal PLENTY = new BigDecimal("10000000000000000");

	@Property(tries = 5, shrinking = ShrinkingMode.OFF)
	void theProviderSeesExactlyTheValidRowsOfAnyFile(@ForAll("files") GeneratedFiles.File file) throws IOException {
		Path work = Files.createTempDirectory("random-files");
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// the job gets the limits the generator judged the rows by
			GeneratedRows.LIMITS.maxAmount()
				.forEach((currency, max) -> harness.set("refunds.ingest.max-amount." + currency, max.toPlainString()));
			// given a random file whose well-formed group ids all exist at the provider, with money to spare
			// (a group payment has one currency, its first row's: a valid row of another currency on the same group is
			// sent, and refunded in the group's currency, a DISCREPANCY, or refused, DECLINED)
			Map<String, String> groups = new HashMap<>();
			for (GeneratedFiles.WrittenRow row : file.rows()) {
				String group = row.row().groupId().text();
				if (row.row().groupId().valid() && !groups.containsKey(group)) {
					String currency = row.row().currency().valid() ? row.row().currency().text() : "USD";
					groups.put(group, currency);
					harness.sandbox.rapyd().addGroupPayment(group, Currency.getInstance(currency), "closed",
							List.of(PLENTY, PLENTY));
				}
			}
			Path path = file.writeTo(work, "random.csv");

			// when
			JobHarness.Result result = harness.run(path);

			// then the job completed, and each data row ended in exactly one state: sent if valid, REJECTED if not
			assertThat(result.exitCode()).as(result.all())
				.isEqualTo(file.readyRows() == file.rows().size() ? ExitCode.COMPLETED.code()
						: ExitCode.COMPLETED_WITH_REJECTIONS.code());
			Map<Integer, Map<String, Object>> byLine = new HashMap<>();
			harness.ledger.queryForList("SELECT * FROM refund_row")
				.forEach(row -> assertThat(byLine.put((Integer) row.get("line_number"), row)).isNull());
			assertThat(byLine.keySet()).containsExactlyInAnyOrderElementsOf(
					file.rows().stream().map(GeneratedFiles.WrittenRow::line).toList());
			for (GeneratedFiles.WrittenRow row : file.rows()) {
				Object status = byLine.get(row.line()).get("status");
				if (!row.ready()) {
					assertThat(status).as("line %d %s", row.line(), row.row()).isEqualTo("REJECTED");
				}
				else if (row.row().currency().text().equals(groups.get(row.row().groupId().text()))) {
					assertThat(status).as("line %d %s", row.line(), row.row()).isEqualTo("SUCCEEDED");
				}
				else {
					// sent in the group's currency: refunded (a DISCREPANCY) or refused by the provider (DECLINED)
					assertThat(status).as("line %d %s", row.line(), row.row()).isIn("DISCREPANCY", "DECLINED");
				}
			}

			// and the provider applied exactly the valid rows, once each, with their amounts
			Map<String, Map<String, Object>> sent = byLine.values()
				.stream()
				.filter(row -> row.get("status").equals("SUCCEEDED") || row.get("status").equals("DISCREPANCY"))
				.collect(Collectors.toMap(row -> (String) row.get("idempotency_key"), row -> row));
			List<AppliedRefund> applied = harness.sandbox.rapyd().appliedRefunds();
			assertThat(applied).extracting(AppliedRefund::idempotencyKey)
				.doesNotHaveDuplicates()
				.containsExactlyInAnyOrderElementsOf(sent.keySet());
			for (AppliedRefund refund : applied) {
				Map<String, Object> row = sent.get(refund.idempotencyKey());
				assertThat(refund.groupPaymentId()).isEqualTo(row.get("group_id"));
				if (row.get("amount") != null) {
					assertThat(refund.amount()).isEqualByComparingTo((BigDecimal) row.get("amount"));
				}
			}
			assertThat(harness.sandbox.rapyd().requestCount()).isEqualTo(file.readyRows()); // each valid row once

			// and the rejected-rows file lists exactly the REJECTED rows
			long rejected = file.rows().size() - file.readyRows();
			Path rejectedFile = work.resolve("reports/batch-1-rejected.csv");
			if (rejected == 0) {
				assertThat(rejectedFile).doesNotExist();
			}
			else {
				String text = Files.readString(rejectedFile, StandardCharsets.UTF_8);
				for (GeneratedFiles.WrittenRow row : file.rows()) {
					if (!row.ready()) {
						assertThat(text).contains("\"line " + row.line() + ": ");
					}
				}
			}
		}
		finally {
			deleteQuietly(work);
		}
	}

	@Provide
	Arbitrary<GeneratedFiles.File> files() {
		return GeneratedFiles.files(GeneratedRows.rows(GeneratedRows.RAPYD), 25);
	}

	private static void deleteQuietly(Path dir) {
		try (var paths = Files.walk(dir)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			// a temporary folder left behind harms nothing
		}
	}

}
