package io.grouprefunds.system;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The meter registry. Without Spring Boot's actuator nothing provides one, and a batch job needs no endpoint: the
 * meters live in memory for the end-of-run summary, and are pushed to a Pushgateway when one is configured.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

}
