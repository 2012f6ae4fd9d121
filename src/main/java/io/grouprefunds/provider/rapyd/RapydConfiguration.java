package io.grouprefunds.provider.rapyd;

import java.time.Clock;

import io.grouprefunds.throttle.Throttles;
import io.grouprefunds.system.ProviderWebClients;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/** Wires the Rapyd adapter: its settings, its own WebClient and connection pool. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RapydProperties.class)
class RapydConfiguration {

	@Bean
	RapydProvider rapydProvider(RapydProperties properties, WebClient.Builder builder, JsonMapper providerJson,
			Clock clock, Throttles throttles) {
		// Room for every request the throttle lets be in flight, plus the reconciliation queries and probes.
		WebClient webClient = ProviderWebClients.create(builder, "rapyd", properties.connectTimeout(),
				properties.responseTimeout(), throttles.limits("rapyd").maxInFlight() + 4);
		return new RapydProvider(properties, webClient, providerJson, clock);
	}

}
