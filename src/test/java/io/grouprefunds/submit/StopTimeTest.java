package io.grouprefunds.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --stop-at HH:MM}: how it is written, and the moment it stands for, across midnight and clock changes. */
class StopTimeTest {

	private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

	@Test
	void aTimeLaterTodayIsToday() {
		// given a run started at 01:30 with --stop-at 06:00
		Instant start = ZonedDateTime.of(2026, 12, 4, 1, 30, 0, 0, PARIS).toInstant();

		// when
		StopTime stop = StopTime.next(LocalTime.of(6, 0), start, PARIS);

		// then
		assertThat(stop.deadline()).isEqualTo(ZonedDateTime.of(2026, 12, 4, 6, 0, 0, 0, PARIS));
		assertThat(Duration.between(start, stop.deadline().toInstant())).isEqualTo(Duration.ofMinutes(270));
		assertThat(stop).hasToString("06:00");
	}

	@Test
	void aTimeAlreadyPastTodayIsTomorrow() {
		// given a run started at 23:00 with --stop-at 06:00
		Instant start = ZonedDateTime.of(2026, 12, 4, 23, 0, 0, 0, PARIS).toInstant();

		// when
		StopTime stop = StopTime.next(LocalTime.of(6, 0), start, PARIS);

		// then
		assertThat(stop.deadline()).isEqualTo(ZonedDateTime.of(2026, 12, 5, 6, 0, 0, 0, PARIS));
		assertThat(stop.reachedAt(start)).isFalse();
		assertThat(stop.reachedAt(stop.deadline().toInstant().minusMillis(1))).isFalse();
		assertThat(stop.reachedAt(stop.deadline().toInstant())).isTrue();
	}

	@Test
	void theVeryMinuteItStartsIsTomorrow() {
		// given a run started at 06:00:00.000 sharp with --stop-at 06:00
		Instant start = ZonedDateTime.of(2026, 12, 4, 6, 0, 0, 0, PARIS).toInstant();

		// when
		StopTime stop = StopTime.next(LocalTime.of(6, 0), start, PARIS);

		// then: it does not stop at once, it is the next 06:00
		assertThat(stop.deadline().toLocalDate()).hasToString("2026-12-05");
	}

	@Test
	void aNightWhenTheClocksGoBackLastsAnHourLonger() {
		// given 23:00 on 24 October 2026, the night Paris goes from +02:00 to +01:00 at 03:00
		Instant start = ZonedDateTime.of(2026, 10, 24, 23, 0, 0, 0, PARIS).toInstant();

		// when
		StopTime stop = StopTime.next(LocalTime.of(6, 0), start, PARIS);

		// then 06:00 on the clock is 8 hours away, not 7
		assertThat(stop.deadline().toLocalDateTime()).isEqualTo(LocalDateTime.of(2026, 10, 25, 6, 0));
		assertThat(Duration.between(start, stop.deadline().toInstant())).isEqualTo(Duration.ofHours(8));
	}

	@Test
	void aNightWhenTheClocksGoForwardLastsAnHourShorter() {
		// given 23:00 on 28 March 2026, the night Paris goes from +01:00 to +02:00 at 02:00
		Instant start = ZonedDateTime.of(2026, 3, 28, 23, 0, 0, 0, PARIS).toInstant();

		// when
		StopTime stop = StopTime.next(LocalTime.of(6, 0), start, PARIS);

		// then
		assertThat(Duration.between(start, stop.deadline().toInstant())).isEqualTo(Duration.ofHours(6));
	}

	@Test
	void aTimeTheSpringChangeSkipsIsTheFirstMomentAfterTheGap() {
		// given --stop-at 02:30 on the night 02:00-03:00 does not exist in Paris
		Instant start = ZonedDateTime.of(2026, 3, 28, 23, 0, 0, 0, PARIS).toInstant();

		// when
		StopTime stop = StopTime.next(LocalTime.of(2, 30), start, PARIS);

		// then 03:30 summer time, the same instant as 02:30 winter time would have been
		assertThat(stop.deadline().toLocalDateTime()).isEqualTo(LocalDateTime.of(2026, 3, 29, 3, 30));
		assertThat(Duration.between(start, stop.deadline().toInstant())).isEqualTo(Duration.ofMinutes(210));
	}

	@Test
	void isWrittenHoursColonMinutes() {
		Instant now = ZonedDateTime.of(2026, 12, 4, 1, 0, 0, 0, PARIS).toInstant();
		assertThat(StopTime.resolve("06:00", now, PARIS).map(StopTime::at)).contains(LocalTime.of(6, 0));
		assertThat(StopTime.resolve("6:00", now, PARIS).map(StopTime::at)).contains(LocalTime.of(6, 0));
		assertThat(StopTime.resolve(" 23:59 ", now, PARIS).map(StopTime::at)).contains(LocalTime.of(23, 59));
		assertThat(StopTime.resolve("00:00", now, PARIS).map(StopTime::at)).contains(LocalTime.MIDNIGHT);
		assertThat(StopTime.resolve("", now, PARIS)).isEmpty();
		assertThat(StopTime.resolve(null, now, PARIS)).isEmpty();
	}

	@Test
	void aDateAndTimeIsThatMomentEvenWhenItIsPast() {
		// given the nightly wrapper's form, resolved a few seconds after it
		Instant now = ZonedDateTime.of(2026, 12, 5, 6, 0, 5, 0, PARIS).toInstant();

		// when
		StopTime stop = StopTime.resolve("2026-12-05T06:00", now, PARIS).orElseThrow();

		// then today's 06:00, already reached: not tomorrow's
		assertThat(stop.deadline()).isEqualTo(ZonedDateTime.of(2026, 12, 5, 6, 0, 0, 0, PARIS));
		assertThat(stop.reachedAt(now)).isTrue();
		assertThat(stop).hasToString("06:00");
	}

	@ParameterizedTest
	@ValueSource(strings = { "24:00", "6", "06:60", "06h00", "6am", "06:00:00", "-1:00", "tomorrow",
			"2026-12-05 06:00", "05/12/2026T06:00" })
	void anythingElseIsRefusedWithTheRule(String written) {
		assertThatThrownBy(() -> StopTime.resolve(written, Instant.now(), PARIS))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("'" + written + "' must be a time of day written HH:MM (00:00 to 23:59), or YYYY-MM-DDTHH:MM, "
					+ "in the host's time zone");
	}

	@Test
	void aDateThatDoesNotExistIsRefused() {
		assertThatThrownBy(() -> StopTime.resolve("2026-02-30T06:00", Instant.now(), PARIS))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageStartingWith("'2026-02-30T06:00' must be a time of day written HH:MM");
	}

}
