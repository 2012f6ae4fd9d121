package io.grouprefunds.provider.rapyd;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Rapyd account settings ({@code refunds.rapyd.*}; environment: {@code REFUNDS_RAPYD_ACCESS_KEY}, …).
 *
 * @param baseUrl scheme, host and port only: the signed path starts at {@code /v1}
 * @param idempotencyEnforced the operator declares that Rapyd support switched on idempotency checks for every
 * POST of this account; only then may a maybe-sent row be resent with its key without reconciling first
 * @param preflight before anything is sent, read each group once and reject the rows that cannot succeed (another
 * currency, a group payment not closed, more than is still refundable); costs one query per distinct group
 */
@ConfigurationProperties("refunds.rapyd")
@Validated
public record RapydProperties(@DefaultValue("https://sandboxapi.rapyd.net") @NotBlank String baseUrl, String accessKey,
		String secretKey, @DefaultValue("false") boolean idempotencyEnforced,
		@DefaultValue("5s") @DurationMin(millis = 1, message = "must be longer than 0") Duration connectTimeout,
		@DefaultValue("30s") @DurationMin(millis = 1, message = "must be longer than 0") Duration responseTimeout,
		@DefaultValue("false") boolean preflight) {

	/** Keys stay out of logs and exception messages, including this record's own string form. */
	@Override
	public String toString() {
		return "RapydProperties[baseUrl=" + baseUrl + ", accessKey=" + mask(accessKey) + ", secretKey="
				+ mask(secretKey) + ", idempotencyEnforced=" + idempotencyEnforced + ", preflight=" + preflight + "]";
	}

	private static String mask(String value) {
		return (value == null || value.isBlank()) ? "<unset>" : "****";
	}

}
