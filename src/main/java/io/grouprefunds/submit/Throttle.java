package io.grouprefunds.submit;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A smooth rate limit shared by every request to one provider account: each request reserves the next free slot,
 * one slot per {@code 1/rate} seconds, so no window of any length sees more than its share (no burst after an idle
 * spell either). The caller waits for its slot without holding a thread.
 */
public final class Throttle {

	private final long intervalNanos;

	private final LongSupplier nanoTime;

	private long nextSlot;

	/** @param requestsPerSecond 0 or less: unthrottled. The interval rounds up, never above the rate. */
	public Throttle(double requestsPerSecond, LongSupplier nanoTime) {
		this.intervalNanos = requestsPerSecond <= 0 ? 0 : (long) Math.ceil(1_000_000_000d / requestsPerSecond);
		this.nanoTime = nanoTime;
		this.nextSlot = nanoTime.getAsLong();
	}

	public static Throttle perSecond(double requestsPerSecond) {
		return new Throttle(requestsPerSecond, System::nanoTime);
	}

	/** Reserves the next slot and says how long to wait for it. */
	public synchronized Duration reserve() {
		if (intervalNanos == 0) {
			return Duration.ZERO;
		}
		long now = nanoTime.getAsLong();
		long slot = Math.max(now, nextSlot);
		nextSlot = slot + intervalNanos;
		return Duration.ofNanos(slot - now);
	}

}
