package io.grouprefunds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;

import io.grouprefunds.job.ExitCode;
import io.grouprefunds.support.JobHarness;
import io.grouprefunds.support.ProviderFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bad setting, given as an operator gives it, stops the real command line before anything is read or sent: exit 7,
 * one line naming the setting and the rule it broke, no stack trace.
 */
class ConfigurationErrorsIT {

	@TempDir
	static Path work;

	private static JobHarness harness;

	@BeforeAll
	static void startHarness() {
		harness = JobHarness.withDefaults(work);
	}

	@AfterAll
	static void stopHarness() {
		harness.close();
	}

	@ParameterizedTest(name = "[{index}] {0} --{1}={2}")
	@CsvSource(delimiter = '|', textBlock = """
			run    | refunds.throttle.rapyd.rate-per-second | -1   | refunds.throttle.rapyd.rate-per-second: must be greater than or equal to 0
			run    | refunds.submit.chunk-size              | many | refunds.submit.chunk-size: 'many' is not a whole number
			run    | refunds.breaker.minimum-calls          | 50   | refunds.breaker.minimum-calls: must not be more than refunds.breaker.window
			status | refunds.ingest.max-amount.USD          | -5   | refunds.ingest.max-amount.USD: must be greater than 0
			status | refunds.progress.interval              | 0s   | refunds.progress.interval: must be longer than 0
			run    | refunds.submit.stop-at                 | 6am  | refunds.submit.stop-at: must be a time of day written HH:MM (00:00 to 23:59), or YYYY-MM-DDTHH:MM, in the host's time zone
			run    | refunds.approval.above.usd             | 0    | refunds.approval.above.USD: must be greater than 0
			approve | refunds.approval.above.usd            | 1.234 | refunds.approval.above.USD: amount 1.234 has more decimals than USD allows (2)
			""")
	void aBadSettingExitsSevenNamingTheSettingAndTheRule(String command, String name, String value, String expected) {
		// given
		harness.set(name, value);
		try {
			// when
			ByteArrayOutputStream console = new ByteArrayOutputStream();
			JobHarness.Result result = capturingConsole(console, () -> command.equals("run")
					? harness.run(ProviderFixture.RAPYD.sample().file())
					: command.equals("approve") ? harness.cli(command, "1") : harness.cli(command));

			// then
			assertThat(result.exitCode()).as(result.all()).isEqualTo(ExitCode.CONFIGURATION_ERROR.code());
			assertThat(result.err().strip()).isEqualTo("configuration error: " + expected);
			assertThat(result.all()).doesNotContain("\tat ").doesNotContain("Exception");
			assertThat(harness.simulated().requestCount()).isZero();
			// and Spring's own report of the failed start is left to the log file
			assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain("APPLICATION FAILED TO START")
				.doesNotContain("Exception encountered");
			assertThat(harness.readLog()).contains("APPLICATION FAILED TO START");
		}
		finally {
			harness.set(name, defaultOf(name));
		}
	}

	/** The console log (written to System.out) while a command runs. */
	private static <T> T capturingConsole(ByteArrayOutputStream console, Supplier<T> work) {
		PrintStream out = System.out;
		System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
		try {
			return work.get();
		}
		finally {
			System.setOut(out);
		}
	}

	/** Puts a sound value back for the next case. */
	private static String defaultOf(String name) {
		return switch (name) {
			case "refunds.throttle.rapyd.rate-per-second" -> "0";
			case "refunds.submit.chunk-size" -> "100";
			case "refunds.breaker.minimum-calls" -> "10";
			case "refunds.ingest.max-amount.USD" -> "1000000";
			case "refunds.progress.interval" -> "5s";
			case "refunds.submit.stop-at" -> "";
			case "refunds.approval.above.usd" -> "1000000";
			default -> throw new IllegalArgumentException(name);
		};
	}

}
