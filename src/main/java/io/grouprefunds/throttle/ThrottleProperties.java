package io.grouprefunds.throttle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The throttle of every provider account ({@code refunds.throttle.*}): the settings common to all accounts, and each
 * provider's own under {@code refunds.throttle.<provider>.*}. A setting left out is null here: {@link Throttles}
 * resolves it (the provider's own, then the common one, then the older {@code refunds.submit.*} name, then the
 * default), so that "not set" and "set to the default" stay apart.
 *
 * <p>The providers' own settings are one component per provider rather than a bound map: Spring Boot binds a map
 * only under a name of its own, and {@code refunds.throttle.<provider>.rate-per-second} sits beside the common
 * {@code refunds.throttle.rate-per-second}. {@link #accounts()} is the map.
 *
 * @param ratePerSecond the rate the provider allows; 0 switches the throttle off, quotas included (sandbox, tests)
 * @param headroom the fraction of the rate left unused, in [0, 0.5)
 * @param maxInFlight requests outstanding at once per account
 * @param quotas sliding windows written {@code COUNT/PERIOD}, e.g. {@code 200/1m}; empty for none
 * @param rapyd {@code refunds.throttle.rapyd.*}
 * @param issuer {@code refunds.throttle.issuer.*}
 */
@ConfigurationProperties("refunds.throttle")
@Validated
public record ThrottleProperties(@PositiveOrZero Double ratePerSecond,
		@DecimalMin("0") @DecimalMax(value = "0.5", inclusive = false) Double headroom, @Min(1) Integer maxInFlight,
		List<@Pattern(regexp = QUOTA, message = QUOTA_RULE) String> quotas, @Valid AccountLimits rapyd,
		@Valid AccountLimits issuer) {

	/** {@code COUNT/PERIOD} with a period as Spring writes durations ({@code 300s}, {@code 5m}, {@code PT5M}). */
	static final String QUOTA = "\\s*([1-9][0-9]*\\s*/\\s*([0-9]+[a-zA-Z]{0,2}|[pP]\\S+)\\s*)?";

	static final String QUOTA_RULE = "must be written COUNT/PERIOD, e.g. 1000/5m";

	/** Nothing set: every account gets the defaults. */
	public static ThrottleProperties none() {
		return new ThrottleProperties(null, null, null, null, null, null);
	}

	/**
	 * These settings with the older names' values ({@code refunds.submit.rate-per-second}, {@code .max-in-flight})
	 * standing in for common settings that are not set.
	 */
	public ThrottleProperties withOlderNames(Double olderRatePerSecond, Integer olderMaxInFlight) {
		return new ThrottleProperties(ratePerSecond != null ? ratePerSecond : olderRatePerSecond, headroom,
				maxInFlight != null ? maxInFlight : olderMaxInFlight, quotas, rapyd, issuer);
	}

	/** The common settings, as one account's. */
	public AccountLimits common() {
		return new AccountLimits(ratePerSecond, headroom, maxInFlight, quotas);
	}

	/** Each provider's own settings, by provider name; a provider with none set is left out. */
	public Map<String, AccountLimits> accounts() {
		Map<String, AccountLimits> accounts = new LinkedHashMap<>();
		if (rapyd != null) {
			accounts.put("rapyd", rapyd);
		}
		if (issuer != null) {
			accounts.put("issuer", issuer);
		}
		return accounts;
	}

	/**
	 * One account's settings, any of them unset (null).
	 *
	 * @param ratePerSecond as {@link ThrottleProperties#ratePerSecond()}
	 * @param headroom as {@link ThrottleProperties#headroom()}
	 * @param maxInFlight as {@link ThrottleProperties#maxInFlight()}
	 * @param quotas as {@link ThrottleProperties#quotas()}
	 */
	public record AccountLimits(@PositiveOrZero Double ratePerSecond,
			@DecimalMin("0") @DecimalMax(value = "0.5", inclusive = false) Double headroom, @Min(1) Integer maxInFlight,
			List<@Pattern(regexp = QUOTA, message = QUOTA_RULE) String> quotas) {

		static final AccountLimits NONE = new AccountLimits(null, null, null, null);

		/** Each setting this account leaves unset taken from {@code other}. */
		AccountLimits orElse(AccountLimits other) {
			return new AccountLimits(ratePerSecond != null ? ratePerSecond : other.ratePerSecond,
					headroom != null ? headroom : other.headroom, maxInFlight != null ? maxInFlight : other.maxInFlight,
					quotas != null ? quotas : other.quotas);
		}

	}

}
