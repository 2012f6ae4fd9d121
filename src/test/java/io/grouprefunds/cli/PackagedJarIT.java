package io.grouprefunds.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged jar (built before the integration tests run) says which version it is: the build writes it into the
 * manifest as {@code Implementation-Version}.
 */
class PackagedJarIT {

	private static final Path JAR = Path.of("target/group-refunds.jar");

	@ParameterizedTest(name = "[{index}] {0}")
	@ValueSource(strings = { "--version", "status --version", "sandbox -V" })
	void theJarPrintsItsOwnVersion(String args) throws IOException, InterruptedException {
		// given
		assumeTrue(Files.isRegularFile(JAR), "the jar is built by `package`, before the integration tests");
		java.util.List<String> command = new java.util.ArrayList<>(
				java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
						JAR.toString()));
		command.addAll(java.util.List.of(args.split(" ")));

		// when
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

		// then
		assertThat(process.exitValue()).as(printed).isZero();
		assertThat(printed).matches("(?s)group-refunds \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R.*Spring Boot 4\\..*");
	}

}
