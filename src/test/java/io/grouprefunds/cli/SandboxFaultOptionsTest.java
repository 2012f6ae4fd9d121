package io.grouprefunds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.grouprefunds.sandbox.SandboxSettings;
import io.grouprefunds.sandbox.faults.SandboxFaults;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every fault the README promises the sandbox injects, and every {@code sandbox} flag the docs name, is an option of
 * {@code sandbox}: listed by its help and accepted. A new promise in the docs without its option fails here.
 */
class SandboxFaultOptionsTest {

	private static final Pattern FLAG = Pattern.compile("--[a-z][a-z0-9-]*[a-z0-9]");

	/** Values for the options that have no default to parse. */
	private static final Map<String, String> SAMPLES = Map.of("--outage-window", "0-1000", "--seed", "7");

	private static SandboxSettings parse(String... args) {
		SandboxCommand sandbox = new SandboxCommand();
		new CommandLine(sandbox).parseArgs(args);
		return sandbox.settings();
	}

	/** The README's list of faults (its sandbox paragraph), each with options that turn it on. */
	static Stream<Arguments> promisedFaults() {
		return Stream.of(
				fault("injects latency", (f) -> f.latencyMs() == 50 && f.jitterMs() == 10, "--latency-ms", "50",
						"--jitter-ms", "10"),
				fault("injects latency", (f) -> f.latencyP99Ms() == 400, "--latency-ms", "50", "--latency-p99-ms",
						"400"),
				fault("429s", (f) -> f.rateLimitPerSecond() == 25, "--rate-limit", "25"),
				fault("429s", (f) -> f.tooManyRequests() == 0.1, "--too-many-requests", "0.1"),
				fault("JSON or HTML", SandboxFaults::htmlTooManyRequests, "--html-429"),
				fault("with or without Retry-After", (f) -> f.retryAfterSeconds() == null, "--retry-after", "none"),
				fault("5xx before/after applying", (f) -> f.errorBeforeApply() == 0.2, "--error-before-apply", "0.2"),
				fault("5xx before/after applying", (f) -> f.errorAfterApply() == 0.3, "--error-after-apply", "0.3"),
				fault("answers delayed past", (f) -> f.slowAfterApply() == 0.1 && f.slowAfterApplyMs() == 40_000,
						"--slow-after-apply", "0.1", "--slow-after-apply-ms", "40000"),
				fault("dropped connections", (f) -> f.dropAfterApply() == 0.05, "--drop-after-apply", "0.05"),
				fault("outages", SandboxFaults::outage, "--outage"),
				fault("outages", (f) -> f.outageWindows().size() == 2, "--outage-window", "0-100", "--outage-window",
						"500-900"));
	}

	private static Arguments fault(String promise, Predicate<SandboxFaults> check, String... args) {
		return Arguments.of(promise, List.of(args), check);
	}

	@ParameterizedTest(name = "[{index}] {0}: {1}")
	@MethodSource("promisedFaults")
	void everyFaultTheReadmePromisesIsAnOption(String promise, List<String> args, Predicate<SandboxFaults> check)
			throws IOException {
		// given the README still promises it
		assertThat(sandboxParagraph()).contains(promise);

		// when
		SandboxFaults faults = parse(args.toArray(String[]::new)).faults();

		// then
		assertThat(check).as("%s gives %s", args, faults).accepts(faults);
	}

	@Test
	void everySandboxFlagTheDocsNameIsListedByItsHelpAndAccepted() throws IOException {
		// given the flags of the sandbox passages of the README and the docs
		Set<String> documented = new TreeSet<>();
		for (String passage : List.of(sandboxParagraph(), readmeSandboxRow(),
				section(Path.of("docs/throttling-and-resilience.md"), "## The sandbox under load"),
				section(Path.of("docs/providers-in-this-job.md"), "## 6. The sandbox"))) {
			Matcher flags = FLAG.matcher(passage);
			while (flags.find()) {
				documented.add(flags.group());
			}
		}
		// --help and --version are the command line's own, inherited by every subcommand
		documented.removeAll(Set.of("--help", "--version"));
		CommandLine commandLine = new CommandLine(new SandboxCommand());

		// when
		String help = commandLine.getUsageMessage(CommandLine.Help.Ansi.OFF);

		// then
		assertThat(documented).hasSizeGreaterThan(20);
		for (String flag : documented) {
			OptionSpec option = commandLine.getCommandSpec().findOption(flag);
			assertThat(option).as("%s is an option of sandbox", flag).isNotNull();
			assertThat(help).as("sandbox --help lists %s", flag).contains(flag);
			List<String> args = new ArrayList<>(List.of(flag));
			if (option.arity().max() > 0) {
				args.add(SAMPLES.getOrDefault(flag, option.defaultValue()));
			}
			assertThat(parse(args.toArray(String[]::new))).as("%s is accepted", args).isNotNull();
		}
	}

	/** The README's paragraph on the sandbox, from "The sandbox (`sandbox/`)" to the next blank line. */
	private static String sandboxParagraph() throws IOException {
		String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
		int start = readme.indexOf("The sandbox (`sandbox/`)");
		assertThat(start).as("the README's sandbox paragraph").isNotNegative();
		int end = readme.indexOf("\n\n", start);
		return readme.substring(start, (end < 0) ? readme.length() : end);
	}

	/** The README's command table row of {@code sandbox}. */
	private static String readmeSandboxRow() throws IOException {
		return Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8)
			.stream()
			.filter((line) -> line.startsWith("| `sandbox"))
			.findFirst()
			.orElseThrow();
	}

	/** A markdown section, from its heading to the next heading of level 2. */
	private static String section(Path file, String heading) throws IOException {
		String text = Files.readString(file, StandardCharsets.UTF_8);
		int start = text.indexOf(heading);
		assertThat(start).as("%s in %s", heading, file).isNotNegative();
		int end = text.indexOf("\n## ", start + heading.length());
		return text.substring(start, (end < 0) ? text.length() : end);
	}

}
