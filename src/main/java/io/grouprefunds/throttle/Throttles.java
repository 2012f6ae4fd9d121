package io.grouprefunds.throttle;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The throttle of each provider account, keyed by provider name. Each setting is taken from
 * {@code refunds.throttle.<provider>.*}, then {@code refunds.throttle.*}, then the defaults, which keep Rapyd's
 * account under its documented 200 requests a minute and 1000 in five minutes (see {@link ThrottleProperties}):
 * <ul>
 * <li>{@code rate-per-second} 3.3 (also read from {@code refunds.submit.rate-per-second}); 0 switches it off;</li>
 * <li>{@code headroom} 0.02: paced at 98% of the rate, 194 a minute for Rapyd;</li>
 * <li>{@code max-in-flight} 16 (also {@code refunds.submit.max-in-flight});</li>
 * <li>{@code quotas} {@code 200/1m,1000/5m}; empty for none.</li>
 * </ul>
 * The limits belong to the account, not to the process: with {@link SharedLimits}, every process on the same ledger
 * database shares one bucket per account (the stricter settings win), and a 429 pauses them all.
 */
public final class Throttles {

	static final double DEFAULT_HEADROOM = 0.02;

	static final List<String> DEFAULT_QUOTAS = List.of("200/1m", "1000/5m");

	static final ThrottleProperties.AccountLimits DEFAULTS = new ThrottleProperties.AccountLimits(3.3,
			DEFAULT_HEADROOM, 16, DEFAULT_QUOTAS);

	private static final Logger log = LoggerFactory.getLogger(Throttles.class);

	private final ThrottleProperties settings;

	private final Backoff backoff;

	private final Duration maxRetryAfter;

	private final Map<String, Throttle> byProvider = new ConcurrentHashMap<>();

	private final SharedLimits shared;

	private final Function<String, String> accountOf;

	/** Each account limited within this process alone: for tests of one process. */
	public Throttles(ThrottleProperties settings, Backoff backoff, Duration maxRetryAfter) {
		this(settings, backoff, maxRetryAfter, null, provider -> "");
	}

	/**
	 * @param settings with the older names already folded in ({@link ThrottleProperties#withOlderNames})
	 * @param shared where the accounts' limits are shared with other processes; null for none
	 * @param accountOf for a provider's name, what tells its accounts apart (Rapyd's access key); hashed, never logged
	 */
	public Throttles(ThrottleProperties settings, Backoff backoff, Duration maxRetryAfter, SharedLimits shared,
			Function<String, String> accountOf) {
		this.settings = settings;
		this.backoff = backoff;
		this.maxRetryAfter = maxRetryAfter;
		this.shared = shared;
		this.accountOf = accountOf;
	}

	public Throttle forProvider(String provider) {
		return byProvider.computeIfAbsent(provider, name -> {
			ThrottleLimits limits = limits(name);
			log.info("throttle for {}: {}", name, limits.describe());
			SharedLimit account = shared != null && limits.throttled()
					? shared.forAccount(name, accountOf.apply(name), limits) : null;
			return new Throttle(limits, backoff, maxRetryAfter, System::nanoTime,
					() -> ThreadLocalRandom.current().nextDouble(), account);
		});
	}

	/** What each throttle of this process asked of its account's shared limit, for the end-of-run log. */
	public List<String> sharedUse() {
		return byProvider.values().stream().flatMap(throttle -> throttle.sharedUse().stream()).toList();
	}

	/** The settings of one provider account, resolved as described above. */
	public ThrottleLimits limits(String provider) {
		ThrottleProperties.AccountLimits resolved = settings.accounts()
			.getOrDefault(provider, ThrottleProperties.AccountLimits.NONE)
			.orElse(settings.common())
			.orElse(DEFAULTS);
		return new ThrottleLimits(resolved.ratePerSecond(), resolved.headroom(), resolved.maxInFlight(),
				ThrottleLimits.parseQuotas(resolved.quotas()));
	}

}
