package io.grouprefunds.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The busiest window of arrival times, as a provider's rate limit would count it. */
class SandboxStatsTest {

	@Test
	void countsTheMostTimesWithinAnyHalfOpenWindow() {
		// given arrivals at 0, 100, 200, 999, 1000 and 1100 ms
		long[] arrivals = { 0, 100_000_000L, 200_000_000L, 999_000_000L, 1_000_000_000L, 1_100_000_000L };

		// when / then: [0, 1000) holds four, and so does [100, 1100), [200, 1200) holds the four from 200
		assertThat(SandboxStats.maxInWindow(arrivals, 1_000_000_000L)).isEqualTo(4);
		assertThat(SandboxStats.maxInWindow(arrivals, 1_000_000_001L)).isEqualTo(5);
		assertThat(SandboxStats.maxInWindow(new long[0], 1_000_000_000L)).isZero();
	}

}
