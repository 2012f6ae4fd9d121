package io.grouprefunds.support;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.grouprefunds.sandbox.AppliedRefund;

/** Refund files over the sandbox's generated group payments (one refund each), and what to check afterwards. */
public final class Refunds {

	private Refunds() {
	}

	/** Group payments 1..rows (of 100.00 USD, generated in the sandbox) and a file refunding 10.00 from each. */
	public static Path file(JobHarness harness, String name, int rows) {
		harness.sandbox.rapyd().addGeneratedGroupPayments(rows);
		List<String> lines = new ArrayList<>();
		lines.add("request_id,group_id,amount,currency,reason");
		for (int i = 1; i <= rows; i++) {
			lines.add(String.format("%s-%05d,gp_%032x,10.00,USD,test", name, i, i));
		}
		return harness.csv(name + ".csv", lines.toArray(String[]::new));
	}

	/** Statuses of the ledger's rows, with how many rows have each. */
	public static Map<String, Integer> statusCounts(JobHarness harness) {
		Map<String, Integer> counts = new java.util.TreeMap<>();
		harness.ledger.queryForList("SELECT status, COUNT(*) AS n FROM refund_row GROUP BY status")
			.forEach(row -> counts.put((String) row.get("status"), ((Number) row.get("n")).intValue()));
		return counts;
	}

	/**
	 * The provider's side agrees with the ledger: every SUCCEEDED row was applied exactly once, with its key and
	 * amount, and nothing else was applied.
	 * @return a description of every disagreement; empty when they agree
	 */
	public static List<String> disagreements(JobHarness harness) {
		List<AppliedRefund> applied = harness.sandbox.rapyd().appliedRefunds();
		Map<String, List<AppliedRefund>> byGroup = applied.stream()
			.collect(Collectors.groupingBy(AppliedRefund::groupPaymentId));
		List<String> problems = new ArrayList<>();
		List<Map<String, Object>> succeeded = harness.ledger.queryForList(
				"SELECT line_number, group_id, idempotency_key, amount FROM refund_row WHERE status = 'SUCCEEDED'");
		if (succeeded.size() != applied.size()) {
			problems.add(applied.size() + " refunds applied for " + succeeded.size() + " rows SUCCEEDED");
		}
		for (Map<String, Object> row : succeeded) {
			List<AppliedRefund> onGroup = byGroup.getOrDefault((String) row.get("group_id"), List.of());
			if (onGroup.size() != 1) {
				problems.add("line " + row.get("line_number") + ": applied " + onGroup.size() + " times");
			}
			else if (!onGroup.get(0).idempotencyKey().equals(row.get("idempotency_key"))
					|| onGroup.get(0).amount().compareTo((BigDecimal) row.get("amount")) != 0) {
				problems.add("line " + row.get("line_number") + ": applied as " + onGroup.get(0));
			}
		}
		return problems;
	}

}
