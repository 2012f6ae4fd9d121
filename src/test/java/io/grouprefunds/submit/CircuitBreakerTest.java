package io.grouprefunds.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.grouprefunds.submit.CircuitBreaker.State;
import org.junit.jupiter.api.Test;

/** The circuit breaker's states, driven by a hand-advanced nano clock. */
class CircuitBreakerTest {

	private static final long SECOND = 1_000_000_000L;

	private final AtomicLong clock = new AtomicLong(3 * SECOND);

	private final CircuitBreaker breaker = new CircuitBreaker(
			new BreakerProperties(10, 5, 0.5, Duration.ofSeconds(2), Duration.ofSeconds(30)), clock::get);

	@Test
	void staysClosedUntilTheMinimumNumberOfCallsHasBeenSeen() {
		// when four calls fail
		for (int i = 0; i < 4; i++) {
			assertThat(breaker.record(true)).isFalse();
		}

		// then
		assertThat(breaker.state()).isEqualTo(State.CLOSED);
		// and the fifth failure opens it
		assertThat(breaker.record(true)).isTrue();
		assertThat(breaker.state()).isEqualTo(State.OPEN);
	}

	@Test
	void occasionalFailuresAmongSuccessesNeverOpenIt() {
		// when one call in three fails, for a long time
		for (int i = 0; i < 3000; i++) {
			breaker.record(i % 3 == 0);
		}

		// then
		assertThat(breaker.state()).isEqualTo(State.CLOSED);
	}

	@Test
	void opensWhenHalfOfTheWindowFails() {
		// given a window full of successes
		for (int i = 0; i < 10; i++) {
			breaker.record(false);
		}

		// when failures come in: the window is the last ten calls
		int failures = 0;
		while (breaker.state() == State.CLOSED) {
			breaker.record(true);
			failures++;
		}

		// then it took five failures (five of the last ten)
		assertThat(failures).isEqualTo(5);
	}

	@Test
	void resultsOfCallsSentBeforeItOpenedAreIgnoredWhileOpen() {
		// given
		openIt();

		// when
		boolean openedAgain = breaker.record(true);
		breaker.record(false);

		// then
		assertThat(openedAgain).isFalse();
		assertThat(breaker.state()).isEqualTo(State.OPEN);
	}

	@Test
	void theFirstProbeIsDueOneIntervalAfterOpening() {
		// given
		openIt();

		// when / then
		assertThat(breaker.untilProbe()).isEqualTo(Duration.ofSeconds(2));
		clock.addAndGet(SECOND);
		assertThat(breaker.untilProbe()).isEqualTo(Duration.ofSeconds(1));
		clock.addAndGet(5 * SECOND);
		assertThat(breaker.untilProbe()).isZero();
	}

	@Test
	void anAnsweredProbeClosesItWithAFreshWindow() {
		// given
		openIt();
		clock.addAndGet(2 * SECOND);

		// when
		breaker.probeAnswered();

		// then closed, and it takes the minimum number of failures again to open it
		assertThat(breaker.state()).isEqualTo(State.CLOSED);
		assertThat(breaker.openFor()).isZero();
		for (int i = 0; i < 4; i++) {
			assertThat(breaker.record(true)).isFalse();
		}
		assertThat(breaker.record(true)).isTrue();
	}

	@Test
	void failedProbesKeepItOpenUntilTheProviderHasBeenDownForTheGiveUpTime() {
		// given
		openIt();

		// when probes fail every 2 s
		int probes = 0;
		State state = State.OPEN;
		while (state == State.OPEN) {
			clock.addAndGet(breaker.untilProbe().toNanos());
			state = breaker.probeFailed();
			probes++;
		}

		// then it gave up at the first probe 30 s or more after opening
		assertThat(state).isEqualTo(State.GAVE_UP);
		assertThat(probes).isEqualTo(15);
		assertThat(breaker.openFor()).isEqualTo(Duration.ofSeconds(30));
		// and giving up is final
		breaker.probeAnswered();
		assertThat(breaker.state()).isEqualTo(State.GAVE_UP);
	}

	@Test
	void aGiveUpTimeOfZeroStopsAtTheFirstFailedProbe() {
		// given
		CircuitBreaker impatient = new CircuitBreaker(
				new BreakerProperties(4, 2, 1.0, Duration.ofMillis(100), Duration.ZERO), clock::get);
		impatient.record(true);
		impatient.record(true);

		// when
		State state = impatient.probeFailed();

		// then
		assertThat(state).isEqualTo(State.GAVE_UP);
	}

	private void openIt() {
		for (int i = 0; i < 5; i++) {
			breaker.record(true);
		}
		assertThat(breaker.state()).isEqualTo(State.OPEN);
	}

}
