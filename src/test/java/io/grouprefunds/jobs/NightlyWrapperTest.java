package io.grouprefunds.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.grouprefunds.submit.StopTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the real jobs/nightly-refunds.sh with bash, with GROUP_REFUNDS_CMD pointing at a stub that exits with the
 * code named in the file name ("x-exit5.csv" exits 5, otherwise 0), or for {@code reconcile} with
 * {@code STUB_RECONCILE_EXIT} (default 0), and records its arguments, one call a line.
 */
class NightlyWrapperTest {

	private static final Path SCRIPT = Path.of("jobs", "nightly-refunds.sh").toAbsolutePath();

	private static final String STUB = """
			#!/usr/bin/env bash
			calls="$(dirname -- "$0")/calls.txt"
			{ printf '%s|' "$@"; printf '\\n'; } >>"$calls"
			if [[ "$1" == reconcile ]]; then echo "stub reconcile"; exit "${STUB_RECONCILE_EXIT:-0}"; fi
			name="$(basename -- "$2")"
			echo "stub stdout for $name"
			echo "stub stderr for $name" >&2
			if [[ "$name" =~ exit([0-9]+) ]]; then exit "${BASH_REMATCH[1]}"; fi
			exit 0
			""";

	@TempDir
	Path tmp;

	private Path root;

	private Path stub;

	@BeforeEach
	void setUp() throws IOException {
		root = Files.createDirectories(tmp.resolve("root"));
		stub = tmp.resolve("stub.sh");
		Files.writeString(stub, STUB);
		assertThat(stub.toFile().setExecutable(true)).isTrue();
	}

	@Test
	void sortsEveryExitCodeIntoDoneFailedOrLeft() throws Exception {
		// given
		inbox("rapyd", "a ok.csv", "b-exit3.csv", "c-exit4.csv", "d-exit5.csv", "e-exit8.csv");
		inbox("issuer", "f-exit6.csv", "g-exit1.csv", "h-exit2.csv", "i-exit42.csv");

		// when
		Result result = run(Map.of(), root.toString());

		// then
		assertThat(listing("done/rapyd")).containsExactly("a ok.csv", "b-exit3.csv", "c-exit4.csv");
		assertThat(listing("inbox/rapyd")).containsExactly("d-exit5.csv", "e-exit8.csv");
		assertThat(listing("failed/issuer")).containsExactly("f-exit6.csv", "g-exit1.csv", "h-exit2.csv", "i-exit42.csv");
		assertThat(listing("inbox/issuer")).isEmpty();
		assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
		assertThat(calls()).containsExactly("reconcile|",
				"run|" + root.resolve("inbox/issuer/f-exit6.csv") + "|--provider|issuer|",
				"run|" + root.resolve("inbox/issuer/g-exit1.csv") + "|--provider|issuer|",
				"run|" + root.resolve("inbox/issuer/h-exit2.csv") + "|--provider|issuer|",
				"run|" + root.resolve("inbox/issuer/i-exit42.csv") + "|--provider|issuer|",
				"run|" + root.resolve("inbox/rapyd/a ok.csv") + "|--provider|rapyd|",
				"run|" + root.resolve("inbox/rapyd/b-exit3.csv") + "|--provider|rapyd|",
				"run|" + root.resolve("inbox/rapyd/c-exit4.csv") + "|--provider|rapyd|",
				"run|" + root.resolve("inbox/rapyd/d-exit5.csv") + "|--provider|rapyd|",
				"run|" + root.resolve("inbox/rapyd/e-exit8.csv") + "|--provider|rapyd|");
	}

	@Test
	void logHasOneLinePerFileWithCodeAndMeaningAndTheJobsOwnOutput() throws Exception {
		// given
		inbox("rapyd", "a ok.csv", "b-exit3.csv", "d-exit5.csv");
		inbox("issuer", "f-exit6.csv");
		String dayBefore = utcDay();

		// when
		Result result = run(Map.of(), root.toString());

		// then
		String dayAfter = utcDay();
		assertThat(listing("logs")).hasSize(1).first().satisfiesAnyOf(
				name -> assertThat(name).isEqualTo("nightly-" + dayBefore + ".log"),
				name -> assertThat(name).isEqualTo("nightly-" + dayAfter + ".log"));
		String log = Files.readString(root.resolve("logs").resolve(listing("logs").get(0)));
		assertThat(log).contains(
				"done: file=\"a ok.csv\" provider=rapyd exit=0 (completed, every row succeeded or pending) -> done/rapyd/a ok.csv",
				"done: file=\"b-exit3.csv\" provider=rapyd exit=3 (completed; some rows REJECTED, DECLINED or DISCREPANCY",
				"left: file=\"d-exit5.csv\" provider=rapyd exit=5 (failed or stopped, restartable",
				"failed: file=\"f-exit6.csv\" provider=issuer exit=6 (refused",
				"stub stdout for a ok.csv", "stub stderr for f-exit6.csv",
				"summary: taken=4 done=2 need_review=1 failed=1 left_in_inbox=1 skipped_too_new=0 exit=6");
		assertThat(log.lines()).filteredOn(line -> !line.startsWith("stub "))
				.allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ nightly\\[\\d+] .*"));
		assertThat(result.output()).contains("summary: taken=4").doesNotContain("stub stdout");
	}

	@Test
	void allDoneExitsZeroAndCountsTheFilesThatNeedReview() throws Exception {
		// given
		inbox("rapyd", "a.csv", "b-exit3.csv", "c-exit4.csv");

		// when
		Result result = run(Map.of(), root.toString());

		// then
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(listing("done/rapyd")).containsExactly("a.csv", "b-exit3.csv", "c-exit4.csv");
		assertThat(Files.isDirectory(root.resolve("failed"))).isFalse();
		assertThat(result.output()).contains("summary: taken=3 done=3 need_review=2 failed=0 left_in_inbox=0");
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({
			"exit5 exit8, 5",
			"exit8 exit6, 6",
			"exit5 exit6, 6",
			"exit6 exit2, 2",
			"exit2 exit1, 1",
			"exit1 exit7, 7",
			"exit8, 8",
			"exit3 exit99, 1",
			"exit9, 9",
			"exit9 exit8, 8",
			"exit9 exit5, 5" })
	void exitsWithTheHighestPriorityFailingCode(String names, int expected) throws Exception {
		// given
		int i = 0;
		for (String name : names.split(" ")) {
			inbox("p" + i++, name + ".csv");
		}

		// when
		Result result = run(Map.of(), root.toString());

		// then
		assertThat(result.exitCode()).as(result.output()).isEqualTo(expected);
	}

	@Test
	void aFileWaitingForApprovalStaysInTheInboxCountedAsWaitingNotFailed() throws Exception {
		// given
		inbox("rapyd", "a.csv", "b-exit9.csv");

		// when
		Result result = run(Map.of(), root.toString());

		// then the file waits in the inbox for the next run, after a second person's approve
		assertThat(listing("inbox/rapyd")).containsExactly("b-exit9.csv");
		assertThat(listing("done/rapyd")).containsExactly("a.csv");
		assertThat(Files.isDirectory(root.resolve("failed"))).isFalse();
		assertThat(result.exitCode()).as(result.output()).isEqualTo(9);
		assertThat(Files.readString(logFile())).contains(
				"waiting: file=\"b-exit9.csv\" provider=rapyd exit=9 (waiting for approval: nothing sent; another "
						+ "database login runs approve BATCH) -> stays in inbox/rapyd",
				"summary: taken=2 done=1 need_review=0 failed=0 left_in_inbox=0 skipped_too_new=0 exit=9",
				"waiting_approval=1");
	}

	@Test
	void reconcileRunsFirstAndItsCodeIsLoggedWithoutHoldingUpTheInbox() throws Exception {
		// given
		inbox("rapyd", "a.csv");

		// when reconcile finds new DECLINED rows (3): a person reviews them, nothing failed
		Result review = run(Map.of("STUB_RECONCILE_EXIT", "3"), root.toString());

		// then
		assertThat(review.exitCode()).as(review.output()).isZero();
		assertThat(calls()).containsExactly("reconcile|", "run|" + root.resolve("inbox/rapyd/a.csv") + "|--provider|rapyd|");
		assertThat(review.output()).contains("reconcile: exit=3 (new DECLINED or DISCREPANCY rows need review)")
			.contains("reconcile_exit=3");
		assertThat(Files.readString(logFile())).contains("stub reconcile");
		assertThat(listing("done/rapyd")).containsExactly("a.csv");
	}

	@ParameterizedTest(name = "reconcile exit {0} -> wrapper exit {1}")
	@CsvSource({ "0, 0", "4, 0", "5, 5", "7, 7", "1, 1", "8, 8" })
	void aFailingReconcileCountsInTheWrappersExitCodeButTheFilesStillRun(int reconcile, int expected)
			throws Exception {
		// given
		inbox("rapyd", "a.csv");

		// when
		Result result = run(Map.of("STUB_RECONCILE_EXIT", Integer.toString(reconcile)), root.toString());

		// then
		assertThat(result.exitCode()).as(result.output()).isEqualTo(expected);
		assertThat(listing("done/rapyd")).containsExactly("a.csv");
	}

	@Test
	void reconcileCanBeSwitchedOff() throws Exception {
		// given
		inbox("rapyd", "a.csv");

		// when
		Result result = run(Map.of("REFUNDS_NIGHTLY_RECONCILE", "0", "STUB_RECONCILE_EXIT", "7"), root.toString());

		// then
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(calls()).containsExactly("run|" + root.resolve("inbox/rapyd/a.csv") + "|--provider|rapyd|");
		assertThat(result.output()).contains("reconcile_exit=-");
		assertThat(run(Map.of("REFUNDS_NIGHTLY_RECONCILE", "yes"), root.toString()).exitCode()).isEqualTo(2);
	}

	@Test
	void configurationErrorLeavesTheProvidersLaterFilesInTheInbox() throws Exception {
		// given
		inbox("issuer", "a-exit7.csv", "b.csv");
		inbox("rapyd", "c.csv");

		// when
		Result result = run(Map.of(), root.toString());

		// then
		assertThat(result.exitCode()).as(result.output()).isEqualTo(7);
		assertThat(listing("failed/issuer")).containsExactly("a-exit7.csv");
		assertThat(listing("inbox/issuer")).containsExactly("b.csv");
		assertThat(listing("done/rapyd")).containsExactly("c.csv");
		assertThat(result.output()).contains("left: file=\"b.csv\" provider=issuer not run: configuration error");
	}

	@Test
	void sameNameAlreadyDoneGetsAUtcTimestamp() throws Exception {
		// given
		Files.createDirectories(root.resolve("done/rapyd"));
		Files.writeString(root.resolve("done/rapyd/a.csv"), "old");
		inbox("rapyd", "a.csv");
		Files.writeString(root.resolve("inbox/rapyd/a.csv"), "new");

		// when
		Result result = run(Map.of(), root.toString());

		// then
		assertThat(result.exitCode()).as(result.output()).isZero();
		List<String> done = listing("done/rapyd");
		assertThat(done).hasSize(2).contains("a.csv");
		assertThat(Files.readString(root.resolve("done/rapyd/a.csv"))).isEqualTo("old");
		String renamed = done.stream().filter(n -> !n.equals("a.csv")).findFirst().orElseThrow();
		assertThat(renamed).matches("a\\.\\d{8}T\\d{6}Z\\.csv");
		assertThat(Files.readString(root.resolve("done/rapyd").resolve(renamed))).isEqualTo("new");
	}

	@Test
	void secondInstanceIsRefusedWith8WhileTheLockIsHeld() throws Exception {
		// given
		inbox("rapyd", "a.csv");
		Process holder = holdLock(root.resolve("nightly.lock"));
		try {
			// when
			Result refused = run(Map.of(), root.toString());

			// then
			assertThat(refused.exitCode()).as(refused.output()).isEqualTo(8);
			assertThat(refused.output()).contains("refused: another nightly run holds");
			assertThat(listing("inbox/rapyd")).containsExactly("a.csv");
			assertThat(Files.exists(tmp.resolve("calls.txt"))).isFalse();
			assertThat(Files.readString(logFile())).contains("refused", "exit=8");
		}
		finally {
			holder.destroyForcibly();
			holder.waitFor(10, TimeUnit.SECONDS);
		}

		// and when the lock is free again, the next run goes ahead
		Result after = run(Map.of(), root.toString());
		assertThat(after.exitCode()).as(after.output()).isZero();
		assertThat(listing("done/rapyd")).containsExactly("a.csv");
	}

	@Test
	void filesYoungerThanTheMinimumAgeAreSkippedAndLeft() throws Exception {
		// given
		inbox("rapyd", "fresh.csv", "old.csv");
		Files.setLastModifiedTime(root.resolve("inbox/rapyd/old.csv"),
				FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));

		// when
		Result result = run(Map.of("REFUNDS_MIN_AGE_SECONDS", "3600"), root.toString());

		// then
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(listing("inbox/rapyd")).containsExactly("fresh.csv");
		assertThat(listing("done/rapyd")).containsExactly("old.csv");
		assertThat(calls()).containsExactly("reconcile|",
				"run|" + root.resolve("inbox/rapyd/old.csv") + "|--provider|rapyd|");
		assertThat(result.output()).contains("skipped: file=\"fresh.csv\" provider=rapyd", "skipped_too_new=1");
	}

	@Test
	void namesNotEndingInCsvAndHiddenFilesAreIgnored() throws Exception {
		// given
		inbox("rapyd", "a.csv.part", "b.tmp", "c.csv.tmp", ".d.csv");

		// when
		Result result = run(Map.of(), root.toString());

		// then
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(listing("inbox/rapyd")).containsExactly(".d.csv", "a.csv.part", "b.tmp", "c.csv.tmp");
		assertThat(calls()).containsExactly("reconcile|");
		assertThat(result.output()).contains("summary: taken=0");
	}

	@Test
	void handlesSpacesInFileAndRootNames() throws Exception {
		// given
		root = Files.createDirectories(tmp.resolve("my refunds root"));
		inbox("rapyd", "group refund  2024 01.csv", "second one-exit6.csv");

		// when
		Result result = run(Map.of(), root.toString());

		// then
		assertThat(result.exitCode()).as(result.output()).isEqualTo(6);
		assertThat(listing("done/rapyd")).containsExactly("group refund  2024 01.csv");
		assertThat(listing("failed/rapyd")).containsExactly("second one-exit6.csv");
		assertThat(calls()).containsExactly("reconcile|",
				"run|" + root.resolve("inbox/rapyd/group refund  2024 01.csv") + "|--provider|rapyd|",
				"run|" + root.resolve("inbox/rapyd/second one-exit6.csv") + "|--provider|rapyd|");
		assertThat(Files.readString(logFile())).contains("file=\"group refund  2024 01.csv\" provider=rapyd exit=0");
	}

	@Test
	void takesTheRootFromRefundsHomeWhenNoArgumentIsGiven() throws Exception {
		// given
		inbox("rapyd", "a.csv");

		// when
		Result result = run(Map.of("REFUNDS_HOME", root.toString()));

		// then
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(listing("done/rapyd")).containsExactly("a.csv");
	}

	@Test
	void theStopTimeIsPassedToEachRunWithItsDate() throws Exception {
		// given a stop time two hours ahead, in the host's time zone
		inbox("rapyd", "a.csv");
		ZonedDateTime now = ZonedDateTime.now(ZoneId.systemDefault());
		LocalTime at = now.plusHours(2).toLocalTime().truncatedTo(ChronoUnit.MINUTES);
		String stopAt = DateTimeFormatter.ofPattern("HH:mm").format(at);
		ZonedDateTime deadline = StopTime.next(at, now.toInstant(), ZoneId.systemDefault()).deadline();

		// when
		Result result = run(Map.of("REFUNDS_NIGHTLY_STOP_AT", stopAt), root.toString());

		// then the run gets the day too, so that it cannot take the time for tomorrow's; reconcile does not get it
		String dated = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").format(deadline);
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(calls()).containsExactly("reconcile|",
				"run|" + root.resolve("inbox/rapyd/a.csv") + "|--provider|rapyd|--stop-at|" + dated + "|");
		assertThat(Files.readString(logFile())).contains("stop_at=" + dated);
	}

	@ParameterizedTest
	@CsvSource({ "6am", "24:00", "06:00:00" })
	void aStopTimeNotWrittenHoursColonMinutesIsAUsageError(String stopAt) throws Exception {
		// given
		inbox("rapyd", "a.csv");

		// when
		Result result = run(Map.of("REFUNDS_NIGHTLY_STOP_AT", stopAt), root.toString());

		// then
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.output()).contains("REFUNDS_NIGHTLY_STOP_AT must be a time of day HH:MM, got: " + stopAt);
		assertThat(calls()).isEmpty();
	}

	@Test
	void missingRootIsAUsageError() throws Exception {
		// given
		Path missing = tmp.resolve("nowhere");

		// when
		Result result = run(Map.of(), missing.toString());

		// then
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.output()).contains("root folder does not exist");
		assertThat(Files.exists(missing)).isFalse();
	}

	// ---- helpers --------------------------------------------------------------------------------

	private record Result(int exitCode, String output) {
	}

	private Result run(Map<String, String> env, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		Map<String, String> environment = builder.environment();
		Stream.of("REFUNDS_HOME", "JAVA_OPTS", "GROUP_REFUNDS_JAR", "REFUNDS_NIGHTLY_RECONCILE", "STUB_RECONCILE_EXIT",
				"REFUNDS_NIGHTLY_STOP_AT")
			.forEach(environment::remove);
		environment.put("GROUP_REFUNDS_CMD", stub.toString());
		environment.put("REFUNDS_MIN_AGE_SECONDS", "0");
		environment.putAll(env);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			fail("nightly-refunds.sh did not finish in 60 s; output so far:%n%s", output);
		}
		return new Result(process.exitValue(), output);
	}

	/** Holds an exclusive flock on the file in a background process until it is destroyed. */
	private static Process holdLock(Path lock) throws Exception {
		Process holder = new ProcessBuilder("bash", "-c", "exec 9>>\"$1\" && flock 9 && echo locked && exec sleep 120",
				"holder", lock.toString()).redirectErrorStream(true).start();
		BufferedReader reader = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
		assertThat(reader.readLine()).isEqualTo("locked");
		return holder;
	}

	private void inbox(String provider, String... names) throws IOException {
		Path dir = Files.createDirectories(root.resolve("inbox").resolve(provider));
		for (String name : names) {
			Files.writeString(dir.resolve(name), "id,amount\n1,10.00\n");
		}
	}

	private List<String> listing(String relative) throws IOException {
		Path dir = root.resolve(relative);
		if (!Files.isDirectory(dir)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(dir)) {
			return files.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	private List<String> calls() throws IOException {
		Path calls = tmp.resolve("calls.txt");
		return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
	}

	private Path logFile() throws IOException {
		List<String> logs = listing("logs");
		assertThat(logs).hasSize(1);
		return root.resolve("logs").resolve(logs.get(0));
	}

	private static String utcDay() {
		return DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(Instant.now());
	}

}
