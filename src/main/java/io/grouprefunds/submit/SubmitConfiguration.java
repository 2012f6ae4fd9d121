package io.grouprefunds.submit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;


import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Submission collaborators shared by every step and command in the process. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SubmitProperties.class)
public class SubmitConfiguration {

	/** One throttle per provider account, shared by sends and reconciliation queries (both count at the provider). */
	@Bean
	Throttles throttles(SubmitProperties properties) {
		return new Throttles(properties.ratePerSecond());
	}

	/** See {@link SubmitConfiguration#throttles}. */
	public static final class Throttles {

		private final double ratePerSecond;

		private final Map<String, Throttle> byProvider = new ConcurrentHashMap<>();

		Throttles(double ratePerSecond) {
			this.ratePerSecond = ratePerSecond;
		}

		public Throttle forProvider(String provider) {
			return byProvider.computeIfAbsent(provider, name -> Throttle.perSecond(ratePerSecond));
		}

	}


}
