package io.grouprefunds.ingest;

import io.grouprefunds.domain.Money;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import io.grouprefunds.ledger.BatchControls;
import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.ledger.StatusTotal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The control totals, checked against what ingest recorded, before anything is sent. */
class FileGateTest {

	/** 3 valid USD rows (100.50 in all), 1 rejected USD row, 2 valid EUR rows (20.00). */
	private static final List<StatusTotal> FILE = List.of(
			new StatusTotal(RowStatus.READY, "USD", 3, new BigDecimal("100.5000"), 0),
			new StatusTotal(RowStatus.REJECTED, "USD", 1, BigDecimal.ZERO, 0),
			new StatusTotal(RowStatus.READY, "EUR", 2, new BigDecimal("20.0000"), 0));

	private static BatchControls controls(Integer rows, Map<String, String> expected, Map<String, String> max) {
		return new BatchControls(rows, amounts(expected), amounts(max));
	}

	private static Map<String, BigDecimal> amounts(Map<String, String> text) {
		return text.entrySet()
			.stream()
			.collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> new BigDecimal(e.getValue())));
	}

	@Test
	void noControlsPassAFileWithRows() {
		// given / when / then
		assertThat(FileGate.problems(BatchControls.NONE, FILE)).isEmpty();
	}

	@Test
	void aFileWithoutDataRowsIsRefusedWhateverTheControls() {
		// given / when / then
		assertThat(FileGate.problems(BatchControls.NONE, List.of()))
			.containsExactly("the file has a header but no data rows");
	}

	@Test
	void expectRowsCountsEveryDataRowValidOrNot() {
		// given / when / then
		assertThat(FileGate.problems(controls(6, Map.of(), Map.of()), FILE)).isEmpty();
		assertThat(FileGate.problems(controls(5, Map.of(), Map.of()), FILE))
			.containsExactly("the file has 6 data row(s), but --expect-rows says 5");
		assertThat(FileGate.problems(controls(7, Map.of(), Map.of()), FILE))
			.containsExactly("the file has 6 data row(s), but --expect-rows says 7 (is the file complete?)");
	}

	@Test
	void expectedTotalsMatchExactlyWhateverTheScaleTheyWereWrittenWith() {
		// given / when / then
		assertThat(FileGate.problems(controls(null, Map.of("USD", "100.5", "EUR", "20"), Map.of()), FILE)).isEmpty();
	}

	@Test
	void anExpectedTotalOffByOneCentRefusesAndSaysRejectedRowsDoNotCount() {
		// given / when
		List<String> problems = FileGate.problems(controls(null, Map.of("USD", "100.51", "EUR", "20"), Map.of()), FILE);

		// then
		assertThat(problems).containsExactly("the valid USD rows add up to 100.50 USD, not --expect-total 100.51 USD "
				+ "(1 USD row(s) were REJECTED and do not count: see the rejected rows)");
	}

	@Test
	void aCurrencyWithValidRowsButNoExpectedTotalRefuses() {
		// given / when
		List<String> problems = FileGate.problems(controls(null, Map.of("USD", "100.50"), Map.of()), FILE);

		// then
		assertThat(problems)
			.containsExactly("the file has 2 valid EUR row(s) (20.00 EUR) but no --expect-total for EUR");
	}

	@Test
	void anExpectedTotalForACurrencyTheFileDoesNotHaveRefuses() {
		// given / when
		List<String> problems = FileGate
			.problems(controls(null, Map.of("USD", "100.50", "EUR", "20", "GBP", "5"), Map.of()), FILE);

		// then
		assertThat(problems).containsExactly("the valid GBP rows add up to 0.00 GBP, not --expect-total 5.00 GBP");
	}

	@Test
	void wholeGroupRefundsCannotBeTotalledSoATotalOverTheirCurrencyRefuses() {
		// given 1 of the 3 valid USD rows refunds a whole group
		List<StatusTotal> file = List.of(new StatusTotal(RowStatus.READY, "USD", 3, new BigDecimal("100.50"), 1));

		// when
		List<String> expected = FileGate.problems(controls(null, Map.of("USD", "100.50"), Map.of()), file);
		List<String> max = FileGate.problems(controls(null, Map.of(), Map.of("USD", "100000")), file);

		// then
		assertThat(expected).singleElement()
			.asString()
			.startsWith("--expect-total 100.50 USD cannot be checked: 1 USD row(s) refund a whole group (no amount)");
		assertThat(max).singleElement().asString().startsWith("--max-total 100000.00 USD cannot be checked");
	}

	@Test
	void maxTotalIsACeilingOnTheValidRows() {
		// given / when / then
		assertThat(FileGate.problems(controls(null, Map.of(), Map.of("USD", "100.50", "EUR", "20")), FILE)).isEmpty();
		assertThat(FileGate.problems(controls(null, Map.of(), Map.of("USD", "100.49", "EUR", "1000")), FILE))
			.containsExactly("the valid USD rows add up to 100.50 USD, above --max-total 100.49 USD (1 USD row(s) were "
					+ "REJECTED and do not count: see the rejected rows)");
		assertThat(FileGate.problems(controls(null, Map.of(), Map.of("USD", "1000")), FILE))
			.containsExactly("the file has 2 valid EUR row(s) (20.00 EUR) but no --max-total for EUR");
	}

	@Test
	void everyProblemIsToldInOneMessage() {
		// given / when
		FileRefusedException refused = catchThrowableOfType(FileRefusedException.class,
				() -> FileGate.check(controls(5, Map.of("USD", "1"), Map.of()), FILE));

		// then
		assertThat(refused.getMessage()).contains("--expect-rows says 5; ")
			.contains("not --expect-total 1.00 USD")
			.contains("no --expect-total for EUR");
	}

	@ParameterizedTest(name = "[{index}] {0} {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			1000.00 | USD | 1000.00 | USD
			1000    | usd | 1000.00 | USD
			5000    | JPY | 5000    | JPY
			""")
	void anAmountOptionIsReadStrictly(String amount, String currency, String expectedAmount, String expectedCurrency) {
		// given / when
		Money money = FileGate.amountOption("--expect-total", amount, currency);

		// then
		assertThat(money.toScaledString()).isEqualTo(expectedAmount);
		assertThat(money.currency().getCurrencyCode()).isEqualTo(expectedCurrency);
	}

	@ParameterizedTest(name = "[{index}] {0} {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			USD      | 1000 | write the amount first, then the currency
			1,000.00 | USD  | thousands separators
			10.005   | USD  | 3 decimals; USD allows 2
			-5       | USD  | negative
			1000     | XYZ  | 'XYZ' is not an ISO 4217 currency code
			0        | USD  | zero
			""")
	void aWrongAmountOptionSaysWhatToWrite(String amount, String currency, String expected) {
		// given / when / then
		assertThatIllegalArgumentException().isThrownBy(() -> FileGate.amountOption("--max-total", amount, currency))
			.withMessageStartingWith("--max-total " + amount + " " + currency + ": ")
			.withMessageContaining(expected);
	}

}
