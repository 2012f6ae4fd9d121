package io.grouprefunds.submit;

import javax.sql.DataSource;

import io.grouprefunds.provider.RefundProviders;
import io.grouprefunds.throttle.SharedLimits;
import io.grouprefunds.throttle.ThrottleProperties;
import io.grouprefunds.throttle.Throttles;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Submission collaborators shared by every step and command in the process. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ SubmitProperties.class, BreakerProperties.class })
public class SubmitConfiguration {

	/**
	 * One throttle per provider account, shared by sends and reconciliation queries (both count at the provider), and
	 * with every other process on the same ledger database through the account's row in {@code throttle_bucket}.
	 * The data source and the providers are looked up lazily: a command that sends nothing needs neither, and the
	 * providers' own configuration asks the throttles for their pool size.
	 */
	@Bean
	Throttles throttles(ThrottleProperties throttle, SubmitProperties properties, ObjectProvider<DataSource> dataSource,
			ObjectProvider<RefundProviders> providers) {
		return new Throttles(throttle.withOlderNames(properties.ratePerSecond(), properties.maxInFlight()),
				properties.backoff(), properties.maxRetryAfter(), new SharedLimits(dataSource::getObject),
				provider -> providers.getObject().get(provider).account());
	}

}
