package io.grouprefunds.sandbox.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Fault decisions without HTTP: seeds, the sliding rate window, outage windows and what a query can meet. */
class FaultPlanTest {

	private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

	@Test
	void aSeedMakesTheDecisionsReproducible() {
		// given two plans with the same seed and faults of every kind
		SandboxFaults faults = SandboxFaults.builder()
			.seed(42)
			.latency(10, 50)
			.tooManyRequests(0.2)
			.errorBeforeApply(0.2)
			.errorAfterApply(0.2)
			.slowAfterApply(0.2, 100)
			.dropAfterApply(0.2)
			.build();

		// when
		List<String> first = decisions(new FaultPlan(faults, 0));
		List<String> second = decisions(new FaultPlan(faults, 0));

		// then
		assertThat(first).isEqualTo(second);
		assertThat(first).anyMatch((decision) -> decision.contains("TOO_MANY_REQUESTS"))
			.anyMatch((decision) -> decision.contains("DROP_AFTER_APPLY"))
			.anyMatch((decision) -> decision.contains("null null"));
	}

	@Test
	void theRateLimitAdmitsAtMostThatManyRequestsInAnySlidingSecond() {
		// given
		FaultPlan plan = new FaultPlan(SandboxFaults.builder().rateLimitPerSecond(2).build(), 0);

		// when three arrive within a second, then one a second after the first
		FaultKind first = plan.decideRefund(0).beforeApply();
		FaultKind second = plan.decideRefund(100 * MS).beforeApply();
		FaultKind third = plan.decideRefund(900 * MS).beforeApply();
		FaultKind fourth = plan.decideRefund(1000 * MS).beforeApply();

		// then
		assertThat(first).isNull();
		assertThat(second).isNull();
		assertThat(third).isEqualTo(FaultKind.RATE_LIMITED);
		assertThat(fourth).isNull();
	}

	@Test
	void outageWindowsCountFromWhenTheFaultsTookEffect() {
		// given a plan started at 1 s with an outage from 100 ms to 200 ms
		FaultPlan plan = new FaultPlan(SandboxFaults.builder().outageWindow(100, 200).build(), 1000 * MS);

		// then
		assertThat(plan.decideRefund(1099 * MS).beforeApply()).isNull();
		assertThat(plan.decideRefund(1100 * MS).beforeApply()).isEqualTo(FaultKind.OUTAGE);
		assertThat(plan.decideQuery(1199 * MS).beforeApply()).isEqualTo(FaultKind.OUTAGE);
		assertThat(plan.decideRefund(1200 * MS).beforeApply()).isNull();
	}

	@Test
	void aQueryMeetsOnlyLatencyAndOutages() {
		// given every refund fault certain
		FaultPlan plan = new FaultPlan(
				SandboxFaults.builder().latency(5, 0).errorBeforeApply(1).dropAfterApply(1).build(), 0);

		// when
		FaultDecision decision = plan.decideQuery(0);

		// then
		assertThat(decision.latencyMs()).isEqualTo(5);
		assertThat(decision.beforeApply()).isNull();
		assertThat(decision.afterApply()).isNull();
	}

	@Test
	void probabilitiesThatCannotAllHappenAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SandboxFaults.builder().tooManyRequests(0.6).errorBeforeApply(0.6).build());
		assertThatIllegalArgumentException().isThrownBy(() -> SandboxFaults.builder().dropAfterApply(1.5).build());
		assertThatIllegalArgumentException().isThrownBy(() -> SandboxFaults.builder().outageWindow(200, 100));
	}

	private static List<String> decisions(FaultPlan plan) {
		List<String> decisions = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			FaultDecision decision = plan.decideRefund(i * MS);
			decisions.add(decision.latencyMs() + " " + decision.beforeApply() + " " + decision.afterApply() + " "
					+ decision.errorStatus());
		}
		return decisions;
	}

}
