package io.grouprefunds.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The lifecycle draws without HTTP: the defaults, the rates, a seed, the settings' limits. */
class RefundLifecycleTest {

	@Test
	void theDefaultsCompleteEveryRefundAtOnce() {
		// given
		LifecyclePlan plan = new LifecyclePlan(RefundLifecycle.immediate());

		// when
		List<LifecyclePlan.Decision> decisions = decisions(plan, 500, 3);

		// then
		assertThat(decisions).allSatisfy((decision) -> {
			assertThat(decision.initial()).isEqualTo(RefundStatus.COMPLETED);
			assertThat(decision.outcome(2)).isEqualTo(RefundStatus.COMPLETED);
		});
		assertThat(RefundLifecycle.immediate().settleAfter()).isEqualTo(Duration.ofSeconds(20));
	}

	@Test
	void eachOutcomeComesAtItsRateAndRejectionsAreDrawnPerPart() {
		// given half Pending, 10% Error, 30% of the Pending parts Rejected
		LifecyclePlan plan = new LifecyclePlan(RefundLifecycle.immediate()
			.withPendingRate(0.5)
			.withErrorRate(0.1)
			.withRejectRate(0.3)
			.withSeed(11L));

		// when
		List<LifecyclePlan.Decision> decisions = decisions(plan, 10_000, 2);

		// then
		assertThat(share(decisions, RefundStatus.PENDING)).isBetween(0.47, 0.53);
		assertThat(share(decisions, RefundStatus.ERROR)).isBetween(0.08, 0.12);
		assertThat(share(decisions, RefundStatus.COMPLETED)).isBetween(0.37, 0.43);
		List<LifecyclePlan.Decision> pending = decisions.stream()
			.filter((decision) -> decision.initial() == RefundStatus.PENDING)
			.toList();
		long rejectedParts = pending.stream()
			.mapToLong((decision) -> decision.outcomes().stream().filter(RefundStatus.REJECTED::equals).count())
			.sum();
		assertThat(rejectedParts / (2.0 * pending.size())).isBetween(0.27, 0.33);
		assertThat(pending).anyMatch((decision) -> decision.outcome(0) != decision.outcome(1));
	}

	@Test
	void aSeedMakesTheDrawsReproducible() {
		// given
		RefundLifecycle lifecycle = RefundLifecycle.immediate().withPendingRate(0.4).withRejectRate(0.5)
			.withErrorRate(0.2).withSeed(42L);

		// when
		List<LifecyclePlan.Decision> first = decisions(new LifecyclePlan(lifecycle), 200, 3);
		List<LifecyclePlan.Decision> second = decisions(new LifecyclePlan(lifecycle), 200, 3);

		// then
		assertThat(first).isEqualTo(second);
	}

	@Test
	void ratesAndDelaysOutOfRangeAreRefused() {
		RefundLifecycle lifecycle = RefundLifecycle.immediate();
		assertThatIllegalArgumentException().isThrownBy(() -> lifecycle.withPendingRate(1.5))
			.withMessageContaining("pendingRate");
		assertThatIllegalArgumentException().isThrownBy(() -> lifecycle.withRejectRate(-0.1))
			.withMessageContaining("rejectRate");
		assertThatIllegalArgumentException().isThrownBy(() -> lifecycle.withErrorRate(Double.NaN))
			.withMessageContaining("errorRate");
		assertThatIllegalArgumentException().isThrownBy(() -> lifecycle.withPendingRate(0.6).withErrorRate(0.5))
			.withMessageContaining("pendingRate + errorRate");
		assertThatIllegalArgumentException().isThrownBy(() -> lifecycle.withSettleAfter(Duration.ofSeconds(-1)))
			.withMessageContaining("settleAfter");
		assertThat(lifecycle.withSettleAfter(Duration.ZERO).settlesByItself()).isFalse();
	}

	private static List<LifecyclePlan.Decision> decisions(LifecyclePlan plan, int count, int parts) {
		List<LifecyclePlan.Decision> decisions = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			decisions.add(plan.decide(parts));
		}
		return decisions;
	}

	private static double share(List<LifecyclePlan.Decision> decisions, RefundStatus initial) {
		return decisions.stream().filter((decision) -> decision.initial() == initial).count()
				/ (double) decisions.size();
	}

}
