package io.grouprefunds.throttle;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The slots of the account's shared bucket this process has booked and not used yet, a few ahead, booked by a thread
 * of their own so that a request never waits for the database while holding the throttle.
 *
 * <p>While requests are asking, the booker keeps {@code ahead} slots booked (at least two, about 100 ms worth at
 * high rates): a booking costs a database transaction, and one at a time would cap the process at one request per
 * transaction. That is also all a process killed with {@code kill -9} leaves unused. A slot reached later than
 * {@code latenessNanos} is given up (see {@link Throttle}).
 */
final class SharedSlots {

	/** How long a request waits before asking again while no slot is booked yet. */
	private static final long POLL_NANOS = 5_000_000L;

	/** Demand older than this no longer keeps slots booked ahead. */
	private static final long DEMAND_NANOS = 1_000_000_000L;

	private final SharedLimit shared;

	private final LongSupplier nanoTime;

	private final int ahead;

	private final long latenessNanos;

	private final ArrayDeque<Long> booked = new ArrayDeque<>();

	private final ExecutorService booker;

	private boolean booking;

	private long lastDemand;

	private long nextBooking = Long.MIN_VALUE; // System.nanoTime may be negative

	/** @param intervalNanos the account's slot interval: the slots booked ahead are about 100 ms of them, at least 2 */
	SharedSlots(SharedLimit shared, LongSupplier nanoTime, long intervalNanos, long latenessNanos) {
		this.shared = shared;
		this.nanoTime = nanoTime;
		this.ahead = (int) Math.max(2, Math.min(32, 100_000_000L / Math.max(1, intervalNanos)));
		this.latenessNanos = latenessNanos;
		// One thread, ended after 10 s without bookings (a process may build many throttles: tests, commands).
		ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				runnable -> {
					Thread thread = new Thread(runnable, "shared-throttle-" + shared.account());
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		this.booker = executor;
	}

	/**
	 * A request is ready to leave at {@code now}: 0 when it takes a booked slot that is due, else how long to wait
	 * before asking again.
	 */
	synchronized long take(long now) {
		lastDemand = now;
		while (!booked.isEmpty() && now - booked.peekFirst() > latenessNanos) {
			booked.pollFirst(); // too late to use: the next free one is booked instead
			shared.givenUp();
		}
		Long head = booked.peekFirst();
		if (head != null && head <= now) {
			booked.pollFirst();
			bookMore(now);
			return 0;
		}
		bookMore(now);
		return head != null ? head - now : POLL_NANOS;
	}

	private void bookMore(long now) {
		if (!booking && booked.size() < ahead && now >= nextBooking) {
			booking = true;
			booker.execute(this::book);
		}
	}

	/** On the booker's thread: one slot per database transaction, while requests ask and fewer than ahead are held. */
	private void book() {
		try {
			bookWhileAsked();
		}
		catch (RuntimeException | Error ex) {
			synchronized (this) { // never leave "booking" set: the requests would wait for a booking that never comes
				booking = false;
				nextBooking = nanoTime.getAsLong() + 1_000_000_000L;
			}
			throw ex;
		}
	}

	private void bookWhileAsked() {
		while (true) {
			SharedLimit.Booking booking = shared.reserve();
			long now = nanoTime.getAsLong();
			synchronized (this) {
				if (booking.booked()) {
					booked.addLast(now + booking.after().toNanos());
				}
				else {
					nextBooking = now + booking.after().toNanos();
				}
				if (!booking.booked() || booked.size() >= ahead || now - lastDemand > DEMAND_NANOS) {
					this.booking = false;
					return;
				}
			}
		}
	}

}
