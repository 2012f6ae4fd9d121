package io.grouprefunds.submit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the night ends ({@code --stop-at HH:MM}, {@code refunds.submit.stop-at}): a time of day in the host's time
 * zone, resolved once, when the command starts, to the next moment the clock shows it. A time already past today
 * means tomorrow: a run started at 23:00 with {@code 06:00} stops at 06:00 the next morning. Resolved with
 * {@link ZonedDateTime}, so a night that changes the clocks lasts what it really lasts, and a time that does not
 * exist that day (skipped by the spring change) is the first moment after the gap.
 *
 * @param at the time of day as written
 * @param deadline the moment it stands for
 */
public record StopTime(LocalTime at, ZonedDateTime deadline) {

	/**
	 * How it is written: a time of day {@code 06:00} (or {@code 6:00}), 00:00 to 23:59; or a date and time
	 * {@code 2026-12-05T06:00}, which the nightly wrapper passes so that a run it starts a few seconds before the time
	 * cannot take it for tomorrow's.
	 */
	public static final String PATTERN = "([0-9]{4}-[0-9]{2}-[0-9]{2}T)?([01]?[0-9]|2[0-3]):[0-5][0-9]";

	/** The rule, for messages: what a wrong value is told. */
	public static final String RULE = "must be a time of day written HH:MM (00:00 to 23:59), or YYYY-MM-DDTHH:MM, "
			+ "in the host's time zone";

	private static final Pattern WRITTEN = Pattern.compile("\\s*(" + PATTERN + ")\\s*");

	private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

	/**
	 * The stop time {@code text} names, seen from {@code now}: empty when it is blank, an
	 * {@link IllegalArgumentException} saying the rule when it is not written as one.
	 */
	public static Optional<StopTime> resolve(String text, Instant now, ZoneId zone) {
		if (text == null || text.isBlank()) {
			return Optional.empty();
		}
		Matcher matcher = WRITTEN.matcher(text);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("'" + text + "' " + RULE);
		}
		String written = matcher.group(1);
		int t = written.indexOf('T');
		String[] parts = written.substring(t + 1).split(":");
		LocalTime at = LocalTime.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
		if (t < 0) {
			return Optional.of(next(at, now, zone));
		}
		try {
			return Optional.of(new StopTime(at, ZonedDateTime.of(LocalDate.parse(written.substring(0, t)), at, zone)));
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("'" + text + "' " + RULE + ": " + ex.getMessage());
		}
	}

	/** The first moment after {@code now} when the clocks of {@code zone} show {@code at}. */
	public static StopTime next(LocalTime at, Instant now, ZoneId zone) {
		ZonedDateTime start = now.atZone(zone);
		ZonedDateTime today = ZonedDateTime.of(start.toLocalDate(), at, zone);
		ZonedDateTime deadline = today.isAfter(start) ? today
				: ZonedDateTime.of(start.toLocalDate().plusDays(1), at, zone);
		return new StopTime(at, deadline);
	}

	/** Whether the stop time has come at {@code now}. */
	public boolean reachedAt(Instant now) {
		return !now.isBefore(deadline.toInstant());
	}

	/** As the operator wrote it: {@code 06:00}. */
	@Override
	public String toString() {
		return HH_MM.format(at);
	}

}
