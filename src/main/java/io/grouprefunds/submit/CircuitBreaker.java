package io.grouprefunds.submit;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Tells when a provider is down, from the answers to our own requests: it opens when, among the last
 * {@code window} calls (at least {@code minimumCalls}), the share that failed reaches {@code failureRate}. A failure is
 * a call whose outcome is unknown (5xx, timeout, connection lost) or that could not connect at all; any other answer
 * is a success, and a 429 counts as neither (the provider is up, and throttling us).
 *
 * <p>While open, nothing is sent; every {@code probeInterval} the caller probes the provider with a harmless read.
 * A probe that is answered closes it; when the provider has stayed down for {@code giveUpAfter}, it gives up, and the
 * caller stops the step (the job ends FAILED, restartable). Not thread-safe by itself: the caller holds its monitor.
 *
 * <p>Our own rather than Resilience4j's: what is needed around it (wait without sending, probe with a read rather
 * than a refund, give up into a restartable failure) is ours either way, the state machine is forty lines, and its
 * clock is injected like the throttle's.
 */
final class CircuitBreaker {

	/** Where the breaker stands. */
	public enum State {

		/** Requests flow. */
		CLOSED,
		/** The provider looks down: nothing is sent until a probe is answered. */
		OPEN,
		/** The provider stayed down for too long: the step stops. Final. */
		GAVE_UP

	}

	private final BreakerProperties settings;

	private final LongSupplier nanoTime;

	private final boolean[] failed;

	private int size;

	private int next;

	private int failures;

	private State state = State.CLOSED;

	private long openedAt;

	private long nextProbeAt;

	public CircuitBreaker(BreakerProperties settings, LongSupplier nanoTime) {
		this.settings = settings;
		this.nanoTime = nanoTime;
		this.failed = new boolean[settings.window()];
	}

	/**
	 * Records one call's result while closed (results arriving while open are from calls sent before it opened).
	 * @return true when this result opened the breaker
	 */
	public boolean record(boolean failure) {
		if (state != State.CLOSED) {
			return false;
		}
		if (size == failed.length) {
			failures -= failed[next] ? 1 : 0;
		}
		else {
			size++;
		}
		failed[next] = failure;
		failures += failure ? 1 : 0;
		next = (next + 1) % failed.length;
		if (size >= settings.minimumCalls() && failures >= settings.failureRate() * size) {
			state = State.OPEN;
			openedAt = nanoTime.getAsLong();
			nextProbeAt = openedAt + settings.probeInterval().toNanos();
			return true;
		}
		return false;
	}

	public State state() {
		return state;
	}

	/** How long until the next probe is due; zero when it is due now. */
	public Duration untilProbe() {
		return Duration.ofNanos(Math.max(0, nextProbeAt - nanoTime.getAsLong()));
	}

	/** How long the breaker has been open. */
	public Duration openFor() {
		return state == State.CLOSED ? Duration.ZERO : Duration.ofNanos(nanoTime.getAsLong() - openedAt);
	}

	/** The provider answered a probe: requests flow again, judged afresh. */
	public void probeAnswered() {
		if (state == State.OPEN) {
			state = State.CLOSED;
			size = 0;
			next = 0;
			failures = 0;
		}
	}

	/** A probe failed: stays open until the next one, or gives up once the provider has been down long enough. */
	public State probeFailed() {
		if (state == State.OPEN) {
			long now = nanoTime.getAsLong();
			if (now - openedAt >= settings.giveUpAfter().toNanos()) {
				state = State.GAVE_UP;
			}
			else {
				nextProbeAt = now + settings.probeInterval().toNanos();
			}
		}
		return state;
	}

}
