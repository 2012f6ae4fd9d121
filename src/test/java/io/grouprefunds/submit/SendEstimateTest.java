package io.grouprefunds.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;

import io.grouprefunds.throttle.ThrottleLimits;
import org.junit.jupiter.api.Test;

/** The start-of-sending estimate: the account's long-run rate, the time it takes, and what a stop time leaves. */
class SendEstimateTest {

	private static final Instant FIVE_AM = Instant.parse("2026-12-04T05:00:00Z");

	private static final StopTime SIX = StopTime.next(LocalTime.of(6, 0), FIVE_AM, ZoneOffset.UTC);

	@Test
	void theRateIsThePacedRateWhenTheQuotasAllowMore() {
		// given Rapyd's defaults: 3.3/s with 2% headroom; 200/1m and 1000/5m allow 3.33/s less the same headroom
		ThrottleLimits rapyd = new ThrottleLimits(3.3, 0.02, 16, ThrottleLimits.parseQuotas(List.of("200/1m",
				"1000/5m")));

		// then
		assertThat(SendEstimate.rowsPerSecond(rapyd)).isCloseTo(3.234, within(1e-9));
		assertThat(SendEstimate.rate(SendEstimate.rowsPerSecond(rapyd))).isEqualTo("3.23");
		assertThat(SendEstimate.describe(12_000, rapyd, FIVE_AM, null))
			.isEqualTo("12,000 rows at 3.23/s: about 1 h 02 min");
	}

	@Test
	void aQuotaStricterThanTheRateSetsTheRate() {
		// given 10/s, no headroom, but at most 1000 in 5 minutes
		ThrottleLimits limits = new ThrottleLimits(10, 0, 16, ThrottleLimits.parseQuotas(List.of("1000/5m")));

		// when
		String line = SendEstimate.describe(12_000, limits, FIVE_AM, null);

		// then 3.33/s, not 10/s: 3,600 s
		assertThat(SendEstimate.rowsPerSecond(limits)).isCloseTo(1000 / 300.0, within(1e-9));
		assertThat(line).isEqualTo("12,000 rows at 3.33/s: about 1 h 00 min");
	}

	@Test
	void theQuotasWindowsGetTheHeadroomToo() {
		// given 100/s with 2% headroom and 60 a minute: the window counts as 61.2 s
		ThrottleLimits limits = new ThrottleLimits(100, 0.02, 16, ThrottleLimits.parseQuotas(List.of("60/1m")));

		// then
		assertThat(SendEstimate.rowsPerSecond(limits)).isCloseTo(60 / 61.2, within(1e-9));
	}

	@Test
	void withAStopTimeThatComesFirstItSaysHowManyAreLeft() {
		// given 12,000 rows at 3.3/s from 05:00 and a stop at 06:00: 11,880 sent by then
		String line = SendEstimate.describe(12_000, 3.3, Duration.ofHours(1), SIX);

		// then 120 left, of 1 h 01 min
		assertThat(line).isEqualTo("12,000 rows at 3.3/s: about 1 h 01 min; stops at 06:00 with about 120 left");
	}

	@Test
	void theRowsLeftAreRoundedToTwoFiguresWithGroupingSeparators() {
		// given 12,000 rows at 3.3/s and 40 minutes before the stop: 7,920 sent, 4,080 left
		String line = SendEstimate.describe(12_000, 3.3, Duration.ofMinutes(40), SIX);

		// then
		assertThat(line).isEqualTo("12,000 rows at 3.3/s: about 1 h 01 min; stops at 06:00 with about 4,100 left");
	}

	@Test
	void aFileThatFitsIsDoneBeforeTheStopTime() {
		assertThat(SendEstimate.describe(500, 3.3, Duration.ofHours(1), SIX))
			.isEqualTo("500 rows at 3.3/s: about 3 min; done before the stop time 06:00");
	}

	@Test
	void underAMinute() {
		assertThat(SendEstimate.describe(26, 3.3, null, null)).isEqualTo("26 rows at 3.3/s: under a minute");
		assertThat(SendEstimate.describe(1, 3.3, null, null)).isEqualTo("1 row at 3.3/s: under a minute");
	}

	@Test
	void overADayInDaysAndHours() {
		// given 1,000,000 rows at 3.3/s: 303,030 s, 84.2 h
		String line = SendEstimate.describe(1_000_000, 3.3, Duration.ofHours(9), SIX);

		// then 9 h at 3.3/s send 106,920: 893,080 left
		assertThat(line).isEqualTo("1,000,000 rows at 3.3/s: about 3 d 12 h; stops at 06:00 with about 890,000 left");
	}

	@Test
	void minutesAreRoundedAndPaddedInHours() {
		assertThat(SendEstimate.duration(59.9)).isEqualTo("under a minute");
		assertThat(SendEstimate.duration(60)).isEqualTo("about 1 min");
		assertThat(SendEstimate.duration(89)).isEqualTo("about 1 min");
		assertThat(SendEstimate.duration(3569)).isEqualTo("about 59 min");
		assertThat(SendEstimate.duration(3570)).isEqualTo("about 1 h 00 min");
		assertThat(SendEstimate.duration(3636)).isEqualTo("about 1 h 01 min");
		assertThat(SendEstimate.duration(86_369)).isEqualTo("about 23 h 59 min");
		assertThat(SendEstimate.duration(86_400)).isEqualTo("about 1 d 00 h");
	}

	@Test
	void unthrottledItSaysSoAndGivesNoTime() {
		ThrottleLimits off = new ThrottleLimits(0, 0.02, 16, List.of());
		assertThat(SendEstimate.describe(50_000, off, FIVE_AM, null))
			.isEqualTo("50,000 rows, unthrottled: no estimate of the time");
		assertThat(SendEstimate.describe(50_000, off, FIVE_AM, SIX))
			.isEqualTo("50,000 rows, unthrottled: no estimate of the time; stops at 06:00 at the latest");
	}

	@Test
	void aStopTimeAlreadyReachedSendsNothing() {
		assertThat(SendEstimate.describe(300, 3.3, Duration.ZERO, SIX))
			.isEqualTo("300 rows at 3.3/s: about 2 min; the stop time 06:00 is reached: nothing more is sent");
	}

	@Test
	void roughCountsKeepTwoFigures() {
		assertThat(SendEstimate.roughly(7)).isEqualTo(7);
		assertThat(SendEstimate.roughly(99)).isEqualTo(99);
		assertThat(SendEstimate.roughly(123)).isEqualTo(120);
		assertThat(SendEstimate.roughly(4_137)).isEqualTo(4_100);
		assertThat(SendEstimate.roughly(4_150)).isEqualTo(4_200);
		assertThat(SendEstimate.roughly(-3)).isZero();
	}

}
