package io.grouprefunds.system;

import java.time.Clock;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Cross-cutting beans: the clock (injectable for tests) and the JSON mapper provider answers are read with. */
@Configuration(proxyBeanMethods = false)
public class SystemConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/** Amounts in provider JSON are read as exact decimals, never through double. */
	@Bean
	JsonMapper providerJson() {
		return exactJson();
	}

	public static JsonMapper exactJson() {
		return JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
	}

}
