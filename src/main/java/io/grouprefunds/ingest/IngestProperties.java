package io.grouprefunds.ingest;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on what a refund file may hold ({@code refunds.ingest.*}).
 *
 * @param maxLineLength the longest physical line accepted, in characters; a longer one refuses the file (a file that
 * is not line-based text, or a runaway field, is stopped before it is parsed)
 * @param maxRows the most data rows a file may hold; more refuses the file (split it)
 * @param maxAmount per currency code, the largest amount one row may refund; a row above it is REJECTED. A currency
 * not listed has no per-row cap (amounts in different currencies cannot share one number)
 * @param chunkSize rows the ingest step records per transaction (one duplicate check and one COPY each); the first
 * chunk of each run is a tenth of it
 */
@ConfigurationProperties("refunds.ingest")
@Validated
public record IngestProperties(@DefaultValue("4096") @Min(80) int maxLineLength,
		@DefaultValue("100000") @Min(1) int maxRows, Map<String, @Positive BigDecimal> maxAmount,
		@DefaultValue("5000") @Min(1) int chunkSize) {

	/** Limits with the default chunk size. */
	public IngestProperties(int maxLineLength, int maxRows, Map<String, BigDecimal> maxAmount) {
		this(maxLineLength, maxRows, maxAmount, 5000);
	}

	/** Keys are currency codes in any case (an environment variable binds them in lower case): checked here. */
	@ConstructorBinding
	public IngestProperties {
		Map<String, BigDecimal> caps = new TreeMap<>();
		if (maxAmount != null) {
			maxAmount.forEach((code, cap) -> {
				String currency = code.strip().toUpperCase(Locale.ROOT);
				try {
					Currency.getInstance(currency);
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(
							"refunds.ingest.max-amount." + code + ": '" + code + "' is not an ISO 4217 currency code");
				}
				if (cap == null) {
					throw new IllegalArgumentException("refunds.ingest.max-amount." + code + ": no amount given");
				}
				caps.put(currency, cap);
			});
		}
		maxAmount = Map.copyOf(caps);
	}

	/** The defaults: 4,096 characters a line, 100,000 rows, no per-row cap. */
	public static IngestProperties defaults() {
		return new IngestProperties(4096, 100_000, Map.of());
	}

	/** The largest amount one row may refund in this currency, when one is configured. */
	public Optional<BigDecimal> maxAmountFor(Currency currency) {
		return Optional.ofNullable(maxAmount.get(currency.getCurrencyCode()));
	}

}
