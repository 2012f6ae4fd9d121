package io.grouprefunds.throttle;

import io.grouprefunds.submit.SubmitProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.grouprefunds.domain.ConfigurationException;
import io.grouprefunds.throttle.Throttles;
import io.grouprefunds.throttle.ThrottleLimits.Quota;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Where each provider account's throttle settings come from, and how quotas are written. */
class ThrottleLimitsTest {

	private final Map<String, String> properties = new HashMap<>();

	@Test
	void withNothingConfiguredTheDefaultsKeepRapydUnderItsLimits() {
		// when
		ThrottleLimits limits = limits("rapyd");

		// then
		assertThat(limits.ratePerSecond()).isEqualTo(3.3);
		assertThat(limits.pacedRate() * 60).isLessThanOrEqualTo(200);
		assertThat(limits.pacedRate() * 300).isLessThanOrEqualTo(1000);
		assertThat(limits.maxInFlight()).isEqualTo(16);
		assertThat(limits.quotas()).containsExactly(new Quota(200, Duration.ofMinutes(1)),
				new Quota(1000, Duration.ofMinutes(5)));
	}

	@Test
	void aProvidersOwnSettingWinsOverTheCommonOneWhichWinsOverTheOlderName() {
		// given
		properties.put("refunds.submit.rate-per-second", "1");
		properties.put("refunds.throttle.rate-per-second", "2");
		properties.put("refunds.throttle.issuer.rate-per-second", "5");
		properties.put("refunds.throttle.issuer.max-in-flight", "4");
		properties.put("refunds.throttle.issuer.quotas", "100/1m");

		// when
		ThrottleLimits rapyd = limits("rapyd");
		ThrottleLimits issuer = limits("issuer");

		// then
		assertThat(rapyd.ratePerSecond()).isEqualTo(2);
		assertThat(rapyd.quotas()).hasSize(2);
		assertThat(issuer.ratePerSecond()).isEqualTo(5);
		assertThat(issuer.maxInFlight()).isEqualTo(4);
		assertThat(issuer.quotas()).containsExactly(new Quota(100, Duration.ofMinutes(1)));
	}

	@Test
	void theOlderNamesStillWorkWhenTheNewOnesAreNotSet() {
		// given
		properties.put("refunds.submit.rate-per-second", "0");
		properties.put("refunds.submit.max-in-flight", "3");

		// when
		ThrottleLimits limits = limits("rapyd");

		// then
		assertThat(limits.throttled()).isFalse();
		assertThat(limits.maxInFlight()).isEqualTo(3);
	}

	@Test
	void anEmptyQuotaSettingMeansNoQuota() {
		// given
		properties.put("refunds.throttle.quotas", "");

		// when / then
		assertThat(limits("rapyd").quotas()).isEmpty();
	}

	@Test
	void quotasAreWrittenCountSlashPeriod() {
		// when / then
		assertThat(ThrottleLimits.parseQuotas(List.of("200/1m", " 1000/300s ", "5/500ms", "")))
			.containsExactly(new Quota(200, Duration.ofMinutes(1)), new Quota(1000, Duration.ofSeconds(300)),
					new Quota(5, Duration.ofMillis(500)));
		assertThatThrownBy(() -> Quota.parse("200 per minute")).isInstanceOf(ConfigurationException.class)
			.hasMessageContaining("COUNT/PERIOD");
		assertThatThrownBy(() -> Quota.parse("0/1m")).isInstanceOf(ConfigurationException.class);
		assertThatThrownBy(() -> Quota.parse("10/soon")).isInstanceOf(ConfigurationException.class);
	}

	@Test
	void nonsenseIsAConfigurationError() {
		// given
		properties.put("refunds.throttle.headroom", "0.7");

		// when / then
		assertThatThrownBy(() -> limits("rapyd")).isInstanceOf(ConfigurationException.class)
			.hasMessageContaining("headroom");
	}

	@Test
	void describesItselfForTheLog() {
		// when / then
		assertThat(limits("rapyd").describe()).isEqualTo("3.300/s (paced at 3.234/s), at most 200/1m, "
				+ "at most 1000/5m, 16 in flight");
		properties.put("refunds.throttle.rate-per-second", "0");
		assertThat(limits("rapyd").describe()).isEqualTo("unthrottled, 16 in flight");
	}

	/** As the application builds them: both settings records bound from the same properties. */
	private ThrottleLimits limits(String provider) {
		Binder binder = new Binder(new MapConfigurationPropertySource(properties));
		SubmitProperties submit = binder.bindOrCreate("refunds.submit", SubmitProperties.class);
		ThrottleProperties throttle = binder.bindOrCreate("refunds.throttle", ThrottleProperties.class);
		return new Throttles(throttle.withOlderNames(submit.ratePerSecond(), submit.maxInFlight()), submit.backoff(),
				submit.maxRetryAfter())
			.limits(provider);
	}

}
