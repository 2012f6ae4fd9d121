package io.grouprefunds.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How the simulated providers' refund parts change after the create call (SANDBOX-LIFECYCLE.md): some start Pending
 * and settle later, some of those are Rejected, some accepted refunds are in Error at once. The defaults keep the
 * sandbox as it always was: every part Completed at once. Switchable at runtime with
 * {@link SimulatedProvider#setLifecycle}.
 *
 * @param pendingRate fraction of accepted refunds whose parts start Pending (issuer: status "0")
 * @param settleAfter how long after its creation a Pending part settles by itself; zero: never by itself, only by
 * the admin calls
 * @param rejectRate fraction of Pending parts that settle Rejected (issuer "2") instead of Completed, drawn per part
 * @param errorRate fraction of accepted refunds answered as accepted whose parts are all in Error at once: no money
 * moves
 * @param seed seed of the draws; {@code null} for a random one
 */
public record RefundLifecycle(double pendingRate, Duration settleAfter, double rejectRate, double errorRate,
		Long seed) {

	/** The settle delay when none is given: 20 s, as the contract says. */
	public static final Duration DEFAULT_SETTLE_AFTER = Duration.ofSeconds(20);

	public RefundLifecycle {
		requireRate(pendingRate, "pendingRate");
		requireRate(rejectRate, "rejectRate");
		requireRate(errorRate, "errorRate");
		Objects.requireNonNull(settleAfter, "settleAfter");
		if (settleAfter.isNegative()) {
			throw new IllegalArgumentException("settleAfter must not be negative: " + settleAfter);
		}
		if (pendingRate + errorRate > 1) {
			throw new IllegalArgumentException("pendingRate + errorRate must not be more than 1: " + pendingRate
					+ " + " + errorRate);
		}
	}

	/** Every part Completed at once: the sandbox as it was before refunds had a lifecycle. */
	public static RefundLifecycle immediate() {
		return new RefundLifecycle(0, DEFAULT_SETTLE_AFTER, 0, 0, null);
	}

	public RefundLifecycle withPendingRate(double rate) {
		return new RefundLifecycle(rate, settleAfter, rejectRate, errorRate, seed);
	}

	public RefundLifecycle withSettleAfter(Duration delay) {
		return new RefundLifecycle(pendingRate, delay, rejectRate, errorRate, seed);
	}

	public RefundLifecycle withRejectRate(double rate) {
		return new RefundLifecycle(pendingRate, settleAfter, rate, errorRate, seed);
	}

	public RefundLifecycle withErrorRate(double rate) {
		return new RefundLifecycle(pendingRate, settleAfter, rejectRate, rate, seed);
	}

	public RefundLifecycle withSeed(Long seed) {
		return new RefundLifecycle(pendingRate, settleAfter, rejectRate, errorRate, seed);
	}

	/** Whether Pending parts settle by themselves. */
	public boolean settlesByItself() {
		return !settleAfter.isZero();
	}

	private static void requireRate(double rate, String name) {
		if (!(rate >= 0 && rate <= 1)) {
			throw new IllegalArgumentException(name + " must be in [0, 1]: " + rate);
		}
	}

}
