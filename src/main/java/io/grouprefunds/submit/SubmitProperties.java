package io.grouprefunds.submit;

import io.grouprefunds.throttle.Backoff;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the submit step sends ({@code refunds.submit.*}). The throttle of each provider account is set under
 * {@code refunds.throttle.*} (see {@link Throttles}).
 *
 * @param chunkSize rows claimed and recorded together (one claim and one record transaction per chunk); the send
 * pipeline runs across chunk boundaries, so this is a database setting, not a speed limit
 * @param maxInFlight older name of {@code refunds.throttle.max-in-flight}, which wins when set
 * @param ratePerSecond older name of {@code refunds.throttle.rate-per-second}, which wins when set
 * @param maxRetries tries after the first for a row whose answer proves it was not processed (connection refused, or
 * a 5xx that reconciliation shows was not applied); then the row ends RETRYABLE. 429s do not count.
 * @param initialBackoff the first wait after a refused connection, or a 429 without Retry-After; doubled each time
 * @param maxBackoff the longest such wait
 * @param maxRetryAfter the longest Retry-After honoured as sent (a WAF that blocks for five minutes says so)
 * @param maxRateLimitedWait how long one row may keep meeting 429s before it is left RETRYABLE for a re-run
 */
@ConfigurationProperties("refunds.submit")
public record SubmitProperties(@DefaultValue("100") int chunkSize, @DefaultValue("16") int maxInFlight,
		@DefaultValue("3.3") double ratePerSecond, @DefaultValue("5") int maxRetries,
		@DefaultValue("1s") Duration initialBackoff, @DefaultValue("60s") Duration maxBackoff,
		@DefaultValue("10m") Duration maxRetryAfter, @DefaultValue("15m") Duration maxRateLimitedWait) {

	public Backoff backoff() {
		return new Backoff(initialBackoff, maxBackoff);
	}

}
