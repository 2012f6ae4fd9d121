package io.grouprefunds.throttle;



import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

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
public final class Throttles {

	static final double DEFAULT_HEADROOM = 0.02;

	static final List<String> DEFAULT_QUOTAS = List.of("200/1m", "1000/5m");

	private static final Logger log = LoggerFactory.getLogger(Throttles.class);

	private final Binder binder;

	private final Backoff backoff;

	private final Duration maxRetryAfter;

	private final double defaultRate;

	private final int defaultInFlight;

	private final Map<String, Throttle> byProvider = new ConcurrentHashMap<>();

	public Throttles(Binder binder, Backoff backoff, Duration maxRetryAfter, double defaultRate, int defaultInFlight) {
		this.binder = binder;
		this.backoff = backoff;
		this.maxRetryAfter = maxRetryAfter;
		this.defaultRate = defaultRate;
		this.defaultInFlight = defaultInFlight;
	}

	public Throttle forProvider(String provider) {
		return byProvider.computeIfAbsent(provider, name -> {
			ThrottleLimits limits = limits(name);
			log.info("throttle for {}: {}", name, limits.describe());
			return new Throttle(limits, backoff, maxRetryAfter, System::nanoTime,
					() -> ThreadLocalRandom.current().nextDouble());
		});
	}

	/** The settings of one provider account, resolved as described above. */
	public ThrottleLimits limits(String provider) {
		double rate = setting(provider, "rate-per-second", Bindable.of(Double.class))
			.orElse(defaultRate);
		double headroom = setting(provider, "headroom", Bindable.of(Double.class)).orElse(DEFAULT_HEADROOM);
		int maxInFlight = setting(provider, "max-in-flight", Bindable.of(Integer.class))
			.orElse(defaultInFlight);
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


