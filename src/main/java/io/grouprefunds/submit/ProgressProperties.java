package io.grouprefunds.submit;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The submit step's progress line ({@code refunds.progress.*}).
 *
 * @param interval how often the line is logged
 */
@ConfigurationProperties("refunds.progress")
@Validated
public record ProgressProperties(
		@DefaultValue("5s") @DurationMin(millis = 1, message = "must be longer than 0") Duration interval) {
}
