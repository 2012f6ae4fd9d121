package io.grouprefunds.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/** The smooth rate limit, driven by a hand-advanced nano clock. */
class ThrottleTest {

	private static final long SECOND = 1_000_000_000L;

	private final AtomicLong clock = new AtomicLong(5 * SECOND);

	@Test
	void reservationsAreSpacedExactlyOneIntervalApart() {
		// given 4 requests a second: one slot every 250 ms
		Throttle throttle = new Throttle(4, clock::get);

		// when five callers reserve at the same instant
		List<Duration> waits = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			waits.add(throttle.reserve());
		}

		// then
		assertThat(waits).containsExactly(Duration.ZERO, Duration.ofMillis(250), Duration.ofMillis(500),
				Duration.ofMillis(750), Duration.ofMillis(1000));
	}

	@Test
	void aCallerArrivingMidIntervalWaitsOnlyForTheRest() {
		// given
		Throttle throttle = new Throttle(4, clock::get);
		throttle.reserve();

		// when
		clock.addAndGet(100_000_000L);
		Duration wait = throttle.reserve();

		// then
		assertThat(wait).isEqualTo(Duration.ofMillis(150));
	}

	@Test
	void noBurstAfterAnIdleSpell() {
		// given a throttle that sent, then was idle for a minute
		Throttle throttle = new Throttle(2, clock::get);
		throttle.reserve();
		throttle.reserve();
		clock.addAndGet(60 * SECOND);

		// when
		Duration first = throttle.reserve();
		Duration second = throttle.reserve();
		Duration third = throttle.reserve();

		// then the idle time was not saved up as credit
		assertThat(first).isZero();
		assertThat(second).isEqualTo(Duration.ofMillis(500));
		assertThat(third).isEqualTo(Duration.ofMillis(1000));
	}

	@Test
	void rateZeroOrLessIsUnthrottled() {
		// given
		Throttle zero = new Throttle(0, clock::get);
		Throttle negative = new Throttle(-1, clock::get);

		// when / then
		for (int i = 0; i < 1000; i++) {
			assertThat(zero.reserve()).isZero();
			assertThat(negative.reserve()).isZero();
		}
	}

	@Test
	void atThreePerSecondNoSecondHoldsMoreThanThreeSends() {
		// given the default rate
		Throttle throttle = new Throttle(3, clock::get);
		long start = clock.get();

		// when four callers reserve at once
		List<Long> sendTimes = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			sendTimes.add(clock.get() + throttle.reserve().toNanos());
		}

		// then the fourth send is not within the first second
		assertThat(sendTimes.get(3) - start).isGreaterThanOrEqualTo(SECOND);
	}

	@Property(tries = 300)
	void sendTimesAreSpacedByAtLeastTheThrottlesIntervalWhateverTheArrivals(
			@ForAll @DoubleRange(min = 0.1, max = 1000) double rate, @ForAll("arrivalGaps") List<Long> gaps) {
		// given arrivals at arbitrary times
		// when each reserves
		List<Long> sends = sendTimes(rate, gaps);

		// then consecutive sends are at least the throttle's (nanosecond) interval apart
		long interval = Math.round(SECOND / rate);
		for (int i = 1; i < sends.size(); i++) {
			assertThat(sends.get(i) - sends.get(i - 1)).isGreaterThanOrEqualTo(interval);
		}
	}

	@Property(tries = 300)
	void noWindowHoldsMoreThanItsShareWhenTheIntervalIsAWholeNumberOfNanoseconds(
			@ForAll("wholeIntervalRates") double rate, @ForAll("arrivalGaps") List<Long> gaps) {
		// given arrivals at arbitrary times
		// when each reserves
		List<Long> sends = sendTimes(rate, gaps);

		// then
		assertEveryWindowWithinItsShare(sends, rate);
	}

	@Property(tries = 300)
	void noWindowHoldsMoreThanItsShareOfSends(@ForAll @DoubleRange(min = 0.1, max = 1000) double rate,
			@ForAll("arrivalGaps") List<Long> gaps) {
		// given arrivals at arbitrary times
		// when each reserves
		List<Long> sends = sendTimes(rate, gaps);

		// then
		assertEveryWindowWithinItsShare(sends, rate);
	}

	/**
	 * A half-open window of length W holds at most ceil(W * rate) sends exactly when, for every pair of sends k
	 * places apart, the later one comes at least k / rate after the earlier one.
	 */
	private static void assertEveryWindowWithinItsShare(List<Long> sends, double rate) {
		BigDecimal exactRate = new BigDecimal(rate);
		for (int i = 0; i < sends.size(); i++) {
			for (int j = i + 1; j < sends.size(); j++) {
				BigDecimal spanTimesRate = BigDecimal.valueOf(sends.get(j) - sends.get(i)).multiply(exactRate);
				assertThat(spanTimesRate).as("send %d is %d ns after send %d at %s/s", j, sends.get(j) - sends.get(i),
						i, rate)
					.isGreaterThanOrEqualTo(BigDecimal.valueOf((long) (j - i) * SECOND));
			}
		}
	}

	@Provide
	Arbitrary<List<Long>> arrivalGaps() {
		// bursts (gap 0), short gaps and long idle spells, in any mix
		Arbitrary<Long> gap = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(0L)),
				Tuple.of(3, Arbitraries.longs().between(1, 400_000_000L)),
				Tuple.of(1, Arbitraries.longs().between(400_000_000L, 120 * SECOND)));
		return gap.list().ofMinSize(1).ofMaxSize(150);
	}

	@Provide
	Arbitrary<Double> wholeIntervalRates() {
		return Arbitraries.of(0.5, 1d, 2d, 4d, 5d, 8d, 10d, 20d, 25d, 40d, 50d, 100d, 3.125, 1000d);
	}

	@Test
	void noWindowHoldsMoreThanItsShareOfSendsWhenTheIntervalIsWhole() {
		// given 4/s (a whole 250 ms interval) and 1000 callers at once
		List<Long> sends = sendTimes(4, java.util.Collections.nCopies(1000, 0L));

		// when counting sends in every one-second and one-minute window starting at a send
		// then no second holds more than 4 and no minute more than 240
		for (int i = 0; i < sends.size(); i++) {
			long start = sends.get(i);
			assertThat(sends.stream().filter(t -> t >= start && t < start + SECOND).count()).isLessThanOrEqualTo(4);
			assertThat(sends.stream().filter(t -> t >= start && t < start + 60 * SECOND).count())
				.isLessThanOrEqualTo(240);
		}
	}

	/** Reserves once after each gap of clock time; returns each send time (arrival + wait), in order. */
	private static List<Long> sendTimes(double rate, List<Long> gaps) {
		AtomicLong now = new AtomicLong(0);
		Throttle throttle = new Throttle(rate, now::get);
		List<Long> sends = new ArrayList<>();
		for (long gap : gaps) {
			now.addAndGet(gap);
			Duration wait = throttle.reserve();
			assertThat(wait.isNegative()).isFalse();
			sends.add(now.get() + wait.toNanos());
		}
		return sends;
	}

}
