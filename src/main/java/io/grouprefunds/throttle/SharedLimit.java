package io.grouprefunds.throttle;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider account's limit as every process on the ledger database sees it: a Bucket4j token bucket in the
 * {@code throttle_bucket} row of the account, changed by one short transaction per command.
 *
 * <p>Each {@link #reserve} books the account's next free slot, possibly in the future, and says when it is. A process
 * keeps only a few booked ahead ({@link SharedSlots}: two, or about 100 ms worth at high rates), so a process killed
 * with {@code kill -9} leaves at most those unused: nothing else is held.
 * A 429 is written into the bucket as a debt ({@link #pause}), so that every process's next slot comes after it.
 */
public final class SharedLimit {

	private static final Logger log = LoggerFactory.getLogger(SharedLimit.class);

	/** A slot further out than this is not booked; asked again later (only a long 429 pause gets there). */
	private static final long MAX_BOOKING_NANOS = TimeUnit.MINUTES.toNanos(15);

	/** How long to wait before asking again when the database did not answer. */
	private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

	private final String account;

	private final BucketProxy bucket;

	private final BucketConfiguration configuration;

	private final RoundTrips roundTrips;

	private final AtomicLong slots = new AtomicLong();

	private final AtomicLong pauses = new AtomicLong();

	private final AtomicLong givenUp = new AtomicLong();

	SharedLimit(String account, BucketProxy bucket, BucketConfiguration configuration, RoundTrips roundTrips) {
		this.account = account;
		this.bucket = bucket;
		this.configuration = configuration;
		this.roundTrips = roundTrips;
	}

	/**
	 * Books the account's next slot (one database transaction) and says how long from now it is; empty when none
	 * could be booked (the database failed, or the account is paused for longer than 15 minutes): ask again after the
	 * returned wait.
	 */
	Booking reserve() {
		Parked parked = new Parked();
		try {
			BookingClock.forget();
			if (bucket.asBlocking().tryConsume(1, MAX_BOOKING_NANOS, parked)) {
				slots.incrementAndGet();
				// The slot is parked.nanos after the moment the bucket read the clock, not after now: the
				// transaction's commit and return already took part of the wait.
				return new Booking(true, Duration.ofNanos(parked.nanos - BookingClock.sinceLastRead()));
			}
			return new Booking(false, Duration.ofSeconds(5));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt(); // never parked: Parked only records the wait
			return new Booking(false, RETRY_AFTER_FAILURE);
		}
		catch (RuntimeException ex) {
			// Sending without the shared bucket could overrun the account: wait for the database instead.
			log.warn("shared throttle of {}: the ledger database did not answer ({}); asking again in {}", account,
					ex.toString(), RETRY_AFTER_FAILURE);
			return new Booking(false, RETRY_AFTER_FAILURE);
		}
	}

	/**
	 * The provider answered 429: no process takes a slot of this account before {@code pause} is over. A pause already
	 * in force (another process's 429) is extended to that point, not added to.
	 */
	void pause(Duration pause) {
		try {
			long waitNanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
			long missingNanos = pause.toNanos() - waitNanos;
			if (missingNanos > 0) {
				long debt = (long) Math.ceil(missingNanos * BucketLimits.fastestRate(configuration) / 1e9);
				bucket.consumeIgnoringRateLimits(Math.max(1, debt));
				pauses.incrementAndGet();
			}
		}
		catch (RuntimeException ex) {
			log.warn("shared throttle of {}: could not pause the other processes ({})", account, ex.toString());
		}
	}

	/** A booked slot this process reached too late to use (a stalled timer): it goes unused. */
	void givenUp() {
		givenUp.incrementAndGet();
	}

	/** What this process asked of the shared bucket so far, for the log and the benchmark. */
	public String describe() {
		long booked = slots.get();
		long trips = roundTrips.count();
		return String.format("shared throttle of %s: %d slots booked (%d given up late), %d pauses written, "
				+ "%d database round trips (%.2f per slot)", account, booked, givenUp.get(), pauses.get(), trips,
				booked == 0 ? 0 : (double) trips / booked);
	}

	/** The limits in force on the account when this process joined it (the stricter of its own and the stored). */
	BucketConfiguration configuration() {
		return configuration;
	}

	/** Database round trips of the shared throttle in this process so far. */
	long roundTrips() {
		return roundTrips.count();
	}

	/** The account's key in {@code throttle_bucket}. */
	public String account() {
		return account;
	}

	/**
	 * @param booked whether a slot was booked
	 * @param after until the slot (negative: it began that long ago), or until asking again
	 */
	record Booking(boolean booked, Duration after) {
	}

	/** Records the wait Bucket4j would park for, without parking: the caller waits without holding a thread. */
	private static final class Parked implements BlockingStrategy {

		private long nanos;

		@Override
		public void park(long nanosToPark) {
			this.nanos = nanosToPark;
		}

	}

}
