package io.grouprefunds.throttle;

import java.time.Duration;

/**
 * Exponential backoff with jitter: the n-th wait is drawn from {@code [cap/2, cap]} where
 * {@code cap = min(initial × 2^(n-1), max)}. The jitter spreads retries of requests refused together; the lower half
 * is kept so that a wait never collapses to nothing. Pure: the random draw is passed in.
 */
public record Backoff(Duration initial, Duration max) {

	public Backoff {
		if (initial.isNegative() || max.compareTo(initial) < 0) {
			throw new IllegalArgumentException("backoff needs 0 <= initial <= max: " + initial + ", " + max);
		}
	}

	/**
	 * @param attempt 1 for the first wait
	 * @param random01 a draw in [0, 1)
	 */
	public Duration delay(int attempt, double random01) {
		long cap = initial.toNanos();
		for (int i = 1; i < attempt && cap < max.toNanos(); i++) {
			cap = Math.min(cap * 2, max.toNanos());
		}
		return Duration.ofNanos(cap / 2 + (long) (random01 * (cap - cap / 2)));
	}

}
