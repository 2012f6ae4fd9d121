package io.grouprefunds.submit;

import io.grouprefunds.throttle.Throttles;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Submission collaborators shared by every step and command in the process. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ SubmitProperties.class, CircuitBreaker.Settings.class })
public class SubmitConfiguration {

	/** One throttle per provider account, shared by sends and reconciliation queries (both count at the provider). */
	@Bean
	Throttles throttles(Environment environment, SubmitProperties properties) {
		return new Throttles(Binder.get(environment), properties.backoff(), properties.maxRetryAfter(),
				properties.ratePerSecond(), properties.maxInFlight());
	}

}
