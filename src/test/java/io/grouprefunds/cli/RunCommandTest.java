package io.grouprefunds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;

import io.grouprefunds.job.RunOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The control-total options of {@code run}: read strictly, refused as a usage error before anything starts. */
class RunCommandTest {

	private static RunOptions parse(String... args) {
		RunCommand run = new RunCommand();
		new CommandLine(run).parseArgs(args);
		return run.options();
	}

	@Test
	void controlTotalsAreReadPerCurrencyAtTheCurrencyScale() {
		// given / when
		RunOptions options = parse("f.csv", "--provider", "rapyd", "--expect-rows", "25", "--expect-total",
				"1000", "USD", "--expect-total", "5000", "jpy", "--max-total", "20000.5", "USD", "--allow-reprocess");

		// then
		assertThat(options.controls().expectedRows()).isEqualTo(25);
		assertThat(options.controls().expectedTotals()).containsOnlyKeys("JPY", "USD");
		assertThat(options.controls().expectedTotals().get("USD")).isEqualTo(new BigDecimal("1000.00"));
		assertThat(options.controls().expectedTotals().get("JPY")).isEqualTo(new BigDecimal("5000"));
		assertThat(options.controls().maxTotals().get("USD")).isEqualTo(new BigDecimal("20000.50"));
		assertThat(options.allowReprocess()).isTrue();
		assertThat(options.controls().describe())
			.isEqualTo("--expect-rows 25 --expect-total 5000 JPY --expect-total 1000.00 USD --max-total 20000.50 USD");
	}

	@Test
	void noOptionsMeanNoControlsAndNoReprocessing() {
		// given / when
		RunOptions options = parse("f.csv", "--provider", "rapyd");

		// then
		assertThat(options.controls().isEmpty()).isTrue();
		assertThat(options.allowReprocess()).isFalse();
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			--expect-total 12,50 USD                         | --expect-total 12,50 USD: amount '12,50' uses a decimal comma
			--expect-total USD 100                           | write the amount first, then the currency
			--max-total 100 DOLLARS                          | 'DOLLARS' is not an ISO 4217 currency code
			--expect-total 1 USD --expect-total 2 USD        | --expect-total is given twice for USD
			--expect-rows 0                                  | --expect-rows 0: a file holds at least one data row
			--expect-rows many                               | 'many' is not an int
			--stop-at 25:00                                  | --stop-at '25:00' must be a time of day written HH:MM (00:00 to 23:59), or YYYY-MM-DDTHH:MM, in the host's time zone
			--stop-at 6am                                    | --stop-at '6am' must be a time of day written HH:MM
			""")
	void aWrongOptionIsAUsageErrorThatSaysWhyAndStartsNothing(String options, String expected) {
		// given
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		String[] args = ("run no-such-file.csv --provider rapyd " + options).split(" ");

		// when
		int code = Cli.execute(new PrintWriter(out), new PrintWriter(err), args);

		// then
		assertThat(code).isEqualTo(2);
		assertThat(err.toString()).contains(expected).doesNotContain("\tat ").doesNotContain("Exception");
	}

}
