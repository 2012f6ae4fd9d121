package io.grouprefunds.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.grouprefunds.sandbox.SandboxServer;
import io.grouprefunds.sandbox.SandboxSettings;
import io.grouprefunds.support.ProviderFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jobs/nightly-refunds.sh with the real jar ({@code target/group-refunds.jar}, built by {@code package}
 * before the integration tests), started as cron starts it: from another working folder (the service user's home),
 * with the job's settings in its environment (the sandbox's URL and keys; no datasource, so the embedded database).
 * Everything the job writes lands under REFUNDS_HOME, nothing in the folder cron started it in.
 */
class NightlyWrapperRealJobIT {

	private static final Path SCRIPT = Path.of("jobs", "nightly-refunds.sh").toAbsolutePath();

	private static final Path JAR = Path.of("target", "group-refunds.jar").toAbsolutePath();

	@TempDir
	Path tmp;

	@Test
	void theJobsReportsLogAndDatabaseLandUnderRefundsHomeNotInCronsFolder() throws Exception {
		assertThat(JAR).as("built by `package`, before the integration tests").isRegularFile();
		ProviderFixture rapyd = ProviderFixture.RAPYD;
		try (SandboxServer sandbox = SandboxServer.start(SandboxSettings.defaults())) {
			// given the sample file in REFUNDS_HOME's inbox, older than REFUNDS_MIN_AGE_SECONDS (default 60)
			sandbox.provider(rapyd.provider()).loadGroups(rapyd.sample().groups());
			Path home = Files.createDirectories(tmp.resolve("refunds-home"));
			Path cronFolder = Files.createDirectories(tmp.resolve("service-user-home"));
			Path inboxed = Files.createDirectories(home.resolve("inbox/rapyd")).resolve("rapyd-refunds.csv");
			Files.copy(rapyd.sample().file(), inboxed);
			Files.setLastModifiedTime(inboxed, FileTime.from(Instant.now().minusSeconds(600)));
			// and the job's settings in the environment, as the env file of crontab.example gives them
			ProcessBuilder cron = new ProcessBuilder("bash", SCRIPT.toString()).directory(cronFolder.toFile())
				.redirectErrorStream(true);
			Map<String, String> env = cron.environment();
			env.keySet().removeIf(name -> name.startsWith("REFUNDS_") || name.startsWith("SPRING_")
					|| name.equals("JAVA_OPTS") || name.startsWith("GROUP_REFUNDS_"));
			env.put("HOME", cronFolder.toString());
			env.put("REFUNDS_HOME", home.toString());
			env.put("GROUP_REFUNDS_CMD", Path.of(System.getProperty("java.home"), "bin", "java") + " -Xmx256m -jar "
					+ JAR);
			sandbox.clientSettings(rapyd.provider()).forEach((name, value) -> env.put(environmentName(name), value));
			env.put("REFUNDS_THROTTLE_RATEPERSECOND", "0");

			// when
			Process wrapper = cron.start();
			String printed = new String(wrapper.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!wrapper.waitFor(300, TimeUnit.SECONDS)) {
				wrapper.destroyForcibly();
				fail("nightly-refunds.sh did not finish in 300 s:%n%s", printed);
			}
			String nightlyLog = nightlyLog(home);

			// then the file was sent and moved to done/ (exit 3: the sample has rows for a person to review)
			assertThat(wrapper.exitValue()).as(printed + nightlyLog).isZero();
			assertThat(nightlyLog).contains("reconcile: exit=0", "done: file=\"rapyd-refunds.csv\" provider=rapyd "
					+ "exit=3", "-> done/rapyd/rapyd-refunds.csv");
			assertThat(home.resolve("done/rapyd/rapyd-refunds.csv")).hasSameTextualContentAs(rapyd.sample().file());
			assertThat(listing(home.resolve("inbox/rapyd"))).isEmpty();
			assertThat(sandbox.rapyd().appliedRefunds()).hasSize(18);
			// and the reports, the job's log and the embedded database are under REFUNDS_HOME
			assertThat(nightlyLog).contains("result file: reports/batch-1-results.csv");
			assertThat(home.resolve("reports/batch-1-results.csv")).isRegularFile();
			assertThat(Files.readString(home.resolve("reports/batch-1-results.csv"))).contains("r-1001", "SUCCEEDED");
			assertThat(home.resolve("reports/batch-1-rejected.csv")).isRegularFile();
			assertThat(Files.readString(home.resolve("logs/group-refunds.log"))).contains("batch 1");
			assertThat(home.resolve(".group-refunds/postgres")).isDirectory();
			// and nothing in the folder cron started in
			assertThat(listing(cronFolder)).as(printed).isEmpty();
		}
	}

	/** {@code refunds.rapyd.base-url} → {@code REFUNDS_RAPYD_BASEURL}, Spring Boot's form for the environment. */
	private static String environmentName(String property) {
		return property.replace(".", "_").replace("-", "").toUpperCase(java.util.Locale.ROOT);
	}

	private static String nightlyLog(Path home) throws IOException {
		List<String> logs = listing(home.resolve("logs")).stream().filter(name -> name.startsWith("nightly-")).toList();
		assertThat(logs).hasSize(1);
		return Files.readString(home.resolve("logs").resolve(logs.get(0)));
	}

	private static List<String> listing(Path dir) throws IOException {
		if (!Files.isDirectory(dir)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(dir)) {
			return files.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

}
