package io.grouprefunds.submit;

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
		return new Throttles(Binder.get(environment), properties);
	}

	/**
	 * The throttle of each provider account, keyed by provider name. Each setting is looked up in
	 * {@code refunds.throttle.<provider>.*}, then {@code refunds.throttle.*}, then the defaults, which keep Rapyd's
	 * account under its documented 200 requests a minute and 1000 in five minutes:
	 * <ul>
	 * <li>{@code rate-per-second} 3.3 (also read from {@code refunds.submit.rate-per-second}); 0 switches it off;</li>
	 * <li>{@code headroom} 0.02: paced at 98% of the rate, 194 a minute for Rapyd;</li>
	 * <li>{@code max-in-flight} 16 (also {@code refunds.submit.max-in-flight});</li>
	 * <li>{@code quotas} {@code 200/1m,1000/5m}; empty for none.</li>
	 * </ul>
	 */
	public static final class Throttles {

		static final double DEFAULT_HEADROOM = 0.02;

		static final List<String> DEFAULT_QUOTAS = List.of("200/1m", "1000/5m");

		private static final Logger log = LoggerFactory.getLogger(Throttles.class);

		private final Binder binder;

		private final SubmitProperties submit;

		private final Map<String, Throttle> byProvider = new ConcurrentHashMap<>();

		Throttles(Binder binder, SubmitProperties submit) {
			this.binder = binder;
			this.submit = submit;
		}

		public Throttle forProvider(String provider) {
			return byProvider.computeIfAbsent(provider, name -> {
				ThrottleLimits limits = limits(name);
				log.info("throttle for {}: {}", name, limits.describe());
				return new Throttle(limits, submit.backoff(), submit.maxRetryAfter(), System::nanoTime,
						() -> ThreadLocalRandom.current().nextDouble());
			});
		}

		/** The settings of one provider account, resolved as described above. */
		public ThrottleLimits limits(String provider) {
			double rate = setting(provider, "rate-per-second", Bindable.of(Double.class))
				.orElse(submit.ratePerSecond());
			double headroom = setting(provider, "headroom", Bindable.of(Double.class)).orElse(DEFAULT_HEADROOM);
			int maxInFlight = setting(provider, "max-in-flight", Bindable.of(Integer.class))
				.orElse(submit.maxInFlight());
			List<String> quotas = setting(provider, "quotas", Bindable.listOf(String.class)).orElse(DEFAULT_QUOTAS);
			return new ThrottleLimits(rate, headroom, maxInFlight, ThrottleLimits.parseQuotas(quotas));
		}

		private <T> Optional<T> setting(String provider, String name, Bindable<T> type) {
			Optional<T> own = binder.bind("refunds.throttle." + provider + "." + name, type).map(Optional::of)
				.orElse(Optional.empty());
			return own.isPresent() ? own
					: binder.bind("refunds.throttle." + name, type).map(Optional::of).orElse(Optional.empty());
		}

	}

}
