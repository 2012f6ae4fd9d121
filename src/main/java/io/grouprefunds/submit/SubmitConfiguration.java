package io.grouprefunds.submit;

import io.grouprefunds.throttle.ThrottleProperties;
import io.grouprefunds.throttle.Throttles;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Submission collaborators shared by every step and command in the process. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ SubmitProperties.class, BreakerProperties.class })
public class SubmitConfiguration {

	/** One throttle per provider account, shared by sends and reconciliation queries (both count at the provider). */
	@Bean
	Throttles throttles(ThrottleProperties throttle, SubmitProperties properties) {
		return new Throttles(throttle.withOlderNames(properties.ratePerSecond(), properties.maxInFlight()),
				properties.backoff(), properties.maxRetryAfter());
	}

}
