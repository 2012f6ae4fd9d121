package io.grouprefunds.throttle;

import java.time.Instant;

import io.github.bucket4j.TimeMeter;

/**
 * The shared bucket's clock: the host's wall clock in epoch nanoseconds (microsecond precision), comparable between
 * processes and hosts kept in time. It remembers, per thread, the time it last gave the bucket, so that a booking can
 * be placed from the moment the bucket computed it rather than from the moment the database transaction returned:
 * the transaction's own duration (longer when several processes queue on the account's row lock) would otherwise push
 * each process's slots late by a different amount, and slots of two processes one interval apart could leave
 * together.
 */
final class BookingClock implements TimeMeter {

	static final BookingClock INSTANCE = new BookingClock();

	private static final ThreadLocal<long[]> LAST_READ = ThreadLocal.withInitial(() -> new long[1]);

	private BookingClock() {
	}

	@Override
	public long currentTimeNanos() {
		long now = now();
		LAST_READ.get()[0] = now;
		return now;
	}

	@Override
	public boolean isWallClockBased() {
		return true;
	}

	/** Forgets this thread's last reading (before a bucket command). */
	static void forget() {
		LAST_READ.get()[0] = 0;
	}

	/** How long ago the bucket last read this clock on this thread; 0 when it did not since {@link #forget}. */
	static long sinceLastRead() {
		long read = LAST_READ.get()[0];
		return read == 0 ? 0 : Math.max(0, now() - read);
	}

	private static long now() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000_000L + now.getNano();
	}

}
