package io.grouprefunds.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;

import io.grouprefunds.ingest.IngestProperties;
import io.grouprefunds.job.ApprovalProperties;
import io.grouprefunds.provider.issuer.IssuerProperties;
import io.grouprefunds.provider.rapyd.RapydProperties;
import io.grouprefunds.report.ReportProperties;
import io.grouprefunds.submit.BreakerProperties;
import io.grouprefunds.submit.ProgressProperties;
import io.grouprefunds.submit.SubmitProperties;
import io.grouprefunds.support.SettingsBinding;
import io.grouprefunds.system.EmbeddedDatabaseProperties;
import io.grouprefunds.system.MetricsProperties;
import io.grouprefunds.throttle.ThrottleProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every settings record refuses a bad value, and the operator is told the setting's name and the rule it broke, in
 * one line. (Through the real command line, with its exit code: {@code ConfigurationErrorsIT}.)
 */
class ConfigurationErrorsTest {

	private static final Map<String, Class<?>> RECORDS = Map.ofEntries(
			Map.entry("refunds.throttle", ThrottleProperties.class), Map.entry("refunds.submit", SubmitProperties.class),
			Map.entry("refunds.breaker", BreakerProperties.class),
			Map.entry("refunds.ingest", IngestProperties.class), Map.entry("refunds.rapyd", RapydProperties.class),
			Map.entry("refunds.issuer", IssuerProperties.class), Map.entry("refunds.reports", ReportProperties.class),
			Map.entry("refunds.progress", ProgressProperties.class),
			Map.entry("refunds.metrics", MetricsProperties.class),
			Map.entry("refunds.embedded-db", EmbeddedDatabaseProperties.class),
			Map.entry("refunds.approval", ApprovalProperties.class));

	@ParameterizedTest(name = "[{index}] {0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			refunds.throttle.rapyd.rate-per-second | -1        | refunds.throttle.rapyd.rate-per-second: must be greater than or equal to 0
			refunds.throttle.rate-per-second       | -0.5      | refunds.throttle.rate-per-second: must be greater than or equal to 0
			refunds.throttle.issuer.headroom       | 0.7       | refunds.throttle.issuer.headroom: must be less than 0.5
			refunds.throttle.max-in-flight         | 0         | refunds.throttle.max-in-flight: must be greater than or equal to 1
			refunds.throttle.quotas                | 200 a min | refunds.throttle.quotas[0]: must be written COUNT/PERIOD, e.g. 1000/5m
			refunds.throttle.rapyd.rate-per-second | fast      | refunds.throttle.rapyd.rate-per-second: 'fast' is not a number
			refunds.submit.chunk-size              | 0         | refunds.submit.chunk-size: must be greater than or equal to 1
			refunds.submit.chunk-size              | many      | refunds.submit.chunk-size: 'many' is not a whole number
			refunds.submit.rate-per-second         | -1        | refunds.submit.rate-per-second: must be greater than or equal to 0
			refunds.submit.max-retries             | -1        | refunds.submit.max-retries: must be greater than or equal to 0
			refunds.submit.initial-backoff         | soon      | refunds.submit.initial-backoff: 'soon' is not a duration (write e.g. 500ms, 5s or 10m)
			refunds.submit.max-backoff             | 10ms      | refunds.submit.max-backoff: must not be shorter than refunds.submit.initial-backoff
			refunds.submit.stop-at                 | 25:00     | refunds.submit.stop-at: must be a time of day written HH:MM (00:00 to 23:59), or YYYY-MM-DDTHH:MM, in the host's time zone
			refunds.submit.stop-at                 | 6am       | refunds.submit.stop-at: must be a time of day written HH:MM (00:00 to 23:59), or YYYY-MM-DDTHH:MM, in the host's time zone
			refunds.breaker.minimum-calls          | 30        | refunds.breaker.minimum-calls: must not be more than refunds.breaker.window
			refunds.breaker.failure-rate           | 1.5       | refunds.breaker.failure-rate: must be less than or equal to 1
			refunds.breaker.probe-interval         | 0s        | refunds.breaker.probe-interval: must be longer than 0
			refunds.ingest.max-rows                | 0         | refunds.ingest.max-rows: must be greater than or equal to 1
			refunds.ingest.max-line-length         | 10        | refunds.ingest.max-line-length: must be greater than or equal to 80
			refunds.ingest.max-amount.USD          | 0         | refunds.ingest.max-amount.USD: must be greater than 0
			refunds.ingest.max-amount.DOLLARS      | 5         | refunds.ingest.max-amount.DOLLARS: 'DOLLARS' is not an ISO 4217 currency code
			refunds.rapyd.response-timeout         | 0s        | refunds.rapyd.response-timeout: must be longer than 0
			refunds.rapyd.idempotency-enforced     | maybe     | refunds.rapyd.idempotency-enforced: 'maybe' is not true or false
			refunds.issuer.base-url                | ' '       | refunds.issuer.base-url: must not be blank
			refunds.progress.interval              | -5s       | refunds.progress.interval: must be longer than 0
			refunds.metrics.pushgateway.url        | gw:9091   | refunds.metrics.pushgateway.url: must be an http:// or https:// URL
			refunds.approval.above.usd             | 0         | refunds.approval.above.USD: must be greater than 0
			refunds.approval.above.USD             | -500      | refunds.approval.above.USD: must be greater than 0
			refunds.approval.above.usd             | 500.001   | refunds.approval.above.USD: amount 500.001 has more decimals than USD allows (2)
			refunds.approval.above.jpy             | 100.5     | refunds.approval.above.JPY: amount 100.5 has more decimals than JPY allows (0)
			refunds.approval.above.usd             | lots      | refunds.approval.above.usd: 'lots' is not a number
			refunds.approval.above.dollars         | 500       | refunds.approval.above.dollars: 'dollars' is not an ISO 4217 currency code
			refunds.approval.allow-self-approval   | sure      | refunds.approval.allow-self-approval: 'sure' is not true or false
			""")
	void aBadValueIsNamedWithTheRuleItBroke(String name, String value, String expected) {
		// when
		Throwable refused = bindFailure(name, value);

		// then
		assertThat(ConfigurationErrors.describe(refused)).contains(expected);
	}

	@Test
	void theDefaultsPassEveryRecord() {
		// when / then
		RECORDS.forEach((prefix, type) -> assertThat(SettingsBinding.bind(Map.of(), prefix, type)).isNotNull());
	}

	@Test
	void somethingElseIsNotAConfigurationError() {
		// when / then
		assertThat(ConfigurationErrors.describe(new IllegalStateException("boom"))).isEmpty();
	}

	private static Throwable bindFailure(String name, String value) {
		String prefix = RECORDS.keySet()
			.stream()
			.filter(p -> name.startsWith(p + "."))
			.findFirst()
			.orElseThrow();
		Throwable thrown = catchThrowable(() -> SettingsBinding.bind(Map.of(name, value), prefix, RECORDS.get(prefix)));
		assertThat(thrown).as("%s=%s", name, value).isNotNull();
		return thrown;
	}

}
