package io.grouprefunds.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import io.grouprefunds.sandbox.faults.SandboxFaults;
import io.grouprefunds.support.JobHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows of one group are sent one at a time, in the file's order, however many requests are in flight: the first
 * row of each group takes most of it, so the second must be the one the provider declines.
 */
class GroupOrderIT {

	private static final int GROUPS = 40;

	@TempDir
	Path work;

	@Test
	void rowsOfOneGroupLeaveInLineOrderEvenWithManyInFlight() {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given groups of 100.00, each asked for 80.00 then 30.00, answers arriving out of order
			List<String> lines = new ArrayList<>(List.of("request_id,group_id,amount,currency"));
			for (int i = 1; i <= GROUPS; i++) {
				String group = String.format("gp_%032x", 0xAB000000L + i);
				harness.sandbox.rapyd()
					.addGroupPayment(group, Currency.getInstance("USD"), "closed", List.of(new BigDecimal("100.00")));
				lines.add("first-" + i + "," + group + ",80.00,USD");
				lines.add("second-" + i + "," + group + ",30.00,USD");
			}
			harness.sandbox.rapyd().setFaults(SandboxFaults.builder().latency(1, 40).build());
			harness.set("refunds.throttle.max-in-flight", "16").set("refunds.submit.chunk-size", "10");

			// when
			JobHarness.Result result = harness.run(harness.csv("pairs.csv", lines.toArray(String[]::new)));

			// then
			assertThat(result.exitCode()).as(result.all()).isEqualTo(3);
			Map<String, Map<String, Object>> rows = harness.rowsByRequest();
			for (int i = 1; i <= GROUPS; i++) {
				assertThat(rows.get("first-" + i).get("status")).as("first-" + i).isEqualTo("SUCCEEDED");
				assertThat(rows.get("second-" + i).get("status")).as("second-" + i).isEqualTo("DECLINED");
			}
		}
	}

}
