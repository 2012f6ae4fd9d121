package io.grouprefunds.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.grouprefunds.throttle.ThrottleLimits.Quota;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/** The throttle's quotas (sliding windows), headroom and 429 pauses, driven by a hand-advanced nano clock. */
class QuotaThrottleTest {

	private static final long SECOND = 1_000_000_000L;

	private static final long MINUTE = 60 * SECOND;

	private final AtomicLong clock = new AtomicLong(7 * SECOND);

	@Test
	void aQuotaHoldsBackTheRequestThatWouldOverfillItsWindow() {
		// given 100/s (never binding here) under a quota of 3 per 10 s
		Throttle throttle = throttle(new ThrottleLimits(100, 0, 1, List.of(new Quota(3, Duration.ofSeconds(10)))));

		// when five callers reserve at once
		List<Duration> waits = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			waits.add(throttle.reserve());
		}

		// then the first three are paced by the rate, the fourth waits until the first leaves the window
		assertThat(waits).containsExactly(Duration.ZERO, Duration.ofMillis(10), Duration.ofMillis(20),
				Duration.ofSeconds(10), Duration.ofMillis(10_010));
	}

	@Test
	void rapydsDefaultsKeepEveryMinuteUnder200AndEveryFiveMinutesUnder1000() {
		// given the defaults for Rapyd, and 3,000 requests waiting at once (far more than an hour's worth of quota)
		Throttle throttle = throttle(new ThrottleLimits(3.3, 0.02, 16,
				ThrottleLimits.parseQuotas(Throttles.DEFAULT_QUOTAS)));
		long[] sends = new long[3000];

		// when each reserves
		for (int i = 0; i < sends.length; i++) {
			sends[i] = clock.get() + throttle.reserve().toNanos();
		}

		// then no minute holds more than 200 and no five minutes more than 1000, with no burst in any second
		assertThat(maxInWindow(sends, MINUTE)).isLessThanOrEqualTo(200);
		assertThat(maxInWindow(sends, 5 * MINUTE)).isLessThanOrEqualTo(1000);
		assertThat(maxInWindow(sends, SECOND)).isLessThanOrEqualTo(4);
		// and the rate is within 3% of the allowed 200 a minute
		double perMinute = (sends.length - 1) * (double) MINUTE / (sends[sends.length - 1] - sends[0]);
		assertThat(perMinute).isBetween(192.0, 200.0);
	}

	@Test
	void aRateRaisedAboveTheQuotasIsStillHeldToThem() {
		// given someone set 50/s on a Rapyd account
		Throttle throttle = throttle(new ThrottleLimits(50, 0.02, 16,
				ThrottleLimits.parseQuotas(List.of("200/1m", "1000/5m"))));
		long[] sends = new long[2500];

		// when
		for (int i = 0; i < sends.length; i++) {
			sends[i] = clock.get() + throttle.reserve().toNanos();
		}

		// then the quotas still hold
		assertThat(maxInWindow(sends, MINUTE)).isEqualTo(200);
		assertThat(maxInWindow(sends, 5 * MINUTE)).isEqualTo(1000);
	}

	@Test
	void headroomPacesBelowTheConfiguredRate() {
		// given 200/s with 2% headroom: one request every 1/196 s
		Throttle throttle = throttle(new ThrottleLimits(200, 0.02, 16, List.of()));

		// when
		throttle.reserve();
		Duration second = throttle.reserve();

		// then
		assertThat(second.toNanos()).isEqualTo((long) Math.ceil(SECOND / 196.0));
	}

	@Test
	void aRateOfZeroSwitchesTheQuotasOffToo() {
		// given
		Throttle throttle = throttle(new ThrottleLimits(0, 0.02, 16, List.of(new Quota(1, Duration.ofHours(1)))));

		// when / then
		for (int i = 0; i < 100; i++) {
			assertThat(throttle.reserve()).isZero();
		}
	}

	@Test
	void a429PausesTheWholeAccountForItsRetryAfter() {
		// given an unthrottled account
		Throttle throttle = throttle(new ThrottleLimits(0, 0, 16, List.of()));

		// when the provider says 429, Retry-After 2 s
		Duration pause = throttle.rateLimited(Duration.ofSeconds(2));

		// then every caller waits for the end of the pause
		assertThat(pause).isEqualTo(Duration.ofSeconds(2));
		assertThat(throttle.reserve()).isEqualTo(Duration.ofSeconds(2));
		clock.addAndGet(SECOND / 2);
		assertThat(throttle.reserve()).isEqualTo(Duration.ofMillis(1500));
	}

	@Test
	void theRequestsAfterAPauseAreSpacedAgainNotBurst() {
		// given 10/s, and a 429 with Retry-After 1 s
		Throttle throttle = throttle(new ThrottleLimits(10, 0, 16, List.of()));
		throttle.rateLimited(Duration.ofSeconds(1));

		// when three callers reserve
		List<Duration> waits = List.of(throttle.reserve(), throttle.reserve(), throttle.reserve());

		// then
		assertThat(waits).containsExactly(Duration.ofMillis(1000), Duration.ofMillis(1100), Duration.ofMillis(1200));
	}

	@Test
	void without429RetryAfterThePausesBackOffExponentiallyAndAnAnswerResetsThem() {
		// given a backoff of 1 s doubling to at most 8 s, and the jitter drawing its top (the full cap)
		Throttle throttle = new Throttle(new ThrottleLimits(0, 0, 16, List.of()),
				new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)), Duration.ofMinutes(10), clock::get,
				() -> 0.999_999_999);

		// when 429s keep coming, each after the previous pause
		List<Long> pauses = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			Duration pause = throttle.rateLimited(null);
			pauses.add(Math.round(pause.toMillis() / 1000.0));
			clock.addAndGet(pause.toNanos());
		}
		throttle.answered();
		Duration afterAnAnswer = throttle.rateLimited(null);

		// then
		assertThat(pauses).containsExactly(1L, 2L, 4L, 8L, 8L);
		assertThat(Math.round(afterAnAnswer.toMillis() / 1000.0)).isEqualTo(1);
	}

	@Test
	void concurrent429sDuringOnePauseDoNotEscalateIt() {
		// given a first 429 with no Retry-After
		Throttle throttle = new Throttle(new ThrottleLimits(0, 0, 16, List.of()),
				new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60)), Duration.ofMinutes(10), clock::get,
				() -> 0.5);
		Duration first = throttle.rateLimited(null);

		// when the other requests in flight come back 429 too, during the pause
		clock.addAndGet(SECOND / 10);
		Duration second = throttle.rateLimited(null);
		Duration third = throttle.rateLimited(null);

		// then the pause is the first one, not doubled
		assertThat(second).isEqualTo(first.minusMillis(100));
		assertThat(third).isEqualTo(second);
	}

	@Test
	void anOverlongRetryAfterIsCappedAtTheConfiguredMaximum() {
		// given
		Throttle throttle = new Throttle(new ThrottleLimits(0, 0, 16, List.of()),
				new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60)), Duration.ofMinutes(10), clock::get,
				() -> 0.5);

		// when
		Duration pause = throttle.rateLimited(Duration.ofHours(1));

		// then
		assertThat(pause).isEqualTo(Duration.ofMinutes(10));
	}

	@Test
	void requestsBunchedByAStallAreAdmittedOnlyAsFarAsTheSecondHasRoom() {
		// given 10/s: slots every 100 ms; ten requests reserve their slots
		Throttle throttle = throttle(new ThrottleLimits(10, 0, 16, List.of()));
		long start = clock.get();
		List<Long> slots = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			slots.add(start + throttle.reserve().toNanos());
		}
		// and the first five left on time
		for (int i = 0; i < 5; i++) {
			clock.set(slots.get(i));
			assertThat(throttle.admit()).isZero();
		}

		// when the process stalls for 350 ms, so the next four timers fire together, then the rest on time
		clock.set(slots.get(8));
		List<Duration> bunched = new ArrayList<>();
		for (int i = 5; i < 9; i++) {
			bunched.add(throttle.admit());
		}

		// then the four late ones may leave: the second before them held only five
		assertThat(bunched).containsOnly(Duration.ZERO);
		// and the next six, on time, too; but the seventh would make eleven in the second from the bunch on
		for (int i = 9; i < 15; i++) {
			clock.set(slots.get(i));
			assertThat(throttle.admit()).as("slot %d", i).isZero();
		}
		clock.set(slots.get(15));
		assertThat(throttle.admit()).isEqualTo(Duration.ofMillis(300));
		// it leaves when the bunch is a second old
		clock.set(slots.get(8) + SECOND);
		assertThat(throttle.admit()).isZero();
	}

	@Test
	void aPauseAfterA429HoldsBackRequestsWhoseSlotsWereReservedBeforeIt() {
		// given a slot reserved, then a 429 with Retry-After 1 s before it is used
		Throttle throttle = throttle(new ThrottleLimits(0, 0, 16, List.of()));
		assertThat(throttle.reserve()).isZero();
		throttle.rateLimited(Duration.ofSeconds(1));

		// when the request comes to leave
		Duration wait = throttle.admit();

		// then
		assertThat(wait).isEqualTo(Duration.ofSeconds(1));
	}

	@Property(tries = 200)
	void noWindowOfAnyQuotaEverHoldsMoreThanItsLimit(@ForAll("gaps") List<Long> gaps) {
		// given a fast rate under two small quotas, and arrivals at arbitrary times
		Throttle throttle = throttle(new ThrottleLimits(1000, 0, 1,
				List.of(new Quota(5, Duration.ofSeconds(1)), new Quota(12, Duration.ofSeconds(5)))));
		long[] sends = new long[gaps.size()];

		// when
		for (int i = 0; i < sends.length; i++) {
			clock.addAndGet(gaps.get(i));
			sends[i] = clock.get() + throttle.reserve().toNanos();
		}

		// then
		assertThat(maxInWindow(sends, SECOND)).isLessThanOrEqualTo(5);
		assertThat(maxInWindow(sends, 5 * SECOND)).isLessThanOrEqualTo(12);
	}

	@Provide
	Arbitrary<List<Long>> gaps() {
		Arbitrary<Long> gap = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(0L)),
				Tuple.of(3, Arbitraries.longs().between(1, 400_000_000L)),
				Tuple.of(1, Arbitraries.longs().between(400_000_000L, 8 * SECOND)));
		return gap.list().ofMinSize(1).ofMaxSize(200);
	}

	private Throttle throttle(ThrottleLimits limits) {
		return new Throttle(limits, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60)), Duration.ofMinutes(10),
				clock::get, () -> 0.5);
	}

	/** The most sorted send times within any half-open window of the given length. */
	private static int maxInWindow(long[] sends, long length) {
		int most = 0;
		int first = 0;
		for (int last = 0; last < sends.length; last++) {
			while (sends[last] - sends[first] >= length) {
				first++;
			}
			most = Math.max(most, last - first + 1);
		}
		return most;
	}

}
