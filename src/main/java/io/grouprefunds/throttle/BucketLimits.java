package io.grouprefunds.throttle;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

/**
 * An account's limits as the token bucket every process shares ({@link SharedLimit}), and the rule for two processes
 * configured differently: the stricter of the two, limit by limit. Pure.
 *
 * <p>The bucket must never allow a burst, in any window, that the local throttle would not:
 * <ul>
 * <li>the rate is a bandwidth of capacity 1 refilled one token per {@code 1 / pacedRate}: taken one at a time, its
 * tokens are slots exactly one interval apart, the local throttle's smooth schedule shared by all processes;</li>
 * <li>a quota of {@code limit} per {@code period} (stretched by the headroom, like the local window) is a bandwidth of
 * small capacity {@code c} (two seconds at the rate, at most half the limit) refilled {@code limit − c} per period: a
 * token bucket lets {@code capacity + refill} through in any window of one period, here exactly {@code limit}. The
 * price is a sustained quota of {@code limit − c} per period rather than {@code limit} (Rapyd: 193 a minute where the
 * rate already paces at 194).</li>
 * </ul>
 */
final class BucketLimits {

	static final String RATE = "rate";

	private static final String QUOTA = "quota ";

	private BucketLimits() {
	}

	/** The bucket for these limits; they must be {@link ThrottleLimits#throttled()}. */
	static BucketConfiguration of(ThrottleLimits limits) {
		double rate = limits.pacedRate();
		long intervalNanos = (long) Math.ceil(1_000_000_000d / rate);
		Map<String, Bandwidth> bandwidths = new LinkedHashMap<>();
		bandwidths.put(RATE, Bandwidth.builder()
			.capacity(1)
			.refillGreedy(1, Duration.ofNanos(intervalNanos))
			.id(RATE)
			.build());
		for (ThrottleLimits.Quota quota : limits.quotas()) {
			long period = (long) Math.ceil(quota.period().toNanos() * (1 + limits.headroom()));
			long capacity = Math.max(1, Math.min((long) Math.ceil(2 * rate), quota.limit() / 2));
			long refill = quota.limit() - capacity;
			if (refill < 1) { // one request per period: one token, refilled over two periods (1.5 fit in one: 1)
				refill = 1;
				period *= 2;
			}
			String id = QUOTA + quota + " (" + refill + " per " + period + " ns, capacity " + capacity + ")";
			bandwidths.put(id, Bandwidth.builder()
				.capacity(capacity)
				.refillGreedy(refill, Duration.ofNanos(period))
				.id(id)
				.build());
		}
		return sorted(bandwidths.values().stream().toList());
	}

	/**
	 * The stricter of two configurations: the slower rate, and every quota of both (each is a limit the account was
	 * given; keeping both can only slow it down).
	 */
	static BucketConfiguration stricter(BucketConfiguration stored, BucketConfiguration local) {
		Map<String, Bandwidth> merged = new LinkedHashMap<>();
		for (Bandwidth bandwidth : concat(stored, local)) {
			merged.merge(bandwidth.getId(), bandwidth,
					(one, other) -> nanosPerToken(one) >= nanosPerToken(other) ? one : other);
		}
		return sorted(merged.values().stream().toList());
	}

	/** Whether the two allow the same. */
	static boolean same(BucketConfiguration one, BucketConfiguration other) {
		return sorted(Arrays.asList(one.getBandwidths())).equalsByContent(sorted(Arrays.asList(other.getBandwidths())));
	}

	/** The fastest refill, in tokens a second: a pause of {@code d} is a debt of {@code d × this} tokens. */
	static double fastestRate(BucketConfiguration configuration) {
		return Arrays.stream(configuration.getBandwidths())
			.mapToDouble(bandwidth -> 1_000_000_000d / nanosPerToken(bandwidth))
			.max()
			.orElse(0);
	}

	/** For the log: {@code 3.234/s, quota 200/1m (…), …}. */
	static String describe(BucketConfiguration configuration) {
		return Arrays.stream(configuration.getBandwidths())
			.map(bandwidth -> bandwidth.getId().equals(RATE)
					? String.format("%.4g/s", 1_000_000_000d / nanosPerToken(bandwidth)) : bandwidth.getId())
			.collect(Collectors.joining(", "));
	}

	private static double nanosPerToken(Bandwidth bandwidth) {
		return (double) bandwidth.getRefillPeriodNanos() / bandwidth.getRefillTokens();
	}

	private static List<Bandwidth> concat(BucketConfiguration one, BucketConfiguration other) {
		return java.util.stream.Stream.concat(Arrays.stream(one.getBandwidths()), Arrays.stream(other.getBandwidths()))
			.toList();
	}

	/** The rate first, then the quotas by id: one order, so that equal limits compare equal. */
	private static BucketConfiguration sorted(List<Bandwidth> bandwidths) {
		return new BucketConfiguration(bandwidths.stream()
			.sorted(Comparator.comparing((Bandwidth bandwidth) -> !bandwidth.getId().equals(RATE))
				.thenComparing(Bandwidth::getId))
			.toList());
	}

}
