package io.grouprefunds.sandbox.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The sandbox's latency: fixed plus uniform jitter, or log-normal with a median and a 99th percentile. */
class LatencyDistributionTest {

	@Test
	void aLogNormalLatencyHasTheConfiguredMedianAndTail() {
		// given a median of 50 ms and a 99th percentile of 400 ms
		FaultPlan plan = new FaultPlan(SandboxFaults.builder().latencyLogNormal(50, 400).seed(3).build(), 0);

		// when 20,000 requests draw their latency
		long[] drawn = new long[20_000];
		for (int i = 0; i < drawn.length; i++) {
			drawn[i] = plan.decideRefund(i).latencyMs();
		}
		Arrays.sort(drawn);

		// then
		assertThat(drawn[drawn.length / 2]).isBetween(45L, 55L);
		assertThat(drawn[drawn.length * 99 / 100]).isBetween(340L, 470L);
		assertThat(drawn[0]).isGreaterThanOrEqualTo(0);
		assertThat(drawn[drawn.length - 1]).isLessThanOrEqualTo(4000);
	}

	@Test
	void aFixedLatencyWithJitterStaysWithinItsRange() {
		// given
		FaultPlan plan = new FaultPlan(SandboxFaults.builder().latency(50, 10).seed(3).build(), 0);

		// when / then
		for (int i = 0; i < 1000; i++) {
			assertThat(plan.decideRefund(i).latencyMs()).isBetween(50L, 60L);
		}
	}

	@Test
	void aTailBelowTheMedianIsRefused() {
		// when / then
		assertThatIllegalArgumentException().isThrownBy(() -> SandboxFaults.builder().latencyLogNormal(50, 20).build());
	}

}
