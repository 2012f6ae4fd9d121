package io.grouprefunds.provider.issuer;

import io.grouprefunds.throttle.Throttles;
import io.grouprefunds.system.ProviderWebClients;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/** Wires the card issuer adapter: its settings, its own WebClient and connection pool. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IssuerProperties.class)
class IssuerConfiguration {

	@Bean
	IssuerProvider issuerProvider(IssuerProperties properties, WebClient.Builder builder, JsonMapper providerJson,
			Throttles throttles) {
		// Room for every request the throttle lets be in flight, plus the reconciliation queries and probes.
		WebClient webClient = ProviderWebClients.create(builder, IssuerProvider.NAME, properties.connectTimeout(),
				properties.responseTimeout(), throttles.limits(IssuerProvider.NAME).maxInFlight() + 4);
		return new IssuerProvider(properties, webClient, providerJson);
	}

}
