package io.grouprefunds.job;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.grouprefunds.domain.Money;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Dual control ({@code refunds.approval.*}): a batch whose valid total in a currency is above that currency's
 * threshold is validated and recorded, then waits for {@code approve} by another database login before anything is
 * sent (exit 9).
 *
 * @param above per ISO 4217 code, in any case ({@code REFUNDS_APPROVAL_ABOVE_USD=500} binds as {@code usd}), the
 * total above which a batch needs a second person; a positive amount with at most the currency's decimals. A currency
 * not listed needs no approval
 * @param allowSelfApproval trial only (the embedded database has one login): the submitter may approve their own
 * batch. Never in production: it turns dual control off
 */
@ConfigurationProperties("refunds.approval")
@Validated
public record ApprovalProperties(Map<String, BigDecimal> above, @DefaultValue("false") boolean allowSelfApproval) {

	private static final String PREFIX = "refunds.approval.above.";

	/** Keys uppercased and checked, amounts at the currency's scale; a wrong one names its setting. */
	@ConstructorBinding
	public ApprovalProperties {
		Map<String, BigDecimal> thresholds = new TreeMap<>();
		if (above != null) {
			above.forEach((code, amount) -> {
				String currency = code.strip().toUpperCase(Locale.ROOT);
				Currency parsed;
				try {
					parsed = Currency.getInstance(currency);
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(PREFIX + code + ": '" + code
							+ "' is not an ISO 4217 currency code");
				}
				if (amount == null) {
					throw new IllegalArgumentException(PREFIX + currency + ": no amount given");
				}
				if (amount.signum() <= 0) {
					throw new IllegalArgumentException(PREFIX + currency + ": must be greater than 0");
				}
				BigDecimal scaled;
				try {
					scaled = new Money(amount, parsed).amount();
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(PREFIX + currency + ": " + ex.getMessage());
				}
				BigDecimal earlier = thresholds.put(currency, scaled);
				if (earlier != null && earlier.compareTo(scaled) != 0) {
					throw new IllegalArgumentException(PREFIX + currency + ": given twice, as "
							+ earlier.toPlainString() + " and " + scaled.toPlainString()
							+ " (a currency code may be written in any case)");
				}
			});
		}
		above = Map.copyOf(thresholds);
	}

	/** No thresholds: no batch needs approval. */
	public static ApprovalProperties none() {
		return new ApprovalProperties(Map.of(), false);
	}

	/** The total above which a batch in this currency needs approval, when one is configured. */
	public Optional<BigDecimal> thresholdFor(String currency) {
		return Optional.ofNullable(above.get(currency));
	}

}
