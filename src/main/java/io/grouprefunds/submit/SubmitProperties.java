package io.grouprefunds.submit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the submit step sends ({@code refunds.submit.*}).
 *
 * @param chunkSize rows claimed, sent and recorded together (one claim and one record transaction per chunk)
 * @param maxInFlight requests outstanding at once, across the chunk
 * @param ratePerSecond smooth request rate per provider account; the default 3/s stays under Rapyd's 200 a minute
 * and 1000 in five minutes
 * @param maxRetries tries after the first for answers that prove the refund was not processed (429, connection
 * refused); then the row ends RETRYABLE
 */
@ConfigurationProperties("refunds.submit")
public record SubmitProperties(@DefaultValue("100") int chunkSize, @DefaultValue("8") int maxInFlight,
		@DefaultValue("3") double ratePerSecond, @DefaultValue("5") int maxRetries,
		@DefaultValue("1s") Duration initialBackoff, @DefaultValue("60s") Duration maxBackoff) {
}
