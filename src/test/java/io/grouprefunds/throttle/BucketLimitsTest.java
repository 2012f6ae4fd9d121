package io.grouprefunds.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.grouprefunds.throttle.ThrottleLimits.Quota;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The shared bucket's shape (no burst, quotas never exceeded in their window) and the stricter-wins rule. */
class BucketLimitsTest {

	private static final ThrottleLimits RAPYD = new ThrottleLimits(3.3, 0.02, 16,
			List.of(new Quota(200, Duration.ofMinutes(1)), new Quota(1000, Duration.ofMinutes(5))));

	@Test
	void theRateIsOneTokenAtATimeSoSlotsAreOneIntervalApart() {
		Bandwidth rate = bandwidth(BucketLimits.of(RAPYD), BucketLimits.RATE);

		assertThat(rate.getCapacity()).isEqualTo(1);
		assertThat(rate.getRefillTokens()).isEqualTo(1);
		assertThat(rate.getRefillPeriodNanos()).isEqualTo((long) Math.ceil(1e9 / RAPYD.pacedRate()));
	}

	@Property
	void noQuotaWindowEverHoldsMoreThanItsLimit(@ForAll @DoubleRange(min = 0.1, max = 500) double rate,
			@ForAll @IntRange(min = 1, max = 5000) int limit, @ForAll @IntRange(min = 1, max = 600) int seconds,
			@ForAll @DoubleRange(min = 0, max = 0.4) double headroom) {
		// given a quota on top of the rate
		Quota quota = new Quota(limit, Duration.ofSeconds(seconds));
		BucketConfiguration bucket = BucketLimits.of(new ThrottleLimits(rate, headroom, 1, List.of(quota)));

		// then its bandwidth lets through at most capacity + refill in any window of its period: the limit
		Bandwidth window = Arrays.stream(bucket.getBandwidths())
			.filter(bandwidth -> !bandwidth.getId().equals(BucketLimits.RATE))
			.findFirst()
			.orElseThrow();
		double mostInOneWindow = window.getCapacity()
				+ (double) window.getRefillTokens() * quota.period().toNanos() / window.getRefillPeriodNanos();
		assertThat(Math.floor(mostInOneWindow)).isLessThanOrEqualTo(limit);
		// and the quota is not given away either: the bucket sustains more than 90% of it (or of the rate)
		double sustained = (double) window.getRefillTokens() * quota.period().toNanos() / window.getRefillPeriodNanos();
		assertThat(limit == 1 || sustained >= Math.min(0.9 * limit, limit - 2 * rate - 1) / (1 + headroom))
			.as("sustained %s of %s", sustained, limit)
			.isTrue();
	}

	@Test
	void rapydsQuotasKeepACapacityOfTwoSecondsAtTheRate() {
		BucketConfiguration bucket = BucketLimits.of(RAPYD);

		assertThat(bucket.getBandwidths()).hasSize(3);
		assertThat(Arrays.stream(bucket.getBandwidths()).skip(1).mapToLong(Bandwidth::getCapacity)).containsOnly(7L);
		assertThat(BucketLimits.describe(bucket)).startsWith("3.234/s, quota 1000/5m").contains("quota 200/1m");
	}

	@Test
	void theStricterOfTwoHasTheSlowerRateAndEveryQuota() {
		// given one process at 20/s with 300 a minute, another at 5/s with 1000 in five minutes
		BucketConfiguration fast = BucketLimits
			.of(new ThrottleLimits(20, 0, 1, List.of(new Quota(300, Duration.ofMinutes(1)))));
		BucketConfiguration slow = BucketLimits
			.of(new ThrottleLimits(5, 0, 1, List.of(new Quota(1000, Duration.ofMinutes(5)))));

		// when
		BucketConfiguration stricter = BucketLimits.stricter(fast, slow);

		// then 5/s, and both quotas, whichever way round
		assertThat(bandwidth(stricter, BucketLimits.RATE).getRefillPeriodNanos()).isEqualTo(200_000_000L);
		assertThat(stricter.getBandwidths()).hasSize(3);
		assertThat(BucketLimits.same(stricter, BucketLimits.stricter(slow, fast))).isTrue();
		assertThat(BucketLimits.same(BucketLimits.stricter(stricter, slow), stricter)).isTrue();
		assertThat(BucketLimits.same(stricter, fast)).isFalse();
		// and a pause is paid at the fastest refill: 5 tokens a second
		assertThat(BucketLimits.fastestRate(stricter)).isEqualTo(5.0);
	}

	@Test
	void theSameSettingsAreNotStricter() {
		assertThat(BucketLimits.same(BucketLimits.stricter(BucketLimits.of(RAPYD), BucketLimits.of(RAPYD)),
				BucketLimits.of(RAPYD))).isTrue();
	}

	@Test
	void aSharedSlotMayBeLateByWhatKeepsEverySecondWithinTheSchedule() {
		// Rapyd's 3.23/s: slots 309 ms apart, at most 4 in a second as long as each is less than 236 ms late; half of
		// that is for the slot, half for the way to the provider
		long rapyd = (long) Math.ceil(1e9 / RAPYD.pacedRate());
		assertThat(Throttle.sharedLateness(rapyd, 0.02)).isEqualTo((4 * rapyd - 1_001_000_000L) / 2);
		assertThat(Math.floor((1 + 2 * Throttle.sharedLateness(rapyd, 0.02) / 1e9) * RAPYD.pacedRate()) + 1)
			.isLessThanOrEqualTo(4);
		assertThat(Math.floor((1 + Throttle.sharedLateness(rapyd, 0.02) / 1e9) * RAPYD.pacedRate()) + 1)
			.isLessThanOrEqualTo(4);
		// 19.6/s: half the headroom's 20 ms; 15/s with a headroom of 25%: 125 ms
		assertThat(Throttle.sharedLateness((long) Math.ceil(1e9 / 19.6), 0.02)).isEqualTo(10_000_000L);
		assertThat(Throttle.sharedLateness((long) Math.ceil(1e9 / 15), 0.25)).isEqualTo(125_000_000L);
	}

	@Test
	void theAccountKeyHidesTheIdentity() {
		assertThat(SharedLimits.key("rapyd", "rak_secretish")).matches("rapyd:[0-9a-f]{16}")
			.doesNotContain("rak_secretish")
			.isEqualTo(SharedLimits.key("rapyd", "rak_secretish"))
			.isNotEqualTo(SharedLimits.key("rapyd", "rak_other"));
	}

	private static Bandwidth bandwidth(BucketConfiguration configuration, String id) {
		return Arrays.stream(configuration.getBandwidths())
			.filter(bandwidth -> bandwidth.getId().equals(id))
			.findFirst()
			.orElseThrow();
	}

}
