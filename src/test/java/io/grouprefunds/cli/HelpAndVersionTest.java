package io.grouprefunds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code --help} and {@code --version} (and {@code -h}, {@code -V}) answer on every command, subcommands included,
 * with exit 0 and without starting anything. The subcommands are taken from the command line itself, so one added
 * later is covered too.
 */
class HelpAndVersionTest {

	/** Every command as typed: none (the top command), then each subcommand. */
	static Stream<String> commands() {
		List<String> commands = new ArrayList<>(List.of(""));
		commands.addAll(new CommandLine(Cli.class).getSubcommands().keySet());
		assertThat(commands).contains("run", "restart", "rerun-failed", "reconcile", "status", "approve", "sandbox");
		return commands.stream();
	}

	@ParameterizedTest(name = "[{index}] {0} --help")
	@MethodSource("commands")
	void helpShowsTheUsageAndExitsZero(String command) {
		for (String option : List.of("--help", "-h")) {
			// when
			Printed printed = execute(command, option);

			// then
			assertThat(printed.code()).as(printed.all()).isZero();
			assertThat(printed.out()).startsWith("Usage: group-refunds" + (command.isEmpty() ? "" : " " + command))
				.contains("-h, --help").contains("-V, --version");
			assertThat(printed.err()).isEmpty();
		}
	}

	@ParameterizedTest(name = "[{index}] {0} --version")
	@MethodSource("commands")
	void versionSaysWhatIsRunningAndExitsZero(String command) {
		for (String option : List.of("--version", "-V")) {
			// when
			Printed printed = execute(command, option);

			// then: run from classes here, so the fallback; the packaged jar's own: PackagedJarIT
			assertThat(printed.code()).as(printed.all()).isZero();
			assertThat(printed.out()).startsWith("group-refunds " + VersionProvider.UNPACKAGED)
				.contains("Spring Boot 4.").contains("Java 17");
			assertThat(printed.err()).isEmpty();
		}
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@MethodSource("commands")
	void onlyTheBatchCommandsListTheJobsExitCodes(String command) {
		// when
		Printed printed = execute(command, "--help");

		// then
		assertThat(printed.out().contains("7   configuration error")).isEqualTo(!command.equals("sandbox"));
		assertThat(printed.out().contains("9   waiting for approval")).isEqualTo(!command.equals("sandbox"));
	}

	private static Printed execute(String command, String option) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		String[] args = command.isEmpty() ? new String[] { option } : new String[] { command, option };
		int code = Cli.execute(new PrintWriter(out), new PrintWriter(err), args);
		return new Printed(code, out.toString(), err.toString());
	}

	private record Printed(int code, String out, String err) {

		String all() {
			return out + err;
		}

	}

}
