package io.grouprefunds.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.grouprefunds.support.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The shared bucket of one account against a real PostgreSQL (migration V8), each {@link SharedLimits} standing for
 * a process of its own: the stricter settings win whoever joins first, a 429 written by one holds the other, the
 * round trips each slot costs. Slots are judged by when the bucket schedules them (booking time + wait), which a
 * slow machine can only push later, never earlier.
 */
class SharedLimitsIT {

	private static final ThrottleLimits STRICT = new ThrottleLimits(5, 0, 4, List.of());

	private static final ThrottleLimits LOOSE = new ThrottleLimits(20, 0, 4, List.of());

	private DataSource database;

	@BeforeEach
	void ledger() {
		String url = TestDatabases.newDatabase();
		Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").load().migrate();
		database = new DriverManagerDataSource(url);
	}

	@Test
	void aLooserProcessJoiningLaterIsHeldToTheStricterLimit() {
		// given a process configured at 5/s on the account, then one at 20/s
		SharedLimit strict = new SharedLimits(() -> database).forAccount("rapyd", "access-1", STRICT);
		SharedLimit loose = new SharedLimits(() -> database).forAccount("rapyd", "access-1", LOOSE);

		// then the looser one is held to 5/s: 11 slots in a row span about 10 intervals of 200 ms (at 20/s: 500 ms)
		assertThat(BucketLimits.same(loose.configuration(), BucketLimits.of(STRICT))).isTrue();
		assertThat(spanOfSlots(loose, 11)).isGreaterThanOrEqualTo(Duration.ofMillis(1700));
	}

	@Test
	void aStricterProcessJoiningLaterSlowsTheAccountDownForEveryone() {
		// given a process at 20/s on the account, then one at 5/s
		SharedLimit loose = new SharedLimits(() -> database).forAccount("rapyd", "access-1", LOOSE);
		new SharedLimits(() -> database).forAccount("rapyd", "access-1", STRICT);

		// then the first one, still running with its own settings, gets slots 200 ms apart
		assertThat(spanOfSlots(loose, 11)).isGreaterThanOrEqualTo(Duration.ofMillis(1700));
	}

	@Test
	void anotherAccountIsNotHeld() {
		// given a strict process on one account and a loose one on another
		new SharedLimits(() -> database).forAccount("rapyd", "access-1", STRICT);
		SharedLimit other = new SharedLimits(() -> database).forAccount("rapyd", "access-2", LOOSE);

		// then the other keeps its own limit, and the keys hide the identities
		assertThat(BucketLimits.same(other.configuration(), BucketLimits.of(LOOSE))).isTrue();
		assertThat(new JdbcTemplate(database).queryForList("SELECT id FROM throttle_bucket", String.class))
			.hasSize(2)
			.allMatch(id -> id.matches("rapyd:[0-9a-f]{16}"));
	}

	@Test
	void aBucketIdleLongEnoughStartsAfreshWithTheNextProcesssSettings() {
		// given a strict process that used the account, and its bucket expired (full again and unused for a minute)
		new SharedLimits(() -> database).forAccount("rapyd", "access-1", STRICT);
		new JdbcTemplate(database).update("UPDATE throttle_bucket SET expires_at = 0");

		// when a looser process joins
		SharedLimit loose = new SharedLimits(() -> database).forAccount("rapyd", "access-1", LOOSE);

		// then it has its own settings: an operator can raise the limit once the account is idle
		assertThat(BucketLimits.same(loose.configuration(), BucketLimits.of(LOOSE))).isTrue();
	}

	@Test
	void aPauseWrittenByOneProcessHoldsTheOtherAndIsNotAddedTo() {
		// given two processes on the account
		SharedLimit first = new SharedLimits(() -> database).forAccount("rapyd", "access-1", LOOSE);
		SharedLimit second = new SharedLimits(() -> database).forAccount("rapyd", "access-1", LOOSE);

		// when the first is told 429, come back in 3 s
		long pausedAt = System.nanoTime();
		first.pause(Duration.ofSeconds(3));

		// then the second's next slot is after the pause
		assertThat(slotAt(second) - pausedAt).isGreaterThanOrEqualTo(Duration.ofMillis(2700).toNanos());
		// and a 429 the second gets for a request sent before the pause extends it to 3 s from then, no more
		long secondPausedAt = System.nanoTime();
		second.pause(Duration.ofSeconds(3));
		assertThat(slotAt(first) - secondPausedAt).isBetween(Duration.ofMillis(2700).toNanos(),
				Duration.ofMillis(4000).toNanos());
	}

	@Test
	void eachSlotCostsOneTransactionOfThreeRoundTrips() {
		// given a process that joined the account
		SharedLimit shared = new SharedLimits(() -> database).forAccount("rapyd", "access-1", LOOSE);
		long before = shared.roundTrips();

		// when it books 20 slots
		spanOfSlots(shared, 20);

		// then each cost a SELECT … FOR UPDATE, an UPDATE and the COMMIT
		long perSlot = (shared.roundTrips() - before) / 20;
		System.out.printf("SharedLimitsIT: %d round trips for 20 slots%n", shared.roundTrips() - before);
		assertThat(shared.roundTrips() - before).isBetween(20L, 60L);
		assertThat(perSlot).isEqualTo(3);
	}

	/** Books {@code n} slots one after another; the time between the first and the last. */
	private static Duration spanOfSlots(SharedLimit shared, int n) {
		List<Long> slots = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			slots.add(slotAt(shared));
		}
		return Duration.ofNanos(slots.get(n - 1) - slots.get(0));
	}

	/** Books one slot: when it is ({@link System#nanoTime}). */
	private static long slotAt(SharedLimit shared) {
		SharedLimit.Booking booking = shared.reserve();
		assertThat(booking.booked()).isTrue();
		return System.nanoTime() + booking.after().toNanos();
	}

}
