package io.grouprefunds.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grouprefunds.submit.StopTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code REFUNDS_NIGHTLY_STOP_AT} on the real clock: a file whose run goes past the stop time stays in the inbox
 * (exit 5, as a run stopped by {@code --stop-at} exits), and the files after it are not started. The job is a stub
 * that, like a stopped run, ends after the stop time with exit 5 (the real job's stop: {@code job/StopAtIT}).
 */
class NightlyStopTimeIT {

	private static final Path SCRIPT = Path.of("jobs", "nightly-refunds.sh").toAbsolutePath();

	private static final String STUB = """
			#!/usr/bin/env bash
			{ printf '%s|' "$@"; printf '\\n'; } >>"$(dirname -- "$0")/calls.txt"
			if [[ "$1" == reconcile ]]; then exit 0; fi
			while (($(date +%s) < STUB_UNTIL)); do sleep 1; done
			exit 5
			""";

	@TempDir
	Path tmp;

	@Test
	void filesNotStartedByTheStopTimeAreLeftForTheNextNight() throws Exception {
		// given two files, and a stop time one to two minutes ahead that the first file's run goes past
		Path root = Files.createDirectories(tmp.resolve("root"));
		Path inbox = Files.createDirectories(root.resolve("inbox/rapyd"));
		for (String name : List.of("a.csv", "b.csv")) {
			Files.writeString(inbox.resolve(name), "request_id\n");
			Files.setLastModifiedTime(inbox.resolve(name), FileTime.from(Instant.now().minusSeconds(600)));
		}
		Path stub = tmp.resolve("stub.sh");
		Files.writeString(stub, STUB);
		assertThat(stub.toFile().setExecutable(true)).isTrue();
		ZonedDateTime now = ZonedDateTime.now(ZoneId.systemDefault());
		LocalTime at = now.plusMinutes(2).truncatedTo(ChronoUnit.MINUTES).toLocalTime();
		String stopAt = DateTimeFormatter.ofPattern("HH:mm").format(at);
		ZonedDateTime deadline = StopTime.next(at, now.toInstant(), ZoneId.systemDefault()).deadline();
		ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), root.toString())
			.redirectErrorStream(true);
		Map<String, String> env = builder.environment();
		env.keySet().removeIf(name -> name.startsWith("REFUNDS_") || name.startsWith("GROUP_REFUNDS_"));
		env.put("GROUP_REFUNDS_CMD", stub.toString());
		env.put("REFUNDS_NIGHTLY_STOP_AT", stopAt);
		env.put("STUB_UNTIL", Long.toString(deadline.toEpochSecond() + 2));

		// when
		Process wrapper = builder.start();
		String printed = new String(wrapper.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!wrapper.waitFor(200, TimeUnit.SECONDS)) {
			wrapper.destroyForcibly();
			fail("nightly-refunds.sh did not finish in 200 s:%n%s", printed);
		}

		// then
		String dated = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").format(deadline);
		assertThat(wrapper.exitValue()).as(printed).isEqualTo(5);
		assertThat(Files.readAllLines(tmp.resolve("calls.txt"))).containsExactly("reconcile|",
				"run|" + inbox.resolve("a.csv") + "|--provider|rapyd|--stop-at|" + dated + "|");
		assertThat(printed).contains("left: file=\"a.csv\" provider=rapyd exit=5",
				"left: file=\"b.csv\" provider=rapyd not run: stop time " + stopAt + " reached; the next run takes it",
				"summary: taken=1 done=0 need_review=0 failed=0 left_in_inbox=2 skipped_too_new=0 exit=5");
		try (var files = Files.list(inbox)) {
			assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("a.csv", "b.csv");
		}
	}

}
