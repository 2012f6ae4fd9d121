package io.grouprefunds.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The ingest limits: defaults, per-currency caps, and settings refused with the setting's name. */
class IngestPropertiesTest {

	@Test
	void defaultsAreFourThousandCharactersAHundredThousandRowsAndNoCap() {
		// given / when
		IngestProperties defaults = IngestProperties.defaults();

		// then
		assertThat(defaults.maxLineLength()).isEqualTo(4096);
		assertThat(defaults.maxRows()).isEqualTo(100_000);
		assertThat(defaults.maxAmountFor(Currency.getInstance("USD"))).isEmpty();
	}

	@Test
	void capsAreKeptPerCurrencyWhateverTheCaseOfTheKey() {
		// given settings as an environment variable would bind them (lower case)
		IngestProperties limits = new IngestProperties(4096, 10, Map.of("usd", new BigDecimal("5000"), "JPY",
				new BigDecimal("500000")));

		// when / then
		assertThat(limits.maxAmountFor(Currency.getInstance("USD"))).contains(new BigDecimal("5000"));
		assertThat(limits.maxAmountFor(Currency.getInstance("JPY"))).contains(new BigDecimal("500000"));
		assertThat(limits.maxAmountFor(Currency.getInstance("EUR"))).isEmpty();
	}

	@Test
	void aCapForSomethingThatIsNotACurrencyOrNotPositiveIsRefusedWithItsSettingName() {
		// given / when / then
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new IngestProperties(4096, 10, Map.of("DOLLARS", BigDecimal.TEN)))
			.withMessageContaining("refunds.ingest.max-amount.DOLLARS");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new IngestProperties(4096, 10, Map.of("USD", BigDecimal.ZERO)))
			.withMessageContaining("refunds.ingest.max-amount.USD must be a positive amount");
		assertThatIllegalArgumentException().isThrownBy(() -> new IngestProperties(10, 10, Map.of()))
			.withMessageContaining("refunds.ingest.max-line-length");
		assertThatIllegalArgumentException().isThrownBy(() -> new IngestProperties(4096, 0, Map.of()))
			.withMessageContaining("refunds.ingest.max-rows");
		assertThatIllegalArgumentException().isThrownBy(() -> new IngestProperties(4096, 10, Map.of(), 0))
			.withMessageContaining("refunds.ingest.chunk-size");
	}

}
