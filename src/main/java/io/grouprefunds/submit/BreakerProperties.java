package io.grouprefunds.submit;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the breaker judges a provider ({@code refunds.breaker.*}).
 *
 * @param window the number of most recent calls judged
 * @param minimumCalls calls needed in the window before it may open
 * @param failureRate the share of failed calls in the window that opens it, in (0, 1]
 * @param probeInterval how long to wait, once open, before each probe
 * @param giveUpAfter how long the provider may stay down before the step stops; zero stops at the first failed
 * probe
 */
@ConfigurationProperties("refunds.breaker")
@Validated
public record BreakerProperties(@DefaultValue("20") @Min(1) int window, @DefaultValue("10") @Min(1) int minimumCalls,
		@DefaultValue("0.5") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double failureRate,
		@DefaultValue("10s") @DurationMin(millis = 1, message = "must be longer than 0") Duration probeInterval,
		@DefaultValue("5m") @DurationMin(millis = 0, message = "must not be negative") Duration giveUpAfter) {

	/** Across two settings, so checked here rather than on one of them. */
	@AssertTrue(message = "must not be more than refunds.breaker.window")
	boolean isMinimumCalls() {
		return minimumCalls <= window;
	}

}
