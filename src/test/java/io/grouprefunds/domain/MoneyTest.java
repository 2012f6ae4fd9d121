package io.grouprefunds.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.util.Currency;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strict amount parsing, exact scale per currency, and the two string forms providers and reports need. */
class MoneyTest {

	private static final Currency USD = Currency.getInstance("USD");

	private static final Currency JPY = Currency.getInstance("JPY");

	private static final Currency KWD = Currency.getInstance("KWD");

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			42.6    | USD | 42.60
			42.60   | USD | 42.60
			100     | USD | 100.00
			0.01    | USD | 0.01
			5000    | JPY | 5000
			1.234   | KWD | 1.234
			1.2     | KWD | 1.200
			007.5   | USD | 7.50
			""")
	void parsesPlainDecimalsAtTheCurrencyScale(String text, String currency, String expected) {
		// given a plain decimal within the currency's decimals
		Currency cur = Currency.getInstance(currency);

		// when
		Money money = Money.parse(text, cur);

		// then the amount is exact and held at the currency's scale
		assertThat(money.amount()).isEqualTo(new BigDecimal(expected));
		assertThat(money.amount().scale()).isEqualTo(cur.getDefaultFractionDigits());
		assertThat(money.currency()).isEqualTo(cur);
	}

	@ParameterizedTest(name = "[{index}] ''{0}'' {1} -> {2}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			""        | USD | blank
			" 10.00"  | USD | spaces
			"10.00 "  | USD | spaces
			-5.00     | USD | negative
			0         | USD | zero
			0.00      | USD | zero
			"10,50"   | USD | decimal comma
			"1,000.00"| USD | thousands separators
			"1'000"   | USD | thousands separators
			"1 000"   | USD | thousands separators
			1e3       | USD | exponent
			1E+2      | USD | exponent
			+5        | USD | sign
			abc       | USD | not a plain decimal
			.5        | USD | not a plain decimal
			5.        | USD | not a plain decimal
			0x10      | USD | not a plain decimal
			NaN       | USD | not a plain decimal
			"10.00USD"| USD | currency symbol or code
			10.005    | USD | 3 decimals
			10.000    | USD | 3 decimals
			5000.0    | JPY | 1 decimals
			1.2345    | KWD | 4 decimals
			"1.000,50"| EUR | thousands separators and a decimal comma
			"1\u00a0000" | EUR | thousands separators
			"1\u202f000,00" | EUR | thousands separators and a decimal comma
			"10.00\u00a0" | USD | spaces around it
			"$10.00"  | USD | currency symbol or code
			"10 USD"  | USD | currency symbol or code
			"(10.00)" | USD | negative
			"\u221210" | USD | negative
			"10 00"   | USD | has spaces in it
			"   "     | USD | blank
			1234567890123456 | USD | too large (more than 15 digits before the decimal point)
			""")
	void refusesAnythingButAPositivePlainDecimalWithAReadableReason(String text, String currency, String reason) {
		// given text an operator might have typed
		Currency cur = Currency.getInstance(currency);

		// when / then it is refused, never guessed at or rounded, and the message says why
		assertThatIllegalArgumentException().isThrownBy(() -> Money.parse(text == null ? "" : text, cur))
			.withMessageContaining(reason);
	}

	@Test
	void fifteenDigitsBeforeTheDecimalPointAreTheMostAnAmountMayHave() {
		// given / when / then
		assertThat(Money.parse("999999999999999.99", USD).amount()).isEqualTo(new BigDecimal("999999999999999.99"));
	}

	@Test
	void nullTextIsBlank() {
		// given / when / then
		assertThatIllegalArgumentException().isThrownBy(() -> Money.parse(null, USD)).withMessageContaining("blank");
	}

	@Test
	void whitespaceOnlyIsRefused() {
		// given / when / then
		assertThatIllegalArgumentException().isThrownBy(() -> Money.parse("   ", USD));
	}

	@Test
	void aThirdDecimalInUsdIsAnErrorNotARounding() {
		// given / when / then
		assertThatIllegalArgumentException().isThrownBy(() -> Money.parse("10.005", USD))
			.withMessageContaining("10.005")
			.withMessageContaining("USD allows 2");
	}

	@Test
	void aCurrencyWithoutMinorUnitIsRefused() {
		// given a currency with no minor unit (gold)
		Currency gold = Currency.getInstance("XAU");

		// when / then
		assertThatIllegalArgumentException().isThrownBy(() -> Money.parse("1", gold))
			.withMessageContaining("no minor unit");
	}

	@Test
	void constructorRefusesMoreDecimalsThanTheCurrencyButAcceptsTrailingZeros() {
		// given / when / then
		assertThatIllegalArgumentException().isThrownBy(() -> new Money(new BigDecimal("1.001"), USD));
		assertThat(new Money(new BigDecimal("1.000"), USD).amount()).isEqualTo(new BigDecimal("1.00"));
		assertThat(new Money(new BigDecimal("1E+2"), USD).amount()).isEqualTo(new BigDecimal("100.00"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			42.60  | USD | 42.6
			100.00 | USD | 100
			71     | USD | 71
			0.10   | USD | 0.1
			5000   | JPY | 5000
			1.200  | KWD | 1.2
			1000   | KWD | 1000
			""")
	void compactStringHasNoTrailingZerosAndNoExponent(String amount, String currency, String expected) {
		// given
		Money money = new Money(new BigDecimal(amount), Currency.getInstance(currency));

		// when
		String compact = money.toCompactString();

		// then
		assertThat(compact).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			42.6   | USD | 42.60
			100    | USD | 100.00
			5000   | JPY | 5000
			1.2    | KWD | 1.200
			""")
	void scaledStringHasTheCurrencyDecimals(String amount, String currency, String expected) {
		// given
		Money money = Money.parse(amount, Currency.getInstance(currency));

		// when / then
		assertThat(money.toScaledString()).isEqualTo(expected);
	}

	@Test
	void plusAddsExactlyInOneCurrency() {
		// given
		Money a = Money.parse("0.10", USD);
		Money b = Money.parse("0.20", USD);

		// when
		Money sum = a.plus(b);

		// then
		assertThat(sum).isEqualTo(Money.parse("0.30", USD));
	}

	@Test
	void plusAcrossCurrenciesIsRefused() {
		// given
		Money dollars = Money.parse("1", USD);
		Money yen = Money.parse("1", JPY);

		// when / then
		assertThatIllegalArgumentException().isThrownBy(() -> dollars.plus(yen))
			.withMessageContaining("JPY")
			.withMessageContaining("USD");
	}

	@Test
	void toStringShowsAmountAndCurrency() {
		// given / when / then
		assertThat(Money.parse("42.6", USD)).hasToString("42.60 USD");
	}

	@Property
	void scaledStringRoundTripsExactly(@ForAll("validAmounts") Money money) {
		// given a valid amount at its currency's scale
		// when
		Money again = Money.parse(money.toScaledString(), money.currency());

		// then
		assertThat(again).isEqualTo(money);
		assertThat(again.amount()).isEqualTo(money.amount());
	}

	@Property
	void compactStringHasNoTrailingZerosNoExponentAndTheSameValue(@ForAll("validAmounts") Money money) {
		// given a valid amount
		// when
		String compact = money.toCompactString();

		// then
		assertThat(compact).matches("[0-9]+(\\.[0-9]*[1-9])?").doesNotContainIgnoringCase("e");
		assertThat(new BigDecimal(compact)).isEqualByComparingTo(money.amount());
		assertThat(Money.parse(compact, money.currency())).isEqualTo(money);
	}

	@Provide
	Arbitrary<Money> validAmounts() {
		Arbitrary<Currency> currencies = Arbitraries.of(USD, JPY, KWD, Currency.getInstance("EUR"));
		Arbitrary<Long> minorUnits = Arbitraries.oneOf(Arbitraries.longs().between(1, 100_000),
				Arbitraries.longs().between(1, 999_999_999_999L), Arbitraries.of(1L, 10L, 100L, 1000L, 100_000L,
						10_000_000L));
		return Combinators.combine(currencies, minorUnits)
			.as((currency, units) -> new Money(BigDecimal.valueOf(units, currency.getDefaultFractionDigits()),
					currency));
	}

}
