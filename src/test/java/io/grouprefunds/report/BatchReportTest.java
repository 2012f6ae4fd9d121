package io.grouprefunds.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The result file's cells: formulas neutralised, valid amounts numeric at the currency's scale. */
class BatchReportTest {

	@ParameterizedTest
	@ValueSource(strings = { "=HYPERLINK(\"http://evil\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1",
			"\r=1", "=", "+" })
	void aCellASpreadsheetWouldRunAsAFormulaGetsALeadingQuote(String value) {
		// given / when
		String safe = BatchReport.spreadsheetSafe(value);

		// then
		assertThat(safe).isEqualTo("'" + value);
	}

	@ParameterizedTest
	@ValueSource(strings = { "r-1", "gp_8932172b9ae44d0caa04d5d419b43739", "42.60", "customer = happy",
			"'already quoted", " =not first", "SUCCEEDED" })
	void ordinaryTextIsLeftAlone(String value) {
		// given / when / then
		assertThat(BatchReport.spreadsheetSafe(value)).isEqualTo(value);
	}

	@Test
	void nullAndEmptyBecomeEmpty() {
		// given / when / then
		assertThat(BatchReport.spreadsheetSafe(null)).isEmpty();
		assertThat(BatchReport.spreadsheetSafe("")).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			42.6     | USD | 42.60
			42.6000  | USD | 42.60
			100      | USD | 100.00
			5000     | JPY | 5000
			5000.0000| JPY | 5000
			1.2      | KWD | 1.200
			""")
	void aValidAmountIsAPlainNumberAtTheCurrencyScale(String amount, String currency, String expected) {
		// given an amount as the ledger returns it (NUMERIC(20, 4))
		BigDecimal value = new BigDecimal(amount);

		// when
		String text = BatchReport.amountText(value, currency, "as written");

		// then
		assertThat(text).isEqualTo(expected);
		assertThat(new BigDecimal(text)).isEqualByComparingTo(value);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			"1,000.00"      | "1,000.00"
			10.005          | 10.005
			-5              | '-5
			"=1+2"          | '=1+2
			"+44 20 7946"   | "'+44 20 7946"
			"@cmd"          | '@cmd
			""              | ""
			""")
	void aRejectedAmountIsShownAsWrittenButNeutralised(String asWritten, String expected) {
		// given a rejected row: no valid amount
		// when
		String text = BatchReport.amountText(null, "USD", asWritten);

		// then
		assertThat(text).isEqualTo(expected);
	}

	@Test
	void aRejectedRowWithoutCurrencyOrAmountTextIsEmpty() {
		// given / when / then
		assertThat(BatchReport.amountText(null, null, null)).isEmpty();
	}

	@Property
	void noNeutralisedCellStartsWithAFormulaCharacter(@ForAll String value) {
		// given any text
		// when
		String safe = BatchReport.spreadsheetSafe(value);

		// then it does not start a formula, and only a quote was ever added
		assertThat(safe).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("-").doesNotStartWith("@")
			.doesNotStartWith("\t").doesNotStartWith("\r");
		assertThat(safe).isIn(value, "'" + value);
	}

}
