package io.grouprefunds.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import io.grouprefunds.job.ExitCode;
import io.grouprefunds.sandbox.AppliedRefund;
import io.grouprefunds.sandbox.faults.SandboxFaults;
import io.grouprefunds.support.ChildJob;
import io.grouprefunds.support.JobHarness;
import io.grouprefunds.support.Refunds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator's terminal shows when the provider goes down mid-run: the job as a process of its own, its
 * stdout and stderr captured, read line by line. A handful of lines that say what happened and what to do; no error
 * Reactor could not deliver, no "null" where a value was missing, no line per request or per probe.
 */
class OutageConsoleIT {

	/**
	 * Measured: 40 lines when the provider stopped answering, 46 to 51 when the job rode a 503 outage out (before:
	 * 86 to 132, up to 40 of them "onErrorDropped", one per probe, one per row hit). Of those, ~24 are the end-of-run
	 * summary (the run metrics are printed twice), 3 Spring Batch's about a failed step, and one per row the outage
	 * answered is reconciliation's "reconciled line …" (up to max-in-flight, 16). A bound for a flood, not a budget.
	 */
	private static final int MOST_LINES = 60;

	/** The submit step's own lines (breaker, outcomes, progress, stop): measured 5 and 7. */
	private static final int MOST_SUBMIT_LINES = 12;

	private static final Pattern SUBMIT_LINE = Pattern.compile(
			" (BreakerGate|SubmitPipeline|SendStop|RetryPolicy|OutcomeLog|ChunkRecorder|SlowStart|SubmitProgress) - ");

	private static final Pattern NULL = Pattern.compile("\\bnull\\b");

	@TempDir
	Path work;

	@Test
	void aProviderThatStopsAnsweringEndsTheRunInAFewLinesThatSayWhatToDo() throws Exception {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given 200 rows at 50/s in chunks of 20, a 1 s response timeout, a breaker that gives up after 3 s
			Path file = Refunds.file(harness, "hang", 200);
			harness.set("refunds.throttle.rate-per-second", "50")
				.set("refunds.submit.chunk-size", "20")
				.set("refunds.rapyd.response-timeout", "1s")
				.set("refunds.breaker.give-up-after", "3s");

			// when the provider stops answering (everything times out) once 40 refunds are applied
			Path console = work.resolve("console.txt");
			Process job = ChildJob.start(console, run(harness, file));
			await(() -> harness.sandbox.rapyd().appliedCount() >= 40, job);
			harness.sandbox.rapyd().setFaults(SandboxFaults.builder().latency(5000, 0).build());
			assertThat(job.waitFor(2, TimeUnit.MINUTES)).as("the job ended; see %s", console).isTrue();

			// then it failed restartably, and said so in few, complete lines
			List<String> lines = Files.readAllLines(console);
			String printed = String.join("\n", lines);
			assertThat(job.exitValue()).as(printed).isEqualTo(ExitCode.FAILED_RESTARTABLE.code());
			assertThat(printed).contains("rapyd looks down")
				.contains("rapyd has not answered for")
				.contains("last probe: ReadTimeoutException")
				.contains("restart 1");
			assertFewCompleteLines(lines);
			// and the rows that met the silence are UNKNOWN (the provider applied them late), none SENDING, none twice
			assertThat(Refunds.statusCounts(harness)).containsKey("UNKNOWN").doesNotContainKey("SENDING");
			assertThat(harness.sandbox.rapyd().appliedRefunds().stream().map(AppliedRefund::groupPaymentId))
				.doesNotHaveDuplicates();
		}
	}

	@Test
	void anOutageTheJobRidesOutLeavesAFewLinesAndEveryRowDone() throws Exception {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given 150 rows at 50/s in chunks of 20
			Path file = Refunds.file(harness, "outage", 150);
			harness.set("refunds.throttle.rate-per-second", "50").set("refunds.submit.chunk-size", "20");

			// when the provider answers 503 to everything for 3 s once 30 refunds are applied
			Path console = work.resolve("console.txt");
			Process job = ChildJob.start(console, run(harness, file));
			await(() -> harness.sandbox.rapyd().appliedCount() >= 30, job);
			harness.sandbox.rapyd().setFaults(SandboxFaults.builder().outageWindow(0, 3000).build());
			assertThat(job.waitFor(2, TimeUnit.MINUTES)).as("the job ended; see %s", console).isTrue();

			// then every row succeeded, once, and the console told the outage in a few lines
			List<String> lines = Files.readAllLines(console);
			String printed = String.join("\n", lines);
			assertThat(job.exitValue()).as(printed).isEqualTo(ExitCode.COMPLETED.code());
			assertThat(printed).contains("rapyd looks down").contains("rapyd answers again");
			assertFewCompleteLines(lines);
			assertThat(Refunds.statusCounts(harness)).isEqualTo(Map.of("SUCCEEDED", 150));
			assertThat(Refunds.disagreements(harness)).isEmpty();
		}
	}

	private static void assertFewCompleteLines(List<String> lines) {
		String printed = String.join("\n", lines);
		System.out.printf("OutageConsoleIT: %d console lines:%n%s%n", lines.size(), printed);
		assertThat(lines).as(printed).noneMatch(line -> line.contains("onErrorDropped"));
		assertThat(lines).as(printed).noneMatch(line -> NULL.matcher(line).find());
		assertThat(lines).as(printed).noneMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by"));
		assertThat(lines).as(printed).hasSizeLessThanOrEqualTo(MOST_LINES);
		assertThat(lines.stream().filter(line -> SUBMIT_LINE.matcher(line).find())).as(printed)
			.hasSizeLessThanOrEqualTo(MOST_SUBMIT_LINES);
	}

	private static List<String> run(JobHarness harness, Path file) {
		List<String> args = new ArrayList<>(List.of("run", file.toString(), "--provider", "rapyd"));
		args.addAll(harness.settings());
		return args;
	}

	/** Waits until the condition holds; the job must still be running (else the test's premise failed). */
	private static void await(BooleanSupplier condition, Process job) throws InterruptedException, IOException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
		while (!condition.getAsBoolean()) {
			assertThat(job.isAlive()).as("the job ended before the moment the test waits for").isTrue();
			assertThat(System.nanoTime()).as("waited 90 s").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

}
