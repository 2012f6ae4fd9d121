package io.grouprefunds.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.grouprefunds.job.ExitCode;
import io.grouprefunds.support.JobHarness;
import io.grouprefunds.support.RealPushgateway;
import io.grouprefunds.support.Refunds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The meters of real runs pushed to a real Pushgateway (Debian's {@code prometheus-pushgateway}; skipped where it is
 * not installed), read back from what it exposes to Prometheus: one group per job and provider whatever the batch,
 * every family with HELP text and units in its name, a last-success time only a completed run sets, and nothing
 * {@code promtool check metrics} objects to.
 */
class PushgatewayIT {

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	@TempDir
	Path work;

	@Test
	void eachRunReplacesTheOneGroupOfItsJobAndProviderWithMetricsPromtoolAccepts() {
		try (RealPushgateway pushgateway = RealPushgateway.start(work);
				JobHarness harness = JobHarness.withDefaults(work)) {
			harness.set("refunds.metrics.pushgateway.url", pushgateway.url() + "/");
			Path first = Refunds.file(harness, "first", 5);

			// when a first batch runs
			long before = System.currentTimeMillis();
			JobHarness.Result result = harness.run(first);
			long after = System.currentTimeMillis();

			// then its meters are in the group {job, provider}, with no batch label
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.COMPLETED.code());
			String scrape = pushgateway.scrape();
			List<Sample> ours = ours(scrape);
			assertThat(ours).isNotEmpty().allSatisfy(sample -> {
				assertThat(sample.labels()).as(sample.line()).containsEntry("job", "group-refunds")
					.containsEntry("provider", "rapyd")
					.doesNotContainKey("batch");
			});
			assertThat(value(ours, "refunds_submit_rows_total", "outcome", "SUCCEEDED")).isEqualTo(5);
			assertThat(value(ours, "refunds_submit_requests_seconds_count", "answer", "2xx")).isEqualTo(5);
			assertThat(value(ours, "refunds_throttle_wait_seconds", "quantile", "0.99")).isNotNegative();
			assertThat(value(ours, "refunds_run_batch_id", null, null)).isEqualTo(1);
			assertThat(value(ours, "refunds_process_peak_rss_bytes", null, null)).isPositive();
			// Spring Batch's own observations time the job and each step
			assertThat(value(ours, "spring_batch_job_seconds_count", "spring_batch_job_name", "refundJob"))
				.isEqualTo(1);
			assertThat(value(ours, "spring_batch_step_seconds_count", "spring_batch_step_name", "submitStep"))
				.isEqualTo(1);
			// and the completed run left the time of its success, for a dead-man alert
			double success = value(ours, "refunds_last_success_timestamp_seconds", null, null);
			assertThat(success * 1000).isBetween(before - 1000.0, after + 1000.0);
			// and every family has HELP, and promtool has nothing to say
			assertEveryFamilyHasHelp(scrape);
			RealPushgateway.Promtool promtool = RealPushgateway.promtool(scrape);
			assertThat(promtool.output()).isEmpty();
			assertThat(promtool.exitCode()).isZero();

			// when another batch runs (three more refunds from the same group payments)
			JobHarness.Result second = harness.run(harness.csv("second.csv", "request_id,group_id,amount,currency",
					String.format("second-1,gp_%032x,10.00,USD", 1), String.format("second-2,gp_%032x,10.00,USD", 2),
					String.format("second-3,gp_%032x,10.00,USD", 3)));

			// then it replaced the group: still one group, holding the second batch's meters only
			assertThat(second.exitCode()).as(second.all()).isEqualTo(ExitCode.COMPLETED.code());
			String again = pushgateway.scrape();
			assertThat(groups(again)).containsExactly("group-refunds/rapyd");
			assertThat(value(ours(again), "refunds_run_batch_id", null, null)).isEqualTo(2);
			assertThat(value(ours(again), "refunds_submit_rows_total", "outcome", "SUCCEEDED")).isEqualTo(3);
			assertThat(value(ours(again), "refunds_last_success_timestamp_seconds", null, null))
				.isGreaterThanOrEqualTo(success);
			assertThat(RealPushgateway.promtool(again).output()).isEmpty();
		}
	}

	@Test
	void aRunThatDoesNotCompleteLeavesTheLastSuccessOfTheRunBefore() {
		try (RealPushgateway pushgateway = RealPushgateway.start(work);
				JobHarness harness = JobHarness.withDefaults(work)) {
			harness.set("refunds.metrics.pushgateway.url", pushgateway.url());
			assertThat(harness.run(Refunds.file(harness, "good", 2)).exitCode()).isEqualTo(ExitCode.COMPLETED.code());
			double success = value(ours(pushgateway.scrape()), "refunds_last_success_timestamp_seconds", null, null);

			// when the next batch is refused by the file gate (its job ends FAILED)
			JobHarness.Result refused = harness.run(harness.csv("bad-header.csv", "request_id,group,amount,currency",
					"r-1,gp_1,71,USD"));

			// then its meters replaced those of the run before, in the same group, but the last success stayed
			assertThat(refused.exitCode()).as(refused.all()).isEqualTo(ExitCode.REFUSED.code());
			String scrape = pushgateway.scrape();
			assertThat(groups(scrape)).containsExactly("group-refunds/rapyd");
			assertThat(value(ours(scrape), "refunds_run_batch_id", null, null)).isEqualTo(2);
			assertThat(value(ours(scrape), "spring_batch_job_seconds_count", "spring_batch_job_status", "FAILED"))
				.isEqualTo(1);
			assertThat(value(ours(scrape), "refunds_last_success_timestamp_seconds", null, null)).isEqualTo(success);
			assertThat(RealPushgateway.promtool(scrape).output()).isEmpty();
		}
	}

	/** A sample line of the scrape. */
	record Sample(String name, Map<String, String> labels, double value, String line) {
	}

	/** The job's samples: the pushed families (the Pushgateway adds {@code push_time_seconds} and its own). */
	private static List<Sample> ours(String scrape) {
		return samples(scrape).stream()
			.filter(sample -> sample.name().startsWith("refunds_") || sample.name().startsWith("spring_batch_"))
			.toList();
	}

	private static List<Sample> samples(String scrape) {
		return scrape.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).map(line -> {
			Matcher sample = SAMPLE.matcher(line);
			assertThat(sample.matches()).as(line).isTrue();
			Map<String, String> labels = new LinkedHashMap<>();
			if (sample.group(3) != null) {
				Matcher label = LABEL.matcher(sample.group(3));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			return new Sample(sample.group(1), labels, Double.parseDouble(sample.group(4)), line);
		}).toList();
	}

	/** The value of the one sample of that name (and label, when given). */
	private static double value(List<Sample> samples, String name, String label, String labelValue) {
		List<Sample> found = samples.stream()
			.filter(sample -> sample.name().equals(name))
			.filter(sample -> label == null || labelValue.equals(sample.labels().get(label)))
			.toList();
		assertThat(found).as(name + " " + label + "=" + labelValue + " in " + samples).hasSize(1);
		return found.get(0).value();
	}

	/** The groups holding the job's metrics, as {@code job/provider}, from the time of push each group has. */
	private static List<String> groups(String scrape) {
		return samples(scrape).stream()
			.filter(sample -> sample.name().equals("push_time_seconds"))
			.map(sample -> sample.labels().get("job") + "/" + sample.labels().get("provider")
					+ (sample.labels().containsKey("batch") ? "/" + sample.labels().get("batch") : ""))
			.toList();
	}

	private static void assertEveryFamilyHasHelp(String scrape) {
		List<String> typed = RunMetricsTest.families(scrape, "# TYPE ");
		assertThat(typed).contains("refunds_submit_rows_total", "spring_batch_step_seconds");
		assertThat(RunMetricsTest.helped(scrape)).containsExactlyInAnyOrderElementsOf(typed);
	}

}
