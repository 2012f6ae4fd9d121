package io.grouprefunds.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import io.grouprefunds.support.SettingsBinding;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.validation.FieldError;

/** The ingest limits: defaults, per-currency caps, and settings refused as they are bound at startup. */
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
		assertThat(violations(Map.of("refunds.ingest.max-amount.USD", "0")))
			.containsExactly("maxAmount[USD]: must be greater than 0");
		assertThat(violations(Map.of("refunds.ingest.max-line-length", "10")))
			.containsExactly("maxLineLength: must be greater than or equal to 80");
		assertThat(violations(Map.of("refunds.ingest.max-rows", "0")))
			.containsExactly("maxRows: must be greater than or equal to 1");
	}

	/** What validation refuses when the settings are bound as at startup. */
	private static List<String> violations(Map<String, String> settings) {
		Throwable thrown = catchThrowable(() -> SettingsBinding.bind(settings, "refunds.ingest", IngestProperties.class));
		BindValidationException invalid = ExceptionUtils.throwableOfType(thrown, BindValidationException.class);
		assertThat(invalid).as("refused: %s", thrown).isNotNull();
		return invalid.getValidationErrors()
			.getAllErrors()
			.stream()
			.map(error -> ((FieldError) error).getField() + ": " + error.getDefaultMessage())
			.toList();
	}

}
