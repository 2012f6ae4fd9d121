package io.grouprefunds.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.grouprefunds.job.ExitCode;
import io.grouprefunds.sandbox.AppliedRefund;
import io.grouprefunds.sandbox.faults.SandboxFaults;
import io.grouprefunds.support.ChildJob;
import io.grouprefunds.support.GatewayProxy;
import io.grouprefunds.support.JobHarness;
import io.grouprefunds.support.ProviderFixture;
import io.grouprefunds.support.Refunds;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several job processes on one provider account and one ledger database, each in its own working folder (two hosts,
 * as far as the job can tell: own logs, reports, file locks), against one sandbox that refuses (429) beyond the
 * account's rate. The limit belongs to the account: together they stay under it, use it, and a 429 to one pauses all.
 * Rates are judged on the sandbox's own timestamps.
 */
class SharedLimitIT {

	private static final int RATE = 20;

	/**
	 * Paced 8% under the limit (18.5/s between them), and at least 90% of the limit (18/s) is the target. The
	 * benchmark measures the account at 5% (BENCHMARKS.md: 0 x 429 in 8 of 9 runs, one run with one); 8% leaves this
	 * test, which must not fail CI by chance, 40 ms for a slot reached late and 40 ms for the way to the sandbox.
	 */
	private static final double HEADROOM = 0.08;

	@TempDir
	Path work;

	@Test
	void threeProcessesShareTheAccountsRateAndAKilledOneLeaksNothing() throws Exception {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given a sandbox that answers 429 beyond 20 requests in any second, and three processes, each configured
			// at that limit, each with 400 rows on groups of its own
			harness.sandbox.rapyd().setFaults(SandboxFaults.builder().latency(5, 10).rateLimitPerSecond(RATE).build());
			List<Map<String, Integer>> groups = new ArrayList<>();
			List<Process> jobs = new ArrayList<>();
			List<Path> outputs = new ArrayList<>();
			List<List<String>> commands = new ArrayList<>();
			for (int p = 0; p < 3; p++) {
				Map<String, Integer> mine = new HashMap<>();
				Path file = refunds(harness, "host" + p, p, 400, mine);
				groups.add(mine);
				outputs.add(work.resolve("host" + p).resolve("output.txt"));
				commands.add(run(harness, p, file));
				jobs.add(ChildJob.start(work.resolve("host" + p), outputs.get(p), commands.get(p)));
			}

			// when all three have work: their 10th refund applied, then 15 s of work together, then one is killed
			assertThat(waitFor(Duration.ofMinutes(3), () -> applied(harness, groups, 0).size() >= 10
					&& applied(harness, groups, 1).size() >= 10 && applied(harness, groups, 2).size() >= 10))
				.as(() -> "all three send; their output (deleted with the test's directory):\n" + tails(outputs))
				.isTrue();
			Instant together = tenthOfEach(harness, groups);
			waitFor(Duration.ofSeconds(15), () -> false);
			long killedNanos = System.nanoTime();
			Instant killedAt = Instant.now();
			jobs.get(2).destroyForcibly().waitFor();
			for (int p = 0; p < 2; p++) {
				assertThat(jobs.get(p).waitFor(4, TimeUnit.MINUTES)).as("process %d ended", p).isTrue();
				assertThat(jobs.get(p).exitValue()).as("exit of process %d; see %s", p, outputs.get(p))
					.isEqualTo(ExitCode.COMPLETED.code());
			}

			describe(harness, outputs);
			SoftAssertions then = new SoftAssertions();
			// then the sandbox never refused one of them
			then.assertThat(harness.sandbox.rapyd().tooManyRequestsCount()).as("429s at the sandbox").isZero();
			// and while all three had work, they used at least 90% of the account's limit between them
			Instant end = earliestLast(harness, groups, killedAt);
			long appliedTogether = harness.sandbox.rapyd()
				.appliedRefunds()
				.stream()
				.filter(refund -> !refund.appliedAt().isBefore(together) && refund.appliedAt().isBefore(end))
				.count();
			double seconds = Duration.between(together, end).toNanos() / 1e9;
			then.assertThat(seconds).as("all three had work together for long enough to judge").isGreaterThan(5);
			double rate = appliedTogether / seconds;
			System.out.printf("SharedLimitIT: %d refunds in %.1f s with three processes: %.2f/s, %.0f%% of the "
					+ "limit %d/s%n", appliedTogether, seconds, rate, 100 * rate / RATE, RATE);
			then.assertThat(rate).as("aggregate rate, requests a second").isGreaterThanOrEqualTo(0.9 * RATE);
			// and after the kill the other two did not stall: no gap of more than 5 s between arrivals
			long[] arrivals = harness.sandbox.rapyd().arrivalNanos();
			long previous = killedNanos;
			long longestGap = 0;
			for (long arrival : Arrays.stream(arrivals).sorted().toArray()) {
				if (arrival > killedNanos) {
					longestGap = Math.max(longestGap, arrival - previous);
					previous = arrival;
				}
			}
			System.out.printf("SharedLimitIT: longest pause in arrivals after the kill %d ms%n", longestGap / 1_000_000);
			then.assertThat(Duration.ofNanos(longestGap)).as("longest pause in arrivals after the kill")
				.isLessThan(Duration.ofSeconds(5));
			// and once the killed process's batch is run again (on its host, as an operator would), every refund of
			// every process was applied exactly once: the rows it may have sent are reconciled, not resent
			Process again = ChildJob.start(work.resolve("host2"), outputs.get(2), commands.get(2));
			then.assertThat(again.waitFor(4, TimeUnit.MINUTES)).as("the killed batch run again ended").isTrue();
			then.assertThat(again.exitValue()).as("exit of the run again; see %s", outputs.get(2))
				.isEqualTo(ExitCode.COMPLETED.code());
			then.assertThat(Refunds.statusCounts(harness)).isEqualTo(Map.of("SUCCEEDED", 1200));
			then.assertThat(Refunds.disagreements(harness)).isEmpty();
			then.assertAll();
		}
	}

	@Test
	void a429ToOneProcessPausesTheOther() throws Exception {
		try (JobHarness harness = JobHarness.withDefaults(work);
				GatewayProxy gateway = new GatewayProxy(harness.sandbox.rapydBaseUrl())) {
			// given two processes on one account at 10/s, the first through a gateway that will refuse one request
			List<Map<String, Integer>> groups = new ArrayList<>();
			List<Process> jobs = new ArrayList<>();
			List<Path> outputs = new ArrayList<>();
			for (int p = 0; p < 2; p++) {
				Map<String, Integer> mine = new HashMap<>();
				Path file = refunds(harness, "host" + p, p, 150, mine);
				groups.add(mine);
				List<String> args = new ArrayList<>(run(harness, p, file));
				args.replaceAll(arg -> arg.equals("--refunds.throttle.rate-per-second=" + RATE)
						? "--refunds.throttle.rate-per-second=10" : arg);
				if (p == 0) {
					args.replaceAll(arg -> arg.startsWith("--refunds.rapyd.base-url=")
							? "--refunds.rapyd.base-url=" + gateway.baseUrl() : arg);
				}
				outputs.add(work.resolve("host" + p).resolve("output.txt"));
				jobs.add(ChildJob.start(work.resolve("host" + p), outputs.get(p), args));
			}
			assertThat(waitFor(Duration.ofMinutes(3), () -> applied(harness, groups, 0).size() >= 10
					&& applied(harness, groups, 1).size() >= 10)).as("both send; see %s", outputs).isTrue();

			// when the first process is told 429, come back in 6 s
			gateway.tooManyRequestsOnce(6);
			assertThat(waitFor(Duration.ofSeconds(30), () -> gateway.tooManyRequestsAnsweredNanos() != 0)).isTrue();
			long refusedNanos = gateway.tooManyRequestsAnsweredNanos();
			for (int p = 0; p < 2; p++) {
				assertThat(jobs.get(p).waitFor(4, TimeUnit.MINUTES)).as("process %d ended", p).isTrue();
				assertThat(jobs.get(p).exitValue()).as("exit of process %d; see %s", p, outputs.get(p))
					.isEqualTo(ExitCode.COMPLETED.code());
			}

			// then neither process sent anything from 1.5 s after the 429 (time for it to be heard) to 4.5 s after
			long from = refusedNanos + TimeUnit.MILLISECONDS.toNanos(1500);
			long to = refusedNanos + TimeUnit.MILLISECONDS.toNanos(4500);
			long during = Arrays.stream(harness.sandbox.rapyd().arrivalNanos())
				.filter(arrival -> arrival >= from && arrival < to)
				.count();
			assertThat(during).as("requests that reached the sandbox during the other process's pause").isZero();
			// and afterwards both finished every row, once
			assertThat(harness.ledger.queryForObject(
					"SELECT COUNT(*) FROM refund_row WHERE status = 'SUCCEEDED'", Integer.class)).isEqualTo(300);
			assertThat(harness.sandbox.rapyd().appliedRefunds()).hasSize(300);
		}
	}

	/** What the sandbox and the processes saw, for the test's output: the busiest seconds, the shared use. */
	private static void describe(JobHarness harness, List<Path> outputs) throws IOException {
		long[] arrivals = Arrays.stream(harness.sandbox.rapyd().arrivalNanos()).sorted().toArray();
		long second = TimeUnit.SECONDS.toNanos(1);
		int from = 0;
		StringBuilder busiest = new StringBuilder();
		for (int to = 0; to < arrivals.length; to++) {
			while (arrivals[to] - arrivals[from] >= second) {
				from++;
			}
			if (to - from + 1 > RATE) {
				busiest.append(String.format(" [%d in 1 s ending %.3f s]", to - from + 1,
						(arrivals[to] - arrivals[0]) / 1e9));
			}
		}
		System.out.printf("SharedLimitIT: %d arrivals, %d refused; windows over %d:%s%n", arrivals.length,
				harness.sandbox.rapyd().tooManyRequestsCount(), RATE, busiest);
		for (Path output : outputs) {
			Files.readAllLines(output)
				.stream()
				.filter(line -> line.contains("shared throttle of") || line.contains("429s"))
				.reduce((first, last) -> last)
				.ifPresent(line -> System.out.println("SharedLimitIT: " + line));
			Files.readAllLines(output)
				.stream()
				.filter(line -> line.contains("shared throttle of"))
				.forEach(line -> System.out.println("SharedLimitIT: " + line));
		}
	}

	/** {@code run FILE} in the process's own folder, with its own log and reports, at the account's limit. */
	private static List<String> run(JobHarness harness, int p, Path file) {
		Path folder = file.getParent();
		List<String> args = new ArrayList<>(List.of("run", file.toString(), "--provider", "rapyd"));
		// one value per setting: a repeated one would be read as a list
		harness.settings()
			.stream()
			.filter(setting -> !setting.startsWith("--refunds.log-file=")
					&& !setting.startsWith("--refunds.reports.directory=")
					&& !setting.startsWith("--refunds.throttle.rate-per-second="))
			.forEach(args::add);
		args.add("--refunds.log-file=" + folder.resolve("group-refunds.log"));
		args.add("--refunds.reports.directory=" + folder.resolve("reports"));
		args.add("--refunds.throttle.rate-per-second=" + RATE);
		args.add("--refunds.throttle.headroom=" + HEADROOM);
		args.add("--refunds.submit.chunk-size=50");
		return args;
	}

	/** A file of {@code rows} refunds of 10.00 USD, each on a group payment of its own (numbered after {@code p}). */
	private static Path refunds(JobHarness harness, String name, int p, int rows, Map<String, Integer> groups)
			throws IOException {
		Path folder = Files.createDirectories(harness.workDir.resolve(name));
		List<String> lines = new ArrayList<>(List.of("request_id,group_id,amount,currency,reason"));
		for (int i = 1; i <= rows; i++) {
			String group = ProviderFixture.RAPYD.addGroup(harness.sandbox, 1_000_000L * (p + 1) + i,
					Currency.getInstance("USD"), List.of(new BigDecimal("60.00"), new BigDecimal("40.00")));
			groups.put(group, i);
			lines.add(String.format("%s-%05d,%s,10.00,USD,shared limit", name, i, group));
		}
		return Files.write(folder.resolve(name + ".csv"), lines);
	}

	private static List<AppliedRefund> applied(JobHarness harness, List<Map<String, Integer>> groups, int p) {
		return harness.sandbox.rapyd()
			.appliedRefunds()
			.stream()
			.filter(refund -> groups.get(p).containsKey(refund.groupPaymentId()))
			.toList();
	}

	/** When every process had its 10th refund applied: from then on, all of them had work. */
	private static Instant tenthOfEach(JobHarness harness, List<Map<String, Integer>> groups) {
		Instant latest = Instant.MIN;
		for (int p = 0; p < groups.size(); p++) {
			List<AppliedRefund> mine = applied(harness, groups, p);
			assertThat(mine).as("refunds applied for process %d", p).hasSizeGreaterThanOrEqualTo(10);
			Instant tenth = mine.stream().map(AppliedRefund::appliedAt).sorted().toList().get(9);
			latest = tenth.isAfter(latest) ? tenth : latest;
		}
		return latest;
	}

	/** The end of the time all three had work: the kill, or the first survivor's last refund if that came first. */
	private static Instant earliestLast(JobHarness harness, List<Map<String, Integer>> groups, Instant killedAt) {
		Instant end = killedAt;
		for (int p = 0; p < 2; p++) {
			Instant last = applied(harness, groups, p).stream().map(AppliedRefund::appliedAt).max(Instant::compareTo)
				.orElseThrow();
			end = last.isBefore(end) ? last : end;
		}
		return end;
	}

	private static boolean waitFor(Duration limit, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		while (System.nanoTime() < deadline) {
			if (condition.getAsBoolean()) {
				return true;
			}
			Thread.sleep(100);
		}
		return condition.getAsBoolean();
	}


	/** The last lines of each process's output, for a failure message (the files go with the test's directory). */
	private static String tails(List<Path> outputs) {
		StringBuilder text = new StringBuilder();
		for (Path output : outputs) {
			text.append("--- ").append(output).append('\n');
			try {
				List<String> lines = Files.readAllLines(output);
				lines.subList(Math.max(0, lines.size() - 25), lines.size()).forEach(l -> text.append(l).append('\n'));
			}
			catch (IOException | RuntimeException ex) {
				text.append("(unreadable: ").append(ex).append(")\n");
			}
		}
		return text.toString();
	}

}
