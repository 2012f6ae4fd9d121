package io.grouprefunds.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Exponential backoff with jitter. */
class BackoffTest {

	private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

	@Test
	void theCapDoublesUpToTheMaximum() {
		// when the jitter draws its top
		// then
		assertThat(backoff.delay(1, 0.999_999_999)).isCloseTo(Duration.ofSeconds(1), Duration.ofMillis(1));
		assertThat(backoff.delay(2, 0.999_999_999)).isCloseTo(Duration.ofSeconds(2), Duration.ofMillis(1));
		assertThat(backoff.delay(4, 0.999_999_999)).isCloseTo(Duration.ofSeconds(8), Duration.ofMillis(1));
		assertThat(backoff.delay(7, 0.999_999_999)).isCloseTo(Duration.ofSeconds(60), Duration.ofMillis(1));
		assertThat(backoff.delay(1000, 0.999_999_999)).isCloseTo(Duration.ofSeconds(60), Duration.ofMillis(1));
	}

	@Test
	void theJitterKeepsTheLowerHalf() {
		// when the jitter draws its bottom
		// then
		assertThat(backoff.delay(3, 0)).isEqualTo(Duration.ofSeconds(2));
	}

	@Property
	void everyDelayIsBetweenHalfTheCapAndTheCap(@ForAll @IntRange(min = 1, max = 100) int attempt,
			@ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random) {
		// when
		Duration delay = backoff.delay(attempt, random);

		// then
		long cap = Math.min(1000L << Math.min(attempt - 1, 20), 60_000L);
		assertThat(delay.toMillis()).isBetween(cap / 2, cap);
	}

}
