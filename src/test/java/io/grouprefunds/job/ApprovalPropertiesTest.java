package io.grouprefunds.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import io.grouprefunds.domain.RowStatus;
import io.grouprefunds.ledger.StatusTotal;
import io.grouprefunds.support.SettingsBinding;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * {@code refunds.approval.*} binds from the environment and the command line alike, currency codes in any case, and
 * the thresholds decide which batches wait for a second person.
 */
class ApprovalPropertiesTest {

	@Test
	void theEnvironmentFormBindsWithTheCurrencyInCapitals() {
		// given REFUNDS_APPROVAL_ABOVE_USD=500, as cron's environment file would hold it
		MutablePropertySources sources = new MutablePropertySources();
		sources.addLast(new SystemEnvironmentPropertySource(
				StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of("REFUNDS_APPROVAL_ABOVE_USD", "500",
				"REFUNDS_APPROVAL_ABOVE_JPY", "100000")));

		// when
		ApprovalProperties properties = bind(sources);

		// then
		assertThat(properties.above()).containsOnlyKeys("USD", "JPY");
		assertThat(properties.thresholdFor("USD")).contains(new BigDecimal("500.00"));
		assertThat(properties.thresholdFor("JPY")).contains(new BigDecimal("100000"));
		assertThat(properties.allowSelfApproval()).isFalse();
	}

	@Test
	void theCommandLineFormBindsInEitherCase() {
		// given
		MutablePropertySources sources = new MutablePropertySources();
		sources.addLast(new SimpleCommandLinePropertySource("--refunds.approval.above.usd=500",
				"--refunds.approval.above.EUR=250.5", "--refunds.approval.allow-self-approval=true"));

		// when
		ApprovalProperties properties = bind(sources);

		// then
		assertThat(properties.above()).containsOnlyKeys("USD", "EUR");
		assertThat(properties.thresholdFor("USD")).contains(new BigDecimal("500.00"));
		assertThat(properties.thresholdFor("EUR")).contains(new BigDecimal("250.50"));
		assertThat(properties.allowSelfApproval()).isTrue();
	}

	@Test
	void nothingConfiguredNeedsNoApproval() {
		// when
		ApprovalProperties properties = SettingsBinding.bind(Map.of(), "refunds.approval", ApprovalProperties.class);

		// then
		assertThat(properties.above()).isEmpty();
		assertThat(properties.allowSelfApproval()).isFalse();
		assertThat(new DualControl(null, null, properties).aboveThresholds(List.of(valid("USD", "1000000.00", 0))))
			.isEmpty();
	}

	@Test
	void aBatchNeedsApprovalOnlyAboveTheThresholdOfItsCurrency() {
		// given
		DualControl dualControl = new DualControl(null, null,
				new ApprovalProperties(Map.of("usd", new BigDecimal("500")), false));

		// when / then: at the threshold is within it; rejected rows do not count; other currencies have none
		assertThat(dualControl.aboveThresholds(List.of(valid("USD", "500.00", 0),
				new StatusTotal(RowStatus.REJECTED, "USD", 3, new BigDecimal("9000.00"), 0), valid("EUR", "9999.00", 0))))
			.isEmpty();
		assertThat(dualControl.aboveThresholds(List.of(valid("USD", "300.00", 0),
				new StatusTotal(RowStatus.SUCCEEDED, "USD", 1, new BigDecimal("200.01"), 0))))
			.containsExactly("USD: the valid rows add up to 500.01 USD, above refunds.approval.above.USD=500.00");
		// a whole-group refund's amount is the provider's to say: it cannot be shown within the threshold
		assertThat(dualControl.aboveThresholds(List.of(valid("USD", "10.00", 1))))
			.singleElement().asString()
			.startsWith("USD: 1 valid row(s) refund a whole group")
			.endsWith("so the total cannot be shown within refunds.approval.above.USD=500.00");
	}

	private static StatusTotal valid(String currency, String amount, int wholeGroups) {
		return new StatusTotal(RowStatus.READY, currency, 2, new BigDecimal(amount), wholeGroups);
	}

	private static ApprovalProperties bind(MutablePropertySources sources) {
		return new Binder(ConfigurationPropertySources.from(sources))
			.bindOrCreate("refunds.approval", Bindable.of(ApprovalProperties.class));
	}

}
