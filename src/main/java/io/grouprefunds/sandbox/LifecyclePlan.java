package io.grouprefunds.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws what becomes of each accepted refund from one {@link RefundLifecycle}. Its own random sequence, apart from
 * the {@link FaultPlan}'s, so switching the lifecycle on changes none of the fault decisions a seed gives.
 */
final class LifecyclePlan {

	private final RefundLifecycle lifecycle;

	private final Random random;

	LifecyclePlan(RefundLifecycle lifecycle) {
		this.lifecycle = lifecycle;
		this.random = (lifecycle.seed() != null) ? new Random(lifecycle.seed()) : new Random();
	}

	RefundLifecycle lifecycle() {
		return lifecycle;
	}

	/**
	 * What the parts of one accepted refund start as and, when Pending, what each settles to.
	 * @param parts how many parts the refund creates
	 */
	Decision decide(int parts) {
		double drawn;
		List<RefundStatus> outcomes = new ArrayList<>(parts);
		synchronized (random) {
			// One draw picks Error, Pending or Completed, so each happens at its own rate exactly.
			drawn = random.nextDouble();
			for (int i = 0; i < parts; i++) {
				outcomes.add((random.nextDouble() < lifecycle.rejectRate()) ? RefundStatus.REJECTED
						: RefundStatus.COMPLETED);
			}
		}
		if (drawn < lifecycle.errorRate()) {
			return new Decision(RefundStatus.ERROR, List.of());
		}
		if (drawn < lifecycle.errorRate() + lifecycle.pendingRate()) {
			return new Decision(RefundStatus.PENDING, List.copyOf(outcomes));
		}
		return new Decision(RefundStatus.COMPLETED, List.of());
	}

	/**
	 * @param initial the status every part starts with: {@code COMPLETED}, {@code PENDING} or {@code ERROR}
	 * @param outcomes for a Pending refund, what each part settles to by itself ({@code COMPLETED} or
	 * {@code REJECTED}); empty otherwise
	 */
	record Decision(RefundStatus initial, List<RefundStatus> outcomes) {

		/** What part {@code index} settles to by itself. */
		RefundStatus outcome(int index) {
			return outcomes.isEmpty() ? initial : outcomes.get(index);
		}

	}

}
