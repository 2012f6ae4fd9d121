package io.grouprefunds.submit;

import io.grouprefunds.throttle.Backoff;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the submit step sends ({@code refunds.submit.*}). The throttle of each provider account is set under
 * {@code refunds.throttle.*} (see {@link io.grouprefunds.throttle.Throttles}).
 *
 * @param chunkSize rows claimed and recorded together (one claim and one record transaction per chunk); the send
 * pipeline runs across chunk boundaries, so this is a database setting, not a speed limit
 * @param maxInFlight older name of {@code refunds.throttle.max-in-flight}, which wins when set; null when not set
 * @param ratePerSecond older name of {@code refunds.throttle.rate-per-second}, which wins when set; null when not set
 * @param maxRetries tries after the first for a row whose answer proves it was not processed (connection refused, or
 * a 5xx that reconciliation shows was not applied); then the row ends RETRYABLE. 429s do not count.
 * @param initialBackoff the first wait after a refused connection, or a 429 without Retry-After; doubled each time
 * @param maxBackoff the longest such wait
 * @param maxRetryAfter the longest Retry-After honoured as sent (a WAF that blocks for five minutes says so)
 * @param maxRateLimitedWait how long one row may keep meeting 429s before it is left RETRYABLE for a re-run
 * @param stopAt {@code HH:MM} in the host's time zone, or blank: when a run, restart or re-run stops sending, as on
 * SIGTERM (exit 5, restartable); a time already past when the command starts means tomorrow ({@link StopTime})
 */
@ConfigurationProperties("refunds.submit")
@Validated
public record SubmitProperties(@DefaultValue("100") @Min(1) int chunkSize, @Min(1) Integer maxInFlight,
		@PositiveOrZero Double ratePerSecond, @DefaultValue("5") @Min(0) int maxRetries,
		@DefaultValue("1s") @DurationMin(millis = 0, message = NOT_NEGATIVE) Duration initialBackoff,
		@DefaultValue("60s") @DurationMin(millis = 1, message = POSITIVE) Duration maxBackoff,
		@DefaultValue("10m") @DurationMin(millis = 0, message = NOT_NEGATIVE) Duration maxRetryAfter,
		@DefaultValue("15m") @DurationMin(millis = 0, message = NOT_NEGATIVE) Duration maxRateLimitedWait,
		@Pattern(regexp = "\\s*(" + StopTime.PATTERN + ")?\\s*", message = StopTime.RULE) String stopAt) {

	static final String NOT_NEGATIVE = "must not be negative";

	static final String POSITIVE = "must be longer than 0";

	/** Checked here rather than by {@link Backoff} at first use, so that a bad pair stops the run at startup. */
	@AssertTrue(message = "must not be shorter than refunds.submit.initial-backoff")
	boolean isMaxBackoff() {
		return initialBackoff == null || maxBackoff == null || maxBackoff.compareTo(initialBackoff) >= 0;
	}

	public Backoff backoff() {
		return new Backoff(initialBackoff, maxBackoff);
	}

}
