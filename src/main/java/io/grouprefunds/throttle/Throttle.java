package io.grouprefunds.throttle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import io.grouprefunds.throttle.ThrottleLimits.Quota;
import reactor.core.publisher.Mono;

/**
 * The rate limit of one provider account, shared by every request to it (sends, reconciliation queries, probes).
 *
 * <p>Smooth: each request reserves the next free slot, one slot per {@code 1/rate} seconds, so no window of any
 * length sees more than its share, and idle time is never saved up as credit for a burst. On top of that, each
 * quota (e.g. 1000 in five minutes) is a sliding window over the slots already reserved: a slot is only given once
 * the request {@code limit} places back has left the window. A 429 from the provider pauses the whole account, not
 * one row: the others in flight would be refused too. Callers wait for their slot without holding a thread.
 *
 * <p>Slots are a schedule; timers fire late when the process stalls (GC, a busy CPU), and then several requests
 * would leave together and, counted by the provider, fill a window that already held its share. So at the moment of
 * sending, {@link #admit()} checks the windows again against the times requests actually left: one second holds at
 * most what the smooth schedule puts in it, each quota window at most its limit. A request past its slot that would
 * overfill a window waits until the window has room.
 *
 * <p>With a {@link SharedLimit} (every process on the same ledger database and provider account), a request admitted
 * here also needs a slot of the account's shared bucket: the process keeps a few booked ahead while requests are
 * ready to leave ({@link SharedSlots}), and the request waits for the next one. The local pacing stays as it is, so that one process never bursts, and the
 * shared bucket divides the account's rate between the processes that have work. A 429 pauses the shared bucket too.
 */
public final class Throttle {

	private final long intervalNanos;

	private final LongSupplier nanoTime;

	private final QuotaWindow[] quotas;

	/** The same windows, and one second at the smooth rate, over the times requests were admitted. */
	private final QuotaWindow[] sent;

	private final Backoff backoff;

	private final Duration maxRetryAfter;

	private final DoubleSupplier random;

	private long nextSlot;

	private long pausedUntil;

	private int pauses;

	/** The account's limit shared with other processes, or null (unthrottled, or a test of this class alone). */
	private final SharedLimit shared;

	/**
	 * The shared slots this process booked and has not used yet, or null. One used later than {@link #sharedLateness}
	 * would land in a second of the account's schedule the other processes may have filled: it is given up, and the
	 * next free one used.
	 */
	private final SharedSlots sharedSlots;

	/** A plain smooth rate. @param requestsPerSecond 0 or less: unthrottled. The interval rounds up, never above. */
	public Throttle(double requestsPerSecond, LongSupplier nanoTime) {
		this(ThrottleLimits.rate(requestsPerSecond), new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60)),
				Duration.ofMinutes(10), nanoTime, () -> ThreadLocalRandom.current().nextDouble());
	}

	/**
	 * @param backoff the pause after a 429 that says nothing about when to come back
	 * @param maxRetryAfter the longest Retry-After honoured as it is
	 */
	public Throttle(ThrottleLimits limits, Backoff backoff, Duration maxRetryAfter, LongSupplier nanoTime,
			DoubleSupplier random) {
		this(limits, backoff, maxRetryAfter, nanoTime, random, null);
	}

	/** @param shared the account's limit shared with other processes; null for this process's alone */
	public Throttle(ThrottleLimits limits, Backoff backoff, Duration maxRetryAfter, LongSupplier nanoTime,
			DoubleSupplier random, SharedLimit shared) {
		this.shared = limits.throttled() ? shared : null;
		double rate = limits.throttled() ? limits.pacedRate() : 0;
		this.intervalNanos = rate <= 0 ? 0 : (long) Math.ceil(1_000_000_000d / rate);
		this.sharedSlots = this.shared == null ? null : new SharedSlots(this.shared, nanoTime, intervalNanos,
				sharedLateness(intervalNanos, limits.headroom()));
		List<Quota> active = limits.throttled() ? limits.quotas() : List.of();
		// The quotas get the same headroom as the rate: each window counts as that much longer.
		this.quotas = active.stream()
			.map(quota -> new QuotaWindow(quota, 1 + limits.headroom()))
			.toArray(QuotaWindow[]::new);
		List<QuotaWindow> actual = new ArrayList<>();
		if (intervalNanos > 0) {
			int perSecond = (int) Math.ceil(1_000_000_000d / intervalNanos);
			actual.add(new QuotaWindow(new Quota(perSecond, Duration.ofSeconds(1)), 1));
		}
		active.forEach(quota -> actual.add(new QuotaWindow(quota, 1 + limits.headroom())));
		this.sent = actual.toArray(QuotaWindow[]::new);
		this.backoff = backoff;
		this.maxRetryAfter = maxRetryAfter;
		this.nanoTime = nanoTime;
		this.random = random;
		this.nextSlot = nanoTime.getAsLong();
		this.pausedUntil = this.nextSlot;
	}

	/**
	 * How late a shared slot may still be used: slots one interval apart, each used up to {@code d} late, put at most
	 * {@code floor((1 + d) × rate) + 1} requests in any second; below {@code ceil(rate) × interval − 1 s} that is no
	 * more than the smooth schedule's own {@code ceil(rate)}, and below the headroom's share of a second it stays under
	 * the unpaced rate. Half the larger of the two, at least 1 ms: the other half is left for the way from the slot to
	 * the provider (signing, the event loop, the network), which is late too when the machine is busy (measured: with
	 * the whole margin, three processes at 95% of a 20/s limit still met a 21st request in one second now and then).
	 * 118 ms at Rapyd's 3.23/s.
	 */
	static long sharedLateness(long intervalNanos, double headroom) {
		long schedule = intervalNanos <= 0 ? 0
				: (long) Math.ceil(1_000_000_000d / intervalNanos) * intervalNanos - 1_000_000_000L - 1_000_000L;
		return Math.max(1_000_000L, Math.max(schedule, (long) (headroom * 1e9)) / 2);
	}

	public static Throttle perSecond(double requestsPerSecond) {
		return new Throttle(requestsPerSecond, System::nanoTime);
	}

	/** Reserves the next slot and says how long to wait for it. */
	public synchronized Duration reserve() {
		long now = nanoTime.getAsLong();
		long slot = Math.max(now, Math.max(nextSlot, pausedUntil));
		for (QuotaWindow quota : quotas) {
			slot = Math.max(slot, quota.earliest());
		}
		for (QuotaWindow quota : quotas) {
			quota.add(slot);
		}
		nextSlot = slot + intervalNanos;
		return Duration.ofNanos(slot - now);
	}

	/**
	 * At the moment of sending, after the reserved slot: zero when the request may leave now (it is counted as sent),
	 * else how long to wait before asking again.
	 */
	public synchronized Duration admit() {
		long now = nanoTime.getAsLong();
		long earliest = Math.max(now, pausedUntil);
		for (QuotaWindow window : sent) {
			earliest = Math.max(earliest, window.earliest());
		}
		if (earliest > now) {
			return Duration.ofNanos(earliest - now);
		}
		if (sharedSlots != null) {
			long wait = sharedSlots.take(now);
			if (wait > 0) {
				return Duration.ofNanos(wait);
			}
		}
		for (QuotaWindow window : sent) {
			window.add(now);
		}
		return Duration.ZERO;
	}

	/** Waits, without holding a thread, for a slot and then for admission: for callers that need nothing between. */
	public Mono<Void> acquire() {
		return Mono.defer(() -> {
			Duration wait = reserve();
			return wait.isZero() ? Mono.<Void>empty() : Mono.delay(wait).then();
		}).then(Mono.defer(this::admitted));
	}

	private Mono<Void> admitted() {
		Duration more = admit();
		return more.isZero() ? Mono.empty() : Mono.delay(more).then(Mono.defer(this::admitted));
	}

	/**
	 * The provider answered 429: no request leaves this account before the pause is over. 429s that arrive during a
	 * pause were sent before it and say nothing new; one after it doubles the next backoff.
	 * @param retryAfter the provider's Retry-After, or null
	 * @return the pause now in force, from now
	 */
	public synchronized Duration rateLimited(Duration retryAfter) {
		long now = nanoTime.getAsLong();
		if (now >= pausedUntil) {
			pauses++;
			Duration pause = retryAfter != null
					? (retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter)
					: backoff.delay(pauses, random.getAsDouble());
			pausedUntil = now + pause.toNanos();
			// The slots after the pause are spaced again from its end: no burst when it lifts.
			nextSlot = Math.max(nextSlot, pausedUntil);
			if (shared != null) {
				shared.pause(pause); // every other process on the account waits as long
			}
		}
		return Duration.ofNanos(pausedUntil - now);
	}

	/** What this process asked of the account's shared limit, or empty when it has none. */
	public Optional<String> sharedUse() {
		return Optional.ofNullable(shared).map(SharedLimit::describe);
	}

	/** An answer that was not a 429: the next 429 starts the backoff from the beginning again. */
	public synchronized void answered() {
		pauses = 0;
	}

	/** The reserved slots of the last {@code limit} requests, oldest first, in a ring. */
	private static final class QuotaWindow {

		private final long periodNanos;

		private final long[] slots;

		private int size;

		private int oldest;

		QuotaWindow(Quota quota, double stretch) {
			this.periodNanos = (long) Math.ceil(quota.period().toNanos() * stretch);
			this.slots = new long[quota.limit()];
		}

		/** The earliest slot that keeps this window within its limit. */
		long earliest() {
			return size < slots.length ? Long.MIN_VALUE : slots[oldest] + periodNanos;
		}

		void add(long slot) {
			if (size < slots.length) {
				slots[(oldest + size++) % slots.length] = slot;
			}
			else {
				slots[oldest] = slot;
				oldest = (oldest + 1) % slots.length;
			}
		}

	}

}
