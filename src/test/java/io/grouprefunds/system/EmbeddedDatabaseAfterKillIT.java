package io.grouprefunds.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grouprefunds.support.ChildJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first command after a {@code kill -9} of a run on the embedded database works: the killed JVM's PostgreSQL
 * is still running on the data directory, and {@code status} stops it and starts its own instead of giving up
 * waiting for a server that cannot start there.
 */
class EmbeddedDatabaseAfterKillIT {

	@TempDir
	Path work;

	@Test
	void statusRightAfterARunKilledWithSigkillSucceeds() throws Exception {
		// given the README's demo running on the embedded database in a process of its own
		Path csv = copy("rapyd-refunds.csv");
		Path groups = copy("sandbox-rapyd-groups.csv");
		Path runOutput = work.resolve("run.log");
		List<String> run = new ArrayList<>(List.of("run", csv.toString(), "--provider", "rapyd", "--sandbox",
				groups.toString()));
		run.addAll(settings());
		Process job = ChildJob.start(runOutput, run);

		// when it is killed with SIGKILL while it works on the batch, its database server still running
		awaitOutput(job, runOutput, "batch 1:");
		job.destroyForcibly().waitFor();
		assertThat(Files.exists(dataDir().resolve("postmaster.pid"))).as("the killed run's server is running")
			.isTrue();

		// then the very next status succeeds and shows the batch
		Path statusOutput = work.resolve("status.log");
		List<String> status = new ArrayList<>(List.of("status"));
		status.addAll(settings());
		Process operator = ChildJob.start(statusOutput, status);
		assertThat(operator.waitFor(4, TimeUnit.MINUTES)).as("status finished; see %s", statusOutput).isTrue();
		String printed = Files.readString(statusOutput);
		assertThat(operator.exitValue()).as(printed).isZero();
		assertThat(printed).contains("batch 1  rapyd  rapyd-refunds.csv").contains("next: ");
	}

	/** Whatever happened, no server is left running on the temporary directory. */
	@AfterEach
	void stopAnyServerLeft() throws IOException {
		Path pidFile = dataDir().resolve("postmaster.pid");
		if (Files.exists(pidFile)) {
			ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).strip())).ifPresent(server -> {
				server.destroy();
				server.onExit().orTimeout(60, TimeUnit.SECONDS).join();
			});
		}
	}

	private List<String> settings() {
		return List.of("--refunds.embedded-db.directory=" + dataDir(),
				"--refunds.reports.directory=" + work.resolve("reports"),
				"--refunds.log-file=" + work.resolve("group-refunds.log"));
	}

	private Path dataDir() {
		return work.resolve("postgres");
	}

	private Path copy(String sample) throws IOException {
		return Files.copy(Path.of("sample-data", sample), work.resolve(sample));
	}

	private static void awaitOutput(Process process, Path output, String text) throws Exception {
		Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
		while (!Files.exists(output) || !Files.readString(output).contains(text)) {
			assertThat(process.isAlive()).as("the run ended before '%s'; see %s", text, output).isTrue();
			assertThat(Instant.now()).as("the run printed '%s' in time", text).isBefore(deadline);
			Thread.sleep(100);
		}
	}

}
