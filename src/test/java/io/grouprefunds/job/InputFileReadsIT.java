package io.grouprefunds.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import io.grouprefunds.support.JobHarness;
import io.grouprefunds.support.ProviderFixture;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many times the real command line reads the input file, counted by the JVM itself: Flight Recorder's
 * {@code jdk.FileRead} events add up every byte read from the file, so the total over the file's size is the number
 * of reads, whatever code does them. A new file is read twice (inspected, then ingested), never more; and the dry
 * run says how many requests it did not show.
 */
class InputFileReadsIT {

	@TempDir
	Path work;

	@Test
	void aNewFileIsReadTwiceAndAFileAlreadyRunOnce() throws IOException {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given
			Path file = copyOfTheSample("new-file.csv");

			// when
			Reads first = reads(file, () -> harness.run(file));
			Reads again = reads(file, () -> harness.run(file));

			// then: inspected (SHA-256, soundness, provider, in one pass) and ingested; the second run is refused
			// as already processed on its inspection alone
			assertThat(first.result().exitCode()).as(first.result().all())
				.isEqualTo(ExitCode.COMPLETED_WITH_REJECTIONS.code());
			assertThat(first.times()).isEqualTo(2);
			assertThat(again.result().exitCode()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(again.times()).isEqualTo(1);
		}
	}

	@Test
	void aFileTheInspectionRefusesIsReadOnceAndRefusedWithItsReason() throws IOException {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given
			Path file = Files.writeString(work.resolve("bad-header.csv"),
					"request_id,group,amount,currency\nr-1,gp_8932172b9ae44d0caa04d5d419b43739,1,USD\n");

			// when
			Reads run = reads(file, () -> harness.run(file));

			// then
			assertThat(run.result().exitCode()).isEqualTo(ExitCode.REFUSED.code());
			assertThat(run.result().err()).contains("file refused, nothing was sent (batch 1)")
				.contains("group_id");
			assertThat(run.times()).isEqualTo(1);
		}
	}

	@Test
	void aDryRunReadsTheFileTwiceAndSaysHowManyRequestsItDidNotShow() throws IOException {
		try (JobHarness harness = JobHarness.withDefaults(work)) {
			// given the sample: 21 valid rows of 26
			Path file = copyOfTheSample("dry-run.csv");

			// when
			Reads byDefault = reads(file, () -> harness.cli("run", file.toString(), "--provider", "rapyd",
					"--dry-run"));
			JobHarness.Result all = harness.cli("run", file.toString(), "--provider", "rapyd", "--dry-run", "--show",
					"all");
			JobHarness.Result none = harness.cli("run", file.toString(), "--provider", "rapyd", "--dry-run", "--show",
					"0");

			// then
			assertThat(byDefault.times()).isEqualTo(2);
			assertThat(requestsShown(byDefault.result())).isEqualTo(DryRun.DEFAULT_SHOWN);
			assertThat(byDefault.result().out())
				.contains("… and 16 more requests not shown (use --show N, or --show all)");
			assertThat(requestsShown(all)).isEqualTo(21);
			assertThat(all.out()).doesNotContain("more request");
			assertThat(requestsShown(none)).isZero();
			assertThat(none.out()).contains("… and 21 more requests not shown");
			assertThat(harness.simulated().requestCount()).isZero();
		}
	}

	private Path copyOfTheSample(String name) throws IOException {
		return Files.copy(ProviderFixture.RAPYD.sample().file(), work.resolve(name));
	}

	private static long requestsShown(JobHarness.Result result) {
		return result.out().lines().filter(line -> line.contains(" would send: ")).count();
	}

	/** What a command did, and how many times it read the file through. */
	record Reads(JobHarness.Result result, double times) {
	}

	private static Reads reads(Path file, Supplier<JobHarness.Result> command) throws IOException {
		long size = Files.size(file);
		try (Recording recording = new Recording()) {
			recording.enable("jdk.FileRead").withThreshold(Duration.ZERO).withoutStackTrace();
			recording.start();
			JobHarness.Result result = command.get();
			recording.stop();
			Path dump = Files.createTempFile(file.getParent(), "reads", ".jfr");
			recording.dump(dump);
			String name = file.getFileName().toString();
			long bytes = RecordingFile.readAllEvents(dump)
				.stream()
				.filter(event -> event.getEventType().getName().equals("jdk.FileRead"))
				.filter(event -> pathOf(event).endsWith("/" + name))
				.mapToLong(event -> Math.max(0, event.getLong("bytesRead")))
				.sum();
			return new Reads(result, (double) bytes / size);
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
	}

	private static String pathOf(RecordedEvent event) {
		String path = event.getString("path");
		return path == null ? "" : path;
	}

}
